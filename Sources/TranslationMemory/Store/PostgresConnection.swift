internal import CLibPQ
import Foundation

/// A PostgreSQL connection through libpq, PostgreSQL's own client library. Synchronous, as the
/// store is: one connection, calls serialised by ``TranslationMemory``. Not thread-safe.
///
/// Statements are prepared on the server at their first step, with the types of what was bound,
/// and results come back in text format (bytea as `\x` hex). Errors carry PostgreSQL's SQLSTATE
/// (``TranslationMemoryError/postgresql(path:state:message:)``); lock timeouts, deadlocks and
/// serialisation failures read as ``TranslationMemoryError/busy(path:)``, a lost server as
/// ``TranslationMemoryError/connectionLost(path:reason:)``, after which ``reconnect()`` opens
/// the session again.
final class PostgresConnection: StoreConnection {
  var dialect: SQLDialect { .postgresql }
  /// The URL without its password.
  let path: String
  let handle: OpaquePointer
  private let busyTimeout: Duration
  private var cache = StatementCache<PostgresStatement>()
  private var statementCounter = 0
  private var cursorCounter = 0
  /// What statements share with their connection, which they may outlive.
  final class Link {
    let handle: OpaquePointer
    /// Bumped by ``reconnect()``: statements prepared before it are gone from the server.
    var session = 0
    /// Set when the connection is closed.
    var closed = false
    init(handle: OpaquePointer) { self.handle = handle }

    /// Whether the session can run a command (connected, not in a failed transaction).
    var isUsable: Bool {
      guard !closed, PQstatus(handle) == CONNECTION_OK else { return false }
      let status = PQtransactionStatus(handle)
      return status == PQTRANS_IDLE || status == PQTRANS_INTRANS
    }
  }
  private(set) var link: Link
  var session: Int { link.session }
  /// The channels ``listen(_:)`` listens to, listened to again by ``reconnect()``.
  var channels: [String] = []
  /// The number of rows the last INSERT, UPDATE, DELETE (or COPY) changed.
  var changes = 0

  /// Rows a scan (``prepareScan(_:)``) fetches at a time.
  static let scanBatch = 2000

  /// Connects to the database a `postgresql://` URL (or a libpq connection string) names.
  ///
  /// - Parameter busyTimeout: How long a statement waits for a lock another session holds
  ///   (`lock_timeout`) before failing with ``TranslationMemoryError/busy(path:)``.
  init(url: String, busyTimeout: Duration) throws {
    path = Self.redactingPassword(url)
    self.busyTimeout = busyTimeout
    // A connection string's own connect_timeout wins over this default: it comes after.
    let keywords = ["connect_timeout", "dbname"]
    let values = ["10", url]
    let connection = Self.withCStrings(keywords) { keywords in
      Self.withCStrings(values) { values in PQconnectdbParams(keywords, values, 1) }
    }
    guard let connection else {
      throw TranslationMemoryError.cannotOpen(path: path, reason: "out of memory")
    }
    guard PQstatus(connection) == CONNECTION_OK else {
      let reason = Self.trimmed(String(cString: PQerrorMessage(connection)))
      PQfinish(connection)
      throw TranslationMemoryError.cannotOpen(path: path, reason: reason)
    }
    handle = connection
    link = Link(handle: connection)
    PQsetNoticeProcessor(handle, { _, _ in }, nil)  // notices ("no transaction in progress") are not errors
    do {
      try configureSession()
    } catch TranslationMemoryError.postgresql(_, let state, let message) {
      // Fully initialised: deinit closes the connection.
      throw TranslationMemoryError.cannotOpen(
        path: path, reason: "setting up the session: \(message) (\(state))")
    } catch {
      throw TranslationMemoryError.cannotOpen(path: path, reason: "setting up the session: \(error)")
    }
  }

  deinit {
    cache.removeAll()
    link.closed = true
    PQfinish(handle)
  }

  private func configureSession() throws {
    let milliseconds =
      busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
    try execute(
      "SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; SET standard_conforming_strings = on; "
        + "SET lock_timeout = \(max(0, milliseconds)); SET application_name = 'aligntm'")
  }

  /// Whether the connection to the server is up (as far as libpq knows: a server gone since the
  /// last call shows only at the next one).
  var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

  /// Opens the session again after a lost connection (``TranslationMemoryError/connectionLost``):
  /// prepared statements are prepared again at their next step, and the channels of
  /// ``listen(_:)`` listened to again. An open transaction, its cursors and locks are gone.
  func reconnect() throws {
    PQreset(handle)
    guard PQstatus(handle) == CONNECTION_OK else {
      throw TranslationMemoryError.connectionLost(
        path: path, reason: Self.trimmed(String(cString: PQerrorMessage(handle))))
    }
    link.session += 1
    try configureSession()
    for channel in channels { try execute("LISTEN \(Self.quotedIdentifier(channel))") }
  }

  // MARK: Running SQL

  /// Runs one or more statements, separated by `;`, without parameters (`?` is not rewritten).
  func execute(_ sql: String) throws {
    let result = PQexec(handle, sql)
    defer { PQclear(result) }
    if let result, PQresultStatus(result) == PGRES_COPY_IN || PQresultStatus(result) == PGRES_COPY_OUT {
      endCopy(result)
      throw TranslationMemoryError.postgresql(
        path: path, state: "", message: "COPY runs through copy(_:rows:), not execute: \(sql)")
    }
    try check(result)
    recordChanges(result)
  }

  /// Ends a COPY that nothing will feed or read.
  func endCopy(_ result: OpaquePointer) {
    if PQresultStatus(result) == PGRES_COPY_IN {
      _ = PQputCopyEnd(handle, "not fed")
    } else {
      var buffer: UnsafeMutablePointer<CChar>?
      while PQgetCopyData(handle, &buffer, 0) > 0 { PQfreemem(buffer) }
    }
    while let next = PQgetResult(handle) { PQclear(next) }
  }

  /// A new statement, prepared on the server at its first step.
  func prepare(_ sql: String) throws -> PostgresStatement {
    let (rewritten, count) = Self.numberingPlaceholders(sql)
    return PostgresStatement(connection: self, sql: rewritten, parameterCount: count, scan: false)
  }

  /// A statement whose rows are fetched ``scanBatch`` at a time through a cursor (`DECLARE …
  /// NO SCROLL CURSOR`), so that a million rows are never in memory at once. Cursors live in a
  /// transaction: stepping it outside one throws.
  func prepareScan(_ sql: String) throws -> PostgresStatement {
    let (rewritten, count) = Self.numberingPlaceholders(sql)
    return PostgresStatement(connection: self, sql: rewritten, parameterCount: count, scan: true)
  }

  func cached(_ sql: StaticString) throws -> PostgresStatement {
    try cache.statement(for: sql) { try prepare(sql.description) }
  }

  /// A prepared statement for SQL built at run time (such as ``UnitColumn/insertSQL``), kept
  /// under `name` for reuse as ``cached(_:)`` keeps its own.
  func cached(_ name: StaticString, sql: @autoclosure () -> String) throws -> PostgresStatement {
    try cache.statement(for: name) { try prepare(sql()) }
  }

  /// The single integer a query returns, or nil (no row, or NULL).
  func scalarInt(_ sql: String) throws -> Int64? {
    let statement = try prepare(sql)  // run once: an unnamed statement, one round trip
    guard try statement.step(), !statement.isNull(0) else { return nil }
    return statement.int64(0)
  }

  /// Whether a transaction is open (and not failed).
  var inTransaction: Bool { PQtransactionStatus(handle) == PQTRANS_INTRANS }

  func nextStatementName() -> String {
    statementCounter += 1
    return "aligntm_s\(statementCounter)"
  }

  func nextCursorName() -> String {
    cursorCounter += 1
    return "aligntm_c\(cursorCounter)"
  }

  /// Throws the error a result (or its absence) stands for; nothing for a result that succeeded.
  func check(_ result: OpaquePointer?) throws {
    if let result {
      switch PQresultStatus(result) {
      case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return
      default: break
      }
    }
    throw error(result)
  }

  /// The error of a failed result, or of the connection when there is no result.
  func error(_ result: OpaquePointer?) -> TranslationMemoryError {
    let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map {
      String(cString: $0)
    }
    let primary = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "M"))) }.map {
      String(cString: $0)
    }
    let message =
      primary ?? result.map { Self.trimmed(String(cString: PQresultErrorMessage($0))) }.flatMap {
        $0.isEmpty ? nil : $0
      }
      ?? Self.trimmed(String(cString: PQerrorMessage(handle)))
    if PQstatus(handle) == CONNECTION_BAD || state.map(Self.meansConnectionLost) == true {
      return .connectionLost(path: path, reason: message)
    }
    switch state {
    case "55P03", "40P01", "40001": return .busy(path: path)
    case let state?: return .postgresql(path: path, state: state, message: message)
    case nil: return .postgresql(path: path, state: "", message: message)
    }
  }

  private static func meansConnectionLost(_ state: String) -> Bool {
    state.hasPrefix("08") || state == "57P01" || state == "57P02" || state == "57P03"
  }

  /// Keeps `changes` as SQLite's `sqlite3_changes` does: only commands that change rows set it.
  func recordChanges(_ result: OpaquePointer?) {
    guard let result else { return }
    let status = String(cString: PQcmdStatus(result))
    guard
      status.hasPrefix("INSERT") || status.hasPrefix("UPDATE") || status.hasPrefix("DELETE")
        || status.hasPrefix("MERGE") || status.hasPrefix("COPY")
    else { return }
    changes = Int(String(cString: PQcmdTuples(result))) ?? 0
  }

  // MARK: Helpers

  static func trimmed(_ message: String) -> String {
    message.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// `"name"`, with `"` doubled.
  static func quotedIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// A URL or connection string as messages may print it: `postgresql://user:secret@host/db`
  /// becomes `postgresql://user@host/db`; a `password=` parameter or keyword is dropped.
  static func redactingPassword(_ url: String) -> String {
    // A URL: StoreAddress's parser drops the user part's password and a password= parameter.
    if url.contains("://") { return PostgresURL(url).withoutPassword }
    // key=value connection string
    return url.split(separator: " ").filter { !$0.lowercased().hasPrefix("password=") }.joined(
      separator: " ")
  }

  /// Rewrites the store's placeholders, `?1`, `?2` … and bare `?` (numbered as SQLite numbers
  /// them: one more than the largest so far), as PostgreSQL's `$1`, `$2` …, leaving alone what
  /// is inside '…' strings (with '' escapes, and E'…' backslash escapes), "…" identifiers,
  /// $tag$…$tag$ strings, -- comments and /* */ comments (nested, as PostgreSQL nests them).
  ///
  /// - Returns: The SQL and the number of parameters (the largest number).
  static func numberingPlaceholders(_ sql: String) -> (sql: String, parameterCount: Int) {
    let bytes = Array(sql.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 8)
    var largest = 0
    var i = 0
    let n = bytes.count
    func isIdentifierByte(_ byte: UInt8) -> Bool {
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || byte == 0x5F || byte >= 0x80
    }
    // Just past the quote that closes the one at `start` (a doubled quote stands for itself).
    func endOfQuoted(from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
      var j = start + 1
      while j < n {
        if backslashEscapes && bytes[j] == UInt8(ascii: "\\") {
          j += 2
          continue
        }
        if bytes[j] == quote {
          if j + 1 < n && bytes[j + 1] == quote {
            j += 2
            continue
          }
          break
        }
        j += 1
      }
      return j + 1
    }
    func copy(to end: Int) {
      out.append(contentsOf: bytes[i..<min(end, n)])
      i = min(end, n)
    }
    while i < n {
      let byte = bytes[i]
      switch byte {
      case UInt8(ascii: "'"):
        // E'…' (or e'…') allows backslash escapes; a plain '…' doesn't (standard_conforming_strings).
        let escapes =
          i > 0 && (bytes[i - 1] == UInt8(ascii: "E") || bytes[i - 1] == UInt8(ascii: "e"))
          && (i == 1 || !isIdentifierByte(bytes[i - 2]))
        copy(to: endOfQuoted(from: i, quote: UInt8(ascii: "'"), backslashEscapes: escapes))
      case UInt8(ascii: "\""):
        copy(to: endOfQuoted(from: i, quote: UInt8(ascii: "\""), backslashEscapes: false))
      case UInt8(ascii: "-") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "-"):
        var j = i + 2
        while j < n && bytes[j] != UInt8(ascii: "\n") { j += 1 }
        copy(to: j)
      case UInt8(ascii: "/") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "*"):
        var depth = 1
        var j = i + 2
        while j < n && depth > 0 {
          if bytes[j] == UInt8(ascii: "/") && j + 1 < n && bytes[j + 1] == UInt8(ascii: "*") {
            depth += 1
            j += 2
          } else if bytes[j] == UInt8(ascii: "*") && j + 1 < n && bytes[j + 1] == UInt8(ascii: "/") {
            depth -= 1
            j += 2
          } else {
            j += 1
          }
        }
        copy(to: j)
      case UInt8(ascii: "$") where i == 0 || !isIdentifierByte(bytes[i - 1]):
        // A dollar-quoted string: $$…$$ or $tag$…$tag$ (a tag doesn't start with a digit).
        var j = i + 1
        while j < n && isIdentifierByte(bytes[j]) && !(j == i + 1 && bytes[j] >= 0x30 && bytes[j] <= 0x39) {
          j += 1
        }
        guard j < n && bytes[j] == UInt8(ascii: "$") else {
          copy(to: i + 1)
          continue
        }
        let tag = Array(bytes[i...j])
        var k = j + 1
        var end = n
        while k + tag.count <= n {
          if bytes[k] == UInt8(ascii: "$") && Array(bytes[k..<(k + tag.count)]) == tag {
            end = k + tag.count
            break
          }
          k += 1
        }
        copy(to: end)
      case UInt8(ascii: "?"):
        var j = i + 1
        var number = 0
        while j < n && bytes[j] >= 0x30 && bytes[j] <= 0x39 {
          number = number * 10 + Int(bytes[j] - 0x30)
          j += 1
        }
        if j == i + 1 { number = largest + 1 }
        largest = max(largest, number)
        out.append(UInt8(ascii: "$"))
        out.append(contentsOf: String(number).utf8)
        i = j
      default:
        out.append(byte)
        i += 1
      }
    }
    return (String(decoding: out, as: UTF8.self), largest)
  }

  /// Runs `body` with a NULL-terminated array of C strings.
  static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R
  {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
  }
}
