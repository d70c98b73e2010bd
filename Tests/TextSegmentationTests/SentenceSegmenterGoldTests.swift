import Foundation
import TestSupport
import Testing
import TextSegmentation

/// The sentence boundaries of the UN gold (`corpus/un/00N/gold.jsonl`), paragraph by paragraph.
///
/// Each gold paragraph is rebuilt by joining its sentences with one space, segmented, and the
/// sentences compared with the gold after folding case, accents, markup and footnote markers.
@Suite struct SentenceSegmenterGoldTests {
  /// The paragraphs of a gold file in one language: the sentences of all beads sharing a `p`.
  static func paragraphs(document: String, language: String) throws -> [[String]] {
    let beads = try TestSupport.jsonLines("un/\(document)/gold.jsonl", as: GoldBead.self)
    var order: [String] = []
    var sentences: [String: [String]] = [:]
    for bead in beads {
      if sentences[bead.p] == nil { order.append(bead.p) }
      sentences[bead.p, default: []] += language == "fr" ? bead.fr : bead.en
    }
    return order.compactMap { sentences[$0] }.filter { !$0.isEmpty }
  }

  /// A sentence folded for comparison: markup and footnote markers removed, case and accents
  /// folded, white space removed (so that boundaries are comparable as offsets).
  static func comparable(_ sentence: String) -> String {
    var text = sentence
    text = text.replacingOccurrences(
      of: #"\[([^\]]*)\]\(#\)"#, with: "$1", options: .regularExpression)
    text = text.replacingOccurrences(of: #"\^\{[^}]*\}"#, with: "", options: .regularExpression)
    text = text.replacingOccurrences(of: "*", with: "")
    text = text.replacingOccurrences(of: #"[¹²³⁰⁴⁵⁶⁷⁸⁹]"#, with: "", options: .regularExpression)
    return String(
      TextNormalizer.matchKey(text).unicodeScalars.filter {
        !$0.properties.isWhitespace
      }.map(Character.init))
  }

  /// The offsets of sentence ends in the folded text of a paragraph (its end included).
  static func boundaries(_ sentences: [String]) -> (text: String, offsets: Set<Int>) {
    var offsets: Set<Int> = []
    var text = ""
    var length = 0
    for sentence in sentences {
      let folded = comparable(sentence)
      text += folded
      length += folded.unicodeScalars.count
      offsets.insert(length)
    }
    return (text, offsets)
  }

  struct Score: CustomStringConvertible {
    var truePositives = 0
    var predicted = 0
    var gold = 0
    var mismatches: [String] = []
    var precision: Double { predicted == 0 ? 1 : Double(truePositives) / Double(predicted) }
    var recall: Double { gold == 0 ? 1 : Double(truePositives) / Double(gold) }
    var f1: Double {
      precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }
    var description: String {
      "F1 \(f1) (P \(precision), R \(recall), \(gold) gold boundaries); mismatches:\n"
        + mismatches.joined(separator: "\n")
    }
  }

  static func score(document: String, language: Language) throws -> Score {
    let segmenter = try SentenceSegmenter(language: language)
    var score = Score()
    for gold in try paragraphs(document: document, language: language.rawValue) {
      let predicted = segmenter.sentenceStrings(in: gold.joined(separator: " "))
      let expected = boundaries(gold)
      let found = boundaries(predicted)
      // Segmenting only cuts the text, so the folded texts must be the same.
      guard expected.text == found.text else {
        score.gold += expected.offsets.count
        score.mismatches.append("text changed: \(gold) → \(predicted)")
        continue
      }
      score.gold += expected.offsets.count
      score.predicted += found.offsets.count
      score.truePositives += expected.offsets.intersection(found.offsets).count
      if expected.offsets != found.offsets {
        score.mismatches.append("gold: \(gold)\ngot:  \(predicted)")
      }
    }
    return score
  }

  @Test(arguments: ["003", "004"], [Language.french, .english])
  func boundaryF1(document: String, language: Language) throws {
    let score = try Self.score(document: document, language: language)
    #expect(score.gold > 0)
    #expect(score.f1 >= 0.98, "\(document) \(language): \(score)")
  }
}
