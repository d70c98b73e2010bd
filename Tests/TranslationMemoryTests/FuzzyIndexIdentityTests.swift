import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// The saved fuzzy index belongs to one memory: a memory deleted and made again at the same path,
/// at the same generation, does not take the old index as its own.
@Suite struct FuzzyIndexIdentityTests {
  static func removeMemoryFiles(_ url: URL) {
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: url.path + suffix)
    }
  }

  /// A memory at `url` with `units` written in one transaction; its generation and index.
  static func fill(_ url: URL, _ units: [TranslationUnit]) throws -> (generation: Int64, index: FuzzyIndex) {
    let memory = try TranslationMemory(url: url)
    try memory.write { try $0.add(units) }
    return (try memory.generation(), try memory.fuzzyIndex(from: .english, to: .french))
  }

  @Test func aNewMemoryAtTheSamePathDoesNotTakeTheOldIndex() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("tm/memory.sqlite")
    let old = try Self.fill(url, [Fixture.pair("The Assembly met.", "L'Assemblée s'est réunie.")])
    #expect(old.index.count == 1)
    let file = FuzzyIndex.defaultURL(forMemory: url, from: .english, to: .french)
    #expect(FileManager.default.fileExists(atPath: file.path), "the index was saved")

    Self.removeMemoryFiles(url)
    let new = try Self.fill(
      url,
      [
        Fixture.pair("The Council met.", "Le Conseil s'est réuni."),
        Fixture.pair("The Council adjourned.", "Le Conseil a levé la séance."),
      ])
    #expect(new.generation == old.generation, "the case that fooled a signature of generations")
    #expect(new.index.entries.map(\.source).sorted() == ["The Council adjourned.", "The Council met."])
    #expect(try new.index.matches(for: "The Assembly met.", minimumScore: 70).isEmpty, "no stale unit")
    // The new memory's index is saved in its turn and used while it is unchanged.
    let again = try TranslationMemory(url: url).fuzzyIndex(from: .english, to: .french)
    #expect(again.count == 2)
  }

  @Test func eachMemoryHasItsOwnIdentityKeptAcrossOpenings() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let identity = try #require(try memory.identity())
    #expect(identity.count == 32 && identity.allSatisfy(\.isHexDigit))
    #expect(try TranslationMemory(url: memory.url).identity() == identity)
    let (other, otherFolder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: otherFolder) }
    #expect(try other.identity() != identity)
  }

  /// A memory of schema 4 gets an identity when it is upgraded; one that is not (its table is
  /// gone) has its index built each time, never saved.
  @Test func olderMemoriesGetAnIdentityOnMigration() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.write { try $0.add([Fixture.pair("The Assembly met.", "L'Assemblée s'est réunie.")]) }
    let before = try #require(try memory.identity())
    try memory.connection.execute("DROP TABLE identity; PRAGMA user_version = 4")
    #expect(try memory.identity() == nil)
    let index = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(index.count == 1)
    let file = FuzzyIndex.defaultURL(forMemory: memory.url, from: .english, to: .french)
    #expect(!FileManager.default.fileExists(atPath: file.path), "no index saved without an identity")

    let upgraded = try TranslationMemory(url: memory.url)
    #expect(try upgraded.schemaVersion == Schema.migrations.count)
    let after = try #require(try upgraded.identity())
    #expect(after != before)
    #expect(try upgraded.fuzzyIndex(from: .english, to: .french).count == 1)
    #expect(FileManager.default.fileExists(atPath: file.path))
  }
}
