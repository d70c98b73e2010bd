import Alignment
import Foundation
import TestSupport
import Testing
import TextSegmentation

@Suite struct ParagraphAlignerTests {
  /// Builds both documents' paragraphs from the gold beads, so the test isolates the aligner from
  /// the reader: every gold paragraph `p` is one paragraph on each side where it has sentences.
  static func goldDocuments(_ pair: String) throws -> (Document, Document, [String: (Int?, Int?)]) {
    let beads = try TestSupport.jsonLines("un/\(pair)/gold.jsonl", as: GoldBead.self)
    var order: [String] = []
    var french: [String: [String]] = [:]
    var english: [String: [String]] = [:]
    var kinds: [String: String] = [:]
    for bead in beads {
      if kinds[bead.p] == nil { order.append(bead.p) }
      kinds[bead.p] = bead.kind
      french[bead.p, default: []] += bead.fr
      english[bead.p, default: []] += bead.en
    }
    var frParagraphs: [Paragraph] = []
    var enParagraphs: [Paragraph] = []
    var truth: [String: (Int?, Int?)] = [:]
    for p in order {
      let kind = ParagraphKind(rawValue: kinds[p] ?? "body") ?? .body
      var entry: (Int?, Int?) = (nil, nil)
      for (side, sentences) in [(0, english[p] ?? []), (1, french[p] ?? [])] where !sentences.isEmpty {
        let text = sentences.joined(separator: " ")
        let number = text.prefixMatch(of: /^(\d+)\.\s/).map { String($0.1) }
        let paragraph = Paragraph(kind: kind, number: number, text: text, lines: [])
        if side == 0 {
          entry.0 = enParagraphs.count
          enParagraphs.append(paragraph)
        } else {
          entry.1 = frParagraphs.count
          frParagraphs.append(paragraph)
        }
      }
      truth[p] = entry
    }
    return (
      Document(source: "en", language: .english, paragraphs: enParagraphs),
      Document(source: "fr", language: .french, paragraphs: frParagraphs), truth
    )
  }

  @Test(arguments: ["003", "004"])
  func alignsEveryGoldParagraph(pair: String) throws {
    let (english, french, truth) = try Self.goldDocuments(pair)
    let beads = ParagraphAligner().align(source: english, target: french)
    // Every paragraph of both sides is used exactly once.
    #expect(beads.flatMap(\.source).sorted() == Array(english.paragraphs.indices))
    #expect(beads.flatMap(\.target).sorted() == Array(french.paragraphs.indices))
    let expected = Set(
      truth.values.map { pair in
        "\(pair.0.map { [$0] } ?? []):\(pair.1.map { [$0] } ?? [])"
      })
    let found = Set(beads.map { "\($0.source):\($0.target)" })
    let wrong = found.subtracting(expected).sorted()
    #expect(wrong.isEmpty, "beads not in the gold: \(wrong.prefix(10))")
    #expect(beads.allSatisfy { (0...1).contains($0.score) })
  }

  @Test func skipsAnInsertedParagraphAndKeepsNumbersApart() {
    func paragraph(_ text: String, _ number: String? = nil) -> Paragraph {
      Paragraph(kind: .body, number: number, text: text, lines: [])
    }
    let english = Document(
      source: "en", language: .english,
      paragraphs: [
        paragraph("1. The Organization supports the African Union in 2012.", "1"),
        paragraph("2. The Council met in Addis Ababa in 2011 and 2012.", "2"),
        paragraph("3. UNDP supported 14 countries in the region.", "3"),
      ])
    let french = Document(
      source: "fr", language: .french,
      paragraphs: [
        paragraph("1. L'Organisation soutient l'Union africaine en 2012.", "1"),
        paragraph("Paragraphe inséré sans équivalent anglais dans la traduction."),
        paragraph("2. Le Conseil s'est réuni à Addis-Abeba en 2011 et 2012.", "2"),
        paragraph("3. Le PNUD a appuyé 14 pays de la région.", "3"),
      ])
    let beads = ParagraphAligner().align(source: english, target: french)
    #expect(beads.map { "\($0.source):\($0.target)" } == ["[0]:[0]", "[]:[1]", "[1]:[2]", "[2]:[3]"])
  }
}
