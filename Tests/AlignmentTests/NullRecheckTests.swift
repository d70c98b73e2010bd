import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import Alignment

/// The re-check of doubtful nulls reaches every null the programme is not sure of (posterior
/// below ``SentenceAligner/Configuration/nullGlueThreshold``, 0.9): the posteriors are well
/// calibrated, and a wrong null is most often the short half of a 1-2 with a posterior of 0.5
/// to 0.9, which a re-check of nulls under 0.5 only left alone.
@Suite struct NullRecheckTests {
  /// Source sentence 4 is translated as target 4 and a target 5 that renders one of its words
  /// with seven words the lexicon does not know: a 1-2 whose short half has little evidence.
  static func bitext() -> (
    fixture: BeadScoringTests.Fixture, source: [String], target: [String], gold: [Link]
  ) {
    var fixture = BeadScoringTests.Fixture(seed: 1)
    let language = fixture.language
    let sentences = fixture.sentences(9)
    let word = fixture.sentences(1, words: 1...1)[0]
    var source = sentences.map(language.source)
    var target = sentences.map(language.target)
    source[4] = language.source(sentences[4] + word)
    let unknown = (0..<7).map { "vlorq\($0)zt" }
    target.insert(([language.targetWords[word[0]]] + unknown).joined(separator: " ") + " .", at: 5)
    var gold = (0..<9).map { Link(source: [$0], target: [$0 < 5 ? $0 : $0 + 1]) }
    gold[4] = Link(source: [4], target: [4, 5])
    return (fixture, source, target, gold)
  }

  @Test func aOneToTwoWithADoubtfulShortHalfIsNotSplitIntoABeadAndANull() {
    let (fixture, source, target, gold) = NullRecheckTests.bitext()
    let alignment = fixture.aligner.align(source: source, target: target)
    #expect(alignment.links == gold)
  }

  @Test func theNullOfTheSplitIsDoubtfulButAboveOneHalf() {
    let (fixture, source, target, _) = NullRecheckTests.bitext()
    let draft = fixture.aligner.firstPass(source: source, target: target)
    let problem = draft.problem
    // The split: 1-1 beads, with target 5 alone after the fifth.
    var path: [PathStep] = []
    for k in 1...9 {
      path.append(PathStep(i: k, j: k <= 4 ? k : k + 1, shape: SentenceAligner.BeadShape(1, 1)))
      if k == 5 { path.append(PathStep(i: 5, j: 6, shape: SentenceAligner.BeadShape(0, 1))) }
    }
    path[4] = PathStep(i: 5, j: 5, shape: SentenceAligner.BeadShape(1, 1))
    let posterior = problem.lattice().posteriors(of: path, shapes: problem.shapes, band: problem.band)[5]
    #expect(posterior >= 0.5 && posterior < 0.9)
    // Its words find hardly any translation nearby: not a supported null, re-checked by its
    // posterior alone.
    #expect(
      problem.targetAvailable[5] < problem.configuration.supportedNullShare * problem.targetSentenceWeight[5])
    #expect(problem.glueDoubtfulNulls(path, below: 0.5) == path)
    let joined = problem.glueDoubtfulNulls(path, below: problem.configuration.nullGlueThreshold)
    #expect(joined.contains(PathStep(i: 5, j: 6, shape: SentenceAligner.BeadShape(1, 2))))
  }
}
