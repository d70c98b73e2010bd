import Foundation
import TestSupport
import Testing
import TextSegmentation

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

  /// Every character the display form maps (drawn from ``DisplayForm``'s table itself), with
  /// the quotes, apostrophes, dashes, spaces and superscripts around them that it keeps.
  static let typographyPieces: [String] =
    DisplayForm.mappedScalars.compactMap { Unicode.Scalar($0).map(String.init) } + [
      "\"", "'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}", "\u{201C}", "\u{201D}", "\u{201E}",
      "\u{201F}", "«", "»", "\u{2039}", "\u{203A}", "\u{2032}", "\u{2033}", "\u{02BC}", "`", "\u{B4}",
      "-", "\u{2010}", "\u{2011}", "\u{2013}", "\u{2014}", "\u{2212}", "\u{A0}", "\u{202F}", "\u{2007}",
      "\u{2009}", "\u{85}", "\u{2070}", "\u{B9}", "\u{B2}", "\u{B3}", "\u{2074}", "\u{2079}",
    ]
  /// Pieces that send a text down ICU's path (NFC may change them), and plain ones.
  static let icuPieces = ["e\u{301}", "A\u{30A}", "ﬁ", "漢", "😀", "ж"]
  static let plainPieces = ["a", "Z", " ", "  ", "\t", "\n", "é", "œ", "Å", "€", ".", "1", "\u{1}"]

  /// A random text of typography and plain pieces; one in four also holds an ICU piece.
  static func typographicText(using generator: inout SeededGenerator) -> String {
    var pieces = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
      Bool.random(using: &generator)
        ? typographyPieces.randomElement(using: &generator) ?? "a"
        : plainPieces.randomElement(using: &generator) ?? "a"
    }
    if Int.random(in: 0..<4, using: &generator) == 0 {
      pieces.insert(
        icuPieces.randomElement(using: &generator) ?? "ж",
        at: Int.random(in: 0...pieces.count, using: &generator))
    }
    return pieces.joined()
  }

  /// The reference definition of the normalised text: ICU's display form, runs of white space
  /// made one space, the ends trimmed.
  static func referenceNormalisation(_ text: String) -> String {
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
    return String(decoding: reference, as: UTF8.self)
  }

  /// Curly double quotes, the double prime, typographic apostrophes, spaces and hyphens are in
  /// the table the tests draw from.
  @Test func theDisplayFormTableHoldsTheQuotes() {
    let table = DisplayForm.mappedScalars
    for scalar: UInt32 in [0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x2019, 0x201B, 0xA0, 0x2011] {
      #expect(table.contains(scalar), "U+\(String(scalar, radix: 16))")
    }
    #expect(!table.contains(0xAB) && !table.contains(0xBB))  // guillemets are kept
  }

  /// The byte-level fast path gives what ICU's display form gives, for every mapped character.
  @Test(arguments: [11, 12, 13] as [UInt64])
  func fastNormalisationMatchesTheDisplayForm(seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    for _ in 0..<800 {
      let text = Self.typographicText(using: &generator)
      #expect(ContentKey.normalise(text) == Self.referenceNormalisation(text), "\(text.debugDescription)")
    }
  }

  /// Each mapped character alone and inside words, with nothing that sends the text to ICU.
  @Test func everyMappedCharacterAloneMatchesTheDisplayForm() {
    for scalar in DisplayForm.mappedScalars {
      let character = String(Unicode.Scalar(scalar)!)
      for text in [character, "a\(character)b", "He said \(character)yes\(character)."] {
        #expect(ContentKey.normalise(text) == Self.referenceNormalisation(text), "\(text.debugDescription)")
      }
    }
  }

  @Test func curlyAndStraightQuotesGiveOneKey() {
    let curly = [Variant(language: .english, text: "He said \u{201C}yes\u{201D}.")]
    let straight = [Variant(language: .english, text: "He said \"yes\".")]
    #expect(ContentKey.key(of: curly) == ContentKey.key(of: straight))
    #expect(ContentKey.normalise("\u{201C}yes\u{201D}") == "\"yes\"")
  }

  /// `“yes”` and `"yes"` are two units in a memory (schema 6 on): texts are compared exactly.
  @Test(arguments: ["", " ж"])
  func curlyAndStraightQuotesAreTwoUnits(tail: String) throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try memory.add(Fixture.pair("He said \u{201C}yes\u{201D}.\(tail)", "Il a dit « oui »."))
    let second = try memory.add(Fixture.pair("He said \"yes\".\(tail)", "Il a dit « oui »."))
    #expect(second != .merged(id: first.id))
    #expect(try memory.units().count == 2)
  }

  /// The FNV-1a key of variants normalised as `normalise` says, in language order.
  static func hash(of variants: [Variant], normalise: (String) -> String) -> Int64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for variant in variants.sorted(by: { $0.language.rawValue < $1.language.rawValue }) {
      let bytes = Array(variant.language.rawValue.utf8) + [0] + Array(normalise(variant.text).utf8) + [0xFF]
      for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    }
    return Int64(bitPattern: hash)
  }

  /// A memory whose keys the old fast path computed (curly quotes kept) opens with keys computed
  /// again.
  @Test func migrationFourRecomputesTheKeys() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("old.sqlite")
    let curly = Fixture.pair("He said \u{201C}yes\u{201D}.", "Il a dit \u{201C}oui\u{201D}.")
    let plain = Fixture.pair("Nothing to map.", "Rien à changer.")
    // The old fast path wrote these texts as they stand: no white space to fold, no apostrophe.
    let oldKey = Self.hash(of: curly.variants) { $0 }
    #expect(oldKey != ContentKey.key(of: curly.variants))
    do {
      let memory = try TranslationMemory(url: url)
      try memory.add(curly)
      try memory.add(plain)
    }
    do {
      let connection = try SQLiteConnection(path: url.path)
      try connection.execute(
        "UPDATE unit SET content_key = \(oldKey) WHERE id = 1; PRAGMA user_version = 3")
    }
    let memory = try TranslationMemory(url: url)
    #expect(try memory.schemaVersion == Schema.migrations.count)
    let connection = try SQLiteConnection(path: url.path)
    let keys = try connection.prepare("SELECT content_key FROM unit ORDER BY id")
    var stored: [Int64] = []
    while try keys.step() { stored.append(keys.int64(0)) }
    // Migration 6 runs after 4: the keys are the exact ones, and `"yes"` is another unit.
    #expect(stored == [ContentKey.UnitIdentity(curly).key, ContentKey.UnitIdentity(plain).key])
    let straight = Fixture.pair("He said \"yes\".", "Il a dit \"oui\".")
    #expect(try memory.add(straight) == .inserted(id: 3))
    #expect(try memory.add(curly) == .merged(id: 1))
    #expect(try memory.units().count == 3)
  }

  /// The key, normalising and hashing in one pass, is the FNV-1a hash of the normalised texts
  /// by language, as memories already store it.
  @Test(arguments: [21, 22] as [UInt64])
  func keyIsTheHashOfTheNormalisedTexts(seed: UInt64) {
    let pieces =
      [
        "a", "Z", " ", "  ", "\t", "\n", "\u{A0}", "\u{2009}", "\u{2019}", "`", "\u{2010}", "é", "€",
        "漢", "😀", "e\u{301}", "ﬁ", "\u{1}", ".", "1",
      ] + Self.typographyPieces
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
        let bytes =
          Array(variant.language.rawValue.utf8) + [0] + Array(ContentKey.normalise(variant.text).utf8) + [
            0xFF
          ]
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
      }
      #expect(ContentKey.key(of: variants) == Int64(bitPattern: hash), "\(variants)")
    }
  }

  /// The import's writing thread computes keys from its batches' bytes (a fast path for two
  /// variants): the keys of the units' identities.
  @Test(arguments: [41, 42] as [UInt64])
  func batchKeysAreTheKeysOfTheVariants(seed: UInt64) {
    let pieces = ["a", " ", "  ", "é", "e\u{301}", "ﬁ", "漢", "committee", "."] + Self.typographyPieces
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
      expected.append(ContentKey.UnitIdentity(unit).key)
    }
    let keys = batch.bytes.withUnsafeBufferPointer { arena in
      batch.units.map { batch.key(of: $0, in: arena.baseAddress!) }
    }
    #expect(keys == expected)
  }
}
