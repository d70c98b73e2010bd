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
    var lastUsageDate: Int64?
    var propertyOrder: Int64?
    /// Where the unit's texts start in ``texts``.
    var firstText: Int
    var variantCount: Int
    /// Index in ``extras`` of the unit's other properties and notes; -1 when it has none.
    var extra: Int
  }

  /// Properties without a column, notes and the variants' own metadata: rare, kept as they are.
  struct Extra: Sendable {
    var others: [(position: Int, property: Property)]
    var notes: [String]
    /// Per variant, in order: the variant when it has metadata of its own (or nil).
    var variants: [Variant?]
    /// The unit's context properties (``ContentKey/contextTypes``), for the duplicate rule.
    var context: [Property]
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
    case .segmentType: 10
    case .dataType: 11
    case .creationTool: 12
    case .creationToolVersion: 13
    case .creationDate, .changeDate, .usageCount, .contentKey, .propertyOrder, .lastUsageDate: nil
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
  /// Deviations accepted in the file (the last batch holds them all).
  var warnings: [TMXWarning] = []
  /// Progress reached while reading them.
  var progress: [TMXReader.Progress] = []

  /// Whether a merge always adds the usage count. Units read from a file may be the memory's
  /// own units read again (an export imported back): one that comes with the stored unit's
  /// creation date keeps the larger count. Units made now (aligned, added) are each a new use,
  /// even when two are made in the same second.
  var countsEveryUse = false

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
      case .segmentType: add(unit.segmentType)
      case .dataType: add(unit.dataType)
      case .creationTool: add(unit.creationTool)
      case .creationToolVersion: add(unit.creationToolVersion)
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
    let hasVariantMetadata = unit.variants.contains(where: \.hasMetadata)
    if !columns.others.isEmpty || !unit.notes.isEmpty || hasVariantMetadata {
      extra = extras.count
      extras.append(
        Extra(
          others: columns.others, notes: unit.notes,
          variants: hasVariantMetadata ? unit.variants.map { $0.hasMetadata ? $0 : nil } : [],
          context: unit.properties.filter { ContentKey.contextTypes.contains($0.type) }))
    }
    units.append(
      Unit(
        creationDate: Int64(unit.creationDate.timeIntervalSince1970),
        changeDate: unit.changeDate.map { Int64($0.timeIntervalSince1970) },
        usageCount: Int64(unit.usageCount),
        lastUsageDate: unit.lastUsageDate.map { Int64($0.timeIntervalSince1970) },
        propertyOrder: columns.order, firstText: first,
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
    func bind(_ text: Text, to statement: any StoreStatement, at index: Int32) {
      if text.isNull {
        statement.bind(index, nil as String?)
      } else {
        statement.bindStatic(index, base + text.offset, count: text.count)
      }
    }

    /// Binds a blob in place, or NULL.
    func bindBlob(_ bytes: Text, to statement: any StoreStatement, at index: Int32) {
      if bytes.isNull {
        statement.bind(index, nil as [UInt8]?)
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

  /// The duplicate key of one of the batch's units (``ContentKey/UnitIdentity``), from its bytes
  /// at `arena`.
  func key(of unit: Unit, in arena: UnsafePointer<UInt8>) -> Int64 {
    let fields = fields(of: unit)
    let arena = Arena(base: arena)
    let context = unit.extra >= 0 ? extras[unit.extra].context : []
    if unit.variantCount == 2 && context.isEmpty {
      let first = fields.variant(0)
      let second = fields.variant(1)
      if first.codes.isNull && second.codes.isNull,
        let key = ContentKey.exactKey(
          (arena.buffer(first.language), arena.buffer(first.text)),
          (arena.buffer(second.language), arena.buffer(second.text)))
      {
        return key
      }
    }
    return identity(of: unit, in: arena).key
  }

  /// The duplicate rule's view of one of the batch's units.
  func identity(of unit: Unit, in arena: Arena) -> ContentKey.UnitIdentity {
    let fields = fields(of: unit)
    let variants = (0..<unit.variantCount).map { index in
      let texts = fields.variant(index)
      return ContentKey.VariantIdentity(
        language: arena.string(texts.language), text: arena.string(texts.text),
        codes: texts.codes.isNull ? [] : InlineCodeCoding.decode(Array(arena.buffer(texts.codes))))
    }
    return ContentKey.UnitIdentity(
      variants: variants, context: unit.extra >= 0 ? extras[unit.extra].context : [])
  }

  /// One of the batch's units made whole again, for a merge.
  func translationUnit(_ unit: Unit, in arena: Arena) -> TranslationUnit {
    let fields = fields(of: unit)
    let extra = unit.extra >= 0 ? extras[unit.extra] : nil
    var variants: [Variant] = []
    for index in 0..<unit.variantCount {
      let texts = fields.variant(index)
      var variant =
        (extra?.variants.isEmpty ?? true ? nil : extra?.variants[index])
        ?? Variant(language: Language(arena.string(texts.language)), text: "")
      variant.text = arena.string(texts.text)
      variant.codes = texts.codes.isNull ? [] : InlineCodeCoding.decode(Array(arena.buffer(texts.codes)))
      variants.append(variant)
    }
    func text(_ column: UnitColumn) -> String? {
      let value = fields[column]
      return value.isNull ? nil : arena.string(value)
    }
    let properties = PropertyColumns.merge(
      values: UnitColumn.properties.map(text), order: unit.propertyOrder, others: extra?.others ?? [])
    return TranslationUnit(
      tuid: text(.tuid), sourceLanguage: Language(text(.sourceLanguage) ?? ""), variants: variants,
      properties: properties, notes: extra?.notes ?? [],
      creationDate: Date(timeIntervalSince1970: TimeInterval(unit.creationDate)),
      creationID: text(.creationID),
      changeDate: unit.changeDate.map { Date(timeIntervalSince1970: TimeInterval($0)) },
      changeID: text(.changeID), usageCount: Int(unit.usageCount))
  }
}

extension TranslationUnit {
  /// What the store refuses: a unit with no variant, or whose every variant is blank: text empty or white space only, and no inline code (it holds nothing
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
    // Two variants in one language are alternative translations (OmegaT writes them): kept.
  }
}

extension TranslationMemory {
  /// Writes a batch of packed units in the open transaction, each merged into its stored
  /// duplicate or inserted, and tells `outcome` what became of each, in order.
  ///
  /// - Parameters:
  ///   - keys: When set, holds the duplicate key of every stored unit: a key it has never seen
  ///     is not looked up. New units' keys are added to it.
  ///   - range: Only these units of the batch (PostgreSQL's COPY load writes the others).
  func insert(
    _ batch: _UnitBatch, keys: inout _ContentKeyFilter?, range: Range<Int>? = nil,
    _ outcome: (AddOutcome) -> Void
  ) throws {
    guard !batch.units.isEmpty, range?.isEmpty != true else { return }
    let statements = try UnitStatements(connection)
    // The bindings point into the batch, which goes away.
    defer { statements.reset() }
    try batch.withArena { arena in
      for unit in batch.units[range ?? batch.units.indices] {
        let result = try store(
          unit, of: batch, fields: batch.fields(of: unit), key: batch.key(of: unit, in: arena.base),
          extra: unit.extra >= 0 ? batch.extras[unit.extra] : nil, arena: arena,
          statements: statements, keys: &keys)
        outcome(result)
      }
    }
  }

  /// The statements that write units, prepared once per batch.
  private struct UnitStatements {
    let duplicates: any StoreStatement
    let insertUnit: any StoreStatement
    let insertVariant: any StoreStatement

    init(_ connection: any StoreConnection) throws {
      duplicates = try connection.cached("SELECT id FROM unit WHERE content_key = ?1")
      switch connection.dialect {
      case .sqlite: insertUnit = try connection.cached("insert unit", sql: UnitColumn.insertSQL)
      case .postgresql:
        insertUnit = try connection.cached("insert unit returning", sql: UnitColumn.insertReturningSQL)
      }
      // One row per statement: a statement that writes two rows may fail on the second after
      // writing the first, so SQLite keeps a statement journal for it (a copy of every page it
      // touches), which made the two-row insert a third slower than two one-row inserts.
      insertVariant = try connection.cached(
        """
        INSERT INTO variant (unit_id, position, language, text, codes, creation_date, creation_id,
          change_date, change_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        """)
    }

    func reset() {
      for statement in [duplicates, insertUnit, insertVariant] { statement.reset() }
    }
  }

  /// The merge-or-insert rule: a unit whose normalised texts are stored already is merged into
  /// that unit (usage count added, change date and id updated); any other is inserted.
  private func store(
    _ unit: _UnitBatch.Unit, of batch: _UnitBatch, fields: _UnitBatch.Fields, key: Int64,
    extra: _UnitBatch.Extra?,
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
      let identity = batch.identity(of: unit, in: arena)
      if let existing = try duplicate(among: candidates, of: identity) {
        let update = try connection.cached(TranslationMemory.mergeDuplicateSQL(connection.dialect))
        update.bind(1, max(unit.usageCount, 1))
        update.bind(2, unit.changeDate ?? unit.creationDate)
        let changeID = fields[.changeID]
        arena.bind(changeID.isNull ? fields[.creationID] : changeID, to: update, at: 3)
        update.bind(4, existing)
        update.bind(5, batch.countsEveryUse ? nil : Int64?(unit.creationDate))
        try update.step()
        update.reset()
        try mergeDetails(of: batch.translationUnit(unit, in: arena), into: existing)
        return .merged(id: existing)
      }
    }
    let insertUnit = statements.insertUnit
    insertUnit.reset(clearingBindings: false)
    bindRow(of: unit, fields: fields, key: key, arena: arena, to: insertUnit)
    let id: Int64
    if let sqlite {
      try insertUnit.step()
      id = sqlite.lastInsertRowID
    } else {
      // PostgreSQL has no last row id: the insert returns it.
      guard try insertUnit.step() else {
        throw TranslationMemoryError.invalidUnit(path: displayPath, reason: "the store returned no id for it")
      }
      id = insertUnit.int64(0)
    }
    let insertVariant = statements.insertVariant
    for index in 0..<unit.variantCount {
      let texts = fields.variant(index)
      insertVariant.reset(clearingBindings: false)
      insertVariant.bind(1, id)
      insertVariant.bind(2, Int64(index))
      arena.bind(texts.language, to: insertVariant, at: 3)
      arena.bind(texts.text, to: insertVariant, at: 4)
      arena.bindBlob(texts.codes, to: insertVariant, at: 5)
      let metadata = extra.flatMap { $0.variants.isEmpty ? nil : $0.variants[index] }
      insertVariant.bind(6, metadata?.creationDate.map { Int64($0.timeIntervalSince1970) })
      insertVariant.bind(7, metadata?.creationID)
      insertVariant.bind(8, metadata?.changeDate.map { Int64($0.timeIntervalSince1970) })
      insertVariant.bind(9, metadata?.changeID)
      try insertVariant.step()
    }
    if let extra { try insertExtra(extra, unitID: id) }
    keys?.insert(key)
    return .inserted(id: id)
  }

  /// Binds every column of ``UnitColumn/insertSQL``.
  private func bindRow(
    of unit: _UnitBatch.Unit, fields: _UnitBatch.Fields, key: Int64, arena: _UnitBatch.Arena,
    to statement: any StoreStatement
  ) {
    for column in UnitColumn.inOrder {
      switch column {
      case .creationDate: statement.bind(column.rawValue, unit.creationDate)
      case .changeDate: statement.bind(column.rawValue, unit.changeDate)
      case .usageCount: statement.bind(column.rawValue, max(unit.usageCount, 0))
      case .contentKey: statement.bind(column.rawValue, key)
      case .propertyOrder: statement.bind(column.rawValue, unit.propertyOrder)
      case .lastUsageDate: statement.bind(column.rawValue, unit.lastUsageDate)
      case .tuid, .sourceLanguage, .creationID, .changeID, .document, .paragraph, .score, .sourceFile,
        .targetFile, .tool, .segmentType, .dataType, .creationTool, .creationToolVersion:
        arena.bind(fields[column], to: statement, at: column.rawValue)
      }
    }
  }

  /// Merges a unit into its stored duplicate, unit ?4: the usage count ?1 added (or the larger
  /// kept, when the unit comes back with the same creation date ?5: the same unit read again),
  /// the change date ?2 and id ?3 taken when newer (a unit read again with its own dates changes
  /// nothing), one more unit merged.
  static func mergeDuplicateSQL(_ dialect: SQLDialect) -> StaticString {
    switch dialect {
    case .sqlite: mergeDuplicateSQLite
    case .postgresql: mergeDuplicatePostgreSQL
    }
  }

  private static let mergeDuplicateSQLite: StaticString = """
    UPDATE unit SET
      usage_count = CASE WHEN creation_date = ?5 THEN max(usage_count, ?1) ELSE usage_count + ?1 END,
      change_date = CASE WHEN ?2 > coalesce(change_date, creation_date) THEN ?2 ELSE change_date END,
      change_id = CASE WHEN ?2 >= coalesce(change_date, creation_date) THEN coalesce(?3, change_id)
        ELSE change_id END,
      merged_count = merged_count + 1
    WHERE id = ?4
    """

  /// ``mergeDuplicateSQLite`` with PostgreSQL's `greatest` for SQLite's two-argument `max`.
  private static let mergeDuplicatePostgreSQL: StaticString = """
    UPDATE unit SET
      usage_count = CASE WHEN creation_date = ?5 THEN greatest(usage_count, ?1) ELSE usage_count + ?1 END,
      change_date = CASE WHEN ?2 > coalesce(change_date, creation_date) THEN ?2 ELSE change_date END,
      change_id = CASE WHEN ?2 >= coalesce(change_date, creation_date) THEN coalesce(?3, change_id)
        ELSE change_id END,
      merged_count = merged_count + 1
    WHERE id = ?4
    """

  /// Keeps what a merged unit brings: its properties and notes that the stored unit lacks, and
  /// for each variant, its metadata when newer (its change date, else its creation date, is
  /// later than the stored variant's) and its properties and notes that the variant lacks.
  private func mergeDetails(of incoming: TranslationUnit, into id: Int64) throws {
    guard let stored = try unit(id: id) else { return }
    let newProperties = incoming.properties.filter { !stored.properties.contains($0) }
    if !newProperties.isEmpty {
      try connection.insertProperties(
        newProperties.enumerated().map { (stored.properties.count + $0.offset, $0.element) }, unitID: id)
    }
    let newNotes = incoming.notes.filter { !stored.notes.contains($0) }
    try insertNotes(newNotes, from: stored.notes.count, unitID: id)
    var taken = Set<Int>()
    for variant in incoming.variants {
      let identity = ContentKey.VariantIdentity(variant)
      guard
        let position = stored.variants.indices.first(where: {
          !taken.contains($0) && ContentKey.VariantIdentity(stored.variants[$0]) == identity
        })
      else { continue }
      taken.insert(position)
      let old = stored.variants[position]
      let incomingDate = variant.changeDate ?? variant.creationDate
      let storedDate = old.changeDate ?? old.creationDate
      if variant.hasMetadata || variant.codes != old.codes,
        let incomingDate, storedDate.map({ incomingDate > $0 }) ?? true
      {
        let update = try connection.cached(
          """
          UPDATE variant SET creation_date = coalesce(?1, creation_date),
            creation_id = coalesce(?2, creation_id), change_date = ?3, change_id = coalesce(?4, change_id),
            codes = ?5
          WHERE unit_id = ?6 AND position = ?7
          """)
        update.reset()
        update.bind(1, variant.creationDate.map { Int64($0.timeIntervalSince1970) })
        update.bind(2, variant.creationID)
        update.bind(3, (variant.changeDate ?? old.changeDate).map { Int64($0.timeIntervalSince1970) })
        update.bind(4, variant.changeID)
        update.bind(5, InlineCodeCoding.encode(variant.codes))
        update.bind(6, id)
        update.bind(7, Int64(position))
        try update.step()
      }
      let details =
        variant.properties.filter { !old.properties.contains($0) }.map { ($0.type as String?, $0.value) }
        + variant.notes.filter { !old.notes.contains($0) }.map { (nil as String?, $0) }
      try connection.insertVariantDetails(
        details, from: old.properties.count + old.notes.count, unitID: id, variant: position)
    }
  }

  private func insertNotes(_ notes: [String], from start: Int, unitID id: Int64) throws {
    guard !notes.isEmpty else { return }
    let note = try connection.cached("INSERT INTO note (unit_id, position, text) VALUES (?1, ?2, ?3)")
    for (offset, item) in notes.enumerated() {
      note.reset()
      note.bind(1, id)
      note.bind(2, Int64(start + offset))
      note.bind(3, item)
      try note.step()
    }
  }

  /// Inserts a unit's properties without a column and its notes.
  private func insertExtra(_ extra: _UnitBatch.Extra, unitID id: Int64) throws {
    try connection.insertProperties(extra.others, unitID: id)
    try insertNotes(extra.notes, from: 0, unitID: id)
    for (index, variant) in extra.variants.enumerated() {
      guard let variant else { continue }
      let details =
        variant.properties.map { ($0.type as String?, $0.value) } + variant.notes.map { (nil as String?, $0) }
      try connection.insertVariantDetails(details, from: 0, unitID: id, variant: index)
    }
  }

  /// The first of the units with the same key that is the same unit (``ContentKey/UnitIdentity``):
  /// a hash collision never merges two different units.
  private func duplicate(among ids: [Int64], of identity: ContentKey.UnitIdentity) throws -> Int64? {
    for id in ids where try ContentKey.storedIdentity(of: id, connection) == identity {
      return id
    }
    return nil
  }
}

extension StoreConnection {
  /// Inserts a variant's properties (type set) and notes (type nil) into `variant_detail`, at
  /// positions from `start`.
  func insertVariantDetails(
    _ details: [(type: String?, value: String)], from start: Int, unitID id: Int64, variant: Int
  ) throws {
    guard !details.isEmpty else { return }
    let insert = try cached(
      "INSERT INTO variant_detail (unit_id, variant, position, type, value) VALUES (?1, ?2, ?3, ?4, ?5)")
    for (offset, detail) in details.enumerated() {
      insert.reset()
      insert.bind(1, id)
      insert.bind(2, Int64(variant))
      insert.bind(3, Int64(start + offset))
      insert.bind(4, detail.type)
      insert.bind(5, detail.value)
      try insert.step()
    }
  }

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
