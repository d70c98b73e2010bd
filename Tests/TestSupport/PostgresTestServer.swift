import Foundation
import Testing

/// The PostgreSQL server the tests use: `$ALIGNTM_TEST_POSTGRES` (Scripts/test.sh and CI set it),
/// else the cluster `bash Scripts/postgres.sh start` runs on 127.0.0.1:54329 when it answers.
/// Each test works in a database of its own (``freshDatabase()``), dropped at its end.
///
/// Talks to the server with `psql`, so that this target depends on none of aligntm's modules.
public enum PostgresTestServer {
  /// The developer cluster of Scripts/postgres.sh.
  public static let developerDefault = "postgresql://aligntm@127.0.0.1:54329/postgres"

  /// Why a test is skipped; Swift Testing prints `skipped: "no PostgreSQL (…)"`.
  public static let skipReason = "no PostgreSQL (bash Scripts/postgres.sh start)"
  /// The notice for a skip by early return: `skipped: no PostgreSQL (bash Scripts/postgres.sh start)`.
  public static let skipNotice = "skipped: " + skipReason

  /// Whether this runs in CI (`CI=true`): a missing server is then a failure, not a skip.
  public static var inCI: Bool {
    let value = ProcessInfo.processInfo.environment["CI"]?.lowercased()
    return value == "true" || value == "1"
  }

  /// The server's URL (of its `postgres` database), or nil when none answers.
  public static let url: String? = {
    if let url = ProcessInfo.processInfo.environment["ALIGNTM_TEST_POSTGRES"], !url.isEmpty {
      return url
    }
    guard let answer = TestSupport.runProgram("psql", [developerDefault, "-XtAc", "SELECT 1"]),
      answer.status == 0
    else { return nil }
    return developerDefault
  }()

  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// The URL of a newly created, empty database `aligntm_test_<random>`.
  public static func freshDatabase() throws -> String {
    guard let url else {
      throw Failure(
        description: "no PostgreSQL server: set ALIGNTM_TEST_POSTGRES or run bash Scripts/postgres.sh start")
    }
    let name =
      "aligntm_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    try psql(url, "CREATE DATABASE \(name)")
    return replacingDatabase(of: url, with: name)
  }

  /// Drops a database ``freshDatabase()`` made (closing its sessions first).
  public static func drop(_ databaseURL: String) {
    guard let url, let name = databaseName(of: databaseURL), name.hasPrefix("aligntm_test_") else { return }
    _ = try? psql(url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
  }

  /// Runs SQL with psql on a database: its output (tuples only, unaligned).
  @discardableResult
  public static func psql(_ url: String, _ sql: String) throws -> String {
    guard let answer = TestSupport.runProgram("psql", [url, "-XtAq", "-v", "ON_ERROR_STOP=1", "-c", sql])
    else {
      throw Failure(description: "psql cannot start (install postgresql-client)")
    }
    guard answer.status == 0 else {
      throw Failure(description: "psql \(sql): \(answer.output)")
    }
    return answer.output.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// `postgresql://u@h:p/db?x` → `db`.
  static func databaseName(of url: String) -> String? {
    guard let scheme = url.range(of: "://") else { return nil }
    let rest = url[scheme.upperBound...]
    guard let slash = rest.firstIndex(of: "/") else { return nil }
    let tail = rest[rest.index(after: slash)...]
    return String(tail.prefix(while: { $0 != "?" }))
  }

  static func replacingDatabase(of url: String, with name: String) -> String {
    guard let scheme = url.range(of: "://") else { return url + " dbname=\(name)" }
    let rest = url[scheme.upperBound...]
    let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
    var query = ""
    if let mark = rest.firstIndex(of: "?") { query = String(rest[mark...]) }
    return String(url[..<authorityEnd]) + "/" + name + query
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs the test only when a PostgreSQL server answers (``PostgresTestServer/url``); otherwise
  /// skips it with the notice `skipped: no PostgreSQL (bash Scripts/postgres.sh start)`. In CI
  /// (`CI=true`) the test runs anyway and fails: CI starts the server, its absence is a bug.
  public static var requiresPostgres: Self {
    .enabled(
      if: PostgresTestServer.url != nil || PostgresTestServer.inCI,
      Comment(rawValue: PostgresTestServer.skipReason))
  }
}
