import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import Alignment

/// The pieces of the bead score on small constructed bitexts: each lexical link counted once over
/// the whole bead, coverage judged against the evidence a sentence has, and the grouping
/// decisions these make (a true 2-2, a short unaligned sentence, a 1-2 that stays whole).
@Suite struct BeadScoringTests {
  /// A made-up language (every source word has one target word) and some sentences of it.
  struct Fixture {
    var language: SyntheticBitext
    var generator: SeededGenerator

    init(seed: UInt64) {
      var generator = SeededGenerator(seed: seed)
      language = SyntheticBitext(vocabulary: 400, generator: &generator)
      self.generator = generator
    }

    /// `count` sentences of 8 to 14 words, word indices drawn without repeats.
    mutating func sentences(_ count: Int, words: ClosedRange<Int> = 8...14) -> [[Int]] {
      var used = Set<Int>()
      return (0..<count).map { _ in
        (0..<Int.random(in: words, using: &generator)).map { _ in
          while true {
            let word = Int.random(in: 0..<language.sourceWords.count, using: &generator)
            if used.insert(word).inserted { return word }
          }
        }
      }
    }

    var aligner: SentenceAligner {
      SentenceAligner(sourceLanguage: .english, targetLanguage: .french, lexicon: language.lexicon)
    }
  }

  @Test func aWordMatchedInTwoSentencesCountsOnceForTheBead() {
    var fixture = Fixture(seed: 5)
    let words = fixture.sentences(1, words: 8...8)[0]
    let language = fixture.language
    // The second target sentence repeats half of the first one's words: in a 1-2 bead they must
    // not explain the source sentence twice.
    let draft = fixture.aligner.firstPass(
      source: [language.source(words)],
      target: [language.target(Array(words.prefix(4))), language.target(Array(words.prefix(4)))])
    let problem = draft.problem
    let single = problem.pair(0, 0).source
    #expect(single > 0)
    #expect(problem.pair(0, 1).source == single)
    #expect(abs(problem.unionSource(0, 0, 2) - single) < 1e-6)
    #expect(problem.unionSource(0, 0, 2) < problem.sourceSentenceWeight[0] * 0.75)
    // The same from the target side: each target sentence is explained once by two source ones.
    let reverse = fixture.aligner.firstPass(
      source: [language.source(Array(words.prefix(4))), language.source(Array(words.prefix(4)))],
      target: [language.target(words)])
    #expect(abs(reverse.problem.unionTarget(0, 0, 2) - reverse.problem.pair(0, 0).target) < 1e-6)
  }

  @Test func coverageIsJudgedAgainstTheEvidenceASentenceHas() {
    var fixture = Fixture(seed: 8)
    let sentences = fixture.sentences(3, words: 12...12)
    let language = fixture.language
    // The middle pair shares three quarters of its words through the lexicon: the rest of the
    // source sentence is untranslatable (words the lexicon does not know).
    var source = sentences.map(language.source)
    source[1] = language.source(Array(sentences[1].prefix(9))) + " qqxab qwxcd qzxef"
    let draft = fixture.aligner.firstPass(
      source: source,
      target: [
        language.target(sentences[0]), language.target(Array(sentences[1].prefix(9))),
        language.target(sentences[2]),
      ])
    let problem = draft.problem
    // The whole of the source sentence's available evidence lies in its partner: its coverage
    // there is full, so the bead pays no lexical cost for the untranslatable quarter.
    let whole = problem.sourceSentenceWeight[1]
    #expect(problem.sourceAvailable[1] > 0)
    #expect(abs(problem.sourceAvailable[1] - problem.pair(1, 1).source) < 1e-6)
    #expect(problem.coverage(problem.pair(1, 1).source, whole) < 0.8)
    let weight = problem.evidenceWeight(whole, problem.sourceAvailable, 1)
    #expect(abs(problem.coverage(problem.pair(1, 1).source, weight) - 1) < 1e-6)
    // A sentence with little evidence is judged against half its weight, not against that little.
    #expect(problem.configuration.leastEvidence == 0.5)
    #expect(problem.evidenceWeight(whole, [whole * 0.1, whole * 0.1, whole * 0.1], 1) == whole * 0.5)
  }

  @Test func aTrueTwoToTwoIsOneBead() {
    var fixture = Fixture(seed: 13)
    let language = fixture.language
    var source: [String] = []
    var target: [String] = []
    var gold: [Link] = []
    for words in fixture.sentences(5) {
      gold.append(Link(source: [source.count], target: [target.count]))
      source.append(language.source(words))
      target.append(language.target(words))
    }
    // Two sentences translated as two whose boundary falls elsewhere: the end of the first source
    // sentence opens the second target sentence.
    let halves = fixture.sentences(2, words: 10...10)
    gold.append(Link(source: [source.count, source.count + 1], target: [target.count, target.count + 1]))
    source.append(language.source(halves[0]))
    source.append(language.source(halves[1]))
    target.append(language.target(Array(halves[0].prefix(4))))
    target.append(language.target(Array(halves[0].dropFirst(4)) + halves[1]))
    for words in fixture.sentences(5) {
      gold.append(Link(source: [source.count], target: [target.count]))
      source.append(language.source(words))
      target.append(language.target(words))
    }
    let alignment = fixture.aligner.align(source: source, target: target)
    #expect(alignment.links == gold)
  }

  @Test func aShortUnalignedSentenceBesideAOneToOneStaysAlone() {
    var fixture = Fixture(seed: 21)
    let language = fixture.language
    var source: [String] = []
    var target: [String] = []
    var gold: [Link] = []
    for (offset, words) in fixture.sentences(10).enumerated() {
      gold.append(Link(source: [source.count], target: [target.count]))
      source.append(language.source(words))
      target.append(language.target(words))
      if offset == 4 {
        // A caption the translation adds: short, and with no word of the source.
        gold.append(Link(source: [], target: [target.count]))
        target.append("Vlarquistine ombrevaux , 1931 .")
      }
    }
    let alignment = fixture.aligner.align(source: source, target: target)
    #expect(alignment.links == gold)
  }

  @Test func scanningDebrisWithNoWordIsLeftUnaligned() {
    var fixture = Fixture(seed: 89)
    let language = fixture.language
    var source: [String] = []
    var target: [String] = []
    var gold: [Link] = []
    for (offset, words) in fixture.sentences(12).enumerated() {
      gold.append(Link(source: [source.count], target: [target.count]))
      source.append(language.source(words))
      target.append(language.target(words))
      if offset == 3 || offset == 7 {
        // Scanning debris the translation's OCR left after a sentence: no word, number or symbol.
        gold.append(Link(source: [], target: [target.count]))
        target.append(offset == 3 ? "- _- " : ".:-- , .")
      }
      if offset == 9 {
        // The same on both sides (a row of stars between two paragraphs) stays a 1-1.
        gold.append(Link(source: [source.count], target: [target.count]))
        source.append("* * *")
        target.append("* * *")
      }
    }
    let alignment = fixture.aligner.align(source: source, target: target)
    #expect(alignment.links == gold)
  }

  @Test func aOneToTwoWithAShortHalfIsNotSplitIntoABeadAndANull() {
    var fixture = Fixture(seed: 34)
    let language = fixture.language
    var source: [String] = []
    var target: [String] = []
    var gold: [Link] = []
    let sentences = fixture.sentences(11)
    let short = fixture.sentences(1, words: 3...3)[0]
    for (offset, words) in sentences.enumerated() {
      if offset == 5 {
        // One source sentence translated as a long sentence and a short one of three words.
        gold.append(Link(source: [source.count], target: [target.count, target.count + 1]))
        source.append(language.source(words + short))
        target.append(language.target(words))
        target.append(language.target(short))
        continue
      }
      gold.append(Link(source: [source.count], target: [target.count]))
      source.append(language.source(words))
      target.append(language.target(words))
    }
    let alignment = fixture.aligner.align(source: source, target: target)
    #expect(alignment.links == gold)
  }

  @Test func onlyADoubtfulNullIsJoinedToItsNeighbour() {
    var fixture = Fixture(seed: 55)
    let language = fixture.language
    let sentences = fixture.sentences(8)
    var source = sentences.map(language.source)
    // A sentence the translation leaves out: nothing links it to any target sentence.
    source.insert("Qqxab qwxcd qzxef qvxgh qkxij qlxmn .", at: 4)
    let target = sentences.map(language.target)
    let draft = fixture.aligner.firstPass(source: source, target: target)
    let null = PathStep(i: 5, j: 4, shape: SentenceAligner.BeadShape(1, 0))
    #expect(draft.path.contains(null))
    // Sure of the null, or joining it costs too much: it stays.
    #expect(draft.problem.glueDoubtfulNulls(draft.path, below: 0.5) == draft.path)
    #expect(draft.problem.glueDoubtfulNulls(draft.path, below: 1.01) == draft.path)
    // Doubtful and cheap enough to join (a margin no join exceeds): joined to a neighbour.
    var configuration = SentenceAligner.Configuration()
    configuration.nullGlueMargin = 1000
    let loose = SentenceAligner(
      sourceLanguage: .english, targetLanguage: .french, lexicon: language.lexicon,
      configuration: configuration
    ).firstPass(source: source, target: target)
    let joined = loose.problem.glueDoubtfulNulls(loose.path, below: 1.01)
    #expect(joined.count == loose.path.count - 1)
    #expect(!joined.contains { $0.shape.source == 0 || $0.shape.target == 0 })
    #expect(joined.contains { $0.shape == SentenceAligner.BeadShape(2, 1) })
  }

  /// A null whose sentence the neighbourhood explains is re-checked however sure the programme is
  /// of it: a sentence left out of the translation has no translation nearby, so a supported null
  /// is most likely the short half of a 1-2, and is joined to the bead beside it.
  @Test func aSupportedNullIsJoinedWhateverItsPosterior() {
    var fixture = Fixture(seed: 34)
    let language = fixture.language
    let sentences = fixture.sentences(9)
    let short = fixture.sentences(1, words: 3...3)[0]
    var source = sentences.map(language.source)
    var target = sentences.map(language.target)
    // Source sentence 4 is translated as target 4 and a short target 5 of three of its words.
    source[4] = language.source(sentences[4] + short)
    target.insert(language.target(short), at: 5)
    let draft = fixture.aligner.firstPass(source: source, target: target)
    let problem = draft.problem
    #expect(
      problem.targetAvailable[5] >= problem.configuration.supportedNullShare * problem.targetSentenceWeight[5]
    )
    // A path with the short half left alone: 1-1 then 0-1.
    var path: [PathStep] = []
    for k in 1...9 {
      path.append(PathStep(i: k, j: k <= 4 ? k : k + 1, shape: SentenceAligner.BeadShape(1, 1)))
      if k == 5 {
        path[path.count - 1] = PathStep(i: 5, j: 5, shape: SentenceAligner.BeadShape(1, 1))
        path.append(PathStep(i: 5, j: 6, shape: SentenceAligner.BeadShape(0, 1)))
      }
    }
    // No bead counts as doubtful by its posterior (a threshold no posterior is under), yet the
    // supported null is joined: the 1-2 comes back.
    let joined = problem.glueDoubtfulNulls(path, below: 1e-300)
    #expect(joined.contains(PathStep(i: 5, j: 6, shape: SentenceAligner.BeadShape(1, 2))))
    #expect(!joined.contains { $0.shape.source == 0 || $0.shape.target == 0 })
    // Without the support test the null stays.
    var configuration = problem.configuration
    configuration.supportedNullShare = 0
    let unsupported = SentenceAligner(
      sourceLanguage: .english, targetLanguage: .french, lexicon: language.lexicon,
      configuration: configuration
    ).firstPass(source: source, target: target)
    #expect(unsupported.problem.glueDoubtfulNulls(path, below: 1e-300) == path)
  }

  /// Six or seven short sentences on one side rendered as one long sentence on the other: found
  /// by the re-check of the doubtful span, which allows beads up to 7-1 and 1-7.
  @Test(arguments: [6, 7], [false, true]) func aLongSentenceTranslatedAsSixOrSevenIsOneBead(
    parts count: Int, onTheTargetSide: Bool
  ) {
    var fixture = Fixture(seed: 144)
    let language = fixture.language
    var source: [String] = []
    var target: [String] = []
    var gold: [Link] = []
    for (offset, words) in fixture.sentences(10).enumerated() {
      if offset == 5 {
        let parts = fixture.sentences(count, words: 4...5)
        if onTheTargetSide {
          gold.append(Link(source: [source.count], target: Array(target.count..<target.count + count)))
          source.append(language.source(parts.flatMap { $0 }))
          target.append(contentsOf: parts.map(language.target))
        } else {
          gold.append(Link(source: Array(source.count..<source.count + count), target: [target.count]))
          source.append(contentsOf: parts.map(language.source))
          target.append(language.target(parts.flatMap { $0 }))
        }
      }
      gold.append(Link(source: [source.count], target: [target.count]))
      source.append(language.source(words))
      target.append(language.target(words))
    }
    let alignment = fixture.aligner.align(source: source, target: target)
    #expect(alignment.links == gold)
    #expect(alignment.beads.allSatisfy { $0.score > 0 && $0.score <= 1 })
  }

  /// A summary inside a long doubtful run (here sixteen source sentences) is re-checked too: the
  /// run is segmented again as long as it holds at most
  /// ``SentenceAligner/Configuration/recheckLongestSpan`` sentences a side.
  @Test func aSummaryInALongDoubtfulRunIsFound() {
    var fixture = Fixture(seed: 144)
    let language = fixture.language
    var source: [String] = []
    var target: [String] = []
    for (offset, words) in fixture.sentences(10).enumerated() {
      if offset == 5 {
        let parts = fixture.sentences(7, words: 4...5)
        source.append(contentsOf: parts.map(language.source))
        target.append(language.target(parts.flatMap { $0 }))
      }
      source.append(language.source(words))
      target.append(language.target(words))
    }
    let draft = fixture.aligner.firstPass(source: source, target: target)
    let problem = draft.problem
    // Every bead between the first and the last is taken as doubtful: a run of 16 source sentences.
    let posteriors = draft.path.indices.map { $0 == 0 || $0 == draft.path.count - 1 ? 1.0 : 0.5 }
    let checked = problem.recheckDoubtfulSpans(
      draft.path, posteriors: posteriors, below: problem.configuration.recheckThreshold,
      longest: problem.configuration.recheckLongestSpan)
    #expect(checked.path.contains(PathStep(i: 12, j: 6, shape: .init(7, 1))))
    #expect(checked.path.count == 11)
  }

  /// Five short sentences on one side rendered as one long sentence on the other: a 5-1 or 1-5,
  /// beyond the shapes the programme tries everywhere, found by the re-check of the doubtful span.
  @Test(arguments: [false, true]) func aLongSentenceTranslatedAsFiveIsOneBead(fiveOnTheTargetSide: Bool) {
    var fixture = Fixture(seed: 89)
    let language = fixture.language
    var source: [String] = []
    var target: [String] = []
    var gold: [Link] = []
    for (offset, words) in fixture.sentences(10).enumerated() {
      if offset == 5 {
        let parts = fixture.sentences(5, words: 5...6)
        if fiveOnTheTargetSide {
          gold.append(Link(source: [source.count], target: Array(target.count..<target.count + 5)))
          source.append(language.source(parts.flatMap { $0 }))
          target.append(contentsOf: parts.map(language.target))
        } else {
          gold.append(Link(source: Array(source.count..<source.count + 5), target: [target.count]))
          source.append(contentsOf: parts.map(language.source))
          target.append(language.target(parts.flatMap { $0 }))
        }
      }
      gold.append(Link(source: [source.count], target: [target.count]))
      source.append(language.source(words))
      target.append(language.target(words))
    }
    let alignment = fixture.aligner.align(source: source, target: target)
    #expect(alignment.links == gold)
    // The new bead has a confidence like any other.
    #expect(alignment.beads.allSatisfy { $0.score > 0 && $0.score <= 1 })
  }

  /// One parameter set serves every language pair and every benchmark set: the aligner has no
  /// per-pair or per-document setting, and the defaults are what the command line, the document
  /// aligner and the benchmark use.
  @Test func oneParameterSetServesEveryPair() throws {
    let pairs: [(Language, Language)] = [(.english, .french), (.german, .french), (.french, .english)]
    for (source, target) in pairs {
      let aligner = SentenceAligner(sourceLanguage: source, targetLanguage: target)
      #expect(aligner.configuration == SentenceAligner.Configuration())
      let document = try DocumentAligner(sentenceAligner: aligner)
      #expect(document.sentenceAligner.configuration == SentenceAligner.Configuration())
    }
  }
}
