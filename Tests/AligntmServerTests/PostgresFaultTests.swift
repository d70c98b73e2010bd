import Foundation
import TestSupport
import Testing
import TranslationMemory

#if canImport(Glibc)
import Glibc
#endif

/// What a server and an import on a PostgreSQL memory meet: the database restarted under the
/// server, a `kill -9` of a `tm import`. (The `kill -9` of the server during write-backs and the
/// malformed requests run on both stores in ``FaultTests``.)
@Suite(.serialized) struct PostgresFaultTests {
  /// PostgreSQL stopped and started again under a running server: while it is down the server
  /// answers lookups from its index (200, the same answers) and write-backs with a JSON 503;
  /// once it is back, the server reconnects by itself (the watcher, the writer, the texts a new
  /// pair's index is built from) and catches up, from the change log (no rebuild), on a unit
  /// another process wrote before it reconnected and on one written after.
  @Test(
    .enabled(if: PostgresCluster.binaries != nil, "skipped: no PostgreSQL server binaries (initdb, pg_ctl)"))
  func restartUnderARunningServer() throws {
    // A cluster of the test's own, so that stopping it disturbs no other test.
    let cluster = try PostgresCluster.start()
    defer { cluster.remove() }
    try PostgresTestServer.psql(cluster.url, "CREATE DATABASE serve_restart")
    let database = cluster.url.replacingOccurrences(of: "/postgres", with: "/serve_restart")
    let folder = try TestSupport.makeTemporaryDirectory()
    try Fixtures.store003(into: try TranslationMemory(address: .postgresql(database)))
    // A query saves the index beside the memory (in the cache), as a team's earlier runs do: a
    // server that mapped it would read its matches' texts from the database.
    let cache = StoreAddress.postgresql(database).localURL().deletingLastPathComponent()
    defer { try? FileManager.default.removeItem(at: cache) }
    let sentences = try Fixtures.pairs003().prefix(8).map(\.en)
    let queried = try CommandRunner.run(["query", sentences[0], "--tm", database])
    #expect(queried.status == 0, "query: \(queried.standardError)")
    // Reconnection is tried every poll interval: 3 s leaves time to write before it happens.
    let server = try ServerProcess(
      address: .postgresql(database), folder: folder, extraArguments: ["--poll-seconds", "3"])
    defer { server.stop() }

    let lookups = sentences.map { "/tmserver/en/fr/unit/\(Fixtures.escape($0))" }
    let answers = try lookups.map { try server.get($0) }
    #expect(answers.allSatisfy { $0.status == 200 && $0.text.hasPrefix("[{") })
    let overlayBefore = try PostgresServeTests.overlayAdded(server)

    try cluster.stop()
    for (lookup, answer) in zip(lookups, answers) {
      let now = try server.get(lookup)
      #expect(now.status == 200, "\(lookup) while PostgreSQL is down: \(now.status) \(now.text.prefix(200))")
      #expect(now.body == answer.body, "another answer while PostgreSQL is down")
    }
    // The watcher finds the loss as its session is cut; health says so (within a moment).
    var health = try server.get("/v1/health")
    for _ in 0..<40 where try Self.store(in: health) != "unreachable" {
      Thread.sleep(forTimeInterval: 0.05)
      health = try server.get("/v1/health")
    }
    #expect(health.status == 200)
    #expect(try Self.store(in: health) == "unreachable", "health while PostgreSQL is down: \(health.text)")
    let refused = try Self.writeBack(
      server, "The lighthouse stands while the database sleeps.", "Le phare veille.")
    #expect(refused.status == 503, "write-back while PostgreSQL is down: \(refused.status) \(refused.text)")
    #expect((try? refused.json() as? [String: Any])?["error"] is String, "not a JSON error: \(refused.text)")
    #expect(refused.headers["retry-after"] != nil)

    try cluster.startAgain()
    // Another process writes at once, most likely before the server has reconnected: its
    // notification is lost, and the server must catch up from the generation and change log.
    let meanwhile = (
      source: "Tugboats were counted while the server was away.",
      target: "On a compté les remorqueurs pendant l'absence du serveur."
    )
    try TranslationMemory(address: .postgresql(database)).add(
      TranslationUnit.aligned(
        source: Variant(language: .english, text: meanwhile.source),
        target: Variant(language: .french, text: meanwhile.target)))
    #expect(
      try Self.waitForSuggestion(server, meanwhile.source, meanwhile.target, seconds: 20),
      "the unit written while the server was disconnected was not caught up on")

    // The watcher listens again: a unit written now is suggested within 2 s.
    let after = (
      source: "Buoys are repainted after every storm.",
      target: "Les bouées sont repeintes après chaque tempête."
    )
    try TranslationMemory(address: .postgresql(database)).add(
      TranslationUnit.aligned(
        source: Variant(language: .english, text: after.source),
        target: Variant(language: .french, text: after.target)))
    #expect(
      try Self.waitForSuggestion(server, after.source, after.target, seconds: 2),
      "a unit written after the reconnection was not suggested within 2 s")

    // The writer is back: a write-back is stored (at most one 503 while it reconnects).
    var stored = try Self.writeBack(server, "The lighthouse stands again.", "Le phare est de nouveau debout.")
    for _ in 0..<20 where stored.status == 503 {
      Thread.sleep(forTimeInterval: 0.5)
      stored = try Self.writeBack(server, "The lighthouse stands again.", "Le phare est de nouveau debout.")
    }
    #expect(stored.status == 201, "write-back after the restart: \(stored.status) \(stored.text)")
    // The texts' connection is back: the index of a pair not loaded yet (French to English) is built.
    let french = try #require(try Fixtures.pairs003().first?.fr)
    let reverse = try server.get("/tmserver/fr/en/unit/\(Fixtures.escape(french))")
    #expect(
      reverse.status == 200 && reverse.text.hasPrefix("[{"),
      "fr→en after the restart: \(reverse.text.prefix(200))")
    #expect(try PostgresServeTests.overlayAdded(server) >= overlayBefore + 2, "the index was built again")
    #expect(try Self.store(in: try server.get("/v1/health")) == "reachable")
  }

  /// `kill -9` of `aligntm tm import` into a PostgreSQL memory at several moments, first into an
  /// empty memory (the COPY path), then into one holding units (the usual path): each time the
  /// memory holds what it held before or every unit of the file, never part of them, and every
  /// unit has both its variants; the memory exports after.
  @Test(.requiresPostgres, .timeLimit(.minutes(10))) func killNineOfAnImportIsAllOrNothing() throws {
    let database = try PostgresTestServer.freshDatabase()
    defer { PostgresTestServer.drop(database) }
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let memory = try TranslationMemory(address: .postgresql(database))
    let count = 20_000
    var outcomes: [String] = []
    for phase in ["empty", "holding units"] {
      let tmx = folder.appendingPathComponent("\(phase).tmx")
      let writer = try TMXWriter(url: tmx, header: .init(sourceLanguage: "en"))
      for number in 0..<count {
        try writer.write(
          TranslationUnit.aligned(
            source: Variant(language: .english, text: "Sentence \(number) of the import killed \(phase)."),
            target: Variant(language: .french, text: "Phrase \(number) de l’import tué (\(phase))."),
            document: "A/\(number % 40)"))
      }
      try writer.finish()
      let start = try memory.statistics().unitCount
      #expect((start == 0) == (phase == "empty"))
      // The last run is left to finish.
      for delay in [0.2, 0.5, 1.0, 2.0, 4.0, nil] {
        let before = try memory.statistics().unitCount
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = ["tm", "import", tmx.path, "--tm", database]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var finished = true
        if let delay {
          Thread.sleep(forTimeInterval: delay)
          finished = !process.isRunning
          if !finished { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        let after = try memory.statistics().unitCount
        #expect(
          after == before || after == start + count,
          "\(phase), killed after \(delay ?? 0) s: \(after) units, \(before) before, \(start + count) when complete"
        )
        outcomes.append(
          "\(phase) \(delay.map { "\($0) s" } ?? "to the end"): \(finished ? "finished" : "killed"), \(after - before) added"
        )
      }
      #expect(try memory.statistics().unitCount == start + count, "the import left to finish did not import")
    }
    print("tm import into PostgreSQL killed: " + outcomes.joined(separator: "; "))
    let units = try memory.units()
    #expect(units.allSatisfy { $0.variants.count == 2 }, "a unit lost a variant")
    let exported = folder.appendingPathComponent("after.tmx")
    #expect(try memory.exportTMX(to: exported).units == units.count)
  }

  /// The `store` field of a `/v1/health` answer.
  static func store(in health: HTTPAnswer) throws -> String? {
    (try health.json() as? [String: Any])?["store"] as? String
  }

  static func writeBack(_ server: ServerProcess, _ source: String, _ target: String) throws -> HTTPAnswer {
    let body = try JSONSerialization.data(withJSONObject: ["source": source, "target": target])
    return try server.request(
      "PUT", "/tmserver/en/fr/unit/\(Fixtures.escape(source))", body: Array(body), auth: true)
  }

  static func waitForSuggestion(_ server: ServerProcess, _ source: String, _ target: String, seconds: Double)
    throws -> Bool
  {
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
      let list = try server.get("/tmserver/en/fr/unit/\(Fixtures.escape(source))").json() as? [[String: Any]]
      if list?.first?["target"] as? String == target { return true }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return false
  }
}

/// A PostgreSQL cluster of one test's own (Scripts/postgres.sh with a folder and port of its
/// own), which the test may stop and start again.
struct PostgresCluster {
  let folder: URL
  let port: Int
  var url: String { "postgresql://aligntm@127.0.0.1:\(port)/postgres" }
  var data: URL { folder.appendingPathComponent("data") }

  /// The folder of PostgreSQL's server programs, newest version first; nil when none is installed.
  static let binaries: URL? = {
    let root = URL(fileURLWithPath: "/usr/lib/postgresql")
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }.map {
      root.appendingPathComponent($0).appendingPathComponent("bin")
    }.first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("pg_ctl").path) }
  }()

  /// initdb and start on a free loopback port.
  static func start() throws -> PostgresCluster {
    var failure: (any Error)?
    // Below the ephemeral range (32768 and up), where client sockets take ports at any moment.
    for _ in 0..<5 {
      let port = Int.random(in: 20_000..<32_000)
      guard isFree(port) else { continue }
      let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent(
        "aligntm-test-cluster-\(getpid())-\(port)")
      let cluster = PostgresCluster(folder: folder, port: port)
      do {
        try cluster.script("start")
        return cluster
      } catch {
        failure = error
        cluster.remove()
      }
    }
    throw failure ?? HarnessError("no free port for a PostgreSQL cluster")
  }

  /// Whether a loopback port can be bound now.
  static func isFree(_ port: Int) -> Bool {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }

  func script(_ command: String) throws {
    let script = TestSupport.repositoryRoot.appendingPathComponent("Scripts/postgres.sh")
    var environment = ProcessInfo.processInfo.environment
    environment["ALIGNTM_PG_DIR"] = folder.path
    environment["ALIGNTM_PG_PORT"] = String(port)
    let log = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + ".log")
    let status = try Self.run(
      ["/bin/bash", "-c", "bash \"$0\" \"$1\" >\"$2\" 2>&1", script.path, command, log.path],
      environment: environment)
    guard status == 0 else {
      let message = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
      throw HarnessError("postgres.sh \(command): \(message)")
    }
  }

  /// Runs a program and waits for it with `waitpid`. Not Foundation's `Process`: it learns of
  /// the exit through a descriptor the child inherits, which the server `pg_ctl start` leaves
  /// running inherits too, so that the wait would last as long as the server.
  static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    // Its output goes nowhere: what matters is the status.
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
    guard spawned == 0 else {
      throw HarnessError("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    // WIFEXITED and WEXITSTATUS, which Swift does not import.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
  }

  /// `pg_ctl stop -m fast`: the server's sessions are cut, as a restart cuts them.
  func stop() throws {
    try pgCtl(["-D", data.path, "-m", "fast", "-w", "stop"])
  }

  /// Starts the stopped cluster again (its data kept).
  func startAgain() throws { try script("start") }

  /// Stops the cluster and removes its folder.
  func remove() {
    try? script("stop")
    try? FileManager.default.removeItem(atPath: folder.path + ".log")
  }

  private func pgCtl(_ arguments: [String]) throws {
    guard let binaries = Self.binaries else { throw HarnessError("no pg_ctl") }
    let pgCtl = binaries.appendingPathComponent("pg_ctl").path
    // initdb refuses root, so the cluster belongs to Debian's postgres user (as postgres.sh does).
    let command =
      getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", pgCtl] + arguments : [pgCtl] + arguments
    guard try Self.run(command, environment: ProcessInfo.processInfo.environment) == 0 else {
      throw HarnessError("pg_ctl \(arguments.last ?? ""): failed")
    }
  }
}
