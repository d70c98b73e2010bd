import Alignment
import Foundation
import TestSupport
import Testing
import TextSegmentation

/// Reader, segmenter and aligner together, from the raw UN files, scored against the gold beads.
@Suite struct UNDocumentAlignmentTests {
  static let aligner: SentenceAligner = {
    let lexicon = Lexicon.freedict(sourceLanguage: .english, targetLanguage: .french).lexicon
    return SentenceAligner(sourceLanguage: .english, targetLanguage: .french, lexicon: lexicon)
  }()

  static func alignPair(_ pair: String) throws -> (DocumentAlignment, [GoldBead]) {
    let reader = DocumentReader()
    let english = try reader.read(contentsOf: TestSupport.corpusFile("un/\(pair)/en.txt"), language: .english)
    let french = try reader.read(contentsOf: TestSupport.corpusFile("un/\(pair)/fr.txt"), language: .french)
    let alignment = try DocumentAligner(sentenceAligner: aligner).align(source: english, target: french)
    return (alignment, try TestSupport.jsonLines("un/\(pair)/gold.jsonl", as: GoldBead.self))
  }

  @Test(arguments: ["003", "004"])
  func strictBeadF1ReachesTheTarget(pair: String) throws {
    let (alignment, gold) = try Self.alignPair(pair)
    let test = alignment.beads.map {
      TextBead(source: alignment.sourceTexts($0), target: alignment.targetTexts($0))
    }
    let links = BeadComparison.links(gold: gold.map { TextBead(source: $0.en, target: $0.fr) }, test: test)
    let scores = LinkScorer.score(
      gold: links.gold.map { Link(source: $0.source, target: $0.target) },
      test: links.test.map { Link(source: $0.source, target: $0.target) })
    #expect(scores.strict.f1 >= 0.97, "strict bead F1 \(scores.strict.f1) on \(pair)")
  }

  @Test(arguments: ["003", "004"])
  func everySentenceUsedOnce(pair: String) throws {
    let (alignment, _) = try Self.alignPair(pair)
    #expect(alignment.beads.flatMap(\.sourceIds).sorted() == Array(alignment.sourceSentences.indices))
    #expect(alignment.beads.flatMap(\.targetIds).sorted() == Array(alignment.targetSentences.indices))
    #expect(alignment.beads.allSatisfy { (0...1).contains($0.score) })
  }
}
