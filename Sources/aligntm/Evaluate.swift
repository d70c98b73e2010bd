import Alignment
import ArgumentParser
import Foundation
import TextSegmentation

struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Score alignments against gold: strict and lax precision, recall and F1.",
    discussion: """
      Links (`[3, 4]:[5]` a line): give --gold and --test once per document, in pairs; counts are \
      pooled over the documents (Sennrich & Volk 2011). UN gold beads: --beads GOLD.jsonl with \
      --test ALIGNED.jsonl from `aligntm align --format jsonl`; beads are compared by their \
      folded text, so the score does not depend on sentence ids.
      """
  )

  @Option(help: "A gold links file (repeat, paired with --test).")
  var gold: [String] = []

  @Option(help: "A gold beads file (corpus/un/00N/gold.jsonl) (repeat, paired with --test).")
  var beads: [String] = []

  @Option(help: "The alignment to score (repeat).")
  var test: [String] = []

  @Option(name: .customLong("source-lang"), help: "The gold field holding the source side (--beads).")
  var sourceLanguage: Language = .english

  @Option(name: .customLong("target-lang"), help: "The gold field holding the target side (--beads).")
  var targetLanguage: Language = .french

  func validate() throws {
    if gold.isEmpty == beads.isEmpty {
      throw ValidationError("Give either --gold (links) or --beads (UN gold beads), each with a --test.")
    }
    if max(gold.count, beads.count) != test.count {
      throw ValidationError("Give one --test for each --gold or --beads, in the same order.")
    }
  }

  func run() throws {
    var pairs: [(gold: [Link], test: [Link])] = []
    if !gold.isEmpty {
      for (goldFile, testFile) in zip(gold, test) {
        pairs.append((try readLinks(goldFile), try readLinks(testFile)))
      }
    } else {
      for (goldFile, testFile) in zip(beads, test) {
        let links = BeadComparison.links(gold: try readGoldBeads(goldFile), test: try readTestBeads(testFile))
        pairs.append((links.gold.map { Link(source: $0.source, target: $0.target) },
                      links.test.map { Link(source: $0.source, target: $0.target) }))
      }
    }
    let scores = LinkScorer.score(pairs: pairs)
    print("strict  P \(format(scores.strict.precision))  R \(format(scores.strict.recall))  F1 \(format(scores.strict.f1))")
    print("lax     P \(format(scores.lax.precision))  R \(format(scores.lax.recall))  F1 \(format(scores.lax.f1))")
  }

  private func format(_ value: Double) -> String { String(format: "%.3f", value) }

  private func readText(_ path: String) throws -> String {
    do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw CommandError("\(path): cannot read: \(error.localizedDescription)")
    }
  }

  private func readLinks(_ path: String) throws -> [Link] {
    do { return try Link.links(parsing: try readText(path), file: path) } catch let error as CommandError {
      throw error
    } catch {
      throw CommandError("\(error)")
    }
  }

  private func jsonObjects(_ path: String) throws -> [(line: Int, object: [String: Any])] {
    var result: [(Int, [String: Any])] = []
    for (index, line) in try readText(path).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where !line.trimmingCharacters(in: .whitespaces).isEmpty {
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw CommandError("\(path):\(index + 1): not a JSON object")
      }
      result.append((index + 1, object))
    }
    return result
  }

  private func readGoldBeads(_ path: String) throws -> [TextBead] {
    try jsonObjects(path).map { line, object in
      guard let source = object[sourceLanguage.rawValue] as? [String],
        let target = object[targetLanguage.rawValue] as? [String]
      else {
        throw CommandError("\(path):\(line): a gold bead needs \"\(sourceLanguage)\" and \"\(targetLanguage)\" sentence lists")
      }
      return TextBead(source: source, target: target)
    }
  }

  private func readTestBeads(_ path: String) throws -> [TextBead] {
    try jsonObjects(path).map { line, object in
      if let source = object["sourceSentences"] as? [String], let target = object["targetSentences"] as? [String] {
        return TextBead(source: source, target: target)
      }
      guard let source = object["source"] as? String, let target = object["target"] as? String else {
        throw CommandError("\(path):\(line): a bead needs \"sourceSentences\" and \"targetSentences\" (or \"source\" and \"target\")")
      }
      return TextBead(source: source.isEmpty ? [] : [source], target: target.isEmpty ? [] : [target])
    }
  }
}
