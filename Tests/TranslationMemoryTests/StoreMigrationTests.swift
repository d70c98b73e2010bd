import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

@Suite("Store migration 6")
struct StoreMigrationTests {
  /// A memory as the release before schema 6 made it: its five migrations, then rows written
  /// with that release's SQL (variants keyed by language, no position, no metadata).
  static func makeSchemaFiveMemory(at path: String) throws {
    let old = try SQLiteConnection(path: path)
    try old.execute("PRAGMA application_id = \(Schema.applicationID)")
    for migration in Schema.migrations.prefix(5) {
      switch migration {
      case .sql(let sql): try old.execute(sql)
      case .code(let body): try body(old)
      }
    }
    try old.execute("PRAGMA user_version = 5")
    let units: [(id: Int, source: String, variants: [(String, String)], document: String?)] = [
      (1, "fr", [("en", "Recalls its resolution."), ("fr", "Rappelle sa résolution.")], "A/1"),
      (2, "en", [("cs", "Ahoj."), ("de", "Hallo."), ("en", "Hello.")], nil),
      (3, "en", [("en", "Recalls  its resolution. "), ("fr", "Rappelle sa résolution.")], "A/1"),
    ]
    for unit in units {
      let key = ContentKey.key(of: unit.variants.map { Variant(language: Language($0.0), text: $0.1) })
      try old.execute(
        """
        INSERT INTO unit (id, source_language, document, creation_date, usage_count, content_key, tool)
        VALUES (\(unit.id), '\(unit.source)', \(unit.document.map { "'\($0)'" } ?? "NULL"), 1700000000, 1,
          \(key), 'aligntm 0.9')
        """)
      for (language, text) in unit.variants {
        try old.execute(
          "INSERT INTO variant (unit_id, language, text, codes) VALUES (\(unit.id), '\(language)', '\(text)', NULL)"
        )
      }
    }
    try old.execute(
      """
      INSERT INTO property (unit_id, position, type, value) VALUES (2, 0, 'x-domain', 'greetings');
      INSERT INTO note (unit_id, position, text) VALUES (2, 0, 'checked');
      """)
  }

  @Test func aMemoryOfTheLastReleaseOpensWithEverythingKept() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("old.sqlite")
    try Self.makeSchemaFiveMemory(at: url.path)
    let memory = try TranslationMemory(url: url)
    #expect(try memory.schemaVersion == Schema.migrations.count)
    let units = try memory.units()
    #expect(units.count == 3)
    // The order the old release gave back: the source variant first, then by language.
    #expect(
      units.map { $0.variants.map(\.language.rawValue) } == [
        ["fr", "en"], ["en", "cs", "de"], ["en", "fr"],
      ])
    #expect(units[1].properties.contains(Property(type: "x-domain", value: "greetings")))
    #expect(units[1].notes == ["checked"])
    #expect(units[0].document == "A/1")
    // Keys computed again by the exact rule: the same texts merge, other white space does not
    // (units 1 and 3 stay two units).
    let key = try SQLiteConnection(path: url.path).scalarInt("SELECT content_key FROM unit WHERE id = 1")
    #expect(key == ContentKey.UnitIdentity(units[0]).key)
    let again = TranslationUnit(
      sourceLanguage: Language("fr"),
      variants: [
        Variant(language: .english, text: "Recalls its resolution."),
        Variant(language: .french, text: "Rappelle sa résolution."),
      ])
    #expect(try memory.add(again) == .merged(id: 1))
    // New columns work on the migrated rows.
    let file = folder.appendingPathComponent("out.tmx")
    let summary = try memory.exportTMX(to: file)
    #expect(summary.units == 3)
    let text = try String(contentsOf: file, encoding: .utf8)
    let languages = text.components(separatedBy: "xml:lang=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
    #expect(languages == ["fr", "en", "en", "cs", "de", "en", "fr"])
  }

  @Test func aReadOnlyOpenOfAnOlderMemorySaysItMustBeUpgraded() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("old.sqlite")
    try Self.makeSchemaFiveMemory(at: url.path)
    #expect(throws: TranslationMemoryError.self) {
      _ = try TranslationMemory(url: url, access: .readOnly).units()
    }
  }
}
