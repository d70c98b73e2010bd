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
      folded text, so the score does not depend on sentence ids. With --beads, --source-lang and \
      --target-lang name the gold fields that hold each side; a warning on standard error says \
      when a test holds under half of its gold's sentences (another document's alignment).
      """
  )

  @Option(help: "A gold links file (repeat, paired with --test).")
  var gold: [String] = []

  @Option(help: "A gold beads file (corpus/un/00N/gold.jsonl) (repeat, paired with --test).")
  var beads: [String] = []

  @Option(help: "The alignment to score (repeat).")
  var test: [String] = []

  @OptionGroup var languages: LanguagePairOptions

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
        let testBeads = try AlignedRecord.records(inFile: testFile).map {
          TextBead(source: $0.sources, target: $0.targets)
        }
        let goldBeads = try readGoldBeads(goldFile)
        let coverage = BeadComparison.coverage(gold: goldBeads, test: testBeads)
        if coverage < BeadComparison.minimumCoverage {
          printError(
            "warning: \(testFile) holds only \(Int((coverage * 100).rounded())) % of the sentences of "
              + "\(goldFile): is it an alignment of the same document, with --source-lang and --target-lang "
              + "naming the gold's fields? Its score means little.")
        }
        let links = BeadComparison.links(gold: goldBeads, test: testBeads)
        pairs.append((links.gold, links.test))
      }
    }
    let scores = LinkScorer.score(pairs: pairs)
    print(
      "strict  P \(format(scores.strict.precision))  R \(format(scores.strict.recall))  F1 \(format(scores.strict.f1))"
    )
    print(
      "lax     P \(format(scores.lax.precision))  R \(format(scores.lax.recall))  F1 \(format(scores.lax.f1))"
    )
  }

  private func format(_ value: Double) -> String { String(format: "%.3f", value) }

  private func readLinks(_ path: String) throws -> [Link] {
    try Link.links(parsing: try readTextFile(path), file: path)
  }

  private func readGoldBeads(_ path: String) throws -> [TextBead] {
    let source = languages.sourceLanguage.rawValue
    let target = languages.targetLanguage.rawValue
    var beads: [TextBead] = []
    for (index, line) in try readTextFile(path).split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    where !line.trimmingCharacters(in: .whitespaces).isEmpty {
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw CommandError("\(path):\(index + 1): not a JSON object")
      }
      guard let sources = object[source] as? [String], let targets = object[target] as? [String] else {
        throw CommandError(
          "\(path):\(index + 1): a gold bead needs \"\(source)\" and \"\(target)\" sentence lists")
      }
      beads.append(TextBead(source: sources, target: targets))
    }
    return beads
  }
}
