import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// The change log (migration 7) after a TMX import in a WAL transaction, whose unit rows are
/// written without a statement journal when the import has its transaction to itself
/// (Store/UnitInsertion.swift).
@Suite("TMX import and the change log")
struct TMXImportChangeLogTests {
  static func tmx(_ units: [TranslationUnit], in folder: URL) throws -> URL {
    let file = folder.appendingPathComponent("units-\(units.count).tmx")
    let writer = try TMXWriter(url: file, header: .init(sourceLanguage: "en"))
    for unit in units { try writer.write(unit) }
    try writer.finish()
    return file
  }

  /// The units the log holds for a generation, in id order.
  static func logged(_ memory: TranslationMemory, generation: Int64) throws -> [Int64] {
    try memory.read {
      let statement = try memory.connection.prepare(
        "SELECT unit_id FROM unit_change WHERE generation = ?1 ORDER BY unit_id")
      statement.bind(1, generation)
      var ids: [Int64] = []
      while try statement.step() { ids.append(statement.int64(0)) }
      return ids
    }
  }

  @Test func anImportIntoANonEmptyMemoryLogsEveryNewUnitAndEveryMergedOne() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.add(Fixture.pair("Stored before.", "Stocké avant."))
    var again = Fixture.pair("Stored before.", "Stocké avant.")
    // Newer metadata on the source variant: the merge updates the stored variant's row.
    again.variants[0].changeDate = Fixture.date.addingTimeInterval(60)
    let units =
      [again] + (0..<40).map { Fixture.pair("Sentence \($0).", "Phrase \($0).", paragraph: String($0)) }
    let file = try Self.tmx(units, in: folder)
    let generation = try memory.generation()

    let summary = try memory.importTMX(from: file)

    #expect(summary.inserted == 40 && summary.merged == 1)
    #expect(try memory.generation() == generation + 1)
    #expect(try Self.logged(memory, generation: generation + 1) == Array(1...41))
    #expect(try memory.integrityCheck() == ["ok"])
  }

  /// Inside a transaction that deleted the unit of the largest id, the next unit takes that id
  /// again, already logged: the import's insert must keep the log's `OR IGNORE`.
  @Test func anImportInsideAWriteThatDeletedTheLastUnitReusesItsID() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.add(Fixture.pair("Kept.", "Gardé.", document: "A/1"))
    try memory.add(Fixture.pair("Removed.", "Retiré.", document: "A/2"))
    let file = try Self.tmx(
      [
        Fixture.pair("New.", "Nouveau.", document: "A/3"),
        Fixture.pair("Newer.", "Plus neuf.", document: "A/3"),
      ],
      in: folder)
    let generation = try memory.generation()

    let summary = try memory.write { memory in
      #expect(try memory.remove(document: "A/2") == 1)
      return try memory.importTMX(from: file)
    }

    #expect(summary.inserted == 2)
    #expect(try memory.statistics().unitCount == 3)
    #expect(try Self.logged(memory, generation: generation + 1) == [2, 3])
    #expect(try memory.units().map(\.variants[0].text) == ["Kept.", "New.", "Newer."])
  }
}
