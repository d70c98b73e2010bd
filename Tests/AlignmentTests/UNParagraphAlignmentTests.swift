import Alignment
import Foundation
import TestSupport
import Testing
import TextSegmentation

/// The paragraph aligner on the reader's output for the UN pairs with gold.
@Suite struct UNParagraphAlignmentTests {
  /// Maps each paragraph the reader found to the gold paragraph `p` with the same folded text,
  /// walking both in order (footnotes and running text as separate streams).
  static func goldParagraphIds(_ document: Document, beads: [GoldBead], side: KeyPath<GoldBead, [String]>)
    -> [Int: String]
  {
    var order: [(p: String, footnote: Bool, key: String)] = []
    var texts: [String: [String]] = [:]
    for bead in beads where !bead[keyPath: side].isEmpty {
      if texts[bead.p] == nil { order.append((bead.p, bead.kind == "footnote", "")) }
      texts[bead.p, default: []] += bead[keyPath: side]
    }
    order = order.map {
      ($0.p, $0.footnote, TextNormalizer.comparisonKey(texts[$0.p, default: []].joined(separator: " ")))
    }
    var result: [Int: String] = [:]
    for footnote in [false, true] {
      let gold = order.filter { $0.footnote == footnote }
      var next = 0
      for (index, paragraph) in document.paragraphs.enumerated()
      where (paragraph.kind == .footnote) == footnote {
        let key = TextNormalizer.comparisonKey(paragraph.text)
        if let found = gold[next...].firstIndex(where: { $0.key == key }) {
          result[index] = gold[found].p
          next = found + 1
        }
      }
    }
    return result
  }

  @Test(arguments: ["003", "004"])
  func everyParagraphAlignedRight(pair: String) throws {
    let reader = DocumentReader()
    let english = try reader.read(contentsOf: TestSupport.corpusFile("un/\(pair)/en.txt"), language: .english)
    let french = try reader.read(contentsOf: TestSupport.corpusFile("un/\(pair)/fr.txt"), language: .french)
    let beads = try TestSupport.jsonLines("un/\(pair)/gold.jsonl", as: GoldBead.self)
    let englishIds = Self.goldParagraphIds(english, beads: beads, side: \.en)
    let frenchIds = Self.goldParagraphIds(french, beads: beads, side: \.fr)
    let goldParagraphs = Set(beads.map(\.p))
    #expect(
      Set(englishIds.values).union(frenchIds.values) == goldParagraphs,
      "the reader finds every gold paragraph")

    let aligned = ParagraphAligner().align(source: english, target: french)
    var wrong: [String] = []
    for bead in aligned {
      let ids = Set(bead.source.compactMap { englishIds[$0] } + bead.target.compactMap { frenchIds[$0] })
      // A bead is right when all its paragraphs are one gold paragraph; a paragraph the gold lacks
      // (the `Notes` heading) must stand alone.
      let unknown =
        bead.source.contains { englishIds[$0] == nil } || bead.target.contains { frenchIds[$0] == nil }
      if ids.count > 1 || (unknown && bead.source.count + bead.target.count > 1) {
        wrong.append("\(bead.source):\(bead.target) → \(ids.sorted())")
      }
    }
    // Every gold paragraph present on both sides must be in one bead.
    var beadOf: [String: Int] = [:]
    var split: [String] = []
    for (index, bead) in aligned.enumerated() {
      for id in bead.source.compactMap({ englishIds[$0] }) + bead.target.compactMap({ frenchIds[$0] }) {
        if let other = beadOf[id], other != index { split.append(id) }
        beadOf[id] = index
      }
    }
    #expect(wrong.isEmpty, "beads mixing gold paragraphs: \(wrong.prefix(8))")
    #expect(split.isEmpty, "gold paragraphs split over beads: \(split.prefix(8))")
  }
}
