import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// The bulk path of a TMX import into an empty memory: a new file, loaded without a journal and
/// renamed over the memory (Store/BulkLoad.swift).
@Suite("Bulk TMX import")
struct BulkLoadTests {
  /// A TMX file of `count` units with duplicates, notes, other properties and codes.
  static func tmxFile(count: Int, in folder: URL) throws -> URL {
    let file = folder.appendingPathComponent("units-\(count).tmx")
    let writer = try TMXWriter(url: file, header: .init(sourceLanguage: "en"))
    for unit in TMXImportTests.units(count: count) { try writer.write(unit) }
    try writer.finish()
    return file
  }

  static func inode(_ url: URL) throws -> UInt64 {
    var status = stat()
    guard stat(url.path, &status) == 0 else { throw CocoaError(.fileNoSuchFile) }
    return UInt64(status.st_ino)
  }

  /// The names of the files beside the memory that are not the memory's own.
  static func strayFiles(besides url: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
      .filter { $0.contains(".bulk-") }
  }

  static func indexNames(_ memory: TranslationMemory) throws -> [String] {
    try memory.read {
      let statement = try memory.connection.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
      var names: [String] = []
      while try statement.step() { names.append(statement.string(0)) }
      return names
    }
  }

  @Test func anImportIntoAnEmptyMemoryReplacesTheFileAndKeepsItsIdentity() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try Self.tmxFile(count: 2_600, in: folder)
    let identity = try #require(try memory.identity())
    let generation = try memory.generation()
    let inode = try Self.inode(memory.url)
    let indexes = try Self.indexNames(memory)

    let summary = try memory.importTMX(from: file)

    #expect(try Self.inode(memory.url) != inode, "the memory was not replaced")
    #expect(try memory.identity() == identity)
    #expect(try memory.generation() == generation + 1)
    #expect(try Self.indexNames(memory) == indexes)
    #expect(try memory.integrityCheck() == ["ok"])
    #expect(try memory.read { try memory.connection.scalarInt("PRAGMA foreign_key_check") } == nil)
    #expect(try Self.strayFiles(besides: memory.url).isEmpty)
    // Reopened in WAL mode, and what another instance opens is the new file.
    #expect(try memory.connection.scalarText("PRAGMA journal_mode") == "wal")
    let again = try TranslationMemory(url: memory.url, access: .readOnly)
    #expect(try again.statistics().unitCount == summary.inserted)

    // The same units as the WAL path stores.
    let other = try TranslationMemory(url: folder.appendingPathComponent("wal/memory.sqlite"))
    try other.add(Fixture.pair("Only here to make the memory non-empty.", "Rien que pour ça."))
    let walSummary = try other.importTMX(from: file)
    #expect(walSummary.inserted == summary.inserted && walSummary.merged == summary.merged)
    #expect(summary.merged > 150, "\(summary)")
    #expect(try Array(other.units().dropFirst()).map(\.variants) == memory.units().map(\.variants))
    #expect(
      try Array(other.units().dropFirst()).map(\.properties) == memory.units().map(\.properties))
    #expect(try Array(other.units().dropFirst()).map(\.notes) == memory.units().map(\.notes))
    // The memory goes on working: a second import merges everything.
    let second = try memory.importTMX(from: file)
    #expect(second.inserted == 0 && second.merged == 2_600)
  }

  @Test func aMemoryWithUnitsKeepsTheWALTransaction() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.add(Fixture.pair("Already there.", "Déjà là."))
    let inode = try Self.inode(memory.url)
    let file = try Self.tmxFile(count: 500, in: folder)
    try memory.importTMX(from: file)
    #expect(try Self.inode(memory.url) == inode)
    #expect(try memory.statistics().unitCount > 400)
  }

  /// A reader holding the memory open keeps reading it: the import falls back to the WAL
  /// transaction, and the reader then sees the units.
  @Test func anotherOpenConnectionMakesTheImportUseTheWALTransaction() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let reader = try TranslationMemory(url: memory.url, access: .readOnly)
    #expect(try reader.statistics().unitCount == 0)
    let inode = try Self.inode(memory.url)
    let file = try Self.tmxFile(count: 500, in: folder)
    let summary = try memory.importTMX(from: file)
    #expect(try Self.inode(memory.url) == inode)
    #expect(try reader.statistics().unitCount == summary.inserted)
    #expect(try Self.strayFiles(besides: memory.url).isEmpty)
  }

  @Test func aFailedBulkImportLeavesTheMemoryAndNoFileBehind() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try Self.tmxFile(count: 3_000, in: folder)
    let data = try Data(contentsOf: file)
    try data.prefix(data.count - 500).write(to: file)
    let inode = try Self.inode(memory.url)
    #expect(throws: TMXError.self) { try memory.importTMX(from: file) }
    #expect(try Self.inode(memory.url) == inode)
    #expect(try memory.statistics().unitCount == 0)
    #expect(try Self.strayFiles(besides: memory.url).isEmpty)
  }

  /// The new file of an import whose process was killed is removed by the next bulk import;
  /// one of a process still running is left alone.
  @Test func leftoversOfAKilledImportAreRemoved() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let tm = memory.url.deletingLastPathComponent()
    let dead = tm.appendingPathComponent(".memory.sqlite.bulk-2147483646")
    let alive = tm.appendingPathComponent(".memory.sqlite.bulk-1")  // init: always running
    for url in [dead, alive] { try Data("partial".utf8).write(to: url) }
    try memory.importTMX(from: try Self.tmxFile(count: 100, in: folder))
    #expect(try Self.strayFiles(besides: memory.url) == [alive.lastPathComponent])
  }

  /// A memory reached through a symbolic link: the file it points to is replaced, the link kept;
  /// the new file has the old one's mode (a team memory may be group-writable).
  @Test func aLinkedMemoryKeepsItsLinkAndTheFileItsMode() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let real = folder.appendingPathComponent("data/team.sqlite")
    _ = try TranslationMemory(url: real)
    try FileManager.default.setAttributes([.posixPermissions: 0o660], ofItemAtPath: real.path)
    let link = folder.appendingPathComponent("tm/memory.sqlite")
    try FileManager.default.createDirectory(
      at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
    let inode = try Self.inode(real)
    let memory = try TranslationMemory(url: link)
    let summary = try memory.importTMX(from: try Self.tmxFile(count: 200, in: folder))
    #expect(try Self.inode(real) != inode, "the bulk path was not taken")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == real.path)
    let mode = try FileManager.default.attributesOfItem(atPath: real.path)[.posixPermissions] as? Int
    #expect(mode == 0o660)
    #expect(try TranslationMemory(url: real, access: .readOnly).statistics().unitCount == summary.inserted)
  }

  /// A connection opened on the path just before the rename (opened, nothing read yet, so no
  /// lock) gets the old file, marked as a newer schema: a TranslationMemory opening it fails
  /// instead of making a WAL log with the new file's name.
  @Test func aConnectionOpenedBeforeTheSwapFindsTheOldFileMarked() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let late = try SQLiteConnection(path: memory.url.path)
    let inode = try Self.inode(memory.url)
    try memory.importTMX(from: try Self.tmxFile(count: 200, in: folder))
    #expect(try Self.inode(memory.url) != inode)
    #expect(try late.scalarInt("PRAGMA user_version") == Int64(TranslationMemory.replacedMemoryVersion))
    #expect(throws: TranslationMemoryError.self) { try Schema.checkReadable(late) }
    #expect(try memory.statistics().unitCount > 100)
  }

  /// A pipe can't be read twice, so it never takes the bulk path (whose fallback reads the
  /// file again).
  @Test func aPipeIsImportedInTheWALTransaction() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try Self.tmxFile(count: 300, in: folder)
    let fifo = folder.appendingPathComponent("input.fifo")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    let inode = try Self.inode(memory.url)
    let writer = Thread {
      if let data = try? Data(contentsOf: file), let handle = FileHandle(forWritingAtPath: fifo.path) {
        handle.write(data)
        try? handle.close()
      }
    }
    writer.start()
    let summary = try memory.importTMX(from: fifo)
    #expect(summary.unitsRead == 300)
    #expect(try Self.inode(memory.url) == inode)
  }
}
