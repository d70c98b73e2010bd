import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// The mapped index file: the same answers as the built index, damage found and never trusted,
/// and the overlay that keeps an index current without building it again.
@Suite("Mapped fuzzy index")
struct FuzzyMappedIndexTests {
  /// `built` written as a mapped file and mapped back, its texts read from `entries` by id.
  static func mapped(_ built: FuzzyIndex, entries: [FuzzyEntry], at url: URL) throws -> FuzzyIndex {
    try built.writeMapped(to: url, signature: "test", generation: 7)
    let byID = Dictionary(
      entries.map { entry in
        let forward = entry.sourceLanguage == built.sourceLanguage
        return (entry.id, forward ? entry : entry.reversed)
      }, uniquingKeysWith: { first, _ in first })
    let opened = try FuzzyIndex.openMapped(at: url, expectedSignature: "test") { byID[$0] }
    #expect(opened.meta.generation == 7)
    return opened.index
  }

  @Test("a mapped index answers exactly like the built one", arguments: [31 as UInt64, 32, 33])
  func mappedEqualsBuilt(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    let entries = FuzzyIndexTests.randomEntries(&generator, count: 400)
    let built = try FuzzyIndex(entries: entries, from: .english, to: .french)
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let mapped = try Self.mapped(built, entries: entries, at: directory.appendingPathComponent("index"))
    #expect(mapped.count == built.count && mapped.omittedCount == built.omittedCount)
    #expect(Array(mapped.entries) == Array(built.entries))
    var nonEmpty = 0
    for round in 0..<60 {
      let query =
        round % 3 == 0
        ? FuzzyIndexTests.randomSentence(&generator, length: Int.random(in: 0...12, using: &generator))
        : FuzzyIndexTests.mutate(built.entries.randomElement(using: &generator)?.source ?? "", &generator)
      for threshold in [0.0, 50, 75, 90, 100] {
        let expected = try built._indexedScores(for: query, minimumScore: threshold)
        let got = try mapped._indexedScores(for: query, minimumScore: threshold)
        #expect(got.map(\.id) == expected.map(\.id), "query «\(query)» at \(threshold)")
        #expect(got.map(\.score) == expected.map(\.score))
        if threshold >= 75, !expected.isEmpty { nonEmpty += 1 }
        let brute = try mapped._bruteForceScores(for: query, minimumScore: threshold)
        #expect(brute.map(\.id) == expected.map(\.id))
      }
      let builtMatches = try built.matches(for: query, minimumScore: 60, limit: 3)
      let mappedMatches = try mapped.matches(for: query, minimumScore: 60, limit: 3)
      #expect(mappedMatches.map(\.entry) == builtMatches.map(\.entry))
      #expect(mappedMatches.map(\.score) == builtMatches.map(\.score))
      #expect(mappedMatches.map(\.differences) == builtMatches.map(\.differences))
      #expect(mappedMatches.map(\.suggestion) == builtMatches.map(\.suggestion))
    }
    #expect(nonEmpty > 20, "the queries must find matches")
  }

  @Test("an empty index maps")
  func emptyIndex() throws {
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let built = try FuzzyIndex(entries: [], from: .french, to: .english)
    let mapped = try Self.mapped(built, entries: [], at: directory.appendingPathComponent("index"))
    #expect(mapped.count == 0 && mapped.sourceLanguage == .french)
    #expect(try mapped.matches(for: "Assemblée générale", minimumScore: 0).isEmpty)
  }

  /// Every kind of damage is refused on opening, or found by the query that reads it: never an
  /// answer from a damaged block, never a crash.
  @Test("a damaged, cut or foreign mapped file is never trusted")
  func damagedFiles() throws {
    var generator = SeededGenerator(seed: 41)
    let entries = FuzzyIndexTests.randomEntries(&generator, count: 200)
    let built = try FuzzyIndex(entries: entries, from: .english, to: .french)
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("index")
    _ = try Self.mapped(built, entries: entries, at: url)
    let bytes = try Data(contentsOf: url)
    let queries = entries.prefix(40).map(\.source)
    func open() throws -> FuzzyIndex {
      try FuzzyIndex.openMapped(at: url, expectedSignature: "test") { _ in nil }.index
    }
    // A flipped byte anywhere in the file: refused on opening, or by a full scan.
    var found = 0
    var read = 0
    for _ in 0..<40 {
      var damaged = bytes
      let position = Int.random(in: 0..<damaged.count, using: &generator)
      // The zero padding after the header words is never read.
      let isRead =
        position < 8 * (MappedIndexFile.headerWords + 2 * MappedIndexFile.Section.allCases.count)
        || position >= MappedIndexFile.blockSize
      if isRead { read += 1 }
      damaged[position] ^= UInt8.random(in: 1...255, using: &generator)
      try damaged.write(to: url, options: .atomic)
      do {
        let index = try open()
        // Opening checked the small tables only: a query reading the damaged block says so.
        _ = try index._bruteForceScores(for: queries[0], minimumScore: 0)
        if isRead { Issue.record("a flipped byte at \(position) went unnoticed") }
      } catch let error as FuzzyIndexFileError {
        switch error {
        case .corrupt, .wrongFormat, .analysisChanged: found += 1
        default: Issue.record("unexpected \(error)")
        }
      }
    }
    #expect(found == read && read > 30)

    // A query reads only some blocks, but those it reads are checked: damage in the unit keys
    // is found by the queries that read them.
    try bytes.write(to: url, options: .atomic)
    let intact = try open()
    let keysOffset = try Self.sectionOffset(of: .unitKeys, in: bytes)
    var damaged = bytes
    for offset in stride(from: keysOffset, to: keysOffset + intact.unitKeys.count * 4, by: 4) {
      damaged[offset] ^= 0x5A
    }
    try damaged.write(to: url, options: .atomic)
    let broken = try open()
    var answered = 0
    for query in queries where !(try intact._indexedScores(for: query, minimumScore: 50)).isEmpty {
      answered += 1
      #expect(throws: FuzzyIndexFileError.self, "a query that reads the keys finds them damaged") {
        try broken._indexedScores(for: query, minimumScore: 50)
      }
    }
    #expect(answered > 30)

    // Cut short, or not an index at all.
    try bytes.prefix(bytes.count - 4096).write(to: url, options: .atomic)
    #expect(throws: FuzzyIndexFileError.self) { try open() }
    try bytes.prefix(100).write(to: url, options: .atomic)
    #expect(throws: FuzzyIndexFileError.wrongFormat(path: url.path)) { try open() }
    try Data(repeating: 0x53, count: 10_000).write(to: url, options: .atomic)
    #expect(throws: FuzzyIndexFileError.wrongFormat(path: url.path)) { try open() }
    // The old, copying format at the same path is another format.
    try built.save(to: url, signature: "test")
    #expect(throws: FuzzyIndexFileError.wrongFormat(path: url.path)) { try open() }
    // Another memory or pair.
    _ = try Self.mapped(built, entries: entries, at: url)
    #expect(throws: FuzzyIndexFileError.stale(path: url.path, languages: "en→fr", signature: "test")) {
      try FuzzyIndex.openMapped(at: url, expectedSignature: "other") { _ in nil }
    }
  }

  /// The byte offset of a section, from the header.
  static func sectionOffset(of section: MappedIndexFile.Section, in bytes: Data) throws -> Int {
    let word = MappedIndexFile.headerWords + 2 * section.rawValue
    return bytes.withUnsafeBytes {
      Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self)))
    }
  }

  @Test("a memory's index file is mapped, checked and rebuilt when damaged")
  func memoryIndexIsRebuiltWhenDamaged() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let units = (0..<50).map { Fixture.pair("The Assembly met on day \($0) of the session.", "Jour \($0).") }
    try memory.write { try $0.add(units) }
    let first = try memory.fuzzyIndex(from: .english, to: .french)
    let expected = try first.matches(for: "The Assembly met on day 7 of the session.", minimumScore: 70)
    #expect(expected.first?.score.value == 100)
    let file = FuzzyIndex.defaultURL(forMemory: memory.url, from: .english, to: .french)
    let mapped = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(mapped.mapping != nil, "the saved file is mapped")
    #expect(
      try mapped.matches(for: "The Assembly met on day 7 of the session.", minimumScore: 70).map(\.entry)
        == expected.map(\.entry))
    // Damage in the large tables: opening does not see it, the query does, and rebuilds.
    var bytes = try Data(contentsOf: file)
    let keys = try Self.sectionOffset(of: .unitKeys, in: bytes)
    for offset in keys..<(keys + 64) { bytes[offset] ^= 0xFF }
    try bytes.write(to: file)
    let damaged = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(damaged.mapping != nil)
    #expect(
      try damaged.matches(for: "The Assembly met on day 7 of the session.", minimumScore: 70).map(\.entry)
        == expected.map(\.entry), "answered from the rebuilt index")
    #expect(try memory.fuzzyIndex(from: .english, to: .french).mapping != nil, "saved again")
    // Damage in the header: refused on opening, built again.
    bytes = try Data(contentsOf: file)
    bytes[24] ^= 1
    try bytes.write(to: file)
    let rebuilt = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(rebuilt.mapping == nil, "built, not mapped")
    #expect(
      try rebuilt.matches(for: "The Assembly met on day 7 of the session.", minimumScore: 70).map(\.entry)
        == expected.map(\.entry))
  }
}

/// The overlay: units added, changed or removed since an index was made are folded in without
/// building it again, and the answers are those of an index built from scratch.
@Suite("Live fuzzy index")
struct FuzzyLiveIndexTests {
  static let queries = [
    "The Assembly met on day 7 of the session.", "The Council met on day 12 of the session.",
    "The Council adjourned on day 3.", "The Assembly adjourned.", "Day 40 of the session.",
  ]

  static func unit(_ number: Int, _ body: String = "The Assembly met on day") -> TranslationUnit {
    Fixture.pair("\(body) \(number) of the session.", "Jour \(number).", document: "A/\(number % 20)")
  }

  /// The same matches, scores and entries as an index built from the memory as it is now.
  static func expectSameAsBuilt(_ index: FuzzyIndex, _ memory: TranslationMemory) throws {
    let built = try memory.builtFuzzyIndex(from: .english, to: .french).0
    #expect(index.count == built.count)
    for query in queries {
      for threshold in [50.0, 70, 90] {
        let expected = try built.matches(for: query, minimumScore: threshold, limit: 4)
        let got = try index.matches(for: query, minimumScore: threshold, limit: 4)
        #expect(got.map(\.entry) == expected.map(\.entry), "«\(query)» at \(threshold)")
        #expect(got.map(\.score) == expected.map(\.score))
        #expect(got.map(\.suggestion) == expected.map(\.suggestion))
        let all = try index._indexedScores(for: query, minimumScore: threshold)
        #expect(all.map(\.id) == (try built._indexedScores(for: query, minimumScore: threshold)).map(\.id))
      }
    }
  }

  @Test("a small change is laid over the saved index, which is not written again")
  func smallChangesAreLaidOver() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.write { try $0.add((0..<400).map { Self.unit($0) }) }
    _ = try memory.fuzzyIndex(from: .english, to: .french)
    let file = FuzzyIndex.defaultURL(forMemory: memory.url, from: .english, to: .french)
    let saved = try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int
    // Another connection (another process, for the memory) adds, and removes a document.
    let other = try TranslationMemory(url: memory.url)
    try other.write { try $0.add((0..<6).map { Self.unit($0 * 2 + 1, "The Council met on day") }) }
    #expect(try other.remove(document: "A/3") > 0)
    let index = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(index.mapping != nil && index.overlay != nil, "mapped, with an overlay")
    #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int == saved)
    try Self.expectSameAsBuilt(index, memory)
    #expect(try index.matches(for: "The Council met on day 3 of the session.", minimumScore: 100).isEmpty)
    #expect(
      try index.matches(for: "The Council met on day 5 of the session.", minimumScore: 100).first?.entry
        .target
        == "Jour 5.")
  }

  @Test("a large change builds the index again")
  func largeChangesRebuild() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.write { try $0.add((0..<20).map { Self.unit($0) }) }
    _ = try memory.fuzzyIndex(from: .english, to: .french)
    try memory.write { try $0.add((0..<20).map { Self.unit($0, "The Council met on day") }) }
    let index = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(index.mapping == nil && index.overlay == nil, "built")
    try Self.expectSameAsBuilt(index, memory)
  }

  @Test("refresh follows the writes of any connection, and reads nothing when none came")
  func refreshFollowsWrites() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.write { try $0.add((0..<100).map { Self.unit($0) }) }
    let live = try memory.liveFuzzyIndex(from: .english, to: .french)
    #expect(try live.refresh(from: memory) == false)
    let writer = try TranslationMemory(url: memory.url)
    try writer.write { try $0.add([Self.unit(12, "The Council met on day")]) }
    #expect(try live.refresh(from: memory))
    #expect(live.generation == (try memory.generation()))
    #expect(live.overlayCounts.added == 1)
    #expect(
      try live.matches(for: "The Council met on day 12 of the session.", minimumScore: 100).first?.entry
        .source
        == "The Council met on day 12 of the session.")
    #expect(try writer.remove(document: "A/12") == 6, "5 of the base and the one added")
    #expect(try live.refresh(from: memory))
    #expect(live.overlayCounts.hidden == 5 && live.overlayCounts.added == 0)
    try Self.expectSameAsBuilt(live.index, memory)
    #expect(try live.refresh(from: memory) == false)
  }

  @Test("entries added and removed by id answer like an index built over what is left")
  func addAndRemoveByID() throws {
    var generator = SeededGenerator(seed: 51)
    let entries = FuzzyIndexTests.randomEntries(&generator, count: 150)
    let base = try FuzzyIndex(entries: entries, from: .english, to: .french)
    let live = LiveFuzzyIndex(base)
    let more = FuzzyIndexTests.randomEntries(&generator, count: 30).map { entry in
      var entry = entry
      entry.id += 10_000
      return entry
    }
    try live.add(more)
    let removed = Set(entries.filter { $0.id % 5 == 1 }.map(\.id))
    try live.remove(ids: removed)
    // One entry replaced under the same id.
    var replaced = entries[2]
    replaced.source = "the General Assembly welcomes the report"
    try live.add([replaced])
    let kept = entries.filter { !removed.contains($0.id) && $0.id != replaced.id } + more + [replaced]
    let built = try FuzzyIndex(entries: kept, from: .english, to: .french)
    #expect(live.index.count == built.count)
    for round in 0..<40 {
      let query =
        round % 4 == 0
        ? "the General Assembly welcomes the report"
        : FuzzyIndexTests.mutate(kept.randomElement(using: &generator)?.source ?? "", &generator)
      for threshold in [0.0, 60, 80, 100] {
        let expected = try built._indexedScores(for: query, minimumScore: threshold)
        let got = try live.index._indexedScores(for: query, minimumScore: threshold)
        #expect(got.map(\.id) == expected.map(\.id), "«\(query)» at \(threshold)")
        #expect(got.map(\.score) == expected.map(\.score))
        let top = try live.index._indexedScores(for: query, minimumScore: threshold, limit: 3)
        #expect(top.map(\.id) == Array(expected.prefix(3)).map(\.id))
      }
      let matches = try live.matches(for: query, minimumScore: 50, limit: 3)
      #expect(
        matches.map(\.entry) == (try built.matches(for: query, minimumScore: 50, limit: 3)).map(\.entry))
    }
  }

  @Test("the change log records each unit written, by generation")
  func changeLog() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let start = try memory.generation()
    try memory.write { try $0.add([Self.unit(1), Self.unit(2)]) }
    let middle = try memory.generation()
    try memory.write { try $0.add([Self.unit(3)]) }
    let all = try #require(try memory.changedUnitIDs(since: start))
    #expect(all.count == 3)
    let since = try #require(try memory.changedUnitIDs(since: middle))
    #expect(since.count == 1 && since.first == all.last)
    #expect(try memory.changedUnitIDs(since: try memory.generation()) == [])
    // A memory whose log starts later cannot say what changed before.
    try memory.connection.execute("UPDATE unit_change_start SET generation = \(middle)")
    #expect(try memory.changedUnitIDs(since: start) == nil)
    try memory.connection.execute("DROP TABLE unit_change")
    #expect(try memory.changedUnitIDs(since: middle) == nil)
  }
}
