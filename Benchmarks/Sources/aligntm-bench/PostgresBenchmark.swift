import Foundation
import TranslationMemory

/// `aligntm-bench tmx-postgres --url URL [--units N] [--dir DIR] [--keep]`: a TMX file of N
/// generated units (as `tmx` makes it) imported into a PostgreSQL memory twice: into an empty
/// memory (COPY, Store/PostgresBulkLoad.swift) and into one that holds a unit already (an
/// INSERT per row). URL names a database the bench may create databases from (`postgres`);
/// it makes and drops two of its own. Prints units/s for each.
enum PostgresBenchmark {
  static func run(_ arguments: [String]) throws {
    var units = 100_000
    var server: String?
    let folder = try WorkingFolder(arguments, name: "tmx-postgres") { option, value in
      switch option {
      case "--units":
        guard let value, let count = Int(value), count > 0 else {
          throw BenchmarkError.usage("--units needs a positive number")
        }
        units = count
      case "--url":
        guard let value, StoreAddress.isPostgreSQL(value) else {
          throw BenchmarkError.usage("--url needs a postgresql:// URL")
        }
        server = value
      default: return false
      }
      return true
    }
    defer { folder.finish() }
    guard let server else {
      throw BenchmarkError.usage("tmx-postgres --url postgresql://USER@HOST:PORT/postgres [--units N]")
    }
    print(
      "== tmx-postgres: a TMX import of \(units) units into PostgreSQL (\(StoreAddress.postgresql(server))) =="
    )
    let input = folder.url.appendingPathComponent("generated.tmx")
    _ = try TMXBenchmark.generate(to: input, units: units)
    for (name, prefilled) in [("copy", false), ("rows", true)] {
      let database = "aligntm_bench_\(ProcessInfo.processInfo.processIdentifier)_\(name)"
      try psql(server, "CREATE DATABASE \(database)")
      defer { try? psql(server, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)") }
      let url = replacingDatabase(of: server, with: database)
      let memory = try TranslationMemory(address: .postgresql(url))
      if prefilled {
        let unit = TranslationUnit.aligned(
          source: Variant(language: .english, text: "Already there."),
          target: Variant(language: .french, text: "Déjà là."), document: nil, paragraph: nil, score: 1,
          sourceFile: nil, targetFile: nil, tool: "aligntm-bench", date: Date(timeIntervalSince1970: 0))
        try memory.add(unit)
      }
      let start = ContinuousClock.now
      let summary = try memory.importTMX(from: input)
      let wall = seconds(since: start)
      guard summary.inserted == units else {
        throw BenchmarkError.failed("\(summary.inserted) of \(units) units inserted")
      }
      let path = prefilled ? "INSERT per row (memory not empty)" : "COPY (empty memory)"
      print(
        String(
          format: "  %-5@ %9d units in %7.2f s = %8.0f units/s  %@", name, units, wall,
          Double(units) / max(wall, 1e-9), path))
      fflush(nil)
    }
  }

  static func psql(_ url: String, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["psql", url, "-XqAt", "-v", "ON_ERROR_STOP=1", "-c", sql]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchmarkError.failed("psql: \(sql)") }
  }

  /// `postgresql://u@h:p/db?x` with another database.
  static func replacingDatabase(of url: String, with name: String) -> String {
    guard let scheme = url.range(of: "://") else { return url }
    let rest = url[scheme.upperBound...]
    let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
    let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
    return String(url[..<authorityEnd]) + "/" + name + query
  }
}
