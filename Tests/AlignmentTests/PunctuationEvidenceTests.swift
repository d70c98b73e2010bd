import TestSupport
import Testing

@testable import Alignment

/// Punctuation as evidence of a bead: the classes counted in a sentence, how a sentence ends, the
/// cost of a bead, and a grouping decision that only punctuation can take.
@Suite struct PunctuationEvidenceTests {
  func count(_ mark: PunctuationClass, in sentence: String) -> Int32 {
    PunctuationCounts.counts(of: sentence)[mark.rawValue]
  }

  @Test(arguments: [
    ("\"Why?\" she asked; \"are you sure...\"", "« Pourquoi ? » demanda-t-elle ; « en es-tu sûre… »"),
    ("“Stop!” (he said it twice.)", "„Halt!“ (er sagte es zweimal.)"),
    ("Between \\_ them \\_ it was more: much more!", "Entre \\_ elles \\_ c’était plus : bien plus !"),
  ])
  func theClassesAreTheSameInEveryLanguage(english: String, other: String) {
    #expect(PunctuationCounts.counts(of: english) == PunctuationCounts.counts(of: other))
  }

  @Test func eachClassIsCounted() {
    let sentence = "Why? Why not?! Here: there; (aside) [note] wait… or wait... \\_ this \\_"
    #expect(count(.question, in: sentence) == 2)
    #expect(count(.exclamation, in: sentence) == 1)
    #expect(count(.colon, in: sentence) == 1)
    #expect(count(.semicolon, in: sentence) == 1)
    #expect(count(.parenthesis, in: sentence) == 4)
    #expect(count(.ellipsis, in: sentence) == 2)
    #expect(count(.emphasis, in: sentence) == 2)
    #expect(count(.quotation, in: sentence) == 0)
    #expect(count(.dash, in: sentence) == 0)
    #expect(PunctuationCounts.counts(of: "") == [Int32](repeating: 0, count: PunctuationCounts.classCount))
  }

  @Test(arguments: [
    ("don't l'ONU n' en I 've Jesus' sake", 0), ("' I wonder , ' she said aloud . '", 1),
    ("She said ‘no’ twice", 1), ("« Oui » , « non »", 1), ("-- Une maison à elle !", 1),
    ("—Messieurs, leur dit Candide", 1), ("Sorrow came -- a gentle sorrow -- but", 0),
  ])
  func directSpeechIsCountedOnceASentenceAndApostrophesAreNot(sentence: String, expected: Int32) {
    #expect(count(.quotation, in: sentence) == expected)
  }

  @Test(arguments: [
    ("Sorrow came -- a gentle sorrow -- but", 2), ("a word—and another – and - one", 3),
    ("twenty-one years, 2009-2019, A/67/280", 0), ("-- Une maison à elle !", 0),
  ])
  func aDashInsideASentenceIsADashAndAHyphenIsNot(sentence: String, expected: Int32) {
    #expect(count(.dash, in: sentence) == expected)
  }

  @Test(arguments: [
    ("Do you think you could manage it ? )", SentenceEnding.question), ("she said aloud . '", .period),
    ("« Pourquoi ? »", .question), ("Wait...", .ellipsis), ("Then Mrs. Reed subjoined --", .dash),
    ("Hélas !", .exclamation), ("as follows:", .colon), ("CHAPTER I", .none), ("", .none),
  ])
  func howASentenceEnds(sentence: String, expected: SentenceEnding) {
    #expect(SentenceEnding(of: sentence) == expected)
  }

  @Test func aBeadPaysForTheMarksItsSidesDoNotShare() {
    var configuration = SentenceAligner.Configuration()
    configuration.punctuationWeights = [.question: 0.5, .exclamation: 0.25]
    configuration.endingMismatchCost = 0.75
    let evidence = PunctuationEvidence(
      source: PunctuationCounts(["Who?", "Stop! Now!", "Fine."]),
      target: PunctuationCounts(["Qui ?", "Arrêtez !", "Bien ?"]), configuration: configuration)
    #expect(evidence.cost(i: 0, j: 0, a: 1, b: 1) == 0)
    // One exclamation more on the source side.
    #expect(evidence.cost(i: 1, j: 1, a: 1, b: 1) == 0.25)
    // A question beside a statement: a mark and the ending differ.
    #expect(evidence.cost(i: 2, j: 2, a: 1, b: 1) == 0.5 + 0.75)
    // The union of a 2-2 counts each side once: one question and two exclamations against one
    // question and one exclamation; both end with an exclamation.
    #expect(evidence.cost(i: 0, j: 0, a: 2, b: 2) == 0.25)
    // A null pays for every mark of its sentence, and no ending.
    #expect(evidence.cost(i: 1, j: 0, a: 1, b: 0) == 0.5)
    #expect(evidence.cost(i: 0, j: 2, a: 0, b: 1) == 0.5)
    // Off, no bead pays.
    configuration.punctuationWeights = [:]
    configuration.endingMismatchCost = 0
    let off = PunctuationEvidence(
      source: PunctuationCounts(["Who?"]), target: PunctuationCounts(["Bien."]), configuration: configuration)
    #expect(off.cost(i: 0, j: 0, a: 1, b: 1) == 0)
    #expect(off.cost(i: 0, j: 0, a: 1, b: 0) == 0)
  }

  /// Made-up words no lexicon links: `first` opens them, so no two sides share a cognate.
  func unknownWords(_ count: Int, first: Character, generator: inout SeededGenerator) -> String {
    let letters = Array("bcdfghjklmnprstvz")
    return (0..<count).map { _ in
      String(first) + String((0..<5).map { _ in letters.randomElement(using: &generator) ?? "b" })
    }.joined(separator: " ")
  }

  /// Where words cannot tell which neighbour a short question belongs to (its words recur in
  /// both target sentences around it) and the lengths slightly favour the wrong grouping, the
  /// question mark does: the source's question goes with the target sentence that ends with a
  /// question, not with the statement after it.
  @Test func aShortQuestionGoesWithTheQuestionOfTheOtherSide() {
    var generator = SeededGenerator(seed: 144)
    let language = SyntheticBitext(vocabulary: 400, generator: &generator)
    var source: [String] = []
    var target: [String] = []
    var gold: [Link] = []
    func matched(_ count: Int) {
      for _ in 0..<count {
        let words = language.sentence(&generator)
        gold.append(Link(source: [source.count], target: [target.count]))
        source.append(language.source(words))
        target.append(language.target(words))
      }
    }
    matched(5)
    // Eighteen different words, drawn in a fixed order (a `Set` would order them differently in
    // each run).
    var words: [Int] = []
    while words.count < 18 {
      let word = Int.random(in: 0..<400, using: &generator)
      if !words.contains(word) { words.append(word) }
    }
    let before = Array(words.prefix(8))
    words.removeFirst(8)
    let question = Array(words.prefix(2))
    words.removeFirst(2)
    let after = Array(words.prefix(8))
    gold.append(Link(source: [source.count, source.count + 1], target: [target.count]))
    gold.append(Link(source: [source.count + 2], target: [target.count + 1]))
    // One untranslated word makes the sentence before the question a little longer than its
    // translation: by length alone it would rather stand alone with the target sentence.
    source.append(
      language.source(before).dropLast(1) + unknownWords(1, first: "q", generator: &generator) + " .")
    source.append(String(language.source(question).dropLast(1)) + "?")
    source.append(language.source(after))
    target.append(String(language.target(before + question).dropLast(1)) + "?")
    target.append(language.target(question + after))
    matched(5)
    let with = SentenceAligner(sourceLanguage: .english, targetLanguage: .french, lexicon: language.lexicon)
    #expect(with.align(source: source, target: target).links == gold)
    var configuration = SentenceAligner.Configuration()
    configuration.punctuationWeights = [:]
    configuration.endingMismatchCost = 0
    let without = SentenceAligner(
      sourceLanguage: .english, targetLanguage: .french, lexicon: language.lexicon,
      configuration: configuration)
    #expect(without.align(source: source, target: target).links != gold)
  }
}
