internal import CLibPQ
import Foundation

/// The rows of a `COPY … FROM STDIN` in PostgreSQL's text format, written column by column:
/// `append` each column of a row in the order the COPY names them, then ``endRow()``. Buffered
/// and sent about 256 KiB at a time.
struct PostgresCopyWriter {
  fileprivate let connection: PostgresConnection
  fileprivate var buffer: [UInt8] = []
  fileprivate var columnsInRow = 0
  fileprivate var problem: String?
  /// The rows ended so far.
  private(set) var rows = 0

  static let flushSize = 256 * 1024

  fileprivate init(connection: PostgresConnection) {
    self.connection = connection
    buffer.reserveCapacity(Self.flushSize + 4096)
  }

  private mutating func separate() {
    if columnsInRow > 0 { buffer.append(UInt8(ascii: "\t")) }
    columnsInRow += 1
  }

  mutating func append(_ value: Int64?) {
    separate()
    guard let value else { return appendNull() }
    buffer.append(contentsOf: String(value).utf8)
  }

  mutating func append(_ value: Double?) {
    separate()
    guard let value else { return appendNull() }
    let text = value.isNaN ? "NaN" : value.isInfinite ? (value < 0 ? "-Infinity" : "Infinity") : "\(value)"
    buffer.append(contentsOf: text.utf8)
  }

  mutating func append(_ value: String?) {
    separate()
    guard var value else { return appendNull() }
    value.withUTF8 { appendEscaped($0) }
  }

  /// UTF-8 text, copied.
  mutating func append(utf8 text: UnsafeBufferPointer<UInt8>) {
    separate()
    appendEscaped(text)
  }

  /// A bytea column, as `\\x` and hex digits.
  mutating func append(blob value: [UInt8]?) {
    separate()
    guard let value else { return appendNull() }
    let digits = Array("0123456789abcdef".utf8)
    buffer.append(UInt8(ascii: "\\"))
    buffer.append(UInt8(ascii: "\\"))
    buffer.append(UInt8(ascii: "x"))
    for byte in value {
      buffer.append(digits[Int(byte >> 4)])
      buffer.append(digits[Int(byte & 0x0F)])
    }
  }

  private mutating func appendNull() {
    buffer.append(UInt8(ascii: "\\"))
    buffer.append(UInt8(ascii: "N"))
  }

  private mutating func appendEscaped(_ text: UnsafeBufferPointer<UInt8>) {
    var start = 0
    for (i, byte) in text.enumerated() {
      let escaped: UInt8
      switch byte {
      case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
      case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
      case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
      case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
      case 0:
        if problem == nil { problem = "row \(rows + 1), column \(columnsInRow): text with a NUL character" }
        continue
      default: continue
      }
      buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<i]))
      buffer.append(UInt8(ascii: "\\"))
      buffer.append(escaped)
      start = i + 1
    }
    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[start...]))
  }

  /// Ends the row; sends the buffer when it is full.
  mutating func endRow() throws {
    if let problem {
      throw TranslationMemoryError.postgresql(
        path: connection.path, state: "22021", message: "COPY: \(problem) cannot be stored")
    }
    buffer.append(UInt8(ascii: "\n"))
    columnsInRow = 0
    rows += 1
    if buffer.count >= Self.flushSize { try flush() }
  }

  fileprivate mutating func flush() throws {
    guard !buffer.isEmpty else { return }
    let sent = buffer.withUnsafeBufferPointer { bytes in
      bytes.withMemoryRebound(to: CChar.self) {
        PQputCopyData(connection.handle, $0.baseAddress, Int32(bytes.count))
      }
    }
    buffer.removeAll(keepingCapacity: true)
    if sent != 1 { throw connection.error(nil) }
  }
}

extension PostgresConnection {
  /// Runs `COPY table (columns) FROM STDIN` (text format) with the rows `rows` writes: the
  /// fastest way into PostgreSQL. When `rows` throws, the COPY is aborted (nothing of it is
  /// stored; an open transaction fails) and the error rethrown.
  ///
  /// - Returns: The number of rows copied.
  @discardableResult
  func copy(_ sql: String, rows: (inout PostgresCopyWriter) throws -> Void) throws -> Int {
    let started = PQexec(handle, sql)
    defer { PQclear(started) }
    if let started, PQresultStatus(started) == PGRES_COPY_OUT { endCopy(started) }
    guard let started, PQresultStatus(started) == PGRES_COPY_IN else {
      try check(started)
      throw TranslationMemoryError.postgresql(
        path: path, state: "", message: "not a COPY … FROM STDIN statement: \(sql)")
    }
    var writer = PostgresCopyWriter(connection: self)
    do {
      try rows(&writer)
      try writer.flush()
    } catch {
      _ = PQputCopyEnd(handle, "aborted by aligntm: \(error)")
      drainResults()
      throw error
    }
    guard PQputCopyEnd(handle, nil) == 1 else {
      let failure = self.error(nil)
      drainResults()
      throw failure
    }
    var failure: TranslationMemoryError?
    var copied = writer.rows
    while let result = PQgetResult(handle) {
      defer { PQclear(result) }
      if PQresultStatus(result) == PGRES_COMMAND_OK {
        copied = Int(String(cString: PQcmdTuples(result))) ?? copied
        changes = copied
      } else if failure == nil {
        failure = self.error(result)
      }
    }
    if let failure { throw failure }
    return copied
  }

  private func drainResults() {
    while let result = PQgetResult(handle) { PQclear(result) }
  }

  // MARK: LISTEN/NOTIFY

  /// Listens to a channel: ``notifications(waitingUpTo:)`` then returns what is notified on it
  /// (also after ``reconnect()``).
  func listen(_ channel: String) throws {
    try execute("LISTEN \(Self.quotedIdentifier(channel))")
    if !channels.contains(channel) { channels.append(channel) }
  }

  /// The notifications that arrived on the channels listened to, waiting up to `timeout` for
  /// the first one: returns as soon as some are there, empty when none came in time.
  ///
  /// - Throws: ``TranslationMemoryError/connectionLost(path:reason:)`` when the server closed
  ///   the connection.
  func notifications(waitingUpTo timeout: Duration) throws -> [(channel: String, payload: String)] {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while true {
      guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else {
        throw TranslationMemoryError.connectionLost(
          path: path, reason: Self.trimmed(String(cString: PQerrorMessage(handle))))
      }
      var arrived: [(channel: String, payload: String)] = []
      while let notify = PQnotifies(handle) {
        arrived.append((String(cString: notify.pointee.relname), String(cString: notify.pointee.extra)))
        PQfreemem(notify)
      }
      if !arrived.isEmpty { return arrived }
      let left = ContinuousClock.now.duration(to: deadline)
      if left <= .zero { return [] }
      let socket = PQsocket(handle)
      guard socket >= 0 else {
        throw TranslationMemoryError.connectionLost(path: path, reason: "no socket")
      }
      var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
      let milliseconds =
        left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
      let ready = poll(&descriptor, 1, Int32(clamping: milliseconds))
      if ready < 0 && errno != EINTR {
        throw TranslationMemoryError.connectionLost(path: path, reason: String(cString: strerror(errno)))
      }
    }
  }
}
