import Foundation
import TextSegmentation

/// A translation memory stored in one SQLite file, or in a PostgreSQL database (``StoreAddress``).
///
/// A SQLite file is in WAL mode: other processes can read while one writes. Every ``write(_:)`` is one
/// transaction, so a crash leaves the memory as it was before or with all of the writes. Open it
/// ``Access/readOnly`` to read a memory that must not change (or can't: a shared one).
///
/// ```swift
/// let memory = try TranslationMemory(address: TranslationMemoryLocation.resolveAddress())
/// try memory.write { memory in
///   try memory.add(units)
/// }
/// ```
///
/// One instance can be shared between threads: calls are serialised.
///
/// The class is split by concern: opening and transactions here, then `+Adding`, `+Reading`,
/// `+Statistics` and `+TMX`; the SQL of the unit row lives in `Store/`. The code speaks to the
/// store through ``StoreConnection``, so it does not know which store it has except where the SQL
/// of the two differs (`connection.dialect`) and for what only SQLite has (``sqlite``).
// @unchecked: every access to `connection` and `transactionDepth` holds `lock`.
public final class TranslationMemory: @unchecked Sendable {
  /// The aligntm version written into TMX headers and `x-tool`.
  public static let toolVersion = "0.1.0"
  /// What aligntm writes as the tool of the units it makes (`x-tool`): name and version.
  public static let tool = "aligntm \(toolVersion)"

  /// The database file; for a PostgreSQL memory, the local file that what is derived from it (the
  /// saved fuzzy indexes) is named after (``StoreAddress/localURL(environment:)``).
  public let url: URL
  /// Where the memory is stored.
  public let address: StoreAddress
  /// The store as messages name it (``StoreAddress/displayForm``).
  public var displayPath: String { address.displayForm }
  /// SQLite's page cache, in KiB.
  static let cacheKiB = 32_768
  /// The page size of new memories. 16 KiB rather than SQLite's 4 KiB: fewer, larger writes to
  /// the WAL and at the checkpoint, which made storing a large import markedly faster; larger
  /// pages gained next to nothing more.
  static let pageSize = 16_384
  // Recursive: the body of `write` calls the memory's methods, which lock again.
  private let lock = NSRecursiveLock()
  // A var only for the bulk import (Store/BulkLoad.swift), which swaps in the file it built.
  var connection: any StoreConnection
  /// The connection as SQLite's, for what only SQLite has (the bulk import's file swap, the
  /// integrity check, pragmas); nil for a PostgreSQL memory.
  var sqlite: SQLiteConnection? { connection as? SQLiteConnection }
  private(set) var transactionDepth = 0

  /// How a memory is opened.
  public enum Access: Sendable, Hashable {
    /// Created if needed, switched to WAL mode and upgraded to the current schema.
    case readWrite
    /// Opened with SQLite's read-only flag: nothing is created, upgraded or written, so a memory
    /// shared read-only (file or folder) can be queried, and no writer's lock is waited for.
    /// ``write(_:)`` throws ``TranslationMemoryError/openedReadOnly(path:)``. On PostgreSQL, the
    /// session's transactions are read-only (`default_transaction_read_only`).
    case readOnly
  }

  /// Whether the memory was opened read-only.
  public let access: Access

  /// Opens the memory at `url`: for ``Access/readWrite``, creating it (and its folder) if
  /// needed and upgrading its schema; for ``Access/readOnly``, as it is.
  ///
  /// - Parameters:
  ///   - access: Read-write (the default) or read-only.
  ///   - busyTimeout: How long to wait for another process's write lock.
  /// - Throws: ``TranslationMemoryError`` naming the file.
  public convenience init(url: URL, access: Access = .readWrite, busyTimeout: Duration = .seconds(10)) throws
  {
    try self.init(address: .file(url), access: access, busyTimeout: busyTimeout)
  }

  /// Opens the memory at `address`: a SQLite file as ``init(url:access:busyTimeout:)`` opens it,
  /// or a PostgreSQL database, whose schema is made or upgraded (``Access/readWrite``) or checked
  /// (``Access/readOnly``) as a file's is.
  ///
  /// - Parameters:
  ///   - access: Read-write (the default) or read-only.
  ///   - busyTimeout: How long to wait for another process's write lock.
  /// - Throws: ``TranslationMemoryError`` naming the store (``StoreAddress/displayForm``).
  public init(address: StoreAddress, access: Access = .readWrite, busyTimeout: Duration = .seconds(10)) throws
  {
    self.address = address
    self.access = access
    url = address.localURL()
    switch address {
    case .file(let url):
      do {
        switch access {
        case .readWrite: connection = try Self.openForWriting(url: url, busyTimeout: busyTimeout)
        case .readOnly: connection = try Self.openForReading(path: url.path, busyTimeout: busyTimeout)
        }
      } catch TranslationMemoryError.sqlite(_, SQLiteResultCode.notADatabase, let message) {
        throw TranslationMemoryError.notAMemory(path: url.path, reason: message)
      }
    case .postgresql(let location):
      connection = try Self.openPostgreSQL(location, access: access, busyTimeout: busyTimeout)
      // The saved fuzzy indexes go there; without it they are built each time (a note says so).
      try? FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    }
  }

  static func openForWriting(url: URL, busyTimeout: Duration) throws -> SQLiteConnection {
    let path = url.path
    let folder = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw TranslationMemoryError.cannotOpen(path: path, reason: "cannot create folder \(folder.path)")
    }
    let connection = try SQLiteConnection(path: path, busyTimeout: busyTimeout)
    try connection.execute("PRAGMA foreign_keys = ON")
    // Only a new, empty file takes a page size; an existing memory keeps its own.
    try connection.execute("PRAGMA page_size = \(Self.pageSize)")
    // Before the journal mode changes: another program's database is refused as it was.
    _ = try Schema.checkedVersion(connection)
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
    return connection
  }

  private static func openForReading(path: String, busyTimeout: Duration) throws -> SQLiteConnection {
    guard FileManager.default.fileExists(atPath: path) else {
      throw TranslationMemoryError.cannotOpen(path: path, reason: "no such file")
    }
    var connection = try SQLiteConnection(path: path, readOnly: true, busyTimeout: busyTimeout)
    do {
      try Schema.checkReadable(connection)
    } catch let error as TranslationMemoryError
      where (SQLiteResultCode.readOnly ~= error || SQLiteResultCode.cantOpen ~= error)
      && isWALWithoutLog(path)
    {
      // A WAL file in a folder this process can't write: SQLite can't make its `-shm` file. No
      // `-wal` file means no connection has it open, so it is read as immutable (without locks).
      connection = try SQLiteConnection(path: path, readOnly: true, immutable: true)
      try Schema.checkReadable(connection)
    }
    try connection.execute("PRAGMA cache_size = -\(Self.cacheKiB); PRAGMA temp_store = MEMORY")
    return connection
  }

  /// Whether the file at `path` is a WAL database (bytes 18 and 19 of its header are 2) with no
  /// `-wal` file beside it.
  private static func isWALWithoutLog(_ path: String) -> Bool {
    guard let file = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? file.close() }
    guard let header = try? file.read(upToCount: 20).map(Array.init), header.count == 20 else { return false }
    return header[18] == 2 && header[19] == 2 && !FileManager.default.fileExists(atPath: path + "-wal")
  }

  /// The schema version of the open memory.
  public var schemaVersion: Int {
    get throws {
      try locked {
        switch connection.dialect {
        case .sqlite: Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
        case .postgresql: try PostgresSchema.version(connection) ?? 0
        }
      }
    }
  }

  // MARK: Transactions

  /// Runs `body` in one write transaction: it commits when `body` returns and rolls back when it
  /// throws. Nested calls join the outer transaction.
  ///
  /// - Throws: What `body` throws, or ``TranslationMemoryError`` when SQLite fails.
  @discardableResult
  public func write<T>(_ body: (TranslationMemory) throws -> T) throws -> T {
    if access == .readOnly { throw TranslationMemoryError.openedReadOnly(path: displayPath) }
    return try locked {
      if transactionDepth > 0 {
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        return try body(self)
      }
      switch connection.dialect {
      case .sqlite: try begin("BEGIN IMMEDIATE")
      case .postgresql:
        // Writers take turns on the generation row, as BEGIN IMMEDIATE makes them take turns on
        // a SQLite file: each statement after it sees every unit committed before, so the
        // duplicate check of two imports at once merges instead of inserting twice.
        try begin("BEGIN")
        do {
          _ = try connection.scalarInt("SELECT value FROM generation WHERE id = 1 FOR UPDATE")
        } catch {
          try? connection.execute("ROLLBACK")
          throw Self.busyError(error, path: displayPath)
        }
      }
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
  /// ignores the switch inside a transaction, so a nested call keeps checking. PostgreSQL
  /// always checks.
  func writeWithoutForeignKeyChecks<T>(_ body: (TranslationMemory) throws -> T) throws -> T {
    try locked {
      let outermost = transactionDepth == 0 && connection.dialect == .sqlite
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
      switch connection.dialect {
      case .sqlite: try begin("BEGIN DEFERRED")
      // One snapshot for every statement, as SQLite's read transaction gives.
      case .postgresql: try begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
      }
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
    } catch {
      throw Self.busyError(error, path: displayPath)
    }
  }

  /// SQLite's busy error as ``TranslationMemoryError/busy(path:)``; any other error as it is.
  static func busyError(_ error: any Error, path: String) -> any Error {
    if SQLiteResultCode.busy ~= error { return TranslationMemoryError.busy(path: path) }
    return error
  }

  func locked<T>(_ body: () throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }
}
