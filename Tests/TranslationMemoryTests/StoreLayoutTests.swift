import Foundation
import TestSupport
import TextSegmentation
import Testing

@testable import TranslationMemory

/// The storage layout behind the fast import: properties in unit columns, migration 2, and the
/// duplicate key's byte-level normalisation.
@Suite("Store layout")
struct StoreLayoutTests {
  static let types = [
    "x-document", "x-paragraph", "x-score", "x-source-file", "x-target-file", "x-tool", "x-reviewer",
    "x-domain",
  ]

  static func randomProperties(using generator: inout SeededGenerator) -> [Property] {
    (0..<Int.random(in: 0...9, using: &generator)).map { index in
      Property(type: types.randomElement(using: &generator) ?? "x", value: "v\(index)")
    }
  }

  @Test(arguments: [1, 2, 3, 4] as [UInt64])
  func splitThenMergeGivesThePropertiesBack(seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    for _ in 0..<300 {
      let properties = Self.randomProperties(using: &generator)
      let split = PropertyColumns(splitting: properties)
      let merged = PropertyColumns.merge(values: split.values, order: split.order, others: split.others)
      #expect(merged == properties)
    }
  }

  @Test func alignedUnitsNeedNoPropertyRows() {
    let unit = Fixture.pair("One.", "Un.", paragraph: "12")
    let split = PropertyColumns(splitting: unit.properties)
    #expect(split.others.isEmpty)
    #expect(split.order == nil)
    #expect(
      split.values == ["A/75/15", "12", "0.9000", "un/003/en.txt", "un/003/fr.txt", TranslationMemory.tool])
  }

  @Test func storesPropertiesInAnyOrderExactly() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var generator = SeededGenerator(seed: 9)
    var units: [TranslationUnit] = []
    for index in 0..<200 {
      var unit = Fixture.pair("Sentence \(index).", "Phrase \(index).", document: nil)
      unit.properties = Self.randomProperties(using: &generator)
      units.append(unit)
    }
    try memory.add(units)
    let stored = try memory.units()
    #expect(stored.map(\.properties) == units.map(\.properties))
    #expect(stored.map(\.document) == units.map(\.document))
  }

  /// A memory made by schema 1 (every property a row) opens as schema 2 with the same units.
  @Test func migrationTwoMovesPropertiesIntoColumns() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("old.sqlite").path
    guard case .sql(let schemaOne) = Schema.migrations[0] else {
      Issue.record("migration 1 is not SQL")
      return
    }
    var generator = SeededGenerator(seed: 5)
    var expected: [[Property]] = []
    do {
      let old = try SQLiteConnection(path: path)
      try old.execute(schemaOne)
      try old.execute("PRAGMA user_version = 1; PRAGMA application_id = \(Schema.applicationID)")
      for id in 1...50 {
        var properties = Self.randomProperties(using: &generator)
        if id % 5 == 0 { properties = Fixture.pair("a", "b").properties }
        expected.append(properties)
        let document = properties.first { $0.type == "x-document" }?.value
        try old.execute(
          """
          INSERT INTO unit (id, source_language, document, creation_date, content_key)
            VALUES (\(id), 'en', \(document.map { "'\($0)'" } ?? "NULL"), 0, \(id));
          INSERT INTO variant VALUES (\(id), 'en', 'Text \(id).', NULL);
          INSERT INTO variant VALUES (\(id), 'fr', 'Texte \(id).', NULL);
          """)
        for (position, property) in properties.enumerated() {
          try old.execute(
            "INSERT INTO property VALUES (\(id), \(position), '\(property.type)', '\(property.value)')")
        }
      }
    }
    let memory = try TranslationMemory(url: URL(fileURLWithPath: path))
    #expect(try memory.schemaVersion == Schema.migrations.count)
    #expect(try memory.units().map(\.properties) == expected)
    let connection = try SQLiteConnection(path: path)
    let rows = try connection.scalarInt("SELECT count(*) FROM property") ?? -1
    let kept = expected.map { PropertyColumns(splitting: $0).others.count }.reduce(0, +)
    #expect(rows == Int64(kept))
    #expect(rows < Int64(expected.map(\.count).reduce(0, +)))
  }

  /// The byte-level fast path gives what ICU's display form gives.
  @Test(arguments: [11, 12, 13] as [UInt64])
  func fastNormalisationMatchesTheDisplayForm(seed: UInt64) {
    let pieces = [
      "a", "Z", " ", "  ", "\t", "\n", "\u{A0}", "\u{202F}", "\u{2009}", "\u{85}", "\u{2019}", "`",
      "\u{B4}", "\u{2010}", "-", "é", "œ", "€", "\u{2075}", "\u{2013}", "«", "»", "漢", "😀", "e\u{301}",
      "ﬁ", "Å", "A\u{30A}", ".", "1",
    ]
    var generator = SeededGenerator(seed: seed)
    for _ in 0..<500 {
      let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
        pieces.randomElement(using: &generator) ?? "a"
      }.joined()
      var reference: [UInt8] = []
      var pendingSpace = false
      for scalar in TextNormalizer.displayForm(text).unicodeScalars {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85: pendingSpace = !reference.isEmpty
        default:
          if pendingSpace { reference.append(0x20) }
          pendingSpace = false
          reference.append(contentsOf: String(scalar).utf8)
        }
      }
      #expect(ContentKey.normalise(text) == String(decoding: reference, as: UTF8.self), "\(text.debugDescription)")
    }
  }

  /// The key, normalising and hashing in one pass, is the FNV-1a hash of the normalised texts
  /// by language, as memories already store it.
  @Test(arguments: [21, 22] as [UInt64])
  func keyIsTheHashOfTheNormalisedTexts(seed: UInt64) {
    let pieces = [
      "a", "Z", " ", "  ", "\t", "\n", "\u{A0}", "\u{2009}", "\u{2019}", "`", "\u{2010}", "é", "€",
      "漢", "😀", "e\u{301}", "ﬁ", "\u{1}", ".", "1",
    ]
    var generator = SeededGenerator(seed: seed)
    func text() -> String {
      (0..<Int.random(in: 0...12, using: &generator)).map { _ in
        pieces.randomElement(using: &generator) ?? "a"
      }.joined()
    }
    for _ in 0..<300 {
      let languages = [Language("fr"), Language("en"), Language("zh-cn")].shuffled(using: &generator)
      let variants = (0..<Int.random(in: 1...3, using: &generator)).map {
        Variant(language: languages[$0], text: text())
      }
      var hash: UInt64 = 0xCBF2_9CE4_8422_2325
      for variant in variants.sorted(by: { $0.language.rawValue < $1.language.rawValue }) {
        let bytes = Array(variant.language.rawValue.utf8) + [0] + Array(ContentKey.normalise(variant.text).utf8) + [0xFF]
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
      }
      #expect(ContentKey.key(of: variants) == Int64(bitPattern: hash), "\(variants)")
    }
  }

  /// The import's writing thread computes keys from its batches' bytes: the same keys.
  @Test(arguments: [41, 42] as [UInt64])
  func batchKeysAreTheKeysOfTheVariants(seed: UInt64) {
    let pieces = ["a", " ", "  ", "\u{A0}", "\u{2019}", "`", "é", "e\u{301}", "ﬁ", "漢", "committee", "."]
    let codes = ["en", "fr", "zh-hant", "fr-ca", "es", "ñu"]
    var generator = SeededGenerator(seed: seed)
    var batch = _UnitBatch()
    var expected: [Int64] = []
    for _ in 0..<300 {
      let languages = codes.shuffled(using: &generator).prefix(Int.random(in: 1...4, using: &generator))
      let variants = languages.map { code in
        Variant(
          language: Language(code),
          text: (0..<Int.random(in: 0...10, using: &generator)).map { _ in
            pieces.randomElement(using: &generator) ?? "a"
          }.joined())
      }
      var unit = Fixture.pair("x", "y")
      unit.variants = variants
      batch.append(unit)
      expected.append(ContentKey.key(of: variants))
    }
    let keys = batch.bytes.withUnsafeBufferPointer { arena in
      batch.units.map { batch.key(of: $0, in: arena.baseAddress!) }
    }
    #expect(keys == expected)
  }
}
