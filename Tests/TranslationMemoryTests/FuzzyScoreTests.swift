import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

@Suite("FuzzyScore")
struct FuzzyScoreTests {
  static let index: FuzzyIndex = {
    do { return try FuzzyIndex(entries: [], from: .english, to: .french) } catch { fatalError("\(error)") }
  }()

  @Test(
    "identical text scores 100",
    arguments: [
      "The General Assembly,", "", "23 November 2020", "¹ United Nations, *Treaty Series*, vol. 1331.",
    ])
  func identical(text: String) {
    #expect(Self.index.score(of: text, against: text).value == 100)
  }

  @Test("word edits follow 100 × (1 − d / n)")
  func formula() {
    let score = Self.index.score(of: "the cat sat here", against: "the dog sat")
    #expect(score.wordDistance == 2)
    #expect(score.similarity == 50)
    #expect(score.value == 50)
  }

  @Test("placeables that differ cost one point each")
  func placeables() {
    let score = Self.index.score(
      of: "Recalling resolution 75/15 of 23 November 2020 at its seventy-fifth session",
      against: "Recalling resolution 77/14 of 21 November 2022 at its seventy-seventh session")
    #expect(score.wordDistance == 0)
    #expect(score.placeablePenalty == 3)
    #expect(score.value == 97)
  }

  @Test("case, punctuation and inline codes cost one point each")
  func penalties() {
    let caseOnly = Self.index.score(of: "The General Assembly", against: "the general assembly")
    #expect(caseOnly.caseOrAccentPenalty == 3)
    #expect(caseOnly.value == 97)
    let punctuation = Self.index.score(of: "The General Assembly,", against: "The General Assembly;")
    #expect(punctuation.punctuationPenalty == 1)
    #expect(punctuation.value == 99)
    let codes = Self.index.score(of: "*Decides* to continue", against: "Decides to continue")
    #expect(codes.inlineCodePenalty == 2)
    #expect(codes.value == 98)
  }

  @Test("scores stay within 0–100 and similarity is symmetric")
  func bounds() {
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<200 {
      let a = FuzzyIndexTests.randomSentence(&generator, length: Int.random(in: 0...10, using: &generator))
      let b = FuzzyIndexTests.mutate(a, &generator)
      let forward = Self.index.score(of: a, against: b)
      let backward = Self.index.score(of: b, against: a)
      #expect((0...100).contains(forward.value))
      #expect(forward.similarity == backward.similarity)
      #expect(forward.value <= forward.similarity)
    }
  }

  @Test("differences mark inserted, deleted and replaced runs")
  func differences() throws {
    let entries = [
      FuzzyEntry(
        id: 1, source: "Notes the report of the Secretary-General", target: "Prend note du rapport",
        sourceLanguage: .english, targetLanguage: .french)
    ]
    let index = try FuzzyIndex(entries: entries, from: .english, to: .french)
    let query = "Welcomes the report of the Secretary-General with appreciation"
    let match = try #require(try index.matches(for: query, minimumScore: 0).first)
    let kinds = match.differences.map(\.kind)
    #expect(kinds == [.replaced, .equal, .inserted])
    let utf16 = Array(query.utf16)
    let first = try #require(match.differences.first)
    #expect(String(decoding: utf16[first.queryRange], as: UTF16.self) == "Welcomes")
    let source = Array(match.entry.source.utf16)
    #expect(String(decoding: source[first.sourceRange], as: UTF16.self) == "Notes")
  }
}
