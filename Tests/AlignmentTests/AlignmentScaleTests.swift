import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import Alignment

/// Time and memory of the aligners grow linearly with the documents: the programmes stay in a band
/// along the path, and the band never widens without bound. Asserted by what the programmes
/// evaluate, not by time.
@Suite struct AlignmentScaleTests {
  static let copies = 20

  /// A document's paragraphs, `count` times over.
  static func repeated(_ document: Document, _ count: Int) -> Document {
    Document(
      source: document.source, language: document.language,
      paragraphs: Array([[Paragraph]](repeating: document.paragraphs, count: count).joined()))
  }

  @Test(arguments: ["003", "004"])
  func paragraphAlignmentOfARepeatedDocumentStaysInABand(pair: String) throws {
    let reader = DocumentReader()
    let english = try reader.read(contentsOf: TestSupport.corpusFile("un/\(pair)/en.txt"), language: .english)
    let french = try reader.read(contentsOf: TestSupport.corpusFile("un/\(pair)/fr.txt"), language: .french)
    let aligner = ParagraphAligner()
    let single = aligner.align(source: english, target: french)
    var statistics = BandStatistics()
    let beads = aligner.align(
      source: Self.repeated(english, Self.copies), target: Self.repeated(french, Self.copies),
      statistics: &statistics)

    // The repeated pair aligns as the single pair does, copy after copy.
    let n = english.paragraphs.count
    let m = french.paragraphs.count
    var expected: Set<[[Int]]> = []
    for copy in 0..<Self.copies {
      for bead in single {
        expected.insert([bead.source.map { $0 + copy * n }, bead.target.map { $0 + copy * m }])
      }
    }
    #expect(Set(beads.map { [$0.source, $0.target] }) == expected)
    #expect(beads.count == Self.copies * single.count)

    // Linear: the cells evaluated, over every round of widening, stay within a few bands of the
    // first width per row, far below the (20 n + 1)(20 m + 1) cells of the whole grid.
    let rows = Self.copies * (n + m) + 2
    let firstBand = 2 * ParagraphAligner.minimumBandWidth + 1
    #expect(statistics.cells <= 3 * firstBand * rows, "\(statistics.cells) cells for \(rows) rows")
    #expect(statistics.largestRow <= 2 * ParagraphAligner.maximumBandWidth + 1)
  }

  /// Texts that drift apart (the target opens with sentences the source lacks) push the best path
  /// to the band's edge; the band widens, but never past the maximum width.
  @Test func sentenceBandStopsWideningAtTheMaximum() {
    let sentences = (0..<300).map { "Sentence \($0) of the report, about item \($0 * 7)." }
    let extra = (0..<120).map { "Paragraphe ajouté numéro \($0 + 1000), sans équivalent." }
    var configuration = SentenceAligner.Configuration()
    configuration.minimumBandWidth = 10
    configuration.maximumBandWidth = 40
    configuration.learnsLexicon = false
    let aligner = SentenceAligner(
      sourceLanguage: .english, targetLanguage: .french, configuration: configuration)
    let draft = aligner.firstPass(source: sentences, target: extra + sentences)
    let widest =
      zip(draft.problem.band.firstColumn, draft.problem.band.lastColumn).map { $1 - $0 + 1 }.max() ?? 0
    // The path kept to the edge until the band reached the maximum (so it widened that far) …
    #expect(widest >= 2 * configuration.maximumBandWidth + 1)
    // … and no further.
    #expect(widest <= 2 * configuration.maximumBandWidth + 1 + AlignmentProblem.maximumSpan)
    #expect(draft.alignment.beads.flatMap(\.sourceIndices).sorted() == Array(sentences.indices))
    #expect(
      draft.alignment.beads.flatMap(\.targetIndices).sorted() == Array(0..<(extra.count + sentences.count)))
  }
}
