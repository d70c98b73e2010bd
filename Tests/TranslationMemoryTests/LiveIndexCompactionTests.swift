import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// A live index over time: its overlay folded into a new base (in the background, the writes that
/// arrive meanwhile kept), its recent layer bounded, and the change log pruned under it.
@Suite("Live fuzzy index over time")
struct LiveIndexCompactionTests {
  /// The same ids and scores as an index built over `entries`, for random queries.
  static func expectSame(_ index: FuzzyIndex, as entries: [FuzzyEntry], _ generator: inout SeededGenerator)
    throws
  {
    let built = try FuzzyIndex(entries: entries, from: .english, to: .french)
    #expect(index.count == built.count)
    for _ in 0..<25 {
      let query = FuzzyIndexTests.mutate(entries.randomElement(using: &generator)?.source ?? "", &generator)
      for threshold in [0.0, 60, 90] {
        let expected = try built._indexedScores(for: query, minimumScore: threshold)
        let got = try index._indexedScores(for: query, minimumScore: threshold)
        #expect(got.map(\.id) == expected.map(\.id), "«\(query)» at \(threshold)")
        #expect(got.map(\.score) == expected.map(\.score))
      }
    }
  }

  static func waitForCompactions(_ live: LiveFuzzyIndex) throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(60))
    while live.compactionState.running && ContinuousClock.now < deadline {
      Thread.sleep(forTimeInterval: 0.01)
    }
    #expect(!live.compactionState.running, "the compaction ended")
  }

  @Test("a compaction folds the overlay into a new base and keeps the writes made during it")
  func compactionKeepsWritesMadeMeanwhile() throws {
    var generator = SeededGenerator(seed: 77)
    let entries = FuzzyIndexTests.randomEntries(&generator, count: 200)
    let live = LiveFuzzyIndex(try FuzzyIndex(entries: entries, from: .english, to: .french))
    var expected = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0) })
    let more = FuzzyIndexTests.randomEntries(&generator, count: 40).map { entry in
      var entry = entry
      entry.id += 10_000
      return entry
    }
    try live.add(more)
    for entry in more { expected[entry.id] = entry }
    let removed = entries.filter { $0.id % 7 == 3 }.map(\.id) + [more[0].id]
    try live.remove(ids: removed)
    for id in removed { expected[id] = nil }
    #expect(live.overlayCounts.added == more.count - 1)

    // During the compaction: one more entry, one base entry and one overlay entry removed, one
    // base entry replaced.
    var late = FuzzyIndexTests.randomEntries(&generator, count: 1)[0]
    late.id = 20_000
    var replaced = entries[4]
    replaced.source = "the General Assembly welcomes the report of the Secretary-General"
    let lateRemoved = [entries[11].id, more[5].id]
    live._compactionWillSwap = { [late, replaced, lateRemoved] in
      try? live.add([late, replaced])
      try? live.remove(ids: lateRemoved)
    }
    try live.compact()
    expected[late.id] = late
    expected[replaced.id] = replaced
    for id in lateRemoved { expected[id] = nil }
    #expect(live.compactionState.completed == 1)
    // Only what came during the compaction lies over the new base.
    #expect(live.overlayCounts.added == 2, "the late entry and the replaced one")
    #expect(live.overlayCounts.hidden == 3, "the replaced entry and the two removed")
    try Self.expectSame(live.index, as: expected.values.sorted { $0.id < $1.id }, &generator)
    live._compactionWillSwap = nil
    try live.compact()
    #expect(live.overlayCounts.added == 0 && live.overlayCounts.hidden == 0)
    #expect(live.index.overlay == nil)
    try Self.expectSame(live.index, as: expected.values.sorted { $0.id < $1.id }, &generator)
  }

  @Test("writes one by one keep the recent layer bounded, and the overlay is folded at its share")
  func backgroundCompaction() throws {
    var generator = SeededGenerator(seed: 78)
    let entries = FuzzyIndexTests.randomEntries(&generator, count: 300)
    let live = LiveFuzzyIndex(try FuzzyIndex(entries: entries, from: .english, to: .french))
    live.enableCompaction(.init(share: 0.25, minimumOverlay: 20, recentLimit: 8))
    var expected = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0) })
    let more = FuzzyIndexTests.randomEntries(&generator, count: 150).map { entry in
      var entry = entry
      entry.id += 10_000
      return entry
    }
    for (number, entry) in more.enumerated() {
      try live.add([entry])
      expected[entry.id] = entry
      if number % 10 == 0 {
        try live.remove(ids: [entries[number].id])
        expected[entries[number].id] = nil
      }
      if number % 25 == 0 { try Self.waitForCompactions(live) }
    }
    try Self.waitForCompactions(live)
    #expect(live.compactionState.completed >= 1, "folded into a new base")
    #expect(live.compactionState.lastFailure == nil)
    #expect(live.recentCount <= 8)
    let overlay = live.overlayCounts
    #expect(Double(overlay.added + overlay.hidden) <= 0.25 * Double(expected.count))
    try Self.expectSame(live.index, as: expected.values.sorted { $0.id < $1.id }, &generator)
  }

  @Test("a memory file's index compacts into a new mapped file, renamed over the old one")
  func mappedCompaction() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.write { try $0.add((0..<800).map { FuzzyLiveIndexTests.unit($0) }) }
    _ = try memory.fuzzyIndex(from: .english, to: .french)
    let file = FuzzyIndex.defaultURL(forMemory: memory.url, from: .english, to: .french)
    func inode() throws -> Int? {
      try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int
    }
    let saved = try inode()
    let live = try memory.liveFuzzyIndex(from: .english, to: .french)
    #expect(live.index.mapping != nil)
    let writer = try TranslationMemory(url: memory.url)
    try writer.write {
      try $0.add((0..<30).map { FuzzyLiveIndexTests.unit($0 * 3, "The Council met on day") })
    }
    #expect(try writer.remove(document: "A/7") > 0)
    try live.refresh(from: memory)
    #expect(live.overlayCounts.added == 28, "30 added, 2 of them removed with A/7")
    // A unit written while the compaction runs, applied by a refresh then.
    live._compactionWillSwap = {
      _ = try? writer.write { try $0.add([FuzzyLiveIndexTests.unit(1_001, "The Secretariat met on day")]) }
      _ = try? live.refresh(from: memory)
    }
    try live.compact()
    #expect(try inode() != saved, "a new file")
    #expect(live.index.mapping != nil, "mapped")
    #expect(live.overlayCounts.added == 1)
    try FuzzyLiveIndexTests.expectSameAsBuilt(live.index, memory)
    #expect(
      try live.matches(for: "The Secretariat met on day 1001 of the session.", minimumScore: 100).count == 1)
    // The file made is the one the next process maps.
    let next = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(next.mapping != nil)
    try FuzzyLiveIndexTests.expectSameAsBuilt(next, memory)
  }
}

/// The change log pruned through what the indexes have consumed, on both stores.
@Suite("Change log pruning")
struct ChangeLogPruningTests {
  /// Nothing saved: these tests make indexes at chosen generations.
  static let noCache = ["ALIGNTM_CACHE_DIR": "off"]

  static func unitChangeRows(_ memory: TranslationMemory) throws -> Int64 {
    try memory.read { try memory.connection.scalarInt("SELECT count(*) FROM unit_change") ?? -1 }
  }

  /// An index older than the prune point is built again; one newer is brought up to date.
  static func olderRebuildsNewerCatchesUp(_ memory: TranslationMemory, writer: TranslationMemory) throws {
    try writer.write { try $0.add((0..<60).map { FuzzyLiveIndexTests.unit($0) }) }
    let older = try memory.liveFuzzyIndexInMemory(from: .english, to: .french, environment: Self.noCache)
    try writer.write { try $0.add((0..<4).map { FuzzyLiveIndexTests.unit($0, "The Council met on day") }) }
    let newer = try memory.liveFuzzyIndexInMemory(from: .english, to: .french, environment: Self.noCache)
    let prunePoint = try #require(newer.generation)
    try writer.write { try $0.add([FuzzyLiveIndexTests.unit(7, "The Secretariat met on day")]) }
    let before = try unitChangeRows(memory)
    let pruning = try writer.pruneChangeLog(through: prunePoint)
    #expect(pruning.start == prunePoint)
    #expect(pruning.deleted == 64)
    #expect(try unitChangeRows(memory) == before - 64)
    #expect(try memory.changedUnitIDs(since: try #require(older.generation)) == nil, "pruned past it")
    #expect(try memory.changedUnitIDs(since: prunePoint)?.count == 1)

    try older.refresh(from: memory)
    #expect(older.index.overlay == nil, "built again")
    #expect(older.overlayCounts.added == 0 && older.overlayCounts.hidden == 0)
    try FuzzyLiveIndexTests.expectSameAsBuilt(older.index, memory)
    try newer.refresh(from: memory)
    #expect(newer.index.overlay != nil && newer.overlayCounts.added == 1, "laid over")
    try FuzzyLiveIndexTests.expectSameAsBuilt(newer.index, memory)
    // Pruning again through the same point deletes nothing; the start never moves back.
    #expect(try writer.pruneChangeLog(through: prunePoint - 1).deleted == 0)
    #expect(try writer.pruneChangeLog(through: prunePoint).start == prunePoint)
  }

  @Test("SQLite: an index older than the pruned log is built again, a newer one caught up")
  func sqlite() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.olderRebuildsNewerCatchesUp(memory, writer: try TranslationMemory(url: memory.url))
  }

  @Test(
    "PostgreSQL: an index older than the pruned log is built again, a newer one caught up",
    .requiresPostgres)
  func postgres() throws {
    let database = try PostgresTestServer.freshDatabase()
    defer { PostgresTestServer.drop(database) }
    try Self.olderRebuildsNewerCatchesUp(
      try TranslationMemory(address: .postgresql(database)),
      writer: try TranslationMemory(address: .postgresql(database)))
  }

  @Test("the log is pruned through what the saved indexes consumed, no further")
  func prunedThroughSavedIndexes() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.write { try $0.add((0..<100).map { FuzzyLiveIndexTests.unit($0) }) }
    _ = try memory.fuzzyIndex(from: .english, to: .french)
    let savedAt = try memory.generation()
    try memory.write { try $0.add((0..<3).map { FuzzyLiveIndexTests.unit($0, "The Council met on day") }) }
    #expect(try memory.savedIndexGenerations() == [savedAt])
    let pruning = try memory.pruneChangeLog()
    #expect(pruning.start == savedAt && pruning.savedIndexGenerations == [savedAt])
    #expect(pruning.deleted == 100)
    #expect(try memory.changedUnitIDs(since: savedAt)?.count == 3)
    let laidOver = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(laidOver.mapping != nil && laidOver.overlay != nil, "the saved index is brought up to date")
    // A process's own index at an older generation keeps the log from there.
    #expect(try memory.pruneChangeLog(keeping: [savedAt - 1]).deleted == 0)
    // Pruned past the saved index: it is built again, and saved anew.
    try memory.pruneChangeLog(through: try memory.generation())
    let rebuilt = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(rebuilt.mapping == nil, "built again")
    try FuzzyLiveIndexTests.expectSameAsBuilt(rebuilt, memory)
    #expect(try memory.savedIndexGenerations().first ?? 0 > savedAt)
  }
}

/// What the server's watcher reads after a write costs what changed, not the memory's size.
@Suite("Changed pairs without a scan", .requiresPostgres)
struct ChangedPairsScanTests {
  @Test("PostgreSQL: the pairs of the units written since a generation are read without scanning every unit")
  func noScanOfUnits() throws {
    let database = try PostgresTestServer.freshDatabase()
    defer { PostgresTestServer.drop(database) }
    let memory = try TranslationMemory(address: .postgresql(database))
    try memory.write { try $0.add((0..<3_000).map { FuzzyLiveIndexTests.unit($0) }) }
    // The statistics autovacuum would gather on the big tables; the change log, small, has none
    // (autovacuum's threshold is 50 rows and a tenth of the table): so the planner guesses.
    _ = try PostgresTestServer.psql(database, "ANALYZE unit; ANALYZE variant")
    let since = try memory.generation()
    try memory.add(
      TranslationUnit.aligned(
        source: Variant(language: .english, text: "The delegation of Atlantis spoke."),
        target: Variant(language: .german, text: "Die Delegation von Atlantis sprach.")))
    // This session's own counts, not yet flushed (deterministic, whatever else the server does),
    // before and after.
    func sequentialScans() throws -> Int64? {
      try memory.connection.scalarInt("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'unit'")
    }
    let (changed, scans) = try memory.read {
      let before = try sequentialScans()
      let changed = try memory.languagePairs(changedSince: since)
      return (changed, try sequentialScans().map { $0 - (before ?? 0) })
    }
    #expect(changed?.pairs == [TranslationMemory.LanguagePairKey(source: .english, target: .german)])
    #expect(changed?.mayHaveRemoved == false)
    #expect(scans == 0, "no sequential scan of the units")
  }
}

/// The server's index of a PostgreSQL memory, texts and all, saved in the cache folder and read
/// back at the next start, then caught up from the change log.
@Suite("PostgreSQL index saved with its texts", .requiresPostgres)
struct SavedTextsIndexTests {
  static func isLoaded(_ index: FuzzyIndex) -> Bool {
    if case .packed = index.entries.storage { return true }
    return false
  }

  @Test("saved when built, read back and caught up at the next start; built again past a pruned log")
  func savedAndCaughtUp() throws {
    let database = try PostgresTestServer.freshDatabase()
    defer { PostgresTestServer.drop(database) }
    let cache = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: cache) }
    let environment = ["ALIGNTM_CACHE_DIR": cache.path]
    let memory = try TranslationMemory(address: .postgresql(database))
    try memory.write { try $0.add((0..<100).map { FuzzyLiveIndexTests.unit($0) }) }
    let first = try memory.liveFuzzyIndexInMemory(from: .english, to: .french, environment: environment)
    #expect(!Self.isLoaded(first.index), "built: nothing saved yet")
    let file = try #require(first.textsSaving?.url)
    #expect(file.path.hasPrefix(cache.path + "/postgresql/"))
    let deadline = ContinuousClock.now.advanced(by: .seconds(30))
    while FuzzyIndex.savedSignature(at: file) == nil && ContinuousClock.now < deadline {
      Thread.sleep(forTimeInterval: 0.05)
    }
    #expect(try memory.savedIndexGenerations(environment: environment) == [try #require(first.generation)])

    let writer = try TranslationMemory(address: .postgresql(database))
    try writer.write { try $0.add((0..<3).map { FuzzyLiveIndexTests.unit($0, "The Council met on day") }) }
    #expect(try writer.remove(document: "A/5") == 5)
    let next = try memory.liveFuzzyIndexInMemory(from: .english, to: .french, environment: environment)
    #expect(Self.isLoaded(next.index), "read back from the file")
    #expect(next.overlayCounts.added == 3 && next.overlayCounts.hidden == 5, "caught up from the log")
    #expect(next.generation == (try memory.generation()))
    try FuzzyLiveIndexTests.expectSameAsBuilt(next.index, memory)

    // The log pruned past the file: built again from the memory.
    try writer.pruneChangeLog(through: try writer.generation())
    let rebuilt = try memory.liveFuzzyIndexInMemory(from: .english, to: .french, environment: environment)
    #expect(!Self.isLoaded(rebuilt.index) && rebuilt.index.overlay == nil, "built again")
    try FuzzyLiveIndexTests.expectSameAsBuilt(rebuilt.index, memory)

    // The cache turned off: nothing is saved.
    let off = try memory.liveFuzzyIndexInMemory(
      from: .english, to: .french, environment: ["ALIGNTM_CACHE_DIR": "off"])
    #expect(off.textsSaving == nil)
  }
}
