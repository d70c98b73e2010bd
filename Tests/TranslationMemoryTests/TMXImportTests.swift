import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

@Suite("TMX import")
struct TMXImportTests {
  /// Units with duplicates across batch boundaries (some differing only in white space and
  /// apostrophes), same sources with other targets, notes, properties of other types and codes.
  static func units(count: Int) -> [TranslationUnit] {
    (0..<count).map { index in
      let base = index % (count * 4 / 5)
      let spaced = index != base && index % 2 == 0
      var unit = Fixture.pair(
        spaced
          ? "Sentence  number \(base) of the committee’s  report. "
          : "Sentence number \(base) of the committee's report.",
        index % 7 == 3 ? "Autre traduction \(base)." : "Phrase numéro \(base) du rapport du comité.",
        document: "A/\(index % 30)", paragraph: String(index % 11),
        date: Fixture.date.addingTimeInterval(TimeInterval(index)))
      if index % 13 == 0 { unit.notes = ["Checked by reviewer \(index % 3)."] }
      if index % 17 == 0 { unit.properties.insert(Property(type: "x-domain", value: "budget"), at: 1) }
      if index % 19 == 0 {
        unit.variants[0].codes = [
          InlineCode(kind: .begin, position: 0, pairID: 1, type: "bold", content: "<b>"),
          InlineCode(kind: .end, position: 8, pairID: 1, content: "</b>"),
        ]
      }
      if index % 23 == 0 { unit.changeDate = Fixture.date.addingTimeInterval(1_000_000) }
      return unit
    }
  }

  @Test func importStoresWhatAddingStores() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let units = Self.units(count: 2_600)
    let file = folder.appendingPathComponent("many.tmx")
    let writer = try TMXWriter(url: file, header: .init(sourceLanguage: "en"))
    for unit in units { try writer.write(unit) }
    try writer.finish()

    let imported = try TranslationMemory(url: folder.appendingPathComponent("a/memory.sqlite"))
    try imported.add(
      Fixture.pair("Sentence number 5 of the committee's report.", "Phrase numéro 5 du rapport du comité."))
    let summary = try imported.importTMX(from: file)

    let added = try TranslationMemory(url: folder.appendingPathComponent("b/memory.sqlite"))
    try added.add(
      Fixture.pair("Sentence number 5 of the committee's report.", "Phrase numéro 5 du rapport du comité."))
    var read: [TranslationUnit] = []
    try TMXReader(url: file).read { read.append($0) }
    let expected = try added.add(read)

    #expect(summary.unitsRead == units.count)
    #expect(summary.inserted == expected.inserted)
    #expect(summary.merged == expected.merged)
    // Repeats with other white space or quotes are other units; the exact repeats merge.
    #expect(summary.merged > 150 && summary.inserted > 2_000, "\(summary)")
    #expect(try imported.units() == added.units())
  }

  /// A small file into a large memory: searching the index for each unit beats reading every
  /// stored key into the filter, and duplicates are found all the same.
  @Test func aSmallFileIntoALargeMemoryLooksEveryKeyUp() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let stored = Self.units(count: 3_000)
    try memory.add(stored)
    let file = folder.appendingPathComponent("one.tmx")
    let writer = try TMXWriter(url: file, header: .init(sourceLanguage: "en"))
    try writer.write(stored[7])
    try writer.write(Fixture.pair("A sentence never stored.", "Une phrase jamais stockée."))
    try writer.finish()
    let filter = try memory.read { try memory.contentKeyFilter(forImportOf: file) }
    #expect(filter == nil)
    let before = try memory.statistics().unitCount
    let summary = try memory.importTMX(from: file)
    #expect(summary.merged == 1 && summary.inserted == 1)
    #expect(try memory.statistics().unitCount == before + 1)
  }

  @Test func theKeyFilterNeverForgetsAKey() {
    var random = SeededGenerator(seed: 5)
    var filter = _ContentKeyFilter()
    let keys = (0..<200_000).map { _ in Int64.random(in: .min ... .max, using: &random) }
    for key in keys { filter.insert(key) }
    #expect(keys.allSatisfy { filter.mightContain($0) })
    // 200k keys in 2^26 bits with three probes: about one "maybe" in 1.4 million for a new key.
    let strangers = (0..<200_000).map { _ in Int64.random(in: .min ... .max, using: &random) }
    let maybes = strangers.filter { filter.mightContain($0) }.count
    #expect(maybes < 5, "\(maybes) false positives")
  }

  @Test func aFailingImportStopsTheParserAndStoresNothing() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("late-error.tmx")
    let writer = try TMXWriter(url: file, header: .init(sourceLanguage: "en"))
    for unit in Self.units(count: 5_000) { try writer.write(unit) }
    try writer.finish()
    // Cut the file: the error comes after several batches were written.
    let data = try Data(contentsOf: file)
    try data.prefix(data.count - 500).write(to: file)
    #expect(throws: TMXError.self) { try memory.importTMX(from: file) }
    #expect(try memory.statistics().unitCount == 0)
    // With skipBad the units before the cut are kept, and the summary says reading stopped.
    let summary = try memory.importTMX(from: file, skipBad: true)
    #expect(summary.skipped.isEmpty && summary.stoppedReading != nil)
    #expect(try memory.statistics().unitCount == summary.inserted)
  }
}

@Suite("TMX import of empty segments")
struct TMXEmptySegmentTests {
  /// OmegaT writes a translation deliberately left empty as `<seg></seg>`: the unit is kept with
  /// its empty variant; a unit whose every segment is blank holds nothing and is skipped when asked.
  @Test func anEmptyTranslationIsKeptAndABlankUnitSkipped() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let units = """
      <tu><tuv xml:lang="en"><seg>Peace.</seg></tuv><tuv xml:lang="fr"><seg></seg></tuv></tu>
      <tu><tuv xml:lang="en"><seg> </seg></tuv><tuv xml:lang="fr"><seg></seg></tuv></tu>

      """
    let file = try Fixture.file("empty.tmx", TMXReaderTests.head + units + TMXReaderTests.tail, in: folder)
    // The second unit, on the file's fourth line, is the blank one.
    #expect(throws: TMXError.blankUnit(TMXLocation(file: file.path, line: 4, column: 4))) {
      try memory.importTMX(from: file)
    }
    #expect(try memory.statistics().unitCount == 0, "without --skip-bad nothing is imported")
    _ = try memory.importTMX(from: file, skipBad: true)
    #expect(try memory.statistics().unitCount == 1)
    var stored: [TranslationUnit] = []
    try memory.forEachUnit { stored.append($0) }
    #expect(stored.first?[Language("fr")]?.text == "")
  }
}
