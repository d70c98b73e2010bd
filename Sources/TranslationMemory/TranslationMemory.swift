import CSQLite
import Foundation
import TextSegmentation

/// A translation memory stored in one SQLite file.
///
/// The file is in WAL mode: other processes can read while one writes. Every ``write(_:)`` is one
/// transaction, so a crash leaves the memory as it was before or with all of the writes.
///
/// ```swift
/// let memory = try TranslationMemory(url: TranslationMemoryLocation.resolve())
/// try memory.write { memory in
///   try memory.add(units)
/// }
/// ```
///
/// One instance can be shared between threads: calls are serialised.
public final class TranslationMemory: @unchecked Sendable {
  /// The aligntm version written into TMX headers and `x-tool`.
  public static let toolVersion = "0.1.0"

  /// The database file.
  public let url: URL
  /// SQLite's page cache, in KiB.
  static let cacheKiB = 32_768
  /// The page size of new memories. 16 KiB rather than SQLite's 4 KiB: fewer, larger writes to
  /// the WAL and at the checkpoint. Storing the rows of 1M imported units in an empty memory in
  /// one transaction (the copy `aligntm-bench tmx` times as its ceiling) took 12.2 s with 4 KiB
  /// pages, of which 4.3 s to commit, and 8.6 s with 16 KiB, of which 2.2 s to commit. 32 KiB
  /// gained nothing more, 64 KiB a tenth, which the import, bound by its parsing, doesn't see.
  static let pageSize = 16_384
  // Every access to `connection` and `transactionDepth` holds `lock`.
  private let lock = NSRecursiveLock()
  let connection: SQLiteConnection
  private var transactionDepth = 0

  /// Opens the memory at `url`, creating it (and its folder) if needed, and upgrades its schema.
  ///
  /// - Parameter busyTimeout: How long to wait for another process's write lock.
  /// - Throws: ``TranslationMemoryError`` naming the file.
  public init(url: URL, busyTimeout: Duration = .seconds(10)) throws {
    self.url = url
    let path = url.path
    let folder = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw TranslationMemoryError.cannotOpen(path: path, reason: "cannot create folder \(folder.path)")
    }
    connection = try SQLiteConnection(path: path)
    let milliseconds = busyTimeout.components.seconds * 1000
      + busyTimeout.components.attoseconds / 1_000_000_000_000_000
    sqlite3_busy_timeout(connection.handle, Int32(clamping: milliseconds))
    do {
      try connection.execute("PRAGMA foreign_keys = ON")
      // Only a new, empty file takes a page size; an existing memory keeps its own.
      try connection.execute("PRAGMA page_size = \(Self.pageSize)")
      let statement = try connection.prepare("PRAGMA journal_mode = WAL")
      let mode = try statement.step() ? statement.string(0).lowercased() : ""
      statement.reset()
      if mode != "wal" {
        throw TranslationMemoryError.cannotOpen(
          path: path, reason: "cannot switch to WAL mode (journal mode is '\(mode)')")
      }
      // In WAL mode NORMAL keeps the database consistent after a crash; it only may lose the last
      // commits after a power failure.
      try connection.execute(
        "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -\(Self.cacheKiB); PRAGMA temp_store = MEMORY")
      try Schema.migrate(connection)
    } catch let error as TranslationMemoryError {
      if case .sqlite(_, let code, let message) = error, code & 0xFF == SQLITE_NOTADB {
        throw TranslationMemoryError.notAMemory(path: path, reason: message)
      }
      throw error
    }
  }

  /// The schema version of the open memory.
  public var schemaVersion: Int {
    get throws { try locked { Int(try connection.scalarInt("PRAGMA user_version") ?? 0) } }
  }

  // MARK: Transactions

  /// Runs `body` in one write transaction: it commits when `body` returns and rolls back when it
  /// throws. Nested calls join the outer transaction.
  ///
  /// - Throws: What `body` throws, or ``TranslationMemoryError`` when SQLite fails.
  @discardableResult
  public func write<T>(_ body: (TranslationMemory) throws -> T) throws -> T {
    try locked {
      if transactionDepth > 0 {
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        return try body(self)
      }
      try begin("BEGIN IMMEDIATE")
      transactionDepth = 1
      defer { transactionDepth = 0 }
      do {
        let result = try body(self)
        try connection.execute("UPDATE generation SET value = value + 1 WHERE id = 1")
        try connection.execute("COMMIT")
        return result
      } catch {
        try? connection.execute("ROLLBACK")
        throw error
      }
    }
  }

  /// ``write(_:)`` without SQLite's foreign key checks, for bulk writes whose rows reference
  /// only units they have just inserted (each check is one more B-tree lookup per row). SQLite
  /// ignores the switch inside a transaction, so a nested call keeps checking.
  func writeWithoutForeignKeyChecks<T>(_ body: (TranslationMemory) throws -> T) throws -> T {
    try locked {
      let outermost = transactionDepth == 0
      if outermost { try connection.execute("PRAGMA foreign_keys = OFF") }
      defer { if outermost { try? connection.execute("PRAGMA foreign_keys = ON") } }
      return try write(body)
    }
  }

  /// A number that every write transaction changes: what is derived from the memory (such as a
  /// saved fuzzy index) records it and is stale when it differs.
  public func generation() throws -> Int64 {
    try read { try connection.scalarInt("SELECT value FROM generation WHERE id = 1") ?? 0 }
  }

  /// Runs `body` on one consistent snapshot (a read transaction) unless a transaction is open.
  func read<T>(_ body: () throws -> T) throws -> T {
    try locked {
      if transactionDepth > 0 { return try body() }
      try begin("BEGIN DEFERRED")
      transactionDepth = 1
      defer { transactionDepth = 0 }
      do {
        let result = try body()
        try connection.execute("COMMIT")
        return result
      } catch {
        try? connection.execute("ROLLBACK")
        throw error
      }
    }
  }

  private func begin(_ sql: String) throws {
    do {
      try connection.execute(sql)
    } catch TranslationMemoryError.sqlite(_, let code, _) where code & 0xFF == SQLITE_BUSY {
      throw TranslationMemoryError.busy(path: url.path)
    }
  }

  private func locked<T>(_ body: () throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }

  // MARK: Adding

  /// What ``add(_:)-(TranslationUnit)`` did with a unit.
  public enum AddOutcome: Sendable, Hashable {
    /// The unit is new; it has this id.
    case inserted(id: Int64)
    /// The same texts were already stored in this unit: its usage count and change date changed.
    case merged(id: Int64)

    /// The stored unit's id.
    public var id: Int64 {
      switch self {
      case .inserted(let id), .merged(let id): return id
      }
    }
  }

  /// How many units a batch inserted and merged.
  public struct AddSummary: Sendable, Hashable {
    public var inserted = 0
    public var merged = 0
    public init(inserted: Int = 0, merged: Int = 0) {
      self.inserted = inserted
      self.merged = merged
    }
  }

  /// Adds units in one transaction (or in the open one).
  @discardableResult
  public func add(_ units: some Sequence<TranslationUnit>) throws -> AddSummary {
    try write { memory in
      var summary = AddSummary()
      for unit in units {
        switch try memory.add(unit) {
        case .inserted: summary.inserted += 1
        case .merged: summary.merged += 1
        }
      }
      return summary
    }
  }

  /// Merges a unit into its stored duplicate: usage count added (?1), change date (?2) and id
  /// (?3) updated, for unit ?4. Adding one unit and importing a batch both use it.
  static let mergeDuplicateSQL: StaticString = """
    UPDATE unit SET usage_count = usage_count + ?1,
      change_date = max(coalesce(change_date, creation_date), ?2),
      change_id = coalesce(?3, change_id)
    WHERE id = ?4
    """

  /// Adds one unit, or merges it into the stored unit with the same normalised texts.
  ///
  /// - Throws: ``TranslationMemoryError/invalidUnit(path:reason:)`` for a unit with no variant or
  ///   two variants in one language.
  @discardableResult
  public func add(_ unit: TranslationUnit) throws -> AddOutcome {
    try validate(unit)
    return try write { _ in
      let key = ContentKey.key(of: unit.variants)
      if let existing = try findDuplicate(of: unit, key: key) {
        let update = try connection.cached(TranslationMemory.mergeDuplicateSQL)
        update.bind(1, Int64(max(unit.usageCount, 1)))
        update.bind(2, Int64((unit.changeDate ?? unit.creationDate).timeIntervalSince1970))
        update.bind(3, unit.changeID ?? unit.creationID)
        update.bind(4, existing)
        try update.step()
        return .merged(id: existing)
      }
      let columns = PropertyColumns(splitting: unit.properties)
      let insert = try connection.cached(
        """
        INSERT INTO unit (tuid, source_language, creation_date, creation_id, change_date, change_id,
          usage_count, content_key, property_order, document, paragraph, score, source_file,
          target_file, tool)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
        """)
      insert.bind(1, unit.tuid)
      insert.bind(2, unit.sourceLanguage.rawValue)
      insert.bind(3, Int64(unit.creationDate.timeIntervalSince1970))
      insert.bind(4, unit.creationID)
      insert.bind(5, unit.changeDate.map { Int64($0.timeIntervalSince1970) })
      insert.bind(6, unit.changeID)
      insert.bind(7, Int64(max(unit.usageCount, 0)))
      insert.bind(8, key)
      insert.bind(9, columns.order)
      for (index, value) in columns.values.enumerated() { insert.bind(Int32(10 + index), value) }
      try insert.step()
      let id = connection.lastInsertRowID
      let variant = try connection.cached(
        "INSERT INTO variant (unit_id, language, text, codes) VALUES (?1, ?2, ?3, ?4)")
      for item in unit.variants {
        variant.reset()
        variant.bind(1, id)
        variant.bind(2, item.language.rawValue)
        variant.bind(3, item.text)
        variant.bind(4, InlineCodeCoding.encode(item.codes))
        try variant.step()
      }
      try insertExtra(_UnitBatch.Extra(others: columns.others, notes: unit.notes), unitID: id)
      return .inserted(id: id)
    }
  }

  /// Inserts a unit's properties without a column and its notes.
  func insertExtra(_ extra: _UnitBatch.Extra, unitID id: Int64) throws {
    if !extra.others.isEmpty {
      let property = try connection.cached(
        "INSERT INTO property (unit_id, position, type, value) VALUES (?1, ?2, ?3, ?4)")
      for (position, item) in extra.others {
        property.reset()
        property.bind(1, id)
        property.bind(2, Int64(position))
        property.bind(3, item.type)
        property.bind(4, item.value)
        try property.step()
      }
    }
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

  func validate(_ unit: TranslationUnit) throws {
    guard !unit.variants.isEmpty else {
      throw TranslationMemoryError.invalidUnit(path: url.path, reason: "it has no variant")
    }
    if unit.variants.count == 2 {
      if unit.variants[0].language != unit.variants[1].language { return }
      throw TranslationMemoryError.invalidUnit(
        path: url.path, reason: "two variants in language '\(unit.variants[0].language)'")
    }
    var seen = Set<Language>()
    for variant in unit.variants where !seen.insert(variant.language).inserted {
      throw TranslationMemoryError.invalidUnit(
        path: url.path, reason: "two variants in language '\(variant.language)'")
    }
  }

  private func findDuplicate(of unit: TranslationUnit, key: Int64) throws -> Int64? {
    let candidates = try connection.cached("SELECT id FROM unit WHERE content_key = ?1")
    candidates.bind(1, key)
    var ids: [Int64] = []
    while try candidates.step() { ids.append(candidates.int64(0)) }
    guard !ids.isEmpty else { return nil }
    return try duplicate(among: ids, of: unit.variants)
  }

  /// The first of the units with the same key whose normalised texts are those of `variants`:
  /// a hash collision never merges two different units.
  func duplicate(among ids: [Int64], of variants: [Variant]) throws -> Int64? {
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

  // MARK: Removing

  /// Removes every unit of a document (`x-document`). Returns how many.
  @discardableResult
  public func remove(document: String) throws -> Int {
    try write { _ in
      let statement = try connection.cached("DELETE FROM unit WHERE document = ?1")
      statement.bind(1, document)
      try statement.step()
      return connection.changes
    }
  }

  // MARK: Reading

  /// A unit by its id, or nil.
  public func unit(id: Int64) throws -> TranslationUnit? {
    var found: TranslationUnit?
    try forEachUnit(filter: .id(id)) { found = $0 }
    return found
  }

  /// The units of a document (or all units), in id order.
  public func units(document: String? = nil) throws -> [TranslationUnit] {
    var units: [TranslationUnit] = []
    try forEachUnit(document: document) { units.append($0) }
    return units
  }

  /// Calls `body` with each unit in id order, streaming: memory use doesn't grow with the memory.
  ///
  /// All units come from one snapshot, even while another process writes.
  ///
  /// - Parameters:
  ///   - document: Only units of this document (`x-document`), when set.
  ///   - languages: Only variants in these languages, when set; units left with no variant are
  ///     skipped.
  ///   - body: Called once per unit; throw to stop.
  public func forEachUnit(
    document: String? = nil, languages: Set<Language>? = nil,
    _ body: (TranslationUnit) throws -> Void
  ) throws {
    try forEachUnit(filter: document.map { .document($0) } ?? .all, languages: languages, body)
  }

  enum UnitFilter {
    case all, document(String), id(Int64)
  }

  /// Four statements over units, variants, properties and notes, each in unit id order and
  /// bound to the filter, for a merge join that reads each table once.
  func unitCursors(_ filter: UnitFilter) throws -> (
    units: SQLiteStatement, variants: SQLiteStatement, properties: SQLiteStatement,
    notes: SQLiteStatement
  ) {
    let unitWhere: String
    let childWhere: String
    switch filter {
    case .all:
      unitWhere = ""
      childWhere = ""
    case .document:
      unitWhere = "WHERE document = ?1"
      childWhere = "WHERE unit_id IN (SELECT id FROM unit WHERE document = ?1)"
    case .id:
      unitWhere = "WHERE id = ?1"
      childWhere = "WHERE unit_id = ?1"
    }
    let units = try connection.prepare(
      """
      SELECT id, tuid, source_language, creation_date, creation_id, change_date, change_id,
        usage_count, property_order, document, paragraph, score, source_file, target_file, tool
      FROM unit \(unitWhere) ORDER BY id
      """)
    let variants = try connection.prepare(
      "SELECT unit_id, language, text, codes FROM variant \(childWhere) ORDER BY unit_id, language")
    let properties = try connection.prepare(
      "SELECT unit_id, position, type, value FROM property \(childWhere) ORDER BY unit_id, position")
    let notes = try connection.prepare(
      "SELECT unit_id, text FROM note \(childWhere) ORDER BY unit_id, position")
    for statement in [units, variants, properties, notes] {
      switch filter {
      case .all: break
      case .document(let symbol): statement.bind(1, symbol)
      case .id(let id): statement.bind(1, id)
      }
    }
    return (units, variants, properties, notes)
  }

  func forEachUnit(
    filter: UnitFilter, languages: Set<Language>? = nil, _ body: (TranslationUnit) throws -> Void
  ) throws {
    try read {
      // A merge join: four cursors in unit id order, each read once from start to end.
      let (units, variants, properties, notes) = try unitCursors(filter)
      var hasVariant = try variants.step()
      var hasProperty = try properties.step()
      var hasNote = try notes.step()
      while try units.step() {
        let id = units.int64(0)
        let source = Language(units.string(2))
        var unitVariants: [Variant] = []
        while hasVariant && variants.int64(0) <= id {
          if variants.int64(0) == id {
            let language = Language(variants.string(1))
            if languages?.contains(language) ?? true {
              let codes = variants.isNull(3) ? [] : InlineCodeCoding.decode(variants.blob(3))
              let variant = Variant(language: language, text: variants.string(2), codes: codes)
              if language == source { unitVariants.insert(variant, at: 0) } else { unitVariants.append(variant) }
            }
          }
          hasVariant = try variants.step()
        }
        var otherProperties: [(position: Int, property: Property)] = []
        while hasProperty && properties.int64(0) <= id {
          if properties.int64(0) == id {
            otherProperties.append(
              (Int(properties.int64(1)), Property(type: properties.string(2), value: properties.string(3))))
          }
          hasProperty = try properties.step()
        }
        var unitNotes: [String] = []
        while hasNote && notes.int64(0) <= id {
          if notes.int64(0) == id { unitNotes.append(notes.string(1)) }
          hasNote = try notes.step()
        }
        if unitVariants.isEmpty { continue }
        try body(
          TranslationUnit(
            id: id, tuid: units.optionalString(1), sourceLanguage: source, variants: unitVariants,
            properties: PropertyColumns.merge(
              values: (9..<15).map { units.optionalString($0) }, order: units.optionalInt64(8),
              others: otherProperties),
            notes: unitNotes,
            creationDate: Date(timeIntervalSince1970: TimeInterval(units.int64(3))),
            creationID: units.optionalString(4),
            changeDate: units.optionalInt64(5).map { Date(timeIntervalSince1970: TimeInterval($0)) },
            changeID: units.optionalString(6), usageCount: Int(units.int64(7))))
      }
    }
  }

  /// The source languages of the stored units (of one document when set), sorted.
  public func sourceLanguages(document: String? = nil) throws -> [Language] {
    try read {
      // No ORDER BY: with it SQLite sorts every row before removing duplicates (80 MiB for a
      // million units); without it a temporary b-tree holds only the distinct values.
      let statement = try connection.prepare(
        document == nil
          ? "SELECT DISTINCT source_language FROM unit"
          : "SELECT DISTINCT source_language FROM unit WHERE document = ?1")
      statement.bind(1, document)
      var languages: [Language] = []
      while try statement.step() { languages.append(Language(statement.string(0))) }
      return languages.sorted { $0.rawValue < $1.rawValue }
    }
  }

  // MARK: Statistics

  /// How many units a document has.
  public struct DocumentCount: Sendable, Hashable {
    /// The document symbol; nil for units without `x-document`.
    public var document: String?
    public var unitCount: Int
  }

  /// What the memory holds.
  public struct Statistics: Sendable, Hashable {
    public var unitCount: Int
    public var variantCount: Int
    /// Variants per language.
    public var languages: [Language: Int]
    /// Units per document, sorted by symbol (units without a symbol first).
    public var documents: [DocumentCount]
  }

  /// Counts units, variants per language and units per document.
  public func statistics() throws -> Statistics {
    try read {
      let unitCount = Int(try connection.scalarInt("SELECT count(*) FROM unit") ?? 0)
      var languages: [Language: Int] = [:]
      var variantCount = 0
      let byLanguage = try connection.prepare(
        "SELECT language, count(*) FROM variant GROUP BY language")
      while try byLanguage.step() {
        let count = Int(byLanguage.int64(1))
        languages[Language(byLanguage.string(0))] = count
        variantCount += count
      }
      var documents: [DocumentCount] = []
      let byDocument = try connection.prepare(
        "SELECT document, count(*) FROM unit GROUP BY document ORDER BY document")
      while try byDocument.step() {
        documents.append(
          DocumentCount(document: byDocument.optionalString(0), unitCount: Int(byDocument.int64(1))))
      }
      return Statistics(
        unitCount: unitCount, variantCount: variantCount, languages: languages, documents: documents)
    }
  }

  /// Runs `PRAGMA integrity_check`; returns `["ok"]` for a sound file.
  public func integrityCheck() throws -> [String] {
    try locked {
      let statement = try connection.prepare("PRAGMA integrity_check")
      var lines: [String] = []
      while try statement.step() { lines.append(statement.string(0)) }
      return lines
    }
  }
}
