import Foundation
import TestSupport
import Testing

@testable import TranslationMemory

/// The parts of the PostgreSQL connection that need no server.
@Suite struct PostgresConnectionSQLTests {
  @Test func placeholdersAreNumberedOutsideStringsIdentifiersAndComments() {
    func rewrite(_ sql: String) -> String { PostgresConnection.numberingPlaceholders(sql).sql }
    #expect(rewrite("SELECT ?1, ?2, ?1") == "SELECT $1, $2, $1")
    #expect(rewrite("INSERT INTO t VALUES (?, ?, ?)") == "INSERT INTO t VALUES ($1, $2, $3)")
    // Bare ? after a numbered one takes the next number, as in SQLite.
    #expect(rewrite("SELECT ?3, ?") == "SELECT $3, $4")
    #expect(rewrite("SELECT '?', 'it''s ?', ?") == "SELECT '?', 'it''s ?', $1")
    #expect(rewrite(#"SELECT "a?b", "x""?", ?1"#) == #"SELECT "a?b", "x""?", $1"#)
    #expect(rewrite("SELECT ? -- what?\n, ?") == "SELECT $1 -- what?\n, $2")
    #expect(rewrite("SELECT /* a? /* nested? */ still? */ ?") == "SELECT /* a? /* nested? */ still? */ $1")
    #expect(rewrite(#"SELECT E'\'?', ?"#) == #"SELECT E'\'?', $1"#)
    #expect(
      rewrite("DO $$ BEGIN PERFORM '?'; END $$; SELECT ?") == "DO $$ BEGIN PERFORM '?'; END $$; SELECT $1")
    #expect(rewrite("SELECT $body$ ? $body$, ?2") == "SELECT $body$ ? $body$, $2")
    #expect(rewrite("SELECT 'unterminated ?") == "SELECT 'unterminated ?")
    #expect(rewrite("SELECT 'é?', ?") == "SELECT 'é?', $1")
    #expect(PostgresConnection.numberingPlaceholders("SELECT ?2, ?7").parameterCount == 7)
    #expect(PostgresConnection.numberingPlaceholders("SELECT 1").parameterCount == 0)
  }

  @Test func passwordsAreLeftOutOfThePath() {
    #expect(
      PostgresConnection.redactingPassword("postgresql://tm:s3cret@db.example:5432/memory")
        == "postgresql://tm@db.example:5432/memory")
    #expect(
      PostgresConnection.redactingPassword("postgresql://tm@db/memory?password=x&sslmode=require")
        == "postgresql://tm@db/memory?sslmode=require")
    #expect(PostgresConnection.redactingPassword("postgresql://tm@db/m") == "postgresql://tm@db/m")
    #expect(PostgresConnection.redactingPassword("host=db password=x dbname=m") == "host=db dbname=m")
  }

  @Test func anUnreachableServerCannotBeOpened() throws {
    // Port 1 on loopback: nothing listens there.
    let url = "postgresql://nobody:secret@127.0.0.1:1/none"
    #expect {
      _ = try PostgresConnection(url: url, busyTimeout: .seconds(1))
    } throws: { error in
      guard case .cannotOpen(let path, let reason) = error as? TranslationMemoryError else { return false }
      return path == "postgresql://nobody@127.0.0.1:1/none" && !reason.isEmpty && !reason.hasSuffix("\n")
    }
  }
}

/// The PostgreSQL connection against a real server; each test in a database of its own.
@Suite(.requiresPostgres, .serialized) struct PostgresConnectionTests {
  /// Runs `body` with a connection to a new database, dropped afterwards.
  func withDatabase(_ body: (PostgresConnection, String) throws -> Void) throws {
    let url = try PostgresTestServer.freshDatabase()
    defer { PostgresTestServer.drop(url) }
    let connection = try PostgresConnection(url: url, busyTimeout: .milliseconds(500))
    try body(connection, url)
  }

  func state(of error: any Error) -> String? {
    if case .postgresql(_, let state, _) = error as? TranslationMemoryError { return state }
    return nil
  }

  @Test func sessionSettings() throws {
    try withDatabase { connection, _ in
      let statement = try connection.prepare(
        "SELECT current_setting('client_encoding'), current_setting('TimeZone'), "
          + "current_setting('lock_timeout'), current_setting('application_name'), "
          + "current_setting('standard_conforming_strings')")
      #expect(try statement.step())
      #expect(statement.string(0) == "UTF8")
      #expect(statement.string(1) == "UTC")
      #expect(statement.string(2) == "500ms")
      #expect(statement.string(3) == "aligntm")
      #expect(statement.string(4) == "on")
    }
  }

  @Test func numbersAndNullsRoundTrip() throws {
    try withDatabase { connection, _ in
      try connection.execute("CREATE TABLE n (i bigint, d double precision)")
      let insert = try connection.prepare("INSERT INTO n VALUES (?1, ?2)")
      let values: [(Int64?, Double?)] = [
        (Int64.min, -0.0), (Int64.max, 1e-300), (0, 0.1), (-1, 3.141592653589793), (nil, nil),
        (42, .infinity), (7, -.infinity),
      ]
      for (i, d) in values {
        insert.reset()
        insert.bind(1, i)
        insert.bind(2, d)
        #expect(try insert.step() == false)
        #expect(connection.changes == 1)
      }
      let select = try connection.prepare("SELECT i, d FROM n ORDER BY i NULLS LAST")
      var read: [(Int64?, Double?)] = []
      while try select.step() {
        read.append((select.optionalInt64(0), select.isNull(1) ? nil : select.double(1)))
      }
      let expected = values.sorted {
        ($0.0 ?? .max, $0.0 == nil ? 1 : 0) < ($1.0 ?? .max, $1.0 == nil ? 1 : 0)
      }
      #expect(read.map(\.0) == expected.map(\.0))
      #expect(read.map(\.1) == expected.map(\.1))
      #expect(try connection.scalarInt("SELECT count(*) FROM n WHERE i IS NULL") == 1)
      #expect(try connection.scalarInt("SELECT NULL::bigint") == nil)
      #expect(try connection.scalarInt("SELECT 1 WHERE false") == nil)
      // Booleans read as 1 and 0.
      let flags = try connection.prepare("SELECT true, false")
      #expect(try flags.step())
      #expect(flags.int64(0) == 1 && flags.int64(1) == 0)
    }
  }

  @Test func textRoundTrips() throws {
    try withDatabase { connection, _ in
      try connection.execute("CREATE TABLE s (k bigint PRIMARY KEY, v text)")
      let texts: [String?] = [
        "Les États membres « réaffirment » l’engagement — 国際連合 🇺🇳", "it's \"quoted\"", #"back\slash \N \\"#,
        "tab\there", "new\nline\r\nCRLF", "", nil, "?1 and $1",
      ]
      let insert = try connection.prepare("INSERT INTO s VALUES (?, ?)")
      for (k, text) in texts.enumerated() {
        insert.reset()
        insert.bind(1, Int64(k))
        insert.bind(2, text)
        try insert.step()
      }
      let select = try connection.prepare("SELECT v FROM s ORDER BY k")
      var read: [String?] = []
      while try select.step() {
        read.append(select.optionalString(0))
        if !select.isNull(0) {
          #expect(String(decoding: select.utf8(0), as: UTF8.self) == select.string(0))
        }
      }
      #expect(read == texts)
      // Text bound in place.
      let bytes = Array("in place: ü".utf8)
      let count = try bytes.withUnsafeBufferPointer { buffer -> Int64? in
        let statement = try connection.prepare("SELECT count(*) FROM s WHERE v = ?1 OR ?1 = 'in place: ü'")
        statement.bindStatic(1, buffer.baseAddress!, count: buffer.count)
        try statement.step()
        return statement.int64(0)
      }
      #expect(count == Int64(texts.count))  // ?1 = 'in place: ü' holds for every row
      // A NUL can't be stored in text: a clear error, not a truncated string.
      insert.reset()
      insert.bind(1, 99)
      insert.bind(2, "a\u{0}b")
      #expect(throws: TranslationMemoryError.self) { try insert.step() }
    }
  }

  @Test func byteaRoundTripsWithZeroBytes() throws {
    try withDatabase { connection, _ in
      try connection.execute("CREATE TABLE b (k bigint, v bytea)")
      let blobs: [[UInt8]?] = [[0, 1, 0, 255, 0x5C, 0x78], [], nil, Array(0...255)]
      let insert = try connection.prepare("INSERT INTO b VALUES (?1, ?2)")
      for (k, blob) in blobs.enumerated() {
        insert.reset()
        insert.bind(1, Int64(k))
        insert.bind(2, blob)
        try insert.step()
      }
      let select = try connection.prepare("SELECT v FROM b ORDER BY k")
      var read: [[UInt8]?] = []
      while try select.step() { read.append(select.isNull(0) ? nil : select.blob(0)) }
      #expect(read == blobs)
      let inPlace: [UInt8] = [0, 0, 7]
      let found = try inPlace.withUnsafeBufferPointer { buffer -> Bool in
        let statement = try connection.prepare("SELECT length(?1::bytea)")
        statement.bindStaticBlob(1, buffer.baseAddress!, count: buffer.count)
        try statement.step()
        return statement.int64(0) == 3
      }
      #expect(found)
    }
  }

  @Test func aNilBindingTakesItsOverloadsType() throws {
    try withDatabase { connection, _ in
      try connection.execute("CREATE TABLE t (x bigint, s text); INSERT INTO t VALUES (1, 'a'), (2, 'b')")
      let statement = try connection.prepare("SELECT count(*) FROM t WHERE ?1 IS NULL OR x = ?1")
      statement.bind(1, nil as Int64?)
      try statement.step()
      #expect(statement.int64(0) == 2)
      statement.reset()
      statement.bind(1, 2 as Int64?)
      try statement.step()
      #expect(statement.int64(0) == 1)
      // The same statement with other types is prepared again.
      let text = try connection.prepare("SELECT count(*) FROM t WHERE ?1 IS NULL OR s = ?1")
      text.bind(1, nil as String?)
      try text.step()
      #expect(text.int64(0) == 2)
      text.reset()
      text.bind(1, "b")
      try text.step()
      #expect(text.int64(0) == 1)
    }
  }

  @Test func cachedStatementsAreResetForTheNextCaller() throws {
    try withDatabase { connection, _ in
      let first = try connection.cached("SELECT ?1::bigint + 1")
      first.bind(1, 41)
      try first.step()
      #expect(first.int64(0) == 42)
      let again = try connection.cached("SELECT ?1::bigint + 1")
      #expect(again === first)
      again.bind(1, 1)
      try again.step()
      #expect(again.int64(0) == 2)
    }
  }

  @Test func statementsArePreparedOncePerTypesAndDeallocated() throws {
    try withDatabase { connection, _ in
      func preparedCount() throws -> Int64? {
        try connection.scalarInt("SELECT count(*) FROM pg_prepared_statements")
      }
      do {
        let statement = try connection.prepare("SELECT ?1 IS NULL")
        for round in 0..<6 {
          statement.reset()
          if round % 2 == 0 { statement.bind(1, nil as String?) } else { statement.bind(1, nil as Int64?) }
          #expect(try statement.step())
          #expect(statement.int64(0) == 1)
        }
        // The first run was unnamed; then one prepared statement per type bound.
        #expect(try preparedCount() == 2)
      }
      #expect(try preparedCount() == 0)
    }
  }

  @Test func changesCountsWhatTheLastCommandChanged() throws {
    try withDatabase { connection, _ in
      try connection.execute("CREATE TABLE t (k bigint); INSERT INTO t SELECT generate_series(1, 10)")
      #expect(connection.changes == 10)
      let update = try connection.prepare("UPDATE t SET k = k + 100 WHERE k > ?1")
      update.bind(1, 7 as Int64)
      try update.step()
      #expect(connection.changes == 3)
      // A query leaves it alone, as sqlite3_changes does.
      #expect(try connection.scalarInt("SELECT count(*) FROM t") == 10)
      #expect(connection.changes == 3)
      try connection.execute("DELETE FROM t WHERE k < 3")
      #expect(connection.changes == 2)
    }
  }

  @Test func aFailedTransactionIsRolledBackAndItsStatementsStillRun() throws {
    try withDatabase { connection, _ in
      try connection.execute("CREATE TABLE t (k bigint PRIMARY KEY)")
      let insert = try connection.cached("INSERT INTO t VALUES (?1)")
      try connection.execute("BEGIN")
      for k: Int64 in [1, 2] {  // the second run prepares the named statement, inside the transaction
        let statement = try connection.cached("INSERT INTO t VALUES (?1)")
        statement.bind(1, k)
        try statement.step()
      }
      insert.reset()
      insert.bind(1, 1)
      #expect { try insert.step() } throws: { state(of: $0) == "23505" }
      // Everything else in the failed transaction fails until it is rolled back.
      #expect { _ = try connection.scalarInt("SELECT 1") } throws: { state(of: $0) == "25P02" }
      try connection.execute("ROLLBACK")
      #expect(try connection.scalarInt("SELECT count(*) FROM t") == 0)
      // The prepared statement outlives the rollback.
      for k: Int64 in [3, 4] {
        let statement = try connection.cached("INSERT INTO t VALUES (?1)")
        statement.bind(1, k)
        try statement.step()
      }
      #expect(try connection.scalarInt("SELECT sum(k) FROM t") == 7)
    }
  }

  @Test func copyIsNotRunThroughExecute() throws {
    try withDatabase { connection, _ in
      try connection.execute("CREATE TABLE c (k bigint)")
      #expect(throws: TranslationMemoryError.self) { try connection.execute("COPY c FROM STDIN") }
      #expect(throws: TranslationMemoryError.self) { try connection.execute("COPY c TO STDOUT") }
      #expect(throws: TranslationMemoryError.self) {
        try connection.copy("SELECT 1") { _ in }
      }
      #expect(try connection.scalarInt("SELECT count(*) FROM c") == 0)
    }
  }

  @Test func errorsCarrySQLSTATEAndMessage() throws {
    try withDatabase { connection, _ in
      do {
        try connection.execute("SELECT * FROM no_such_table")
        Issue.record("no error")
      } catch TranslationMemoryError.postgresql(let path, let state, let message) {
        #expect(state == "42P01")
        #expect(message == #"relation "no_such_table" does not exist"#)
        #expect(!path.isEmpty)
      }
      try connection.execute("CREATE TABLE u (k text UNIQUE)")
      let insert = try connection.prepare("INSERT INTO u VALUES (?1)")
      insert.bind(1, "same")
      try insert.step()
      insert.reset()
      insert.bind(1, "same")
      #expect {
        try insert.step()
      } throws: { error in
        guard case .postgresql(_, let state, let message) = error as? TranslationMemoryError else {
          return false
        }
        return state == "23505" && message.contains("u_k_key")
      }
      #expect(try connection.scalarInt("SELECT count(*) FROM u") == 1)
    }
  }

  @Test func copyRoundTripsNastyTextsAndNulls() throws {
    try withDatabase { connection, _ in
      try connection.execute("CREATE TABLE c (k bigint, v text, b bytea)")
      let texts: [String?] = [
        "tab\tin", "line\nfeed", "carriage\rreturn", #"back\slash"#, #"\N"#, "\\.", "", nil, "ordinaire é 🌍",
      ]
      let copied = try connection.copy("COPY c (k, v, b) FROM STDIN") { writer in
        for (k, text) in texts.enumerated() {
          writer.append(Int64(k))
          writer.append(text)
          writer.append(blob: k == 0 ? nil : [0, UInt8(k), 0x5C])
          try writer.endRow()
        }
      }
      #expect(copied == texts.count)
      #expect(connection.changes == texts.count)
      let select = try connection.prepare("SELECT v, b FROM c ORDER BY k")
      var read: [String?] = []
      var blobs: [[UInt8]?] = []
      while try select.step() {
        read.append(select.optionalString(0))
        blobs.append(select.isNull(1) ? nil : select.blob(1))
      }
      #expect(read == texts)
      #expect(blobs == texts.indices.map { $0 == 0 ? nil : [0, UInt8($0), 0x5C] })
    }
  }

  struct Stop: Error {}

  @Test func anAbortedCopyLeavesNothing() throws {
    try withDatabase { connection, _ in
      try connection.execute("CREATE TABLE c (k bigint)")
      #expect(throws: Stop.self) {
        try connection.copy("COPY c (k) FROM STDIN") { writer in
          // More than one buffer's worth, so that some rows have reached the server.
          for k in 0..<100_000 {
            writer.append(Int64(k))
            try writer.endRow()
          }
          throw Stop()
        }
      }
      #expect(try connection.scalarInt("SELECT count(*) FROM c") == 0)
      // The connection is usable afterwards.
      try connection.copy("COPY c (k) FROM STDIN") { writer in
        writer.append(1 as Int64?)
        try writer.endRow()
      }
      #expect(try connection.scalarInt("SELECT count(*) FROM c") == 1)
    }
  }

  @Test func aScanReadsItsRowsInBatches() throws {
    try withDatabase { connection, _ in
      try connection.execute("CREATE TABLE r (k bigint PRIMARY KEY, v text)")
      try connection.copy("COPY r (k, v) FROM STDIN") { writer in
        for k in 0..<10_000 {
          writer.append(Int64(k))
          writer.append("row \(k)")
          try writer.endRow()
        }
      }
      let scan = try connection.prepareScan("SELECT k, v FROM r WHERE k >= ?1 ORDER BY k")
      scan.bind(1, 5 as Int64)
      // Outside a transaction a cursor can't be opened: a clear error.
      #expect { try scan.step() } throws: { state(of: $0) == "25P01" }
      try connection.execute("BEGIN")
      scan.reset()
      scan.bind(1, 5 as Int64)
      var next: Int64 = 5
      let cursors = try connection.prepare("SELECT count(*) FROM pg_cursors WHERE name LIKE 'aligntm_c%'")
      while try scan.step() {
        if next == 5 || next == 9_999 {
          // Read through a cursor while rows are left, which is gone at the end.
          cursors.reset()
          try cursors.step()
          #expect(cursors.int64(0) == (next == 5 ? 1 : 0))
        }
        #expect(scan.int64(0) == next)
        #expect(scan.string(1) == "row \(next)")
        next += 1
      }
      #expect(next == 10_000)
      // Read half way, then reset and run again within the same transaction.
      scan.reset()
      scan.bind(1, 9_000 as Int64)
      for _ in 0..<2_500 { _ = try scan.step() }
      scan.reset()
      scan.bind(1, 9_990 as Int64)
      var count = 0
      while try scan.step() { count += 1 }
      #expect(count == 10)
      try connection.execute("COMMIT")
      // A scan left half read when its transaction ended is reset without failing the next one.
      try connection.execute("BEGIN")
      scan.reset()
      scan.bind(1, 0 as Int64)
      #expect(try scan.step())
      try connection.execute("COMMIT; BEGIN")
      scan.reset()
      #expect(try connection.scalarInt("SELECT count(*) FROM r") == 10_000)
      try connection.execute("COMMIT")
    }
  }

  @Test func notificationsArriveFromAnotherConnection() throws {
    try withDatabase { listener, url in
      try listener.listen("tm_changes")
      #expect(try listener.notifications(waitingUpTo: .milliseconds(200)).isEmpty)
      let sender = Thread {
        let other = try? PostgresConnection(url: url, busyTimeout: .seconds(1))
        Thread.sleep(forTimeInterval: 0.3)
        try? other?.execute("NOTIFY tm_changes, 'generation 7'")
      }
      sender.start()
      let start = ContinuousClock.now
      let arrived = try listener.notifications(waitingUpTo: .seconds(10))
      #expect(ContinuousClock.now - start < .seconds(9))
      #expect(arrived.map(\.channel) == ["tm_changes"])
      #expect(arrived.map(\.payload) == ["generation 7"])
    }
  }

  @Test func aTerminatedSessionIsLostAndReconnects() throws {
    try withDatabase { connection, url in
      try connection.listen("after_reconnect")
      let statement = try connection.cached("SELECT pg_backend_pid()")
      try statement.step()
      let pid = statement.int64(0)
      let admin = try PostgresConnection(url: url, busyTimeout: .seconds(1))
      try admin.execute("SELECT pg_terminate_backend(\(pid))")
      let again = try connection.cached("SELECT pg_backend_pid()")
      #expect {
        try again.step()
      } throws: { error in
        if case .connectionLost = error as? TranslationMemoryError { return true }
        return false
      }
      #expect(!connection.isConnected)
      try connection.reconnect()
      #expect(connection.isConnected)
      let fresh = try connection.cached("SELECT pg_backend_pid()")
      #expect(try fresh.step())
      #expect(fresh.int64(0) != pid)
      // LISTEN is restored.
      try admin.execute("NOTIFY after_reconnect")
      #expect(try connection.notifications(waitingUpTo: .seconds(5)).map(\.channel) == ["after_reconnect"])
    }
  }

  @Test func aLostConnectionEndsTheWaitForNotifications() throws {
    try withDatabase { connection, url in
      try connection.listen("x")
      let pid = try #require(try connection.scalarInt("SELECT pg_backend_pid()"))
      let admin = try PostgresConnection(url: url, busyTimeout: .seconds(1))
      try admin.execute("SELECT pg_terminate_backend(\(pid))")
      #expect {
        _ = try connection.notifications(waitingUpTo: .seconds(5))
      } throws: { error in
        if case .connectionLost = error as? TranslationMemoryError { return true }
        return false
      }
    }
  }

  @Test func aLockHeldTooLongIsBusy() throws {
    try withDatabase { connection, url in
      try connection.execute("CREATE TABLE l (k bigint PRIMARY KEY); INSERT INTO l VALUES (1)")
      let holder = try PostgresConnection(url: url, busyTimeout: .seconds(1))
      try holder.execute("BEGIN; LOCK TABLE l IN ACCESS EXCLUSIVE MODE")
      let start = ContinuousClock.now
      #expect {
        _ = try connection.scalarInt("SELECT count(*) FROM l")
      } throws: { error in
        if case .busy = error as? TranslationMemoryError { return true }
        return false
      }
      #expect(ContinuousClock.now - start >= .milliseconds(400))
      try holder.execute("ROLLBACK")
      #expect(try connection.scalarInt("SELECT count(*) FROM l") == 1)
    }
  }
}
