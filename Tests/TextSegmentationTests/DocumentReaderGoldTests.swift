import Foundation
import TestSupport
import Testing

@testable import TextSegmentation

/// Compares the reader's paragraphs with the human gold paragraphs of corpus/un/003 and 004.
@Suite struct DocumentReaderGoldTests {
  struct GoldParagraph: Equatable {
    var kind: String
    var key: String
  }

  /// Folds a text for comparison: markup and footnote markers removed, the reader's OCR
  /// repairs applied, case, accents and white space folded.
  static func fold(_ text: String) -> String {
    var s = text.replacingOccurrences(of: "<i>", with: "").replacingOccurrences(of: "</i>", with: "")
    s = s.replacingOccurrences(of: #"\[([^\[\]]*)\]\([^)\s]*\)"#, with: "$1", options: .regularExpression)
    s = s.replacingOccurrences(of: #"\^\{([^}]*)\}"#, with: "$1", options: .regularExpression)
    s = s.replacingOccurrences(of: "^", with: "").replacingOccurrences(of: "*", with: "")
    s.removeAll { InlineMarkupParser.superscriptDigits.contains($0) }
    s = OCRRepair.repairElisions(in: s, lineNumber: 0).0
    let key = TextNormalizer.matchKey(s)
    return key.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  /// The gold paragraphs of one side, in order, split into the running stream and the footnotes.
  static func goldParagraphs(_ folder: String, french: Bool) throws -> [GoldParagraph] {
    let beads = try TestSupport.jsonLines("un/\(folder)/gold.jsonl", as: GoldBead.self)
    var result: [GoldParagraph] = []
    var ids: [String] = []
    var texts: [String: [String]] = [:]
    var kinds: [String: String] = [:]
    for bead in beads {
      if texts[bead.p] == nil { ids.append(bead.p) }
      texts[bead.p, default: []] += french ? bead.fr : bead.en
      kinds[bead.p] = bead.kind
    }
    for id in ids {
      let sentences = texts[id] ?? []
      guard !sentences.isEmpty else { continue }
      result.append(GoldParagraph(kind: kinds[id] ?? "", key: fold(sentences.joined(separator: " "))))
    }
    return result
  }

  /// The length of the longest common subsequence of two sequences.
  static func commonCount(_ a: [GoldParagraph], _ b: [GoldParagraph]) -> Int {
    guard !a.isEmpty, !b.isEmpty else { return 0 }
    var previous = [Int](repeating: 0, count: b.count + 1)
    for x in a {
      var current = [Int](repeating: 0, count: b.count + 1)
      for (j, y) in b.enumerated() {
        current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j])
      }
      previous = current
    }
    return previous[b.count]
  }

  struct Score {
    var matched: Int
    var gold: Int
    var read: Int
    var ratio: Double { gold == 0 ? 0 : Double(matched) / Double(gold) }
  }

  /// Footnotes and running text are compared as two streams, since a layout may gather
  /// footnotes at the end (004 en) while the gold keeps them where the French has them.
  static func score(_ folder: String, _ language: String) throws -> (Score, [GoldParagraph], [GoldParagraph])
  {
    let gold = try goldParagraphs(folder, french: language == "fr")
    let document = try DocumentReader().read(
      contentsOf: TestSupport.corpusFile("un/\(folder)/\(language).txt"))
    let read = document.paragraphs.map { GoldParagraph(kind: $0.kind.rawValue, key: fold($0.text)) }
    let isNote: (GoldParagraph) -> Bool = { $0.kind == "footnote" }
    let matched =
      commonCount(gold.filter(isNote), read.filter(isNote))
      + commonCount(gold.filter { !isNote($0) }, read.filter { !isNote($0) })
    return (Score(matched: matched, gold: gold.count, read: read.count), gold, read)
  }

  @Test(arguments: [("003", "fr"), ("003", "en"), ("004", "fr"), ("004", "en")])
  func paragraphsMatchTheGold(folder: String, language: String) throws {
    let (score, gold, read) = try Self.score(folder, language)
    if let dump = ProcessInfo.processInfo.environment["ALIGNTM_GOLD_DUMP"] {
      var report = "\(folder) \(language): \(score.matched)/\(score.gold) (read \(score.read))\n"
      for g in gold where !read.contains(g) { report += "MISSING \(g.kind) \(g.key.prefix(150))\n" }
      for r in read where !gold.contains(r) { report += "EXTRA   \(r.kind) \(r.key.prefix(150))\n" }
      try? report.write(toFile: "\(dump)-\(folder)-\(language).txt", atomically: true, encoding: .utf8)
    }
    #expect(score.ratio >= 0.98, "\(folder)/\(language): \(score.matched) of \(score.gold) gold paragraphs")
    #expect(
      score.read - score.matched <= max(2, score.gold / 50), "\(folder)/\(language): \(score.read) read")
  }
}
