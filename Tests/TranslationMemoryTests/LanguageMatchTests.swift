import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// Units tagged as Trados and memoQ tag them (`en-US`, `fr-FR`, `EN-US`, `en_US`) are found by
/// their primary language, the exact tag first, as CAT tools match.
@Suite("Language matching")
struct LanguageMatchTests {
  static func unit(_ source: String, _ english: String, _ targets: [(String, String)]) -> TranslationUnit {
    TranslationUnit(
      sourceLanguage: Language(source),
      variants: [Variant(language: Language(source), text: english)]
        + targets.map { Variant(language: Language($0.0), text: $0.1) },
      creationDate: Fixture.date)
  }

  @Test func anUnderscoreIsAHyphen() {
    #expect(Language("en_US") == Language("en-US"))
    #expect(Language("EN_us").rawValue == "en-us")
    #expect(Language("en_US").icuLocale == "en_us")
  }

  @Test func theExactTagComesFirstThenTheLanguageThenItsMainRegion() {
    let unit = Self.unit(
      "en-US", "The Security Council met today.",
      [("fr-BE", "Belgique."), ("fr-CA", "Canada."), ("fr-FR", "France.")])
    #expect(unit[.english]?.text == "The Security Council met today.")
    #expect(unit[.french]?.text == "France.", "fr-FR, the main region, for fr")
    #expect(unit[Language("fr-CA")]?.text == "Canada.")
    #expect(unit[Language("fr-CH")]?.text == "France.")
    #expect(unit[.german] == nil)
    let bare = Self.unit("en", "Agenda item 130.", [("fr-CA", "Canada."), ("fr", "Français.")])
    #expect(bare[Language("fr-CA")]?.text == "Canada.")
    #expect(bare[Language("fr-FR")]?.text == "Français.", "the bare language before another region")
  }

  @Test func everyReadingSelectsUnitsByTheirPrimaryLanguage() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.add([
      Self.unit("en-US", "Agenda item 130.", [("fr-FR", "Point 130 de l'ordre du jour.")]),
      Self.unit("EN-US", "The General Assembly,", [("FR-FR", "L'Assemblée générale,")]),
      Self.unit("en_US", "Recalling its resolution 75/15,", [("fr_FR", "Rappelant sa résolution 75/15,")]),
      Self.unit("de-DE", "Die Generalversammlung,", [("fr-FR", "L'Assemblée générale,")]),
    ])
    var read: [String] = []
    try memory.forEachUnit(languages: [.english, .french]) { unit in
      if let english = unit[.english] { read.append(english.text) }
    }
    #expect(read == ["Agenda item 130.", "The General Assembly,", "Recalling its resolution 75/15,"])
    let index = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(index.count == 3)
    let best = try #require(try index.matches(for: "Agenda item 130.", minimumScore: 90, limit: 1).first)
    #expect(best.entry.target == "Point 130 de l'ordre du jour.")

    let out = folder.appendingPathComponent("en-fr.tmx")
    // The German unit keeps one of the two languages: left out.
    #expect(try memory.exportTMX(to: out, languages: [.english, .french]).units == 3)
    #expect(try memory.exportTMX(to: out, languages: [.french]).units == 4)
    // The stored tags: `en_US` is stored as `en-us`, so three English units in one tag.
    #expect(try memory.statistics().languages[Language("en-us")] == 3)
  }

  /// An index saved before variants were matched by primary language held no `fr-FR` unit for
  /// `fr`: it is not taken as current.
  @Test func anIndexSavedWithExactTagsIsBuiltAgain() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.add(Self.unit("en-US", "Agenda item 130.", [("fr-FR", "Point 130 de l'ordre du jour.")]))
    let old = try FuzzyIndex(entries: [], from: .english, to: .french)
    try old.save(
      to: FuzzyIndex.defaultURL(forMemory: memory.url, from: .english, to: .french),
      signature: "generation \(try memory.generation()) en-fr")
    #expect(try memory.fuzzyIndex(from: .english, to: .french).count == 1)
  }

  @Test func theLanguagePairsAreCountedAndNamedWhenOneIsMissing() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let empty = TranslationMemoryError.missingLanguagePair(
      path: "tm/memory.sqlite", source: .english, target: .german, pairs: try memory.languagePairs())
    #expect("\(empty)" == "tm/memory.sqlite has no en→de units; it holds no units yet")
    try memory.add([
      Fixture.pair("Agenda item 130.", "Point 130 de l'ordre du jour."),
      Fixture.pair("The General Assembly,", "L'Assemblée générale,"),
      Self.unit("fr", "Rappelant", [("en", "Recalling")]),
    ])
    let pairs = try memory.languagePairs()
    #expect(
      pairs == [
        .init(source: .english, target: .french, unitCount: 2),
        .init(source: .french, target: .english, unitCount: 1),
      ])
    let error = TranslationMemoryError.missingLanguagePair(
      path: "tm/memory.sqlite", source: .english, target: .german, pairs: pairs)
    #expect(
      "\(error)" == "tm/memory.sqlite has no en→de units; it holds en→fr (2 units), fr→en (1 unit)")
  }
}

/// SQLite's codes said in words, with what to do, instead of `SQLite error 11: …`.
@Suite("Store errors")
struct StoreErrorTests {
  @Test(arguments: [
    (
      SQLiteResultCode.corrupt, "database disk image is malformed", "m.sqlite is damaged",
      "restore it from a copy"
    ),
    (SQLiteResultCode(rawValue: 267), "database corruption", "m.sqlite is damaged", ".recover"),
    (.notADatabase, "file is not a database", "is not a SQLite database", "check the --tm path"),
    (.busy, "database is locked", "is locked by another process", "try again"),
    (.locked, "database table is locked", "is locked by another process", "try again"),
    (
      SQLiteResultCode(rawValue: 1544), "attempt to write a readonly database", "cannot be written",
      "permissions"
    ),
    (.full, "database or disk is full", "the disk holding m.sqlite is full", "free some space"),
    (.cantOpen, "unable to open database file", "m.sqlite cannot be opened", "folder exist"),
    (SQLiteResultCode(rawValue: 266), "disk I/O error", "could not be read or written", "check the disk"),
  ])
  func aCommonCodeSaysWhatItMeansAndWhatToDo(
    code: SQLiteResultCode, message: String, meaning: String, advice: String
  ) {
    let text = "\(TranslationMemoryError.sqlite(path: "m.sqlite", code: code, message: message))"
    #expect(text.contains(meaning), "\(text)")
    #expect(text.contains(advice), "\(text)")
    #expect(text.contains("(SQLite: \(message))"), "\(text)")
    #expect(!text.contains("SQLite error"), "\(text)")
  }

  @Test func anotherCodeKeepsSQLitesWords() {
    let text =
      "\(TranslationMemoryError.sqlite(path: "m.sqlite", code: .constraint, message: "UNIQUE failed"))"
    #expect(text == "m.sqlite: SQLite error 19: UNIQUE failed")
  }

  @Test func aDamagedMemoryIsReportedAsDamaged() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = memory.url
    try memory.add(
      (0..<400).map { Fixture.pair("Sentence \($0) of the report.", "Phrase \($0) du rapport.") })
    // Closed: the WAL goes into the file.
    _ = consume memory
    var bytes = try Data(contentsOf: url)
    let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
    for offset in pageSize..<bytes.count { bytes[offset] = UInt8(truncatingIfNeeded: offset &* 131 ^ 0x5A) }
    try bytes.write(to: url)
    do {
      _ = try TranslationMemory(url: url, access: .readOnly).statistics()
      Issue.record("a damaged memory was read")
    } catch let error as TranslationMemoryError {
      #expect(SQLiteResultCode.corrupt ~= error, "\(error)")
      #expect("\(error)".hasPrefix("\(url.path) is damaged (SQLite: "), "\(error)")
    }
  }
}
