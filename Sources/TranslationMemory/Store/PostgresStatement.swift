internal import CLibPQ
import Foundation

/// A statement of a ``PostgresConnection``, sent to the server at its first step with the types
/// of what was bound (so that `?1 IS NULL OR x = ?1` knows `?1`'s type): the first run as an
/// unnamed statement (`PQexecParams`, one round trip), later runs through a named prepared
/// statement (`PQexecPrepared`), one per set of bound types, deallocated with the statement.
/// Rows come back in text format (bytea as `\x` hex); blobs are sent in binary. Binding indexes
/// are 1-based, column indexes 0-based.
final class PostgresStatement: StoreStatement {
  unowned let connection: PostgresConnection
  /// For the deinitialiser, which may run after the connection's.
  private let link: PostgresConnection.Link
  /// The SQL with `$1` … placeholders.
  let sql: String
  let parameterCount: Int
  /// A scan reads its rows through a cursor, in batches.
  let isScan: Bool

  // PostgreSQL's type OIDs for what may be bound.
  static let textType: Oid = 25
  static let int8Type: Oid = 20
  static let float8Type: Oid = 701
  static let byteaType: Oid = 17

  /// One parameter's bytes: text NUL-terminated, bytea raw (binary format).
  private struct Parameter {
    var storage: UnsafeMutablePointer<CChar>?
    var capacity = 0
    var length = 0
    var isNull = true
    var type: Oid = 0
    var isBinary = false
    /// Text with a NUL character: PostgreSQL's text can't hold it.
    var hasNUL = false
  }
  private var parameters: [Parameter]

  /// The server's prepared statements of this SQL, by the types bound (a statement bound with
  /// nil through two overloads in turn is prepared twice, not again at every step).
  private var prepared: [[Oid]: String] = [:]
  /// The session `prepared` belongs to (``PostgresConnection/reconnect()`` starts a new one).
  private var preparedSession = -1
  /// Runs so far: the first runs as an unnamed statement (one round trip, nothing to
  /// deallocate), later ones through a named one, prepared at the second.
  private var runs = 0

  private var result: OpaquePointer?
  private var row: Int32 = 0
  private var rowCount: Int32 = 0
  private var started = false
  private var cursor: String?
  private var cursorExhausted = false

  init(connection: PostgresConnection, sql: String, parameterCount: Int, scan: Bool) {
    self.connection = connection
    link = connection.link
    self.sql = sql
    self.parameterCount = parameterCount
    self.isScan = scan
    parameters = Array(repeating: Parameter(), count: parameterCount)
  }

  deinit {
    closeCursor()
    PQclear(result)
    if !prepared.isEmpty, preparedSession == link.session, link.isUsable {
      PQclear(PQexec(link.handle, prepared.values.map { "DEALLOCATE \($0)" }.joined(separator: "; ")))
    }
    for parameter in parameters { free(parameter.storage) }
  }

  // MARK: Binding

  func reset(clearingBindings: Bool) {
    closeCursor()
    PQclear(result)
    result = nil
    started = false
    row = 0
    rowCount = 0
    if clearingBindings {
      for index in parameters.indices {
        parameters[index].isNull = true
        parameters[index].type = 0
        parameters[index].isBinary = false
        parameters[index].hasNUL = false
      }
    }
  }

  private func setNull(_ index: Int32, type: Oid) {
    let i = Int(index) - 1
    guard parameters.indices.contains(i) else { return }
    parameters[i].isNull = true
    parameters[i].type = type
    parameters[i].isBinary = false
    parameters[i].hasNUL = false
  }

  private func set(_ index: Int32, type: Oid, binary: Bool, bytes: UnsafeRawBufferPointer) {
    let i = Int(index) - 1
    guard parameters.indices.contains(i) else { return }
    let needed = bytes.count + 1
    if parameters[i].capacity < needed {
      free(parameters[i].storage)
      let capacity = max(needed, 32)
      parameters[i].storage = malloc(capacity)?.assumingMemoryBound(to: CChar.self)
      parameters[i].capacity = capacity
    }
    guard let storage = parameters[i].storage else { return }
    if let base = bytes.baseAddress, bytes.count > 0 {
      UnsafeMutableRawPointer(storage).copyMemory(from: base, byteCount: bytes.count)
    }
    storage[bytes.count] = 0
    parameters[i].length = bytes.count
    parameters[i].isNull = false
    parameters[i].type = type
    parameters[i].isBinary = binary
    parameters[i].hasNUL = !binary && bytes.contains(0)
  }

  private func setText(_ index: Int32, type: Oid, _ text: String) {
    var text = text
    text.withUTF8 { set(index, type: type, binary: false, bytes: UnsafeRawBufferPointer($0)) }
  }

  func bind(_ index: Int32, _ value: Int64) { setText(index, type: Self.int8Type, String(value)) }
  func bind(_ index: Int32, _ value: Int64?) {
    if let value { bind(index, value) } else { setNull(index, type: Self.int8Type) }
  }
  func bind(_ index: Int32, _ value: Double?) {
    guard let value else { return setNull(index, type: Self.float8Type) }
    let text =
      value.isNaN ? "NaN" : value.isInfinite ? (value < 0 ? "-Infinity" : "Infinity") : "\(value)"
    setText(index, type: Self.float8Type, text)
  }
  func bind(_ index: Int32, _ value: String?) {
    guard let value else { return setNull(index, type: Self.textType) }
    setText(index, type: Self.textType, value)
  }
  func bind(_ index: Int32, _ value: [UInt8]?) {
    guard let value else { return setNull(index, type: Self.byteaType) }
    value.withUnsafeBytes { set(index, type: Self.byteaType, binary: true, bytes: $0) }
  }
  /// Copies the text (libpq sends it from the statement's own buffer).
  func bindStatic(_ index: Int32, _ text: UnsafePointer<UInt8>, count: Int) {
    set(index, type: Self.textType, binary: false, bytes: UnsafeRawBufferPointer(start: text, count: count))
  }
  func bindStaticBlob(_ index: Int32, _ bytes: UnsafePointer<UInt8>, count: Int) {
    set(index, type: Self.byteaType, binary: true, bytes: UnsafeRawBufferPointer(start: bytes, count: count))
  }

  // MARK: Running

  @discardableResult
  func step() throws -> Bool {
    if !started {
      started = true
      if isScan {
        try openCursor()
        return try fetch()
      }
      try run()
      return rowCount > 0
    }
    guard result != nil else { return false }
    row += 1
    if row < rowCount { return true }
    if isScan, !cursorExhausted { return try fetch() }
    return false
  }

  /// Runs `body` with the parameters as libpq takes them.
  private func withParameters<R>(
    _ body: (
      _ values: UnsafePointer<UnsafePointer<CChar>?>?, _ lengths: UnsafePointer<Int32>?,
      _ formats: UnsafePointer<Int32>?
    ) throws -> R
  ) throws -> R {
    if let bad = parameters.firstIndex(where: { !$0.isNull && $0.hasNUL }) {
      throw TranslationMemoryError.postgresql(
        path: connection.path, state: "22021",
        message: "parameter \(bad + 1): text with a NUL character cannot be stored")
    }
    let values: [UnsafePointer<CChar>?] = parameters.map { $0.isNull ? nil : UnsafePointer($0.storage) }
    let lengths = parameters.map { Int32(clamping: $0.length) }
    let formats = parameters.map { $0.isBinary ? Int32(1) : 0 }
    return try values.withUnsafeBufferPointer { values in
      try lengths.withUnsafeBufferPointer { lengths in
        try formats.withUnsafeBufferPointer { formats in
          try body(values.baseAddress, lengths.baseAddress, formats.baseAddress)
        }
      }
    }
  }

  private func prepareIfNeeded(_ types: [Oid]) throws -> String {
    if preparedSession != connection.session {
      prepared = [:]
      preparedSession = connection.session
    }
    if let name = prepared[types] { return name }
    let name = connection.nextStatementName()
    let made = types.withUnsafeBufferPointer { types in
      PQprepare(connection.handle, name, sql, Int32(parameterCount), types.baseAddress)
    }
    defer { PQclear(made) }
    try connection.check(made)
    prepared[types] = name
    return name
  }

  private func run() throws {
    let types = parameters.map(\.type)
    let executed: OpaquePointer?
    if runs == 0 {
      executed = try withParameters { values, lengths, formats in
        types.withUnsafeBufferPointer { types in
          PQexecParams(
            connection.handle, sql, Int32(parameterCount), types.baseAddress, values, lengths, formats, 0)
        }
      }
    } else {
      let name = try prepareIfNeeded(types)
      executed = try withParameters { values, lengths, formats in
        PQexecPrepared(connection.handle, name, Int32(parameterCount), values, lengths, formats, 0)
      }
    }
    runs += 1
    try accept(executed)
    connection.recordChanges(executed)
  }

  /// Keeps a result of rows, or throws its error.
  private func accept(_ newResult: OpaquePointer?) throws {
    PQclear(result)
    result = nil
    do {
      try connection.check(newResult)
    } catch {
      PQclear(newResult)
      throw error
    }
    result = newResult
    row = 0
    rowCount = PQresultStatus(newResult) == PGRES_TUPLES_OK ? PQntuples(newResult) : 0
  }

  private func openCursor() throws {
    guard connection.inTransaction else {
      throw TranslationMemoryError.postgresql(
        path: connection.path, state: "25P01",
        message: "a scan reads through a cursor, which needs an open transaction (BEGIN first)")
    }
    let name = connection.nextCursorName()
    let declared = try withParameters { values, lengths, formats in
      let types = parameters.map(\.type)
      return types.withUnsafeBufferPointer { types in
        PQexecParams(
          connection.handle, "DECLARE \(name) NO SCROLL CURSOR FOR \(sql)", Int32(parameterCount),
          types.baseAddress, values, lengths, formats, 0)
      }
    }
    defer { PQclear(declared) }
    try connection.check(declared)
    cursor = name
    cursorExhausted = false
  }

  /// Fetches the next batch of the cursor: true when it holds a row.
  private func fetch() throws -> Bool {
    guard let cursor else { return false }
    try accept(PQexec(connection.handle, "FETCH \(PostgresConnection.scanBatch) FROM \(cursor)"))
    if rowCount < PostgresConnection.scanBatch {
      cursorExhausted = true
      closeCursor()
    }
    return rowCount > 0
  }

  /// Closes the cursor if it is still open: the end of its transaction has closed it already
  /// when it was not read to the end, so that is checked first (closing a cursor that isn't
  /// there would fail the transaction).
  private func closeCursor() {
    guard let cursor else { return }
    self.cursor = nil
    guard link.isUsable, PQtransactionStatus(link.handle) == PQTRANS_INTRANS else { return }
    let query = "SELECT 1 FROM pg_cursors WHERE name = '\(cursor)'"
    let open = PQexec(link.handle, query)
    defer { PQclear(open) }
    if let open, PQresultStatus(open) == PGRES_TUPLES_OK, PQntuples(open) > 0 {
      PQclear(PQexec(link.handle, "CLOSE \(cursor)"))
    }
  }

  // MARK: Columns

  private func value(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
    guard let result, row < rowCount, column >= 0, column < PQnfields(result),
      PQgetisnull(result, row, column) == 0, let text = PQgetvalue(result, row, column)
    else { return nil }
    return UnsafeBufferPointer(
      start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self),
      count: Int(PQgetlength(result, row, column)))
  }

  func isNull(_ column: Int32) -> Bool {
    guard let result, row < rowCount else { return true }
    return PQgetisnull(result, row, column) != 0
  }

  /// The column as an integer: `t`/`f` read as 1/0, a number with a fraction is truncated.
  func int64(_ column: Int32) -> Int64 {
    guard let text = value(column), let first = text.first else { return 0 }
    if first == UInt8(ascii: "t") { return 1 }
    if first == UInt8(ascii: "f") { return 0 }
    var negative = false
    var total: Int64 = 0
    for (offset, byte) in text.enumerated() {
      if offset == 0 && (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")) {
        negative = byte == UInt8(ascii: "-")
        continue
      }
      guard byte >= 0x30 && byte <= 0x39 else {
        if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
          return Int64(exactly: double(column).rounded(.towardZero)) ?? 0
        }
        break
      }
      // Accumulated negatively so that Int64.min fits.
      total = total &* 10 &- Int64(byte - 0x30)
    }
    return negative ? total : 0 &- total
  }

  func double(_ column: Int32) -> Double {
    guard let result, row < rowCount, PQgetisnull(result, row, column) == 0,
      let text = PQgetvalue(result, row, column)
    else { return 0 }
    if text[0] == CChar(UInt8(ascii: "t")) { return 1 }
    if text[0] == CChar(UInt8(ascii: "f")) { return 0 }
    return strtod(text, nil)
  }

  func string(_ column: Int32) -> String {
    guard let text = value(column) else { return "" }
    return String(decoding: text, as: UTF8.self)
  }

  func utf8(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
    value(column) ?? UnsafeBufferPointer(start: nil, count: 0)
  }

  /// A bytea column's bytes (decoded from `\x` hex); another column's text as bytes.
  func blob(_ column: Int32) -> [UInt8] {
    guard let result, let text = value(column) else { return [] }
    guard PQftype(result, column) == Self.byteaType, text.count >= 2, text[0] == UInt8(ascii: "\\"),
      text[1] == UInt8(ascii: "x")
    else { return Array(text) }
    func nibble(_ byte: UInt8) -> UInt8 {
      switch byte {
      case 0x30...0x39: return byte - 0x30
      case 0x61...0x66: return byte - 0x61 + 10
      case 0x41...0x46: return byte - 0x41 + 10
      default: return 0
      }
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity((text.count - 2) / 2)
    var i = 2
    while i + 1 < text.count {
      bytes.append(nibble(text[i]) << 4 | nibble(text[i + 1]))
      i += 2
    }
    return bytes
  }
}
