import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// A PostgreSQL memory follows a SQLite one's rules: its schema and versions, one transaction per
/// write, the generation bumped once per write, and writers that take turns. Each test has a
/// database of its own on the test server (``PostgresTestServer``).
@Suite("PostgreSQL store", .requiresPostgres)
struct PostgresStoreTests {
  /// Runs `body` with a new, empty database, dropped afterwards.
  func withDatabase(_ body: (String) throws -> Void) throws {
    let database = try PostgresTestServer.freshDatabase()
    defer { PostgresTestServer.drop(database) }
    try body(database)
  }

  func open(_ database: String, access: TranslationMemory.Access = .readWrite) throws -> TranslationMemory {
    try TranslationMemory(address: .postgresql(database), access: access)
  }

  // MARK: Schema and versions

  @Test func aNewDatabaseGetsTheSchemaAndIsOpenedAgainAsItIs() throws {
    try withDatabase { database in
      let memory = try open(database)
      #expect(try memory.schemaVersion == Schema.currentVersion)
      let identity = try #require(try memory.identity())
      #expect(identity.count == 32 && identity.allSatisfy(\.isHexDigit))
      try memory.add(Fixture.pair("Recalls its resolution.", "Rappelle sa résolution."))
      let again = try open(database)
      #expect(try again.schemaVersion == Schema.currentVersion)
      #expect(try again.identity() == identity)
      #expect(try again.statistics().unitCount == 1)
      #expect(
        try PostgresTestServer.psql(database, "SELECT version, application FROM aligntm_schema")
          == "\(Schema.currentVersion)|\(Schema.applicationID)")
      #expect(try again.integrityCheck() == ["ok"])
    }
  }

  @Test func theTablesAreSQLitesTables() throws {
    try withDatabase { database in
      _ = try open(database)
      let sqliteFolder = try TestSupport.makeTemporaryDirectory()
      defer { try? FileManager.default.removeItem(at: sqliteFolder) }
      let sqlite = try SQLiteConnection(path: sqliteFolder.appendingPathComponent("m.sqlite").path)
      try Schema.migrate(sqlite)
      let listing = try sqlite.prepare(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1, 2"
      )
      var expected: [String] = []
      while try listing.step() { expected.append("\(listing.string(0)).\(listing.string(1))") }
      let columns = try PostgresTestServer.psql(
        database,
        """
        SELECT table_name || '.' || column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name <> 'aligntm_schema' ORDER BY 1
        """)
      #expect(columns.split(separator: "\n").map(String.init) == expected.sorted())
      let indexes = try PostgresTestServer.psql(
        database,
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'unit_by_%' ORDER BY 1"
      )
      #expect(indexes == "unit_by_content_key\nunit_by_document")
    }
  }

  @Test func aDatabaseWithOtherTablesIsNotAMemory() throws {
    try withDatabase { database in
      try PostgresTestServer.psql(database, "CREATE TABLE invoices (id integer)")
      #expect {
        try open(database)
      } throws: { error in
        guard case TranslationMemoryError.notAMemory(let path, let reason) = error else { return false }
        return path == database && reason == "it holds tables aligntm did not make"
      }
      #expect(
        try PostgresTestServer.psql(
          database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == "1")
    }
  }

  @Test func aNewerSchemaIsRefused() throws {
    try withDatabase { database in
      _ = try open(database)
      try PostgresTestServer.psql(database, "UPDATE aligntm_schema SET version = 99")
      for access in [TranslationMemory.Access.readWrite, .readOnly] {
        #expect(
          throws: TranslationMemoryError.newerSchema(
            path: database, version: 99, supported: Schema.currentVersion)
        ) {
          try open(database, access: access)
        }
      }
    }
  }

  @Test func anotherApplicationsVersionTableIsRefused() throws {
    try withDatabase { database in
      _ = try open(database)
      try PostgresTestServer.psql(database, "UPDATE aligntm_schema SET application = 7")
      #expect(throws: TranslationMemoryError.notAMemory(path: database, reason: "its application id is 7")) {
        try open(database)
      }
    }
  }

  @Test func readOnlyMakesNothingAndWritesNothing() throws {
    try withDatabase { database in
      #expect(
        throws: TranslationMemoryError.needsUpgrade(
          path: database, version: 0, readable: Schema.oldestReadableVersion)
      ) {
        try open(database, access: .readOnly)
      }
      #expect(
        try PostgresTestServer.psql(
          database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == "0")
      try open(database).add(Fixture.pair("One.", "Un."))
      let reader = try open(database, access: .readOnly)
      #expect(try reader.statistics().unitCount == 1)
      #expect(throws: TranslationMemoryError.openedReadOnly(path: database)) {
        try reader.add(Fixture.pair("Two.", "Deux."))
      }
      // The session itself refuses writes, whatever the code does.
      #expect(throws: (any Error).self) { try reader.connection.execute("DELETE FROM unit") }
      #expect(try open(database).statistics().unitCount == 1)
    }
  }

  /// Two processes opening a new memory at once: one makes the schema, the other waits for it
  /// and finds it made (the advisory lock), and both get the same memory.
  @Test func twoOpeningANewMemoryAtOnceMakeItOnce() throws {
    try withDatabase { database in
      let identities = Identities()
      DispatchQueue.concurrentPerform(iterations: 4) { _ in
        identities.append(Result { try open(database).identity() ?? "" })
      }
      let values = try identities.values.map { try $0.get() }
      #expect(values.count == 4)
      #expect(Set(values).count == 1)
      #expect(try PostgresTestServer.psql(database, "SELECT count(*) FROM identity") == "1")
    }
  }

  // MARK: Transactions

  @Test func anImportThatFailsAtItsLastUnitLeavesNothing() throws {
    try withDatabase { database in
      let memory = try open(database)
      let generation = try memory.generation()
      let folder = try TestSupport.makeTemporaryDirectory()
      defer { try? FileManager.default.removeItem(at: folder) }
      let file = folder.appendingPathComponent("broken.tmx")
      var units = ""
      for index in 1...2500 {
        units +=
          "<tu><tuv xml:lang=\"en\"><seg>Sentence \(index).</seg></tuv><tuv xml:lang=\"fr\"><seg>Phrase \(index).</seg></tuv></tu>\n"
      }
      // The last unit breaks the XML: the reader fails after 2,500 good units, two batches in.
      try """
      <?xml version="1.0" encoding="UTF-8"?>
      <tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>
      <body>
      \(units)<tu><tuv xml:lang="en"><seg>Last</tuv></tu>
      </body></tmx>
      """.write(to: file, atomically: true, encoding: .utf8)
      #expect(throws: (any Error).self) { try memory.importTMX(from: file) }
      #expect(try memory.statistics().unitCount == 0)
      #expect(try memory.generation() == generation)
      #expect(try PostgresTestServer.psql(database, "SELECT count(*) FROM variant") == "0")
      #expect(try PostgresTestServer.psql(database, "SELECT count(*) FROM unit_change") == "0")
      // The same file cut before its last unit goes in whole, in one write.
      let good = folder.appendingPathComponent("good.tmx")
      try String(contentsOf: file, encoding: .utf8)
        .replacingOccurrences(of: #"<tu><tuv xml:lang="en"><seg>Last</tuv></tu>"#, with: "")
        .write(to: good, atomically: true, encoding: .utf8)
      let summary = try memory.importTMX(from: good)
      #expect(summary.inserted == 2500)
      #expect(try memory.generation() == generation + 1)
      #expect(try memory.integrityCheck() == ["ok"])
    }
  }

  @Test func theGenerationBumpsOncePerWriteAndIsAnnounced() throws {
    try withDatabase { database in
      let memory = try open(database)
      let listener = try PostgresConnection(url: database, busyTimeout: .seconds(5))
      try listener.listen("aligntm_generation")
      let start = try memory.generation()
      try memory.write { memory in
        try memory.add(Fixture.pair("One.", "Un."))
        try memory.add([Fixture.pair("Two.", "Deux."), Fixture.pair("Three.", "Trois.")])
      }
      #expect(try memory.generation() == start + 1)
      try memory.add(Fixture.pair("Four.", "Quatre."))
      #expect(try memory.generation() == start + 2)
      // A write that throws changes nothing, the generation included.
      struct Stop: Error {}
      #expect(throws: Stop.self) {
        try memory.write { memory in
          try memory.add(Fixture.pair("Five.", "Cinq."))
          throw Stop()
        }
      }
      #expect(try memory.generation() == start + 2)
      #expect(try memory.statistics().unitCount == 4)
      // The change log names the units of each generation.
      #expect(try memory.changedUnitIDs(since: start + 1) == [4])
      var payloads: [String] = []
      let deadline = ContinuousClock.now.advanced(by: .seconds(5))
      while payloads.count < 2 && ContinuousClock.now < deadline {
        payloads += try listener.notifications(waitingUpTo: .seconds(1)).filter {
          $0.channel == "aligntm_generation"
        }
        .map(\.payload)
      }
      #expect(payloads == ["\(start + 1)", "\(start + 2)"])
    }
  }

  /// Writers take turns: two memories adding the same units at once store each unit once.
  @Test func concurrentWritersOfTheSameUnitsStoreEachOnce() throws {
    try withDatabase { database in
      // Opened first, so that the three writes start together.
      let memories = try (0..<3).map { _ in try open(database) }
      let units = (1...1000).map { Fixture.pair("Sentence \($0).", "Phrase \($0).") }
      let outcomes = Identities()
      DispatchQueue.concurrentPerform(iterations: 3) { index in
        outcomes.append(
          Result {
            let summary = try memories[index].add(units)
            return "\(summary.inserted) \(summary.merged)"
          })
      }
      let summaries = try outcomes.values.map { try $0.get() }.sorted()
      #expect(summaries == ["0 1000", "0 1000", "1000 0"])
      let memory = try open(database)
      #expect(try memory.statistics().unitCount == 1000)
      #expect(try memory.units().map(\.usageCount).allSatisfy { $0 == 3 })
    }
  }

  // MARK: Rules

  @Test func mergesRemovalsAndIdsFollowSQLitesRules() throws {
    try withDatabase { database in
      let (sqlite, folder) = try Fixture.makeMemory()
      defer { try? FileManager.default.removeItem(at: folder) }
      let postgres = try open(database)
      for memory in [sqlite, postgres] {
        try memory.add([
          Fixture.pair("One.", "Un.", document: "A/1"), Fixture.pair("Two.", "Deux.", document: "B/2"),
        ])
        var later = Fixture.pair("One.", "Un.", document: "A/1", date: Fixture.date.addingTimeInterval(60))
        later.notes = ["checked"]
        try memory.add(later)
        try memory.remove(document: "B/2")
        // SQLite's rowid: the largest id plus one, so the id removed is given again.
        try memory.add(Fixture.pair("Three.", "Trois.", document: nil))
      }
      #expect(try postgres.units() == sqlite.units())
      #expect(try postgres.statistics() == sqlite.statistics())
      #expect(try postgres.languagePairs() == sqlite.languagePairs())
      #expect(try postgres.units().map(\.id) == [1, 2])
      let index = try postgres.fuzzyIndex(from: .english, to: .french)
      let expected = try sqlite.fuzzyIndex(from: .english, to: .french)
      let found = try index.matches(for: "One", minimumScore: 10, limit: 5)
      #expect(!found.isEmpty)
      #expect(
        "\(found)" == "\(try expected.matches(for: "One", minimumScore: 10, limit: 5))")
    }
  }
}

/// Values filled in by concurrent threads.
private final class Identities: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [Result<String, any Error>] = []
  func append(_ value: Result<String, any Error>) {
    lock.lock()
    items.append(value)
    lock.unlock()
  }
  var values: [Result<String, any Error>] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}
