internal import CSQLite
import Foundation

/// A SQLite connection through the C API. Not thread-safe: ``TranslationMemory`` serialises access.
final class SQLiteConnection: StoreConnection {
  var dialect: SQLDialect { .sqlite }
  private let handle: OpaquePointer
  let path: String
  private var cache = StatementCache<SQLiteStatement>()

  /// Opens the database at `path`.
  ///
  /// - Parameters:
  ///   - readOnly: Open with `SQLITE_OPEN_READONLY`: nothing is created or written.
  ///   - immutable: With `readOnly`, open as SQLite's `immutable=1`: no locks and no `-shm`
  ///     file, for a WAL file in a folder this process can't write. SQLite then assumes nobody
  ///     changes the file while it is open.
  ///   - busyTimeout: How long a statement waits for another connection's lock before failing
  ///     with ``SQLiteResultCode/busy``; nil fails at once.
  init(path: String, readOnly: Bool = false, immutable: Bool = false, busyTimeout: Duration? = nil) throws {
    var db: OpaquePointer?
    var flags =
      (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
      | SQLITE_OPEN_NOMUTEX
    var name = path
    if readOnly && immutable {
      flags |= SQLITE_OPEN_URI
      var allowed = CharacterSet.urlPathAllowed
      allowed.remove(charactersIn: "?#%")
      name = "file:\(path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path)?immutable=1"
    }
    let code = sqlite3_open_v2(name, &db, flags, nil)
    guard code == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
      if let db { sqlite3_close_v2(db) }
      throw TranslationMemoryError.cannotOpen(path: path, reason: message)
    }
    handle = db
    self.path = path
    sqlite3_extended_result_codes(db, 1)
    if let busyTimeout {
      let milliseconds =
        busyTimeout.components.seconds * 1000
        + busyTimeout.components.attoseconds / 1_000_000_000_000_000
      sqlite3_busy_timeout(db, Int32(clamping: milliseconds))
    }
  }

  deinit {
    cache.removeAll()
    sqlite3_close_v2(handle)
  }

  /// Runs one or more statements without results.
  func execute(_ sql: String) throws {
    var errorMessage: UnsafeMutablePointer<CChar>?
    let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
    if code != SQLITE_OK {
      let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
      sqlite3_free(errorMessage)
      throw TranslationMemoryError.sqlite(
        path: path, code: SQLiteResultCode(rawValue: code), message: message)
    }
  }

  /// Whether a table has a column (for migrations that must not run twice).
  func hasColumn(_ column: String, in table: String) throws -> Bool {
    let statement = try prepare("SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2")
    statement.bind(1, table)
    statement.bind(2, column)
    return try statement.step()
  }

  /// A prepared statement, kept for reuse: the next caller gets it reset and unbound.
  func cached(_ sql: StaticString) throws -> SQLiteStatement {
    try cache.statement(for: sql) { try prepare(sql.description) }
  }

  /// A prepared statement for SQL built at run time (such as ``UnitColumn/insertSQL``), kept
  /// under `name` for reuse as ``cached(_:)`` keeps its own.
  func cached(_ name: StaticString, sql: @autoclosure () -> String) throws -> SQLiteStatement {
    try cache.statement(for: name) { try prepare(sql()) }
  }

  /// A new prepared statement, finalised when released.
  func prepare(_ sql: String) throws -> SQLiteStatement {
    var statement: OpaquePointer?
    let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
    guard code == SQLITE_OK, let statement else {
      throw error(code)
    }
    return SQLiteStatement(statement, connection: self)
  }

  /// SQLite steps through its rows as it finds them: a scan is a plain statement.
  func prepareScan(_ sql: String) throws -> SQLiteStatement { try prepare(sql) }

  func error(_ code: Int32) -> TranslationMemoryError {
    .sqlite(
      path: path, code: SQLiteResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(handle)))
  }

  /// The single integer a query returns (such as a pragma), or nil.
  func scalarInt(_ sql: String) throws -> Int64? {
    let statement = try prepare(sql)
    defer { statement.reset() }
    guard try statement.step() else { return nil }
    return statement.isNull(0) ? nil : statement.int64(0)
  }

  var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
  var changes: Int { Int(sqlite3_changes(handle)) }
}

/// A prepared statement. Binding indexes are 1-based, column indexes 0-based, as in SQLite.
final class SQLiteStatement: StoreStatement {
  private let handle: OpaquePointer
  unowned let connection: SQLiteConnection

  init(_ handle: OpaquePointer, connection: SQLiteConnection) {
    self.handle = handle
    self.connection = connection
  }

  deinit { sqlite3_finalize(handle) }

  /// Resets the statement to run it again, and clears its bindings.
  ///
  /// - Parameter clearingBindings: False keeps the bindings, for a statement whose parameters
  ///   are all bound again before the next step (clearing them would cost a call per step).
  func reset(clearingBindings: Bool) {
    sqlite3_reset(handle)
    if clearingBindings { sqlite3_clear_bindings(handle) }
  }

  func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
  func bind(_ index: Int32, _ value: Int64?) {
    if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
  }
  func bind(_ index: Int32, _ value: Double?) {
    if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
  }
  func bind(_ index: Int32, _ value: String?) {
    guard var value else {
      sqlite3_bind_null(handle, index)
      return
    }
    value.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { chars in
        // An empty buffer may have no base address; SQLite reads a NULL pointer as NULL, not "".
        if let base = chars.baseAddress {
          _ = sqlite3_bind_text(handle, index, base, Int32(chars.count), csqlite_transient())
        } else {
          _ = sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
        }
      }
    }
  }
  func bind(_ index: Int32, _ value: [UInt8]?) {
    guard let value else {
      sqlite3_bind_null(handle, index)
      return
    }
    value.withUnsafeBytes { bytes in
      _ = sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), csqlite_transient())
    }
  }

  /// Binds UTF-8 in place (`SQLITE_STATIC`): it must stay put until the statement is reset and
  /// bound again.
  func bindStatic(_ index: Int32, _ text: UnsafePointer<UInt8>, count: Int) {
    _ = sqlite3_bind_text(
      handle, index, UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self), Int32(count), nil)
  }
  /// Binds a blob in place (`SQLITE_STATIC`), as ``bindStatic(_:_:count:)``.
  func bindStaticBlob(_ index: Int32, _ bytes: UnsafePointer<UInt8>, count: Int) {
    _ = sqlite3_bind_blob(handle, index, bytes, Int32(count), nil)
  }

  /// Steps once: true when a row is ready, false when done.
  @discardableResult
  func step() throws -> Bool {
    let code = sqlite3_step(handle)
    switch code {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default: throw connection.error(code)
    }
  }

  func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
  func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
  func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
  func string(_ column: Int32) -> String {
    guard let text = sqlite3_column_text(handle, column) else { return "" }
    let count = Int(sqlite3_column_bytes(handle, column))
    return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
  }
  /// A column's UTF-8, valid until the next step or reset; empty for NULL.
  func utf8(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
    guard let text = sqlite3_column_text(handle, column) else {
      return UnsafeBufferPointer(start: nil, count: 0)
    }
    return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
  }
  func blob(_ column: Int32) -> [UInt8] {
    let count = Int(sqlite3_column_bytes(handle, column))
    guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
    return Array(UnsafeRawBufferPointer(start: pointer, count: count))
  }
}
