import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// A memory opened read-only (a shared team memory): nothing is created, switched, upgraded or
/// written, and no writer's lock is waited for.
///
/// The tests run as root in CI, where `chmod` stops nobody: what they assert is SQLite's
/// read-only open itself (the file's bytes, journal mode and modification date stay as they
/// were), with the file and its folder made read-only as a shared memory would be.
@Suite("Read-only memories")
struct ReadOnlyAccessTests {
  /// A memory of three units in a new folder, closed (so its WAL is checkpointed and gone).
  func closedMemory() throws -> (url: URL, folder: URL) {
    let folder = try TestSupport.makeTemporaryDirectory()
    let url = folder.appendingPathComponent("shared/memory.sqlite")
    try TranslationMemory(url: url).add([
      Fixture.pair("Agenda item 130.", "Point 130 de l'ordre du jour."),
      Fixture.pair("The General Assembly,", "L'Assemblée générale,"),
      Fixture.pair("Recalling its resolution 75/15,", "Rappelant sa résolution 75/15,"),
    ])
    return (url, folder)
  }

  func modificationDate(_ url: URL) throws -> Date? {
    try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date
  }

  func setPermissions(_ mode: Int, _ url: URL) throws {
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
  }

  @Test func aReadOnlyMemoryAnswersEveryReadAndIsNeverWritten() throws {
    let (url, folder) = try closedMemory()
    let shared = url.deletingLastPathComponent()
    defer {
      try? setPermissions(0o755, shared)
      try? FileManager.default.removeItem(at: folder)
    }
    let bytes = try Data(contentsOf: url)
    let date = try modificationDate(url)
    try setPermissions(0o444, url)
    try setPermissions(0o555, shared)

    let memory = try TranslationMemory(url: url, access: .readOnly)
    #expect(memory.access == .readOnly)
    #expect(try memory.statistics().unitCount == 3)
    #expect(try memory.units().map { $0[.french]?.text }.contains("L'Assemblée générale,"))
    #expect(try memory.languagePairs().map(\.unitCount) == [3])
    #expect(try memory.integrityCheck() == ["ok"])
    #expect(throws: TranslationMemoryError.openedReadOnly(path: url.path)) {
      try memory.add(Fixture.pair("New.", "Nouveau."))
    }
    // The index can't be saved beside a read-only memory (for anyone but root); it is built all the same.
    let index = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(try index.matches(for: "Agenda item 130.", minimumScore: 90, limit: 1).count == 1)

    try setPermissions(0o755, shared)
    try setPermissions(0o644, url)
    #expect(try Data(contentsOf: url) == bytes)
    #expect(try modificationDate(url) == date)
    #expect(try SQLiteConnection(path: url.path, readOnly: true).scalarText("PRAGMA journal_mode") == "wal")
  }

  /// The fallback for a WAL file in a folder that can't be written (SQLite can't make its
  /// `-shm`): opened as `immutable=1` through a URI, whatever the characters of its path.
  /// Root can write any folder, so the fallback itself is opened here directly.
  @Test func anImmutableOpenReadsAPathWithURICharacters() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("team memory?v=1#50%/memory.sqlite")
    try TranslationMemory(url: url).add(Fixture.pair("Agenda item 130.", "Point 130 de l'ordre du jour."))
    let connection = try SQLiteConnection(path: url.path, readOnly: true, immutable: true)
    #expect(try connection.scalarInt("SELECT count(*) FROM unit") == 1)
    #expect(!FileManager.default.fileExists(atPath: url.path + "-shm"))
  }

  /// What a read-only open does not do: create the file or its folder.
  @Test func aMissingMemoryIsNotCreated() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("tm/memory.sqlite")
    #expect(throws: TranslationMemoryError.cannotOpen(path: url.path, reason: "no such file")) {
      try TranslationMemory(url: url, access: .readOnly)
    }
    #expect(!FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path))
  }

  /// Another program's database in rollback-journal mode is refused, read-only or not, and left
  /// in its journal mode: before, opening switched it to WAL and then refused it.
  @Test func anotherProgramsDatabaseKeepsItsJournalMode() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("other.sqlite")
    try SQLiteConnection(path: url.path).execute(
      "CREATE TABLE invoice (number INTEGER); INSERT INTO invoice VALUES (1)")
    let refusal = TranslationMemoryError.notAMemory(
      path: url.path, reason: "it holds tables aligntm did not make")
    for access in [TranslationMemory.Access.readOnly, .readWrite] {
      #expect(throws: refusal) { try TranslationMemory(url: url, access: access) }
      #expect(try SQLiteConnection(path: url.path).scalarText("PRAGMA journal_mode") == "delete")
    }
  }

  /// A memory in rollback-journal mode (say, copied by a tool that switched it) is read as it is.
  @Test func aMemoryNotInWALModeIsReadAsItIs() throws {
    let (url, folder) = try closedMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try SQLiteConnection(path: url.path).execute("PRAGMA journal_mode = DELETE")
    let memory = try TranslationMemory(url: url, access: .readOnly)
    #expect(try memory.statistics().unitCount == 3)
    #expect(try SQLiteConnection(path: url.path).scalarText("PRAGMA journal_mode") == "delete")
  }

  /// An older schema is read when the reading code can read it, and left as it is; older still
  /// is a clear error that says how to upgrade it.
  @Test func anOlderSchemaIsReadOrRefusedClearly() throws {
    let (url, folder) = try closedMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let raw = try SQLiteConnection(path: url.path)
    try raw.execute("PRAGMA user_version = \(Schema.oldestReadableVersion)")
    let memory = try TranslationMemory(url: url, access: .readOnly)
    #expect(try memory.statistics().unitCount == 3)
    #expect(try memory.schemaVersion == Schema.oldestReadableVersion)

    try raw.execute("PRAGMA user_version = \(Schema.oldestReadableVersion - 1)")
    let error = TranslationMemoryError.needsUpgrade(
      path: url.path, version: Schema.oldestReadableVersion - 1, readable: Schema.oldestReadableVersion)
    #expect(throws: error) { try TranslationMemory(url: url, access: .readOnly) }
    #expect("\(error)".contains("run a writing command"))
    #expect(try raw.scalarInt("PRAGMA user_version") == Int64(Schema.oldestReadableVersion - 1))
  }

  /// Opening, read-only or not, while another connection holds a write transaction: before, the
  /// open ran the migrations in `BEGIN IMMEDIATE` and waited for the writer (here failing after
  /// 0.1 s, in the CLI after 10 s with "database is locked").
  @Test func opensAndReadsTheCommittedStateWhileAnotherConnectionWrites() throws {
    let (url, folder) = try closedMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let writer = try TranslationMemory(url: url)
    try writer.write { writer in
      try writer.add(Fixture.pair("Uncommitted.", "Pas encore validé."))
      for access in [TranslationMemory.Access.readOnly, .readWrite] {
        let reader = try TranslationMemory(url: url, access: access, busyTimeout: .milliseconds(100))
        #expect(try reader.statistics().unitCount == 3)
        #expect(try reader.fuzzyIndex(from: .english, to: .french).count == 3)
      }
    }
    #expect(try TranslationMemory(url: url, access: .readOnly).statistics().unitCount == 4)
  }
}
