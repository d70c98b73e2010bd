import Foundation
import TestSupport
import Testing

@testable import Alignment

/// A made-up language pair: every source word has one target word, given by the lexicon.
struct SyntheticBitext {
  var sourceWords: [String]
  var targetWords: [String]
  var lexicon: Lexicon

  init(vocabulary: Int, generator: inout SeededGenerator) {
    func word(_ generator: inout SeededGenerator) -> String {
      let letters = Array("bcdfghjklmnprstvz")
      let vowels = Array("aeiou")
      let syllables = Int.random(in: 2...4, using: &generator)
      return String(
        (0..<syllables).flatMap { _ in
          [letters.randomElement(using: &generator) ?? "b", vowels.randomElement(using: &generator) ?? "a"]
        })
    }
    var seen = Set<String>()
    func fresh(_ generator: inout SeededGenerator) -> String {
      while true {
        let candidate = word(&generator)
        if seen.insert(String(candidate.prefix(5))).inserted { return candidate }
      }
    }
    sourceWords = (0..<vocabulary).map { _ in fresh(&generator) }
    targetWords = (0..<vocabulary).map { _ in fresh(&generator) }
    lexicon = Lexicon(pairs: zip(sourceWords, targetWords).map { ($0, $1) })
  }

  /// A source sentence (word indices) of 4 to 18 words.
  func sentence(_ generator: inout SeededGenerator) -> [Int] {
    (0..<Int.random(in: 4...18, using: &generator)).map { _ in
      Int.random(in: 0..<sourceWords.count, using: &generator)
    }
  }

  func source(_ words: [Int]) -> String { words.map { sourceWords[$0] }.joined(separator: " ") + " ." }
  func target(_ words: [Int]) -> String { words.map { targetWords[$0] }.joined(separator: " ") + " ." }
}

/// Builds a bitext from a list of operations and the gold links it implies.
struct ConstructedBitext {
  enum Step { case oneToOne, deletion, insertion, twoToOne, oneToTwo }
  var source: [String] = []
  var target: [String] = []
  var gold: [Link] = []

  init(_ steps: [Step], language: SyntheticBitext, generator: inout SeededGenerator) {
    for step in steps {
      let s = source.count
      let t = target.count
      switch step {
      case .oneToOne:
        let words = language.sentence(&generator)
        source.append(language.source(words))
        target.append(language.target(words))
        gold.append(Link(source: [s], target: [t]))
      case .deletion:
        source.append(language.source(language.sentence(&generator)))
        gold.append(Link(source: [s], target: []))
      case .insertion:
        target.append(language.target(language.sentence(&generator)))
        gold.append(Link(source: [], target: [t]))
      case .twoToOne:
        let first = language.sentence(&generator)
        let second = language.sentence(&generator)
        source.append(language.source(first))
        source.append(language.source(second))
        target.append(language.target(first + second))
        gold.append(Link(source: [s, s + 1], target: [t]))
      case .oneToTwo:
        let first = language.sentence(&generator)
        let second = language.sentence(&generator)
        source.append(language.source(first + second))
        target.append(language.target(first))
        target.append(language.target(second))
        gold.append(Link(source: [s], target: [t, t + 1]))
      }
    }
  }
}

@Suite struct SentenceAlignerTests {
  func aligner(_ language: SyntheticBitext) -> SentenceAligner {
    SentenceAligner(sourceLanguage: .english, targetLanguage: .french, lexicon: language.lexicon)
  }

  @Test func findsInsertionsDeletionsAndMerges() {
    var generator = SeededGenerator(seed: 7)
    let language = SyntheticBitext(vocabulary: 400, generator: &generator)
    let steps: [ConstructedBitext.Step] =
      Array(repeating: .oneToOne, count: 6) + [.deletion] + Array(repeating: .oneToOne, count: 5)
      + [.twoToOne] + Array(repeating: .oneToOne, count: 4) + [.insertion] + [.oneToOne, .oneToOne]
      + [.oneToTwo] + Array(repeating: .oneToOne, count: 5)
    let bitext = ConstructedBitext(steps, language: language, generator: &generator)
    let alignment = aligner(language).align(source: bitext.source, target: bitext.target)
    #expect(alignment.isValid)
    #expect(alignment.links == bitext.gold)
  }

  @Test func identicalSentencesWithoutLexiconAlignOneToOne() {
    // Shared tokens alone (names, numbers) are evidence: a text aligned with itself is 1-1.
    let sentences = (0..<40).map { "Sentence number \($0) names Alice and the year \(1900 + $0) ." }
    let aligner = SentenceAligner(sourceLanguage: .german, targetLanguage: .french)
    let alignment = aligner.align(source: sentences, target: sentences)
    #expect(alignment.links == (0..<40).map { Link(source: [$0], target: [$0]) })
    #expect(alignment.beads.allSatisfy { $0.score > 0.5 })
  }

  @Test func veryDifferentLengthsAreNeverRefused() {
    var generator = SeededGenerator(seed: 11)
    let language = SyntheticBitext(vocabulary: 300, generator: &generator)
    // The translation covers only the middle tenth of a long text.
    let steps: [ConstructedBitext.Step] =
      Array(repeating: .deletion, count: 90) + Array(repeating: .oneToOne, count: 20)
      + Array(repeating: .deletion, count: 90)
    let bitext = ConstructedBitext(steps, language: language, generator: &generator)
    let alignment = aligner(language).align(source: bitext.source, target: bitext.target)
    #expect(alignment.isValid)
    let found = Set(alignment.links)
    let oneToOne = bitext.gold.filter { $0.source.count == 1 && $0.target.count == 1 }
    // Known weakness: next to long runs of deletions a few 1-1 beads come out as 2-1 merges.
    #expect(oneToOne.filter(found.contains).count >= 14)
  }

  @Test func emptySidesGiveDeletionsOrInsertions() {
    let aligner = SentenceAligner(sourceLanguage: .english, targetLanguage: .french)
    let deletions = aligner.align(source: ["A .", "B ."], target: [])
    #expect(deletions.links == [Link(source: [0], target: []), Link(source: [1], target: [])])
    let insertions = aligner.align(source: [], target: ["C ."])
    #expect(insertions.links == [Link(source: [], target: [0])])
    #expect(aligner.align(source: [], target: []).beads.isEmpty)
  }

  @Test func everySentenceIsUsedOnceInOrder() {
    var generator = SeededGenerator(seed: 2024)
    let language = SyntheticBitext(vocabulary: 250, generator: &generator)
    let aligner = aligner(language)
    let all: [ConstructedBitext.Step] = [.oneToOne, .deletion, .insertion, .twoToOne, .oneToTwo]
    var correct = 0
    var total = 0
    for _ in 0..<12 {
      let count = Int.random(in: 1...80, using: &generator)
      let steps = (0..<count).map { _ -> ConstructedBitext.Step in
        Int.random(in: 0..<10, using: &generator) < 6
          ? .oneToOne : all.randomElement(using: &generator) ?? .oneToOne
      }
      let bitext = ConstructedBitext(steps, language: language, generator: &generator)
      let alignment = aligner.align(source: bitext.source, target: bitext.target)
      #expect(alignment.isValid)
      #expect(alignment.sourceCount == bitext.source.count)
      #expect(alignment.targetCount == bitext.target.count)
      #expect(alignment.beads.allSatisfy { (0...1).contains($0.score) })
      let gold = Set(bitext.gold)
      correct += alignment.links.filter(gold.contains).count
      total += bitext.gold.count
    }
    // Clean synthetic translations: most beads must be found (a deletion next to a 1-1 bead is
    // sometimes merged into it, the aligner's known weakness).
    #expect(Double(correct) / Double(total) > 0.8)
  }

  @Test func randomTextsStillGiveAValidAlignment() {
    var generator = SeededGenerator(seed: 99)
    let language = SyntheticBitext(vocabulary: 200, generator: &generator)
    for _ in 0..<8 {
      let source = (0..<Int.random(in: 0...60, using: &generator)).map { _ in
        language.source(language.sentence(&generator))
      }
      let target = (0..<Int.random(in: 0...60, using: &generator)).map { _ in
        language.target(language.sentence(&generator))
      }
      let alignment = aligner(language).align(source: source, target: target)
      #expect(alignment.isValid)
    }
  }

  @Test(.requiresEval("transread-dev")) func alignsABenchmarkNovelWell() throws {
    // No dictionary: only shared words, cognates and the learned lexicon.
    let source = try PresegmentedText(contentsOf: ExternalData.evalFile("transread-dev/JaneEyre/en.txt"))
    let target = try PresegmentedText(contentsOf: ExternalData.evalFile("transread-dev/JaneEyre/fr.txt"))
    let gold = try Link.links(
      parsing: String(contentsOf: ExternalData.evalFile("transread-dev/JaneEyre/gold.txt"), encoding: .utf8),
      file: "gold.txt")
    let aligner = SentenceAligner(sourceLanguage: .english, targetLanguage: .french)
    let alignment = aligner.align(source: source.sentences, target: target.sentences)
    #expect(alignment.isValid)
    let scores = LinkScorer.score(gold: gold, test: alignment.links)
    #expect(scores.lax.f1 > 0.9)
    #expect(scores.strict.f1 > 0.7)
  }
}

@Suite struct SentenceAlignerScoringTests {
  /// Hand-computed longest common subsequences: `offizielle`/`officielle` share 9 of 10 letters
  /// (0.9), `expedition`/`expedition` 10 of 10, `family`/`famille` 5 of 7 (0.71), `house`/`haus`
  /// 3 of 5 (0.6, linked at 0.6 but not at 0.65); `kangchendzonga`/`chomo` start with different letters and are never compared.
  @Test(arguments: [
    ("offizielle", "officielle", 0.8, true), ("expedition", "expedition", 0.8, true),
    ("family", "famille", 0.8, false), ("family", "famille", 0.7, true), ("house", "haus", 0.65, false),
    ("house", "haus", 0.6, true),
    ("kangchendzonga", "chomo", 0.1, false),
  ])
  func cognatesByLongestCommonSubsequenceRatio(
    source: String, target: String, threshold: Double, linked: Bool
  ) {
    var links: [[Int32]] = [[]]
    AlignmentProblem.addCognates(
      from: [source: 0], to: [target: 0], threshold: threshold, minimumLength: 4, into: &links)
    #expect((links[0] == [0]) == linked)
  }

  @Test func shortWordsAreNotCognates() {
    var links: [[Int32]] = [[]]
    AlignmentProblem.addCognates(
      from: ["est": 0], to: ["est": 0], threshold: 0.5, minimumLength: 4, into: &links)
    #expect(links[0].isEmpty)
  }

  @Test func confidenceIsAPosteriorProbability() {
    var generator = SeededGenerator(seed: 5)
    let language = SyntheticBitext(vocabulary: 300, generator: &generator)
    let aligner = SentenceAligner(
      sourceLanguage: .english, targetLanguage: .french, lexicon: language.lexicon)
    let clean = ConstructedBitext(
      Array(repeating: .oneToOne, count: 30), language: language, generator: &generator)
    let aligned = aligner.align(source: clean.source, target: clean.target)
    #expect(aligned.links == clean.gold)
    // Clean translations leave no doubt.
    #expect(aligned.beads.allSatisfy { $0.score > 0.9 })
    // Unrelated texts: whatever path is best, the aligner must not be sure of it.
    let source = (0..<30).map { _ in language.source(language.sentence(&generator)) }
    let target = (0..<30).map { _ in language.target(language.sentence(&generator)) }
    let random = aligner.align(source: source, target: target)
    let mean = random.beads.map(\.score).reduce(0, +) / Double(max(1, random.beads.count))
    #expect(mean < 0.7)
  }

  @Test func anUnexplainedSentenceIsLeftOutRatherThanMerged() {
    var generator = SeededGenerator(seed: 13)
    let language = SyntheticBitext(vocabulary: 400, generator: &generator)
    var steps: [ConstructedBitext.Step] = []
    for _ in 0..<6 { steps += [.oneToOne, .oneToOne, .deletion, .oneToOne, .insertion] }
    let bitext = ConstructedBitext(steps, language: language, generator: &generator)
    let aligner = SentenceAligner(
      sourceLanguage: .english, targetLanguage: .french, lexicon: language.lexicon)
    let alignment = aligner.align(source: bitext.source, target: bitext.target)
    #expect(alignment.isValid)
    let found = Set(alignment.links)
    let leftOut = bitext.gold.filter { $0.source.isEmpty || $0.target.isEmpty }
    // Known weakness, measured: a left-out sentence whose words happen to match its neighbour's
    // translation is still merged now and then (here 2 of 12).
    #expect(leftOut.filter(found.contains).count >= 10)
    #expect(Double(bitext.gold.filter(found.contains).count) / Double(bitext.gold.count) > 0.85)
  }
}
