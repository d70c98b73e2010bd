import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

@Suite("TranslationMemory store")
struct TranslationMemoryStoreTests {
  @Test func createsTheSchemaByMigrationInWALMode() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try memory.schemaVersion == Schema.migrations.count)
    #expect(try memory.integrityCheck() == ["ok"])
    // Opening again runs no migration twice.
    let again = try TranslationMemory(url: memory.url)
    #expect(try again.schemaVersion == Schema.migrations.count)
    let mode = try SQLiteConnection(path: memory.url.path).scalarText("PRAGMA journal_mode")
    #expect(mode == "wal")
    #expect(
      try SQLiteConnection(path: memory.url.path).scalarInt("PRAGMA page_size")
        == Int64(TranslationMemory.pageSize))
  }

  /// A memory made with SQLite's usual 4 KiB pages (before aligntm chose 16 KiB) keeps its page
  /// size and works as any other.
  @Test func aMemoryWithSmallerPagesKeepsThem() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("memory.sqlite")
    let connection = try SQLiteConnection(path: url.path)
    try connection.execute(
      "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x); DROP TABLE t")
    let memory = try TranslationMemory(url: url)
    try memory.add(Fixture.pair("Agenda item 130.", "Point 130 de l'ordre du jour."))
    #expect(try connection.scalarInt("PRAGMA page_size") == 4096)
    #expect(try memory.statistics().unitCount == 1)
    #expect(try memory.integrityCheck() == ["ok"])
  }

  @Test func refusesANewerSchemaAndForeignFiles() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let newer = folder.appendingPathComponent("newer.sqlite")
    _ = try TranslationMemory(url: newer)
    try SQLiteConnection(path: newer.path).execute("PRAGMA user_version = 99")
    #expect(
      throws: TranslationMemoryError.newerSchema(
        path: newer.path, version: 99, supported: Schema.migrations.count)
    ) {
      try TranslationMemory(url: newer)
    }
    let foreign = folder.appendingPathComponent("foreign.sqlite")
    try SQLiteConnection(path: foreign.path).execute("CREATE TABLE t (x)")
    #expect(
      throws: TranslationMemoryError.notAMemory(
        path: foreign.path, reason: "it holds tables aligntm did not make")
    ) {
      try TranslationMemory(url: foreign)
    }
    let text = try Fixture.file("text.sqlite", String(repeating: "not a database\n", count: 100), in: folder)
    do {
      _ = try TranslationMemory(url: text)
      Issue.record("a text file opened as a memory")
    } catch let error as TranslationMemoryError {
      guard case .notAMemory(let path, _) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(path == text.path)
      #expect(error.description.hasPrefix("\(text.path): not a translation memory"))
    }
  }

  @Test func addsAndFetchesUnitsWithEverything() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var unit = Fixture.pair("The <i>General</i> Assembly", "L’Assemblée générale", paragraph: "12")
    unit.variants[0].codes = [
      InlineCode(kind: .begin, position: 4, pairID: 1, type: "italic", content: "<i>"),
      InlineCode(kind: .end, position: 11, pairID: 1, content: "</i>"),
    ]
    unit.notes = ["checked\nby hand"]
    unit.changeDate = Fixture.date.addingTimeInterval(60)
    unit.changeID = "reviewer"
    let outcome = try memory.add(unit)
    guard case .inserted(let id) = outcome else {
      Issue.record("not inserted: \(outcome)")
      return
    }
    var fetched = try #require(try memory.unit(id: id))
    #expect(fetched.id == id)
    fetched.id = nil
    #expect(fetched == unit)
    #expect(fetched.document == "A/75/15")
    #expect(fetched.property(.paragraph) == "12")
    #expect(try memory.unit(id: id + 1) == nil)
  }

  @Test func mergesTheSameTextsAndKeepsOtherTranslations() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try memory.add(
      Fixture.pair("Recalls its resolution.", "Rappelle sa résolution.", document: "A/1"))
    // The same texts exactly: one unit, with the properties of both.
    let later = Fixture.date.addingTimeInterval(3600)
    let same = try memory.add(
      Fixture.pair("Recalls its resolution.", "Rappelle sa résolution.", document: "A/2", date: later))
    #expect(same == .merged(id: first.id))
    // White space and composition are part of the text: another unit.
    let spaced = try memory.add(
      Fixture.pair("Recalls  its resolution. ", "Rappelle sa re\u{301}solution.", date: later))
    guard case .inserted = spaced else {
      Issue.record("a unit with other white space was merged")
      return
    }
    // The same source with another target: both kept.
    let other = try memory.add(Fixture.pair("Recalls its resolution.", "Rappelle également sa résolution."))
    guard case .inserted = other else {
      Issue.record("a different translation was merged")
      return
    }
    let units = try memory.units()
    #expect(units.count == 3)
    let merged = try #require(try memory.unit(id: first.id))
    #expect(merged.usageCount == 2)
    #expect(merged.changeDate == later)
    #expect(merged.properties.filter { $0.type == "x-document" }.map(\.value) == ["A/1", "A/2"])
    #expect(merged[.english]?.text == "Recalls its resolution.")
    #expect(try memory.unit(id: other.id)?.usageCount == 1)
    #expect(try memory.statistics().mergedUnitCount == 1)
  }

  @Test func batchesReportInsertedAndMerged() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let seed = try Fixture.seedUnits()
    let summary = try memory.add(seed + seed.prefix(5))
    let distinct = Set(seed.map { ContentKey.UnitIdentity($0) }).count
    #expect(summary.inserted == distinct)
    #expect(summary.merged == seed.count + 5 - distinct)
    #expect(try memory.statistics().unitCount == distinct)
  }

  @Test func rejectsUnitsWithoutVariantsAndKeepsTwoInOneLanguage() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let empty = TranslationUnit(sourceLanguage: .english, variants: [])
    #expect(throws: TranslationMemoryError.invalidUnit(path: memory.url.path, reason: "it has no variant")) {
      try memory.add(empty)
    }
    // Alternative translations (OmegaT writes them): kept, in their order.
    let twice = TranslationUnit(
      sourceLanguage: .english,
      variants: [
        Variant(language: .english, text: "a"), Variant(language: .french, text: "b"),
        Variant(language: .french, text: "c"),
      ])
    let id = try memory.add(twice).id
    #expect(try memory.unit(id: id)?.variants.map(\.text) == ["a", "b", "c"])
  }

  @Test func statisticsListAndRemoveByDocument() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    // aligntm's own properties live in unit columns; others in the property table.
    var two = Fixture.pair("Two.", "Deux.", document: "A/1")
    two.properties.append(Property(type: "x-reviewer", value: "J. Doe"))
    var three = Fixture.pair("Three.", "Trois.", document: "S/2")
    three.properties.insert(Property(type: "x-reviewer", value: "A. N. Other"), at: 1)
    try memory.add([
      Fixture.pair("One.", "Un.", document: "A/1"), two, three,
      Fixture.pair("Four.", "Quatre.", document: nil),
    ])
    let statistics = try memory.statistics()
    #expect(statistics.unitCount == 4)
    #expect(statistics.variantCount == 8)
    #expect(statistics.languages == [.english: 4, .french: 4])
    #expect(
      statistics.documents == [
        .init(document: nil, unitCount: 1), .init(document: "A/1", unitCount: 2),
        .init(document: "S/2", unitCount: 1),
      ])
    #expect(try memory.units(document: "A/1").map { $0[.english]?.text } == ["One.", "Two."])
    #expect(try memory.remove(document: "A/1") == 2)
    #expect(try memory.remove(document: "A/1") == 0)
    #expect(try memory.units().map { $0[.french]?.text } == ["Trois.", "Quatre."])
    // Children went with their units.
    let connection = try SQLiteConnection(path: memory.url.path)
    #expect(try connection.scalarInt("SELECT count(*) FROM variant") == 4)
    // One reviewer property left: the other went with its unit.
    #expect(try connection.scalarInt("SELECT count(*) FROM property") == 1)
    #expect(try memory.units(document: "S/2").first?.properties == three.properties)
  }

  @Test func iteratesInIDOrderWithALanguageFilter() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var trilingual = Fixture.pair("Peace.", "Paix.")
    trilingual.variants.append(Variant(language: .german, text: "Frieden."))
    try memory.add([Fixture.pair("War.", "Guerre."), trilingual])
    var seen: [[Language]] = []
    try memory.forEachUnit(languages: [.german, .english]) { seen.append($0.variants.map(\.language)) }
    #expect(seen == [[.english], [.english, .german]])
    var ids: [Int64] = []
    try memory.forEachUnit { ids.append($0.id ?? -1) }
    #expect(ids == ids.sorted() && ids.count == 2)
  }

  @Test func aWriteThatThrowsLeavesNothing() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    struct Stop: Error {}
    #expect(throws: Stop.self) {
      try memory.write { memory in
        try memory.add(Fixture.pair("Kept?", "Gardé ?"))
        try memory.add([Fixture.pair("Nested.", "Imbriqué.")])
        throw Stop()
      }
    }
    #expect(try memory.statistics().unitCount == 0)
  }

  @Test func anotherConnectionReadsWhileAWriteIsOpen() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.add(Fixture.pair("Before.", "Avant."))
    let reader = try TranslationMemory(url: memory.url, busyTimeout: .milliseconds(100))
    try memory.write { memory in
      try memory.add(Fixture.pair("During.", "Pendant."))
      // The reader sees the last commit, without waiting for the writer.
      #expect(try reader.statistics().unitCount == 1)
      #expect(throws: TranslationMemoryError.busy(path: memory.url.path)) {
        try reader.write { _ in }
      }
    }
    #expect(try reader.statistics().unitCount == 2)
  }

  /// An empty or blank text is no translation, and an empty query would match it at 100 %.
  @Test func refusesAUnitWhoseTextsAreAllBlankAndKeepsAnEmptyTranslation() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    for text in ["", " \t\n", "\u{A0}\u{2028}"] {
      #expect(
        throws: TranslationMemoryError.invalidUnit(
          path: memory.url.path, reason: "every text of it is empty or white space only")
      ) { try memory.add(Fixture.pair(" ", text)) }
    }
    #expect(try memory.statistics().unitCount == 0)
    // A CAT tool's deliberately empty translation (OmegaT writes `<seg></seg>`) is kept.
    try memory.add(Fixture.pair("Peace.", ""))
    #expect(try memory.statistics().unitCount == 1)
    // A segment that is only a placeholder code (an image, a field) is not blank.
    var placeholder = Fixture.pair("", "")
    placeholder.variants[0].codes = [
      InlineCode(kind: .placeholder, position: 0, type: "image", content: "<img/>")
    ]
    try memory.add(placeholder)
    #expect(try memory.statistics().unitCount == 2)
  }

  @Test func resultCodesMatchTheirFamily() {
    // SQLITE_BUSY_SNAPSHOT, an extended code of SQLITE_BUSY.
    let snapshot = SQLiteResultCode(rawValue: 517)
    #expect(snapshot.primary == .busy)
    #expect(SQLiteResultCode.busy ~= snapshot)
    #expect(!(SQLiteResultCode.notADatabase ~= snapshot))
    #expect(!(snapshot ~= SQLiteResultCode.busy), "an extended pattern matches only itself")
    let error: any Error = TranslationMemoryError.sqlite(path: "m.sqlite", code: snapshot, message: "busy")
    #expect(SQLiteResultCode.busy ~= error)
    #expect(!(SQLiteResultCode.corrupt ~= error))
    #expect("\(error)" == "m.sqlite is locked by another process (SQLite: busy): try again when it is done")
    var caught = false
    do { throw error } catch SQLiteResultCode.busy { caught = true } catch {}
    #expect(caught)
  }

  @Test func resolvesTheMemoryPath() {
    let home = URL(fileURLWithPath: "/work/project")
    #expect(
      TranslationMemoryLocation.resolve(environment: [:], currentDirectory: home).path
        == "/work/project/tm/memory.sqlite")
    #expect(
      TranslationMemoryLocation.resolve(
        environment: ["ALIGNTM_TM": "other/x.sqlite"], currentDirectory: home
      ).path == "/work/project/other/x.sqlite")
    #expect(
      TranslationMemoryLocation.resolve(
        explicitPath: "/tmp/y.sqlite", environment: ["ALIGNTM_TM": "other/x.sqlite"],
        currentDirectory: home
      ).path == "/tmp/y.sqlite")
  }

  @Test func inlineCodesSurviveTheirEncoding() {
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<200 {
      let codes = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
        InlineCode(
          kind: InlineCode.Kind.allCases.randomElement(using: &generator) ?? .placeholder,
          position: Int.random(in: 0...100_000, using: &generator),
          pairID: Bool.random(using: &generator) ? Int.random(in: 0...500, using: &generator) : nil,
          matchID: Bool.random(using: &generator) ? 0 : nil,
          type: Bool.random(using: &generator) ? "ty\u{0}pe é" : nil,
          isolatedPosition: Bool.random(using: &generator) ? .end : nil,
          content: String(repeating: "<b>", count: Int.random(in: 0...50, using: &generator)))
      }
      let decoded = InlineCodeCoding.encode(codes).map(InlineCodeCoding.decode) ?? []
      #expect(decoded == codes)
    }
  }
}

extension StoreConnection {
  func scalarText(_ sql: String) throws -> String? {
    let statement = try prepare(sql)
    guard try statement.step() else { return nil }
    return statement.optionalString(0)
  }
}
