import Alignment
import Foundation
import TestSupport
import Testing
import TextSegmentation

/// Reader, segmenter and aligner together, from the raw UN files, scored against the gold beads.
@Suite struct UNDocumentAlignmentTests {
  static let lexicon = Lexicon.freedict(sourceLanguage: .english, targetLanguage: .french).lexicon
  static let aligner = SentenceAligner(sourceLanguage: .english, targetLanguage: .french, lexicon: lexicon)

  static func alignPair(_ pair: String, aligner: SentenceAligner = aligner) throws -> (
    DocumentAlignment, [GoldBead]
  ) {
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
    let scores = LinkScorer.score(gold: links.gold, test: links.test)
    #expect(scores.strict.f1 >= 0.97, "strict bead F1 \(scores.strict.f1) on \(pair)")
  }

  @Test(arguments: ["003", "004"])
  func everySentenceUsedOnce(pair: String) throws {
    let (alignment, _) = try Self.alignPair(pair)
    #expect(alignment.beads.flatMap(\.sourceIds).sorted() == Array(alignment.sourceSentences.indices))
    #expect(alignment.beads.flatMap(\.targetIds).sorted() == Array(alignment.targetSentences.indices))
    #expect(alignment.beads.allSatisfy { (0...1).contains($0.score) })
  }

  /// The second pass runs in document mode: word pairs are learned once from the confident 1-1
  /// beads of the whole document, and the groups of several sentences are aligned again with them.
  @Test func learnsTheLexiconOnceFromTheWholeDocument() throws {
    let (alignment, _) = try Self.alignPair("004")
    #expect(alignment.learnedLexicon.pairCount > 0)
    #expect(alignment.realignedGroupCount > 0)
    // 003's groups hold one sentence a side: nothing to align again, but still something learned.
    let (resolution, _) = try Self.alignPair("003")
    #expect(resolution.learnedLexicon.pairCount > 0)
    #expect(resolution.realignedGroupCount == 0)
  }

  @Test func learnsNothingWhenLearningIsOff() throws {
    var configuration = SentenceAligner.Configuration()
    configuration.learnsLexicon = false
    let aligner = SentenceAligner(
      sourceLanguage: .english, targetLanguage: .french, lexicon: Self.lexicon,
      configuration: configuration)
    let (alignment, _) = try Self.alignPair("004", aligner: aligner)
    #expect(alignment.learnedLexicon.isEmpty)
    #expect(alignment.realignedGroupCount == 0)
  }
}
