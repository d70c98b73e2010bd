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
///
/// The class is split by concern: opening and transactions here, then `+Adding`, `+Reading`,
/// `+Statistics` and `+TMX`; the SQL of the unit row lives in `Store/`.
// @unchecked: every access to `connection` and `transactionDepth` holds `lock`.
public final class TranslationMemory: @unchecked Sendable {
  /// The aligntm version written into TMX headers and `x-tool`.
  public static let toolVersion = "0.1.0"
  /// What aligntm writes as the tool of the units it makes (`x-tool`): name and version.
  public static let tool = "aligntm \(toolVersion)"

  /// The database file.
  public let url: URL
  /// SQLite's page cache, in KiB.
  static let cacheKiB = 32_768
  /// The page size of new memories. 16 KiB rather than SQLite's 4 KiB: fewer, larger writes to
  /// the WAL and at the checkpoint, which made storing a large import markedly faster; larger
  /// pages gained next to nothing more.
  static let pageSize = 16_384
  // Recursive: the body of `write` calls the memory's methods, which lock again.
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
    connection = try SQLiteConnection(path: path, busyTimeout: busyTimeout)
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
    } catch TranslationMemoryError.sqlite(_, SQLiteResultCode.notADatabase, let message) {
      throw TranslationMemoryError.notAMemory(path: path, reason: message)
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
    } catch SQLiteResultCode.busy {
      throw TranslationMemoryError.busy(path: url.path)
    }
  }

  func locked<T>(_ body: () throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }
}
