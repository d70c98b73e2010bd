import Foundation
import TextSegmentation

/// Units packed for writing: every text in one byte arena, bound to SQLite in place
/// (`SQLITE_STATIC`), so the writer neither copies, allocates nor retains per field.
///
/// The import's parsing thread fills a batch (``append(_:)`` splits off the property columns and
/// encodes the inline codes there); ``TranslationMemory/insert(_:keys:_:)`` computes the duplicate
/// keys from the batch's bytes and writes it on the calling thread. Hashing on the writing thread
/// balances the two: parsing is the slower half, by more the smaller the memory. Adding one unit
/// packs it into a batch of one, so both go through the same row code.
struct _UnitBatch: Sendable {
  /// A text in ``bytes``; `count` is -1 for NULL.
  struct Text: Sendable {
    var offset: Int
    var count: Int

    static let null = Text(offset: 0, count: -1)
    var isNull: Bool { count < 0 }
  }

  /// One unit. Its texts are ``fields(of:)``.
  struct Unit: Sendable {
    var creationDate: Int64
    var changeDate: Int64?
    var usageCount: Int64
    var propertyOrder: Int64?
    /// Where the unit's texts start in ``texts``.
    var firstText: Int
    var variantCount: Int
    /// Index in ``extras`` of the unit's other properties and notes; -1 when it has none.
    var extra: Int
  }

  /// Properties without a column, and notes: rare, kept as they are.
  struct Extra: Sendable {
    var others: [(position: Int, property: Property)]
    var notes: [String]
  }

  /// The unit columns held as texts, in the order a unit's texts start with; the language,
  /// text and codes of each variant follow them.
  static let textColumns = UnitColumn.inOrder.filter { textSlot(of: $0) != nil }

  /// The place of a text column among a unit's first texts; nil for the other columns.
  static func textSlot(of column: UnitColumn) -> Int? {
    switch column {
    case .tuid: 0
    case .sourceLanguage: 1
    case .creationID: 2
    case .changeID: 3
    case .document, .paragraph, .score, .sourceFile, .targetFile, .tool:
      4 + Int(column.rawValue - UnitColumn.document.rawValue)
    case .creationDate, .changeDate, .usageCount, .contentKey, .propertyOrder: nil
    }
  }

  /// A unit's texts by name rather than by position.
  struct Fields {
    /// The language, text and inline codes of a variant.
    struct VariantTexts {
      var language: Text
      var text: Text
      var codes: Text
    }

    let texts: ArraySlice<Text>
    /// Where the variants' texts start in ``texts``.
    let variantStart: Int

    /// The text of a column that ``_UnitBatch/textColumns`` holds.
    subscript(column: UnitColumn) -> Text {
      guard let slot = _UnitBatch.textSlot(of: column) else { preconditionFailure("\(column) is no text") }
      return texts[texts.startIndex + slot]
    }

    func variant(_ index: Int) -> VariantTexts {
      let first = variantStart + 3 * index
      return VariantTexts(language: texts[first], text: texts[first + 1], codes: texts[first + 2])
    }
  }

  var bytes: [UInt8] = []
  var texts: [Text] = []
  var units: [Unit] = []
  var extras: [Extra] = []
  /// Problems skipped while reading these units, in file order.
  var skipped: [TMXError] = []
  /// Progress reached while reading them.
  var progress: [TMXReader.Progress] = []

  init(capacity: Int = 0) {
    units.reserveCapacity(capacity)
    texts.reserveCapacity(capacity * 16)
    bytes.reserveCapacity(capacity * 1024)
  }

  func fields(of unit: Unit) -> Fields {
    let variantStart = unit.firstText + Self.textColumns.count
    return Fields(
      texts: texts[unit.firstText..<variantStart + 3 * unit.variantCount], variantStart: variantStart)
  }

  /// Packs a unit (already validated: ``TranslationUnit/validateForStore(path:)``).
  mutating func append(_ unit: TranslationUnit) {
    let columns = PropertyColumns(splitting: unit.properties)
    let first = texts.count
    for column in Self.textColumns {
      switch column {
      case .tuid: add(unit.tuid)
      case .sourceLanguage: add(unit.sourceLanguage.rawValue)
      case .creationID: add(unit.creationID)
      case .changeID: add(unit.changeID)
      default: add(columns.values[Int(column.rawValue - UnitColumn.document.rawValue)])
      }
    }
    for variant in unit.variants {
      add(variant.language.rawValue)
      add(variant.text)
      if let codes = InlineCodeCoding.encode(variant.codes) {
        texts.append(Text(offset: bytes.count, count: codes.count))
        bytes.append(contentsOf: codes)
      } else {
        texts.append(.null)
      }
    }
    var extra = -1
    if !columns.others.isEmpty || !unit.notes.isEmpty {
      extra = extras.count
      extras.append(Extra(others: columns.others, notes: unit.notes))
    }
    units.append(
      Unit(
        creationDate: Int64(unit.creationDate.timeIntervalSince1970),
        changeDate: unit.changeDate.map { Int64($0.timeIntervalSince1970) },
        usageCount: Int64(unit.usageCount), propertyOrder: columns.order, firstText: first,
        variantCount: unit.variants.count, extra: extra))
  }

  private mutating func add(_ text: String?) {
    guard let text else {
      texts.append(.null)
      return
    }
    let offset = bytes.count
    bytes.append(contentsOf: text.utf8)
    texts.append(Text(offset: offset, count: bytes.count - offset))
  }

  /// The batch's bytes, at a fixed address while `body` runs.
  struct Arena {
    let base: UnsafePointer<UInt8>

    func buffer(_ text: Text) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(start: base + text.offset, count: max(text.count, 0))
    }

    func string(_ text: Text) -> String { String(decoding: buffer(text), as: UTF8.self) }

    /// Binds a text in place, or NULL.
    func bind(_ text: Text, to statement: SQLiteStatement, at index: Int32) {
      if text.isNull {
        statement.bind(index, nil as Int64?)
      } else {
        statement.bindStatic(index, base + text.offset, count: text.count)
      }
    }

    /// Binds a blob in place, or NULL.
    func bindBlob(_ bytes: Text, to statement: SQLiteStatement, at index: Int32) {
      if bytes.isNull {
        statement.bind(index, nil as Int64?)
      } else {
        statement.bindStaticBlob(index, base + bytes.offset, count: bytes.count)
      }
    }
  }

  func withArena<T>(_ body: (Arena) throws -> T) rethrows -> T {
    try bytes.withUnsafeBufferPointer { bytes in
      if let base = bytes.baseAddress { return try body(Arena(base: base)) }
      // Only empty texts (or none): any address will do, SQLite reads none of it.
      return try withUnsafePointer(to: UInt8(0)) { try body(Arena(base: $0)) }
    }
  }

  /// The duplicate key of one of the batch's units (``ContentKey``), from its bytes at `arena`.
  func key(of unit: Unit, in arena: UnsafePointer<UInt8>) -> Int64 {
    let fields = fields(of: unit)
    let arena = Arena(base: arena)
    return ContentKey.key(count: unit.variantCount) { index in
      let variant = fields.variant(index)
      return (arena.buffer(variant.language), arena.buffer(variant.text))
    }
  }
}

extension TranslationUnit {
  /// What the store refuses: a unit with no variant, with two variants in one language, or whose
  /// every variant is blank: text empty or white space only, and no inline code (it holds nothing
  /// to match or to translate; a segment that is only a placeholder code is not blank).
  ///
  /// One blank variant beside others is kept: CAT tools write a deliberately empty translation
  /// that way (OmegaT's `<seg></seg>`), and the fuzzy index never offers an empty text.
  ///
  /// - Parameter path: The memory's file, for the error.
  /// - Throws: ``TranslationMemoryError/invalidUnit(path:reason:)``.
  func validateForStore(path: String) throws {
    guard !variants.isEmpty else {
      throw TranslationMemoryError.invalidUnit(path: path, reason: "it has no variant")
    }
    if variants.allSatisfy(\.isBlank) {
      throw TranslationMemoryError.invalidUnit(
        path: path, reason: "every text of it is empty or white space only")
    }
    for (index, variant) in variants.enumerated()
    where variants[..<index].contains(where: { $0.language == variant.language }) {
      throw TranslationMemoryError.invalidUnit(
        path: path, reason: "two variants in language '\(variant.language)'")
    }
  }
}

extension TranslationMemory {
  /// Writes a batch of packed units in the open transaction, each merged into its stored
  /// duplicate or inserted, and tells `outcome` what became of each, in order.
  ///
  /// - Parameter keys: When set, holds the duplicate key of every stored unit: a key it has
  ///   never seen is not looked up. New units' keys are added to it.
  func insert(
    _ batch: _UnitBatch, keys: inout _ContentKeyFilter?, _ outcome: (AddOutcome) -> Void
  ) throws {
    guard !batch.units.isEmpty else { return }
    let statements = try UnitStatements(connection)
    // The bindings point into the batch, which goes away.
    defer { statements.reset() }
    try batch.withArena { arena in
      for unit in batch.units {
        let result = try store(
          unit, fields: batch.fields(of: unit), key: batch.key(of: unit, in: arena.base),
          extra: unit.extra >= 0 ? batch.extras[unit.extra] : nil, arena: arena,
          statements: statements, keys: &keys)
        outcome(result)
      }
    }
  }

  /// The statements that write units, prepared once per batch.
  private struct UnitStatements {
    let duplicates: SQLiteStatement
    let insertUnit: SQLiteStatement
    let insertVariant: SQLiteStatement

    init(_ connection: SQLiteConnection) throws {
      duplicates = try connection.cached("SELECT id FROM unit WHERE content_key = ?1")
      insertUnit = try connection.cached("insert unit", sql: UnitColumn.insertSQL)
      // One row per statement: a statement that writes two rows may fail on the second after
      // writing the first, so SQLite keeps a statement journal for it (a copy of every page it
      // touches), which made the two-row insert a third slower than two one-row inserts.
      insertVariant = try connection.cached(
        "INSERT INTO variant (unit_id, language, text, codes) VALUES (?1, ?2, ?3, ?4)")
    }

    func reset() {
      for statement in [duplicates, insertUnit, insertVariant] { statement.reset() }
    }
  }

  /// The merge-or-insert rule: a unit whose normalised texts are stored already is merged into
  /// that unit (usage count added, change date and id updated); any other is inserted.
  private func store(
    _ unit: _UnitBatch.Unit, fields: _UnitBatch.Fields, key: Int64, extra: _UnitBatch.Extra?,
    arena: _UnitBatch.Arena, statements: UnitStatements, keys: inout _ContentKeyFilter?
  ) throws -> AddOutcome {
    var candidates: [Int64] = []
    if keys?.mightContain(key) ?? true {
      let duplicates = statements.duplicates
      duplicates.reset(clearingBindings: false)
      duplicates.bind(1, key)
      while try duplicates.step() { candidates.append(duplicates.int64(0)) }
    }
    if !candidates.isEmpty {
      let variants = (0..<unit.variantCount).map { index in
        let texts = fields.variant(index)
        return Variant(language: Language(arena.string(texts.language)), text: arena.string(texts.text))
      }
      if let existing = try duplicate(among: candidates, of: variants) {
        let update = try connection.cached(TranslationMemory.mergeDuplicateSQL)
        update.bind(1, max(unit.usageCount, 1))
        update.bind(2, unit.changeDate ?? unit.creationDate)
        let changeID = fields[.changeID]
        arena.bind(changeID.isNull ? fields[.creationID] : changeID, to: update, at: 3)
        update.bind(4, existing)
        try update.step()
        update.reset()
        return .merged(id: existing)
      }
    }
    let insertUnit = statements.insertUnit
    insertUnit.reset(clearingBindings: false)
    bindRow(of: unit, fields: fields, key: key, arena: arena, to: insertUnit)
    try insertUnit.step()
    let id = connection.lastInsertRowID
    let insertVariant = statements.insertVariant
    for index in 0..<unit.variantCount {
      let texts = fields.variant(index)
      insertVariant.reset(clearingBindings: false)
      insertVariant.bind(1, id)
      arena.bind(texts.language, to: insertVariant, at: 2)
      arena.bind(texts.text, to: insertVariant, at: 3)
      arena.bindBlob(texts.codes, to: insertVariant, at: 4)
      try insertVariant.step()
    }
    if let extra { try insertExtra(extra, unitID: id) }
    keys?.insert(key)
    return .inserted(id: id)
  }

  /// Binds every column of ``UnitColumn/insertSQL``.
  private func bindRow(
    of unit: _UnitBatch.Unit, fields: _UnitBatch.Fields, key: Int64, arena: _UnitBatch.Arena,
    to statement: SQLiteStatement
  ) {
    for column in UnitColumn.inOrder {
      switch column {
      case .creationDate: statement.bind(column.rawValue, unit.creationDate)
      case .changeDate: statement.bind(column.rawValue, unit.changeDate)
      case .usageCount: statement.bind(column.rawValue, max(unit.usageCount, 0))
      case .contentKey: statement.bind(column.rawValue, key)
      case .propertyOrder: statement.bind(column.rawValue, unit.propertyOrder)
      case .tuid, .sourceLanguage, .creationID, .changeID, .document, .paragraph, .score, .sourceFile,
        .targetFile, .tool:
        arena.bind(fields[column], to: statement, at: column.rawValue)
      }
    }
  }

  /// Merges a unit into its stored duplicate: usage count added (?1), change date (?2) and id
  /// (?3) updated, for unit ?4.
  static let mergeDuplicateSQL: StaticString = """
    UPDATE unit SET usage_count = usage_count + ?1,
      change_date = max(coalesce(change_date, creation_date), ?2),
      change_id = coalesce(?3, change_id)
    WHERE id = ?4
    """

  /// Inserts a unit's properties without a column and its notes.
  private func insertExtra(_ extra: _UnitBatch.Extra, unitID id: Int64) throws {
    try connection.insertProperties(extra.others, unitID: id)
    if !extra.notes.isEmpty {
      let note = try connection.cached(
        "INSERT INTO note (unit_id, position, text) VALUES (?1, ?2, ?3)")
      for (position, item) in extra.notes.enumerated() {
        note.reset()
        note.bind(1, id)
        note.bind(2, Int64(position))
        note.bind(3, item)
        try note.step()
      }
    }
  }

  /// The first of the units with the same key whose normalised texts are those of `variants`:
  /// a hash collision never merges two different units.
  private func duplicate(among ids: [Int64], of variants: [Variant]) throws -> Int64? {
    let wanted = ContentKey.normalisedTexts(of: variants)
    let statement = try connection.cached(
      "SELECT language, text FROM variant WHERE unit_id = ?1 ORDER BY language")
    for id in ids {
      statement.reset()
      statement.bind(1, id)
      var stored: [Variant] = []
      while try statement.step() {
        stored.append(Variant(language: Language(statement.string(0)), text: statement.string(1)))
      }
      let texts = ContentKey.normalisedTexts(of: stored)
      if texts.count == wanted.count && zip(texts, wanted).allSatisfy({ $0 == $1 }) {
        return id
      }
    }
    return nil
  }
}

extension SQLiteConnection {
  /// Inserts a unit's properties without a column (``PropertyColumns/others``) into the
  /// `property` table.
  func insertProperties(_ others: [(position: Int, property: Property)], unitID id: Int64) throws {
    guard !others.isEmpty else { return }
    let insert = try cached("INSERT INTO property (unit_id, position, type, value) VALUES (?1, ?2, ?3, ?4)")
    for (position, property) in others {
      insert.reset()
      insert.bind(1, id)
      insert.bind(2, Int64(position))
      insert.bind(3, property.type)
      insert.bind(4, property.value)
      try insert.step()
    }
  }
}
