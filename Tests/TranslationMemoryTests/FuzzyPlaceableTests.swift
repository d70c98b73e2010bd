import Testing
import TextSegmentation

@testable import TranslationMemory

@Suite("Placeables and ordinal words")
struct FuzzyPlaceableTests {
  @Test(
    "French ordinals, traditional spelling",
    arguments: [
      (1, "premier"), (2, "deuxième"), (5, "cinquième"), (9, "neuvième"), (11, "onzième"),
      (21, "vingt et unième"), (67, "soixante-septième"), (71, "soixante et onzième"),
      (75, "soixante-quinzième"), (77, "soixante-dix-septième"), (80, "quatre-vingtième"),
      (81, "quatre-vingt-unième"), (91, "quatre-vingt-onzième"), (99, "quatre-vingt-dix-neuvième"),
      (100, "centième"), (101, "cent unième"), (121, "cent vingt et unième"),
      (180, "cent quatre-vingtième"), (200, "deux centième"),
    ])
  func french(number: Int, words: String) {
    #expect(OrdinalNumberWords.french.words(for: number) == words)
    #expect(OrdinalNumberWords.french.number(from: words) == number)
  }

  @Test(
    "English ordinals",
    arguments: [
      (1, "first"), (12, "twelfth"), (20, "twentieth"), (75, "seventy-fifth"), (79, "seventy-ninth"),
      (100, "one hundredth"), (101, "one hundred and first"), (199, "one hundred and ninety-ninth"),
    ])
  func english(number: Int, words: String) {
    #expect(OrdinalNumberWords.english.words(for: number) == words)
    #expect(OrdinalNumberWords.english.number(from: words) == number)
  }

  @Test("every ordinal 1–199 reads back, in both languages and with capitals")
  func roundTrip() throws {
    for converter in [OrdinalNumberWords.english, .french] {
      var seen = Set<String>()
      for number in 1...199 {
        let words = try #require(converter.words(for: number))
        #expect(seen.insert(words).inserted, "\(words) twice")
        #expect(converter.number(from: words.capitalized) == number)
      }
    }
    #expect(OrdinalNumberWords.french.number(from: "Soixante-et-onzième") == 71)
    #expect(OrdinalNumberWords.french.number(from: "première") == 1)
    #expect(OrdinalNumberWords.french.words(for: 0) == nil)
  }

  static func placeables(_ text: String, _ language: Language) throws -> [Placeable] {
    let analyzer = try FuzzyAnalyzer(language: language)
    return analyzer.analyse(text).placeables
  }

  @Test("placeables are found with their kind and value")
  func recognition() throws {
    let english = try Self.placeables(
      "²³ At its seventy-fifth session, on 1 January 2021, see A/75/L.25/Add.1 and resolution 75/15 (2021–2025), 30th meeting, 1,234.5",
      .english)
    #expect(
      english.map(\.kind) == [
        .footnoteMark, .ordinal, .date, .documentSymbol, .resolutionNumber, .number, .ordinal, .number,
      ])
    #expect(
      english.map(\.value) == [
        .footnoteMark(23), .ordinal(75), .date(day: 1, month: 1, year: 2021), .symbol("A/75/L.25/ADD.1"),
        .symbol("75/15"), .number("2021-2025"), .ordinal(30), .number("1234.5"),
      ])
    let french = try Self.placeables(
      "à sa soixante et onzième session, le 1er janvier 2021, 39^e séance, 1 234,5 et (2021-2025)", .french)
    #expect(
      french.map(\.value) == [
        .ordinal(71), .date(day: 1, month: 1, year: 2021), .ordinal(39), .number("1234.5"),
        .number("2021-2025"),
      ])
  }

  @Test("French variants read and write French months and ordinals", arguments: ["fr-CA", "fr-FR"])
  func frenchVariants(code: String) throws {
    let language = Language(code)
    let conventions = PlaceableLanguage.forLanguage(language)
    #expect(conventions.months.count == 12)
    #expect(OrdinalNumberWords.forLanguage(language)?.language == .french)
    let found = try Self.placeables(
      "le 1er janvier 2021, à sa soixante et onzième session, 39^e séance", language)
    #expect(found.map(\.value) == [.date(day: 1, month: 1, year: 2021), .ordinal(71), .ordinal(39)])
    let query = try Self.placeables("1 December 2022, 21st", .english)
    #expect(conventions.render(query[0], like: found[0]) == "1er décembre 2022")
    #expect(conventions.render(query[1], like: found[2]) == "21^e")
  }

  @Test("English variants read English months and ordinals", arguments: ["en-GB", "EN-us"])
  func englishVariants(code: String) throws {
    let language = Language(code)
    #expect(PlaceableLanguage.forLanguage(language).months.count == 12)
    #expect(OrdinalNumberWords.forLanguage(language)?.language == .english)
    let found = try Self.placeables("on 1 January 2021, at its seventy-first session, 30th meeting", language)
    #expect(found.map(\.value) == [.date(day: 1, month: 1, year: 2021), .ordinal(71), .ordinal(30)])
  }

  @Test("placeables are written in the target language, shaped like what they replace")
  func rendering() throws {
    let french = PlaceableLanguage.forLanguage(.french)
    let english = PlaceableLanguage.forLanguage(.english)
    let query = try Self.placeables("1 December 2022, Seventy-first session, 21st, 12,500", .english)
    let target = try Self.placeables("23 novembre 2020, Soixante-quinzième session, 30^e, 4 000", .french)
    #expect(french.render(query[0], like: target[0]) == "1er décembre 2022")
    #expect(french.render(query[1], like: target[1]) == "Soixante et onzième")
    #expect(french.render(query[2], like: target[2]) == "21^e")
    #expect(french.render(query[3], like: target[3]) == "12\u{00A0}500")
    let back = try Self.placeables("1er décembre 2022, soixante et onzième", .french)
    let englishTarget = try Self.placeables("23 November 2020, seventy-fifth", .english)
    #expect(english.render(back[0], like: englishTarget[0]) == "1 December 2022")
    #expect(english.render(back[1], like: englishTarget[1]) == "seventy-first")
  }

  @Test("French → English suggestions substitute too")
  func frenchToEnglish() throws {
    let entries = [
      FuzzyEntry(
        id: 1,
        source: "Rappelant sa résolution 75/15 du 23 novembre 2020, adoptée à sa soixante-quinzième session",
        target: "Recalling its resolution 75/15 of 23 November 2020, adopted at its seventy-fifth session",
        sourceLanguage: .french, targetLanguage: .english)
    ]
    let index = try FuzzyIndex(entries: entries, from: .french, to: .english)
    let match = try #require(
      try index.matches(
        for: "Rappelant sa résolution 77/14 du 1er décembre 2022, adoptée à sa soixante-dix-septième session"
      ).first)
    #expect(
      match.suggestion.text
        == "Recalling its resolution 77/14 of 1 December 2022, adopted at its seventy-seventh session")
    #expect(match.suggestion.substitutions.map(\.kind) == [.resolutionNumber, .date, .ordinal])
    let text = Array(match.suggestion.text.utf16)
    for substitution in match.suggestion.substitutions {
      #expect(String(decoding: text[substitution.range], as: UTF16.self) == substitution.replacement)
    }
    #expect(match.score.value == 97)
  }
}
