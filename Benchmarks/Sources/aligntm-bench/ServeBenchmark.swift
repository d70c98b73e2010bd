import AligntmServer
import Foundation
import TranslationMemory

#if canImport(Glibc)
import Glibc
#endif

/// `aligntm-bench serve`: `aligntm serve` under load. A memory of synthetic UN-like units
/// (FuzzyBenchmark's generator), the server on a loopback port in this process, and `wrk`
/// (Debian's package) sending amaGama lookups (`GET /tmserver/en/fr/unit/TEXT`) of the
/// generator's queries at 1, 8 and 64 connections. Prints requests/s and p50/p99 latency, and
/// the issue's targets for 64 connections (≥ 2,000 requests/s, p99 ≤ 50 ms on 2 cores).
///
/// `--tm postgresql://…` serves a PostgreSQL memory instead (an empty database, or one an earlier
/// run filled with as many units): the delay then measured for a unit written elsewhere is that
/// of LISTEN/NOTIFY.
///
/// The write-to-suggestion delay is measured five times on the big memory and five times on a
/// small one (`--small-units`, 10,000 by default: a second server over a SQLite file in the
/// working folder, or over the database `DB_small_N` beside a PostgreSQL one, made and filled on
/// the first run), and the medians are printed side by side: a write's cost must not grow with
/// the memory.
enum ServeBenchmark {
  static func run(_ arguments: [String]) async throws {
    var unitCount = 1_000_000
    var smallCount = 10_000
    var duration = 10
    var connections = [1, 8, 64]
    var corpus = "corpus"
    var postgresURL: String?
    let folder = try WorkingFolder(arguments, name: "serve") { name, value in
      switch name {
      case "--units": unitCount = Int(value ?? "") ?? unitCount
      case "--duration": duration = Int(value ?? "") ?? duration
      case "--connections": connections = (value ?? "").split(separator: ",").compactMap { Int($0) }
      case "--corpus": corpus = value ?? corpus
      case "--tm": postgresURL = value
      case "--small-units": smallCount = Int(value ?? "") ?? smallCount
      default: return false
      }
      return true
    }
    defer { folder.finish() }
    guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile)
    else {
      throw BenchmarkError.usage("wrk is missing: apt-get install wrk (bash Scripts/install-deps.sh --test)")
    }

    var generator = SyntheticMemory(corpus: corpus, seed: 2024)
    let memoryURL = folder.url.appendingPathComponent("memory.sqlite")
    let address: StoreAddress
    if let postgresURL {
      address = .postgresql(postgresURL)
      // A database an earlier run filled is used again (the generator is deterministic; its
      // repeated pairs are merged, so the database holds fewer units than were generated). The
      // units the delay measurements wrote stay in it.
      let held = try TranslationMemory(address: address).statistics().unitCount
      if held == 0 {
        try storeByImport(unitCount, &generator, at: address, folder: folder.url)
      } else {
        print("serve: reusing the PostgreSQL memory of \(held) units at \(address) (--units is ignored)")
      }
    } else {
      address = .file(memoryURL)
      // A memory left by an earlier run with --dir and --keep is used again (the generator is
      // deterministic): the file `generated` beside it says how many units it was made from.
      let generated = folder.url.appendingPathComponent("generated")
      if FileManager.default.fileExists(atPath: memoryURL.path),
        (try? String(contentsOf: generated, encoding: .utf8)) == String(unitCount)
      {
        print("serve: reusing the memory of \(unitCount) generated units in \(folder.url.path)")
      } else {
        try store(unitCount, &generator, at: address)
        try String(unitCount).write(to: generated, atomically: true, encoding: .utf8)
      }
    }

    // Their own generator, so that a reused memory gets the same queries as a new one.
    var queryGenerator = SyntheticMemory(corpus: corpus, seed: 2025)
    let queries = (0..<1_000).map { queryGenerator.query(number: $0) }.filter {
      !$0.allSatisfy(\.isWhitespace)
    }
    let escaped = CharacterSet(
      charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    let paths = queries.map {
      "/tmserver/en/fr/unit/" + ($0.addingPercentEncoding(withAllowedCharacters: escaped) ?? "x")
    }
    let pathsFile = folder.url.appendingPathComponent("paths.txt")
    try (paths.joined(separator: "\n") + "\n").write(to: pathsFile, atomically: true, encoding: .utf8)
    let script = folder.url.appendingPathComponent("lookups.lua")
    try """
    local paths = {}
    for line in io.lines("\(pathsFile.path)") do paths[#paths + 1] = line end
    local next_path = 0
    request = function()
      next_path = next_path % #paths + 1
      return wrk.format("GET", paths[next_path])
    end
    """.write(to: script, atomically: true, encoding: .utf8)

    let loading = ContinuousClock.now
    let (serving, listening) = try await startServer(address)
    defer { serving.cancel() }
    print("serve: the index ready in \(format(seconds(since: loading), 1)) s")

    print(
      "serve: amaGama lookups, wrk -t2 --latency, \(duration) s per run, \(queries.count) distinct queries")
    print("connections  requests/s     p50 ms     p99 ms")
    var last: (rate: Double, p99: Double)?
    for count in connections {
      let output = try runWrk(
        wrk,
        [
          "-t\(min(2, count))", "-c\(count)", "-d\(duration)s", "--latency", "-s", script.path,
          "http://127.0.0.1:\(listening)",
        ])
      let rate = Double(value(after: "Requests/sec:", in: output) ?? "") ?? 0
      let p50 = milliseconds(value(after: "50%", in: output))
      let p99 = milliseconds(value(after: "99%", in: output))
      print(
        "\(pad(String(count), 11))  \(pad(format(rate, 0), 10))  \(pad(format(p50, 2), 9))  \(pad(format(p99, 2), 9))"
      )
      if let errors = output.split(separator: "\n").first(where: {
        $0.contains("Non-2xx") || $0.contains("Socket errors")
      }) {
        print("  \(errors.trimmingCharacters(in: .whitespaces))")
      }
      last = (rate, p99)
    }
    if let last, connections.last == 64 {
      let met = last.rate >= 2_000 && last.p99 <= 50
      print("serve: target at 64 connections (≥ 2000 requests/s, p99 ≤ 50 ms): \(met ? "met" : "NOT met")")
    }
    // After wrk: the mapped index's pages are in memory, as they were for the last runs.
    try ceiling(address, queries, seconds: Double(min(duration, 5)))
    var delays: [Double] = []
    for _ in 0..<5 {
      if let delay = try await writtenElsewhereDelay(address, port: listening) { delays.append(delay) }
    }
    if postgresURL != nil {
      // A second server on the memory, as after a restart: it reads back the index the first one
      // saved with its texts (in the cache folder) and catches up on the writes made since.
      let restarting = ContinuousClock.now
      let (again, _) = try await startServer(address)
      print(
        "serve: a second server on this memory: the index ready in \(format(seconds(since: restarting), 2)) s "
          + "(the index the first one saved, read back and caught up on the writes since)"
      )
      again.cancel()
    }
    // The same delay on a small memory: a write's cost should not grow with the memory.
    let smallAddress: StoreAddress
    if let postgresURL {
      smallAddress = try smallPostgresMemory(
        postgresURL, units: smallCount, corpus: corpus, folder: folder.url)
    } else {
      smallAddress = .file(folder.url.appendingPathComponent("small.sqlite"))
      var smallGenerator = SyntheticMemory(corpus: corpus, seed: 2024)
      try store(smallCount, &smallGenerator, at: smallAddress)
    }
    let (smallServing, smallPort) = try await startServer(smallAddress)
    defer { smallServing.cancel() }
    var smallDelays: [Double] = []
    for _ in 0..<5 {
      if let delay = try await writtenElsewhereDelay(smallAddress, port: smallPort) {
        smallDelays.append(delay)
      }
    }
    let held = try TranslationMemory(address: address, access: .readOnly).statistics().unitCount
    let smallHeld = try TranslationMemory(address: smallAddress, access: .readOnly).statistics().unitCount
    print(
      "serve: write-to-suggestion delay, median of 5 (client polls every 5 ms): "
        + "\(format(median(delays) * 1000, 0)) ms at \(held) units, "
        + "\(format(median(smallDelays) * 1000, 0)) ms at \(smallHeld) units")
  }

  /// A server on `address`, on a free loopback port, its indexes built; the task that runs it
  /// (cancel it to stop) and the port.
  static func startServer(_ address: StoreAddress) async throws -> (Task<Void, any Error>, Int) {
    var settings = ServerSettings()
    settings.port = 0
    let server = try TMServer(memory: address, settings: settings)
    try await server.preload()
    let port = Locked<Int?>(nil)
    let serving = Task { try await server.run { value in port.set(value) } }
    for _ in 0..<600 {
      if let listening = port.get() { return (serving, listening) }
      try await Task.sleep(for: .milliseconds(100))
    }
    serving.cancel()
    throw BenchmarkError.usage("the server did not start")
  }

  /// The database beside `url`'s, named after it and `units` (`…_small_10000`), filled with that
  /// many generated units when it is new or empty.
  static func smallPostgresMemory(_ url: String, units: Int, corpus: String, folder: URL) throws
    -> StoreAddress
  {
    let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    let database = path.split(separator: "/").last.map(String.init) ?? "postgres"
    let small = PostgresBenchmark.replacingDatabase(of: url, with: "\(database)_small_\(units)")
    let address = StoreAddress.postgresql(small)
    if (try? TranslationMemory(address: address)) == nil {
      try PostgresBenchmark.psql(url, "CREATE DATABASE \(database)_small_\(units)")
    }
    if try TranslationMemory(address: address).statistics().unitCount == 0 {
      var generator = SyntheticMemory(corpus: corpus, seed: 2024)
      try storeByImport(units, &generator, at: address, folder: folder)
    }
    return address
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
  }

  /// The in-process ceiling, while the server stands idle: the amaGama lookup (``FuzzyIndex/scoredEntries(for:minimumScore:limit:)``
  /// with the route's defaults) of the same queries, without HTTP, on 1 and 2 threads.
  static func ceiling(_ address: StoreAddress, _ queries: [String], seconds limit: Double) throws {
    let memory = try TranslationMemory(address: address, access: .readOnly)
    // The index the server holds: mapped from its file for SQLite, its texts in memory for PostgreSQL.
    let index: FuzzyIndex
    if case .postgresql = address {
      index = try memory.liveFuzzyIndexInMemory(from: .english, to: .french).index
    } else {
      index = try memory.fuzzyIndex(from: .english, to: .french)
    }
    for threads in [1, 2] {
      let counts = Locked<[Int]>([])
      let start = ContinuousClock.now
      DispatchQueue.concurrentPerform(iterations: threads) { thread in
        var done = 0
        var position = thread * 7
        while seconds(since: start) < limit {
          _ = try? index.scoredEntries(for: queries[position % queries.count], minimumScore: 70, limit: 5)
          position += 1
          done += 1
        }
        let finished = done
        counts.update { $0.append(finished) }
      }
      let rate = Double(counts.get().reduce(0, +)) / seconds(since: start)
      print("serve: ceiling, in-process lookups (no HTTP) on \(threads) thread(s): \(format(rate, 0)) /s")
    }
  }

  /// Writes a unit through a connection of its own (as another process does: the server sees
  /// only the memory) and measures how long until the server suggests it; says whether the
  /// index was laid over (its overlay grew, its saved file untouched) rather than built again.
  @discardableResult
  static func writtenElsewhereDelay(_ address: StoreAddress, port: Int) async throws -> Double? {
    let indexFile = FuzzyIndex.defaultURL(forMemory: address.localURL(), from: .english, to: .french)
    func fileIdentity() -> [Int] {
      var info = stat()
      guard stat(indexFile.path, &info) == 0 else { return [] }
      return [Int(info.st_ino), Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
    }
    func overlayAdded() throws -> Int? {
      let body = try httpGet(port: port, "/v1/stats")
      let stats = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
      let indexes = stats?["indexes"] as? [[String: Any]] ?? []
      return indexes.first { $0["source"] as? String == "en" && $0["target"] as? String == "fr" }?[
        "overlayAdded"] as? Int
    }
    let fileBefore = fileIdentity()
    let overlayBefore = try overlayAdded()
    let mark = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let source = "The delegation of Atlantis welcomed the report on lighthouse keepers \(mark)."
    let target = "La délégation de l'Atlantide s'est félicitée du rapport sur les gardiens de phare."
    let writer = try TranslationMemory(address: address)
    let written = ContinuousClock.now
    try writer.add(
      TranslationUnit.aligned(
        source: Variant(language: .english, text: source), target: Variant(language: .french, text: target)))
    let escaped = CharacterSet(
      charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    let path = "/tmserver/en/fr/unit/" + (source.addingPercentEncoding(withAllowedCharacters: escaped) ?? "")
    var delay: Double?
    while seconds(since: written) < 30 {
      // Its exact source: a kept memory holds the units of earlier runs, alike but for the number.
      if try httpGet(port: port, path).contains("\"source\": \"\(JSONTextForBench.escaped(source))\"") {
        delay = seconds(since: written)
        break
      }
      try await Task.sleep(for: .milliseconds(5))
    }
    let overlayAfter = try overlayAdded()
    guard let delay else {
      print("serve: a unit written through another connection was NOT suggested within 30 s")
      return nil
    }
    let laidOver = (overlayAfter ?? 0) > (overlayBefore ?? 0) && fileIdentity() == fileBefore
    print(
      "serve: a unit written through another connection was suggested after \(format(delay * 1000, 0)) ms "
        + "(target ≤ 2000 ms; \(laidOver ? "laid over the index, no rebuild" : "the index was BUILT AGAIN"))")
    return delay
  }

  /// A GET over a new connection; the answer's body (the server sends a length, not chunks).
  static func httpGet(port: Int, _ path: String) throws -> String {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw BenchmarkError.usage("cannot connect to port \(port)") }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    _ = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = recv(socket, &buffer, buffer.count, 0)
      if count <= 0 { break }
      answer += buffer[..<count]
    }
    let text = String(decoding: answer, as: UTF8.self)
    return text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
  }

  /// Stores `count` synthetic units in a new memory at `url`.
  static func store(_ count: Int, _ generator: inout SyntheticMemory, at address: StoreAddress) throws {
    if case .file(let url) = address {
      for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
    }
    let memory = try TranslationMemory(address: address)
    let storing = ContinuousClock.now
    try memory.write { memory in
      var units: [TranslationUnit] = []
      for id in 0..<count {
        let entry = generator.entry(id: Int64(id))
        units.append(
          TranslationUnit.aligned(
            source: Variant(language: .english, text: entry.source),
            target: Variant(language: .french, text: entry.target), document: entry.document,
            paragraph: entry.paragraph, tool: nil))
        if units.count == 10_000 {
          try memory.add(units)
          units.removeAll(keepingCapacity: true)
        }
      }
      try memory.add(units)
    }
    print("serve: stored \(count) synthetic units in \(format(seconds(since: storing), 1)) s")
  }

  /// Stores `count` synthetic units in the empty memory at `address` as `aligntm tm import` does:
  /// a TMX file of them, imported (on PostgreSQL, by COPY).
  static func storeByImport(
    _ count: Int, _ generator: inout SyntheticMemory, at address: StoreAddress, folder: URL
  ) throws {
    let tmx = folder.appendingPathComponent("synthetic.tmx")
    defer { try? FileManager.default.removeItem(at: tmx) }
    let writer = try TMXWriter(url: tmx, header: .init(sourceLanguage: "en"))
    for id in 0..<count {
      let entry = generator.entry(id: Int64(id))
      try writer.write(
        TranslationUnit.aligned(
          source: Variant(language: .english, text: entry.source),
          target: Variant(language: .french, text: entry.target), document: entry.document,
          paragraph: entry.paragraph, tool: nil))
    }
    try writer.finish()
    let memory = try TranslationMemory(address: address)
    let importing = ContinuousClock.now
    let summary = try memory.importTMX(from: tmx)
    print(
      "serve: imported \(summary.inserted) synthetic units into \(address) in "
        + "\(format(seconds(since: importing), 1)) s")
  }

  static func runWrk(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  /// The word after `label` on the first line starting with it (`Requests/sec:   2345.67`).
  static func value(after label: String, in output: String) -> String? {
    for line in output.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix(label) {
        return trimmed.dropFirst(label.count).split(separator: " ").first.map(String.init)
      }
    }
    return nil
  }

  /// wrk's latency (`812.00us`, `3.20ms`, `1.05s`) in milliseconds.
  static func milliseconds(_ text: String?) -> Double {
    guard let text else { return .nan }
    for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)]
    where text.hasSuffix(unit) {
      return (Double(text.dropLast(unit.count)) ?? .nan) * factor
    }
    return Double(text) ?? .nan
  }
}

/// A value shared with the server's callback.
final class Locked<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value
  init(_ value: Value) { self.value = value }
  func get() -> Value { lock.withLock { value } }
  func set(_ newValue: Value) { lock.withLock { value = newValue } }
  func update(_ body: (inout Value) -> Void) { lock.withLock { body(&value) } }
}

/// A text as the server's JSON writes it (quotes and backslashes escaped; the test texts have
/// no control characters).
enum JSONTextForBench {
  static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
  }
}
