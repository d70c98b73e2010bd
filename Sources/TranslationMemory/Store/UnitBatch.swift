import CSQLite
import Foundation
import TextSegmentation

/// Units packed for the import's writing thread: every text in one byte arena, bound to SQLite
/// in place (`SQLITE_STATIC`), so the writer neither copies, allocates nor retains per field.
///
/// The parsing thread fills a batch (``append(_:)`` splits off the property columns and encodes
/// the inline codes there); ``TranslationMemory/insert(_:into:keys:)`` computes the duplicate
/// keys from the batch's bytes and writes it. Hashing on the writing thread balances the two:
/// parsing is the slower half, by more the smaller the memory.
struct _UnitBatch: Sendable {
  /// A text in ``bytes``; `count` is -1 for NULL.
  struct Text: Sendable {
    var offset: Int
    var count: Int
  }

  /// One unit. Its texts are `texts[firstText...]`: tuid, source language, creation id, change
  /// id, the six property columns, then language, text and codes of each variant.
  struct Unit: Sendable {
    var creationDate: Int64
    var changeDate: Int64?
    var usageCount: Int64
    var propertyOrder: Int64?
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

  static let fixedTexts = 10

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

  /// Packs a unit (already validated).
  mutating func append(_ unit: TranslationUnit) {
    let columns = PropertyColumns(splitting: unit.properties)
    let first = texts.count
    add(unit.tuid)
    add(unit.sourceLanguage.rawValue)
    add(unit.creationID)
    add(unit.changeID)
    for value in columns.values { add(value) }
    for variant in unit.variants {
      add(variant.language.rawValue)
      add(variant.text)
      if let codes = InlineCodeCoding.encode(variant.codes) {
        texts.append(Text(offset: bytes.count, count: codes.count))
        bytes.append(contentsOf: codes)
      } else {
        texts.append(Text(offset: 0, count: -1))
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

  /// The duplicate key of one of the batch's units (``ContentKey``), from its bytes at `arena`.
  func key(of unit: Unit, in arena: UnsafePointer<UInt8>) -> Int64 {
    ContentKey.key(count: unit.variantCount) { index in
      let language = texts[unit.firstText + Self.fixedTexts + 3 * index]
      let text = texts[unit.firstText + Self.fixedTexts + 3 * index + 1]
      return (UnsafeBufferPointer(start: arena + language.offset, count: language.count),
              UnsafeBufferPointer(start: arena + text.offset, count: text.count))
    }
  }

  private mutating func add(_ text: String?) {
    guard let text else {
      texts.append(Text(offset: 0, count: -1))
      return
    }
    let offset = bytes.count
    bytes.append(contentsOf: text.utf8)
    texts.append(Text(offset: offset, count: bytes.count - offset))
  }
}

extension TranslationMemory {
  /// Writes a batch of packed units in the open transaction, as ``add(_:)-(TranslationUnit)``
  /// would write each one, and counts them into `summary`.
  ///
  /// - Parameter keys: When set, holds the duplicate key of every stored unit: a key it has
  ///   never seen is not looked up. New units' keys are added to it.
  func insert(
    _ batch: _UnitBatch, into summary: inout TMXImportSummary, keys: inout _ContentKeyFilter?
  ) throws {
    guard !batch.units.isEmpty else { return }
    let duplicates = try connection.cached("SELECT id FROM unit WHERE content_key = ?1")
    let insertUnit = try connection.cached(
      """
      INSERT INTO unit (tuid, source_language, creation_date, creation_id, change_date, change_id,
        usage_count, content_key, property_order, document, paragraph, score, source_file,
        target_file, tool)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
      """)
    // One row per statement: a statement that writes two rows may fail on the second after
    // writing the first, so SQLite keeps a statement journal for it (a copy of every page it
    // touches), which made the two-row insert a third slower than two one-row inserts.
    let insertVariant = try connection.cached(
      "INSERT INTO variant (unit_id, language, text, codes) VALUES (?1, ?2, ?3, ?4)")
    defer {
      // The bindings point into the batch, which goes away.
      for statement in [duplicates, insertUnit, insertVariant] { statement.reset() }
    }
    try batch.bytes.withUnsafeBufferPointer { arena in
      guard let base = arena.baseAddress else { return }
      let texts = batch.texts
      func bind(_ statement: SQLiteStatement, _ index: Int32, _ text: _UnitBatch.Text) {
        if text.count < 0 {
          statement.bind(index, nil as Int64?)
        } else {
          statement.bindStatic(index, base + text.offset, count: text.count)
        }
      }
      func bindBlob(_ statement: SQLiteStatement, _ index: Int32, _ bytes: _UnitBatch.Text) {
        if bytes.count < 0 {
          statement.bind(index, nil as Int64?)
        } else {
          statement.bindStaticBlob(index, base + bytes.offset, count: bytes.count)
        }
      }
      for unit in batch.units {
        summary.unitsRead += 1
        let first = unit.firstText
        let key = batch.key(of: unit, in: base)
        var candidates: [Int64] = []
        if keys?.mightContain(key) ?? true {
          sqlite3_reset(duplicates.handle)
          duplicates.bind(1, key)
          while try duplicates.step() { candidates.append(duplicates.int64(0)) }
        }
        if !candidates.isEmpty {
          let variants = (0..<unit.variantCount).map { index in
            Variant(
              language: Language(string(texts[first + _UnitBatch.fixedTexts + 3 * index], base)),
              text: string(texts[first + _UnitBatch.fixedTexts + 3 * index + 1], base))
          }
          if let existing = try duplicate(among: candidates, of: variants) {
            let update = try connection.cached(TranslationMemory.mergeDuplicateSQL)
            update.bind(1, max(unit.usageCount, 1))
            update.bind(2, unit.changeDate ?? unit.creationDate)
            let changeID = texts[first + 3]
            bind(update, 3, changeID.count >= 0 ? changeID : texts[first + 2])
            update.bind(4, existing)
            try update.step()
            update.reset()
            summary.merged += 1
            continue
          }
        }
        sqlite3_reset(insertUnit.handle)
        bind(insertUnit, 1, texts[first])
        bind(insertUnit, 2, texts[first + 1])
        insertUnit.bind(3, unit.creationDate)
        bind(insertUnit, 4, texts[first + 2])
        insertUnit.bind(5, unit.changeDate)
        bind(insertUnit, 6, texts[first + 3])
        insertUnit.bind(7, max(unit.usageCount, 0))
        insertUnit.bind(8, key)
        insertUnit.bind(9, unit.propertyOrder)
        for column in 0..<6 { bind(insertUnit, Int32(10 + column), texts[first + 4 + column]) }
        try insertUnit.step()
        let id = connection.lastInsertRowID
        for index in 0..<unit.variantCount {
          let slot = first + _UnitBatch.fixedTexts + 3 * index
          sqlite3_reset(insertVariant.handle)
          insertVariant.bind(1, id)
          bind(insertVariant, 2, texts[slot])
          bind(insertVariant, 3, texts[slot + 1])
          bindBlob(insertVariant, 4, texts[slot + 2])
          try insertVariant.step()
        }
        if unit.extra >= 0 {
          try insertExtra(batch.extras[unit.extra], unitID: id)
        }
        keys?.insert(key)
        summary.inserted += 1
      }
    }
  }

  private func string(_ text: _UnitBatch.Text, _ base: UnsafePointer<UInt8>) -> String {
    String(decoding: UnsafeBufferPointer(start: base + text.offset, count: max(text.count, 0)), as: UTF8.self)
  }
}
