import AligntmServer
import Foundation
import TranslationMemory

/// `aligntm-bench serve`: `aligntm serve` under load. A memory of synthetic UN-like units
/// (FuzzyBenchmark's generator), the server on a loopback port in this process, and `wrk`
/// (Debian's package) sending amaGama lookups (`GET /tmserver/en/fr/unit/TEXT`) of the
/// generator's queries at 1, 8 and 64 connections. Prints requests/s and p50/p99 latency, and
/// the issue's targets for 64 connections (≥ 2,000 requests/s, p99 ≤ 50 ms on 2 cores).
enum ServeBenchmark {
  static func run(_ arguments: [String]) async throws {
    var unitCount = 1_000_000
    var duration = 10
    var connections = [1, 8, 64]
    var corpus = "corpus"
    let folder = try WorkingFolder(arguments, name: "serve") { name, value in
      switch name {
      case "--units": unitCount = Int(value ?? "") ?? unitCount
      case "--duration": duration = Int(value ?? "") ?? duration
      case "--connections": connections = (value ?? "").split(separator: ",").compactMap { Int($0) }
      case "--corpus": corpus = value ?? corpus
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
    try? FileManager.default.removeItem(at: memoryURL)
    let memory = try TranslationMemory(url: memoryURL)
    let storing = ContinuousClock.now
    try memory.write { memory in
      var units: [TranslationUnit] = []
      for id in 0..<unitCount {
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
    print("serve: stored \(unitCount) synthetic units in \(format(seconds(since: storing), 1)) s")

    let queries = (0..<1_000).map { generator.query(number: $0) }
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

    var settings = ServerSettings()
    settings.port = 0
    let server = try TMServer(memory: memoryURL, settings: settings)
    let loading = ContinuousClock.now
    try await server.preload()
    print("serve: index of \(unitCount) units ready in \(format(seconds(since: loading), 1)) s")
    let port = Locked<Int?>(nil)
    let serving = Task { try await server.run { value in port.set(value) } }
    defer { serving.cancel() }
    var listening: Int?
    for _ in 0..<600 where listening == nil {
      try await Task.sleep(for: .milliseconds(100))
      listening = port.get()
    }
    guard let listening else { throw BenchmarkError.usage("the server did not start") }

    print("serve: amaGama lookups, wrk -t2 --latency, \(duration) s per run, 1,000 distinct queries")
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
}
