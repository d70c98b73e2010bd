import Foundation
import TestSupport
import TextSegmentation
import TranslationMemory

#if canImport(Glibc)
import Glibc
#endif

/// A real `aligntm serve` process on an ephemeral loopback port, and a raw HTTP/1.1 client
/// (sockets, so that tests can send bytes no HTTP library would: bad UTF-8, half requests).
// @unchecked: after init only `process` changes, and Process is thread-safe for these calls.
final class ServerProcess: @unchecked Sendable {
  let process = Process()
  let port: Int
  /// The memory as `--tm` names it.
  let address: StoreAddress
  let token = "test-token-0123456789abcdef"

  /// The memory file of a server on a SQLite memory.
  var memory: URL {
    guard case .file(let url) = address else { preconditionFailure("the server's memory is not a file") }
    return url
  }

  /// Starts the server on the memory file `memory` and waits for its "listening" line.
  convenience init(memory: URL, withToken: Bool = true, extraArguments: [String] = []) throws {
    try self.init(
      address: .file(memory), folder: memory.deletingLastPathComponent(), withToken: withToken,
      extraArguments: extraArguments)
  }

  /// Starts the server on the memory at `address` (its token file in `folder`) and waits for its
  /// "listening" line.
  init(address: StoreAddress, folder: URL, withToken: Bool = true, extraArguments: [String] = []) throws {
    self.address = address
    let tm: String
    switch address {
    case .file(let url): tm = url.path
    case .postgresql(let url): tm = url
    }
    var arguments = ["serve", "--tm", tm, "--port", "0"]
    if withToken {
      let tokenFile = folder.appendingPathComponent("token")
      try (token + "\n").write(to: tokenFile, atomically: true, encoding: .utf8)
      arguments += ["--token-file", tokenFile.path]
    }
    process.executableURL = CommandRunner.executable
    process.arguments = arguments + extraArguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    var line = Data()
    let deadline = Date().addingTimeInterval(120)
    while !line.contains(UInt8(ascii: "\n")) {
      let byte = out.fileHandleForReading.readData(ofLength: 1)
      if byte.isEmpty || Date() > deadline { throw HarnessError("the server did not start") }
      line.append(byte)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard
      let port = text.split(separator: ":").last.flatMap({
        Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
      })
    else { throw HarnessError("no port in \(text)") }
    self.port = port
  }

  deinit { stop() }

  func stop() {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
  }

  func kill9() {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }

  /// One request over a new connection; the whole answer.
  func request(
    _ method: String, _ target: String, body: [UInt8] = [], headers: [String: String] = [:],
    auth: Bool = false
  ) throws -> HTTPAnswer {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    var headers = headers
    if auth { headers["Authorization"] = "Bearer \(token)" }
    if !body.isEmpty || method == "POST" || method == "PUT" { headers["Content-Length"] = String(body.count) }
    for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
    return try raw(Array((head + "\r\n").utf8) + body)
  }

  func get(_ target: String, auth: Bool = false) throws -> HTTPAnswer {
    try request("GET", target, auth: auth)
  }

  /// Sends bytes as they are and reads until the server closes the connection.
  func raw(_ bytes: [UInt8], readAnswer: Bool = true) throws -> HTTPAnswer {
    let socket = try connect()
    defer { close(socket) }
    var sent = 0
    while sent < bytes.count {
      let n = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if n <= 0 { break }  // the server may close early (a body too large): read what it said
      sent += n
    }
    if !readAnswer { return HTTPAnswer(status: 0, headers: [:], body: []) }
    shutdown(socket, Int32(SHUT_WR))
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let n = recv(socket, &buffer, buffer.count, 0)
      if n <= 0 { break }
      answer += buffer[..<n]
    }
    return HTTPAnswer(answer)
  }

  /// A connected socket, with a receive timeout so a test fails rather than hangs.
  func connect() throws -> Int32 {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var timeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if result != 0 {
      close(socket)
      throw HarnessError("cannot connect to port \(port)")
    }
    return socket
  }
}

/// An HTTP answer: status, headers (lower-cased names), body (chunked encoding undone).
struct HTTPAnswer {
  var status: Int
  var headers: [String: String]
  var body: [UInt8]

  var text: String { String(decoding: body, as: UTF8.self) }
  func json() throws -> Any {
    try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
  }

  init(status: Int, headers: [String: String], body: [UInt8]) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  init(_ bytes: [UInt8]) {
    let separator: [UInt8] = [13, 10, 13, 10]
    guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
      self.init(status: 0, headers: [:], body: bytes)
      return
    }
    let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
    let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    var body = Array(bytes[(end + 4)...])
    if headers["transfer-encoding"] == "chunked" { body = Self.unchunk(body) }
    self.init(status: status, headers: headers, body: body)
  }

  static func unchunk(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var position = 0
    while position < bytes.count {
      guard let lineEnd = bytes[position...].indices.first(where: { bytes[$0] == 13 }) else { break }
      let size = Int(String(decoding: bytes[position..<lineEnd], as: UTF8.self), radix: 16) ?? 0
      if size == 0 { break }
      let start = lineEnd + 2
      out += bytes[start..<min(start + size, bytes.count)]
      position = start + size + 2
    }
    return out
  }
}

struct HarnessError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

enum Fixtures {
  /// The English–French pairs of corpus/un/003 (its gold alignment), one sentence pair a bead.
  static func pairs003() throws -> [(en: String, fr: String)] {
    try TestSupport.jsonLines("un/003/gold.jsonl", as: GoldBead.self).compactMap { bead in
      guard !bead.en.isEmpty, !bead.fr.isEmpty else { return nil }
      return (bead.en.joined(separator: " "), bead.fr.joined(separator: " "))
    }
  }

  /// A new memory in a temporary folder holding the pairs of 003.
  static func memory003() throws -> URL {
    let folder = try TestSupport.makeTemporaryDirectory()
    let url = folder.appendingPathComponent("memory.sqlite")
    try store003(into: try TranslationMemory(url: url))
    return url
  }

  /// Adds the pairs of 003 to `memory`.
  static func store003(into memory: TranslationMemory) throws {
    try memory.add(
      try pairs003().map {
        TranslationUnit.aligned(
          source: Variant(language: .english, text: $0.en), target: Variant(language: .french, text: $0.fr),
          document: "A/RES/75/15")
      })
  }

  /// A new memory holding the pairs of 003 on `store` (a database of the tests' PostgreSQL server
  /// for ``TestStore/postgresql``), with a temporary folder for what goes beside it; nil when
  /// the store is PostgreSQL and no server answers (outside CI: the caller skips).
  static func memory003(on store: TestStore) throws -> TestMemory? {
    let folder = try TestSupport.makeTemporaryDirectory()
    switch store {
    case .sqlite:
      let url = folder.appendingPathComponent("memory.sqlite")
      try store003(into: try TranslationMemory(url: url))
      return TestMemory(address: .file(url), folder: folder)
    case .postgresql:
      if PostgresTestServer.url == nil && !PostgresTestServer.inCI {
        print(PostgresTestServer.skipNotice)
        return nil
      }
      let url = try PostgresTestServer.freshDatabase()
      let memory = TestMemory(address: .postgresql(url), folder: folder)
      try store003(into: try TranslationMemory(address: memory.address))
      return memory
    }
  }

  /// Percent-escapes everything but unreserved characters (as Weblate's `quote(text, b"")`).
  static func escape(_ text: String) -> String {
    let allowed = CharacterSet(
      charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }
}

/// The stores a server test runs on.
enum TestStore: String, CaseIterable, Sendable, CustomStringConvertible {
  case sqlite, postgresql
  var description: String { rawValue }
}

/// A memory made for one test: a SQLite file, or a PostgreSQL database dropped with this value.
final class TestMemory: Sendable {
  let address: StoreAddress
  /// A temporary folder for the token file, TMX files and the like.
  let folder: URL

  init(address: StoreAddress, folder: URL) {
    self.address = address
    self.folder = folder
  }

  /// The memory as `--tm` takes it.
  var argument: String {
    switch address {
    case .file(let url): url.path
    case .postgresql(let url): url
    }
  }

  deinit {
    if case .postgresql(let url) = address { PostgresTestServer.drop(url) }
  }
}
