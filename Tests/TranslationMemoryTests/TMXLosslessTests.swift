import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// What real translation tools write comes back out: one test per point of "Lossless TMX".
@Suite("TMX lossless")
struct TMXLosslessTests {
  static let head = TMXReaderTests.head
  static let tail = TMXReaderTests.tail

  /// Imports `text` into a new memory; returns the memory, the summary and the folder to remove.
  static func imported(_ text: String, skipBad: Bool = false) throws -> (
    TranslationMemory, TranslationMemory.TMXImportSummary, URL
  ) {
    let (memory, folder) = try Fixture.makeMemory()
    let file = try Fixture.file("input.tmx", text, in: folder)
    let summary = try memory.importTMX(from: file, skipBad: skipBad)
    return (memory, summary, folder)
  }

  static func exported(_ memory: TranslationMemory, languages: Set<Language>? = nil) throws -> (
    String, TranslationMemory.TMXExportSummary
  ) {
    let file = memory.url.deletingLastPathComponent().appendingPathComponent("export-\(UUID()).tmx")
    let summary = try memory.exportTMX(to: file, languages: languages)
    return (try String(contentsOf: file, encoding: .utf8), summary)
  }

  // MARK: 1. The same unit

  @Test func unitsMergeOnlyWhenEveryVariantIsTheSameCodesIncluded() throws {
    let text =
      Self.head + """
        <tu><prop type="x-domain">one</prop><tuv xml:lang="en"><seg>Elephants cannot fly.</seg></tuv><tuv xml:lang="fr"><seg>Les éléphants ne volent pas.</seg></tuv></tu>
        <tu><tuv xml:lang="en"><seg>Elephants <bpt i="1">&lt;b&gt;</bpt>cannot<ept i="1">&lt;/b&gt;</ept> fly.</seg></tuv><tuv xml:lang="fr"><seg>Les éléphants ne volent pas.</seg></tuv></tu>
        <tu><note>second</note><tuv xml:lang="en"><seg>Elephants <bpt i="1">{1}</bpt>cannot<ept i="1">{/1}</ept> fly.</seg></tuv><tuv xml:lang="fr"><seg>Les éléphants ne volent pas.</seg></tuv></tu>
        <tu><tuv xml:lang="en"><seg>Elephants  cannot fly.</seg></tuv><tuv xml:lang="fr"><seg>Les éléphants ne volent pas.</seg></tuv></tu>
        <tu><prop type="x-context">menu</prop><tuv xml:lang="en"><seg>Elephants cannot fly.</seg></tuv><tuv xml:lang="fr"><seg>Les éléphants ne volent pas.</seg></tuv></tu>
        <tu><prop type="x-domain">two</prop><note>kept</note><tuv xml:lang="EN"><seg>Elephants cannot fly.</seg></tuv><tuv xml:lang="fr"><seg>Les éléphants ne volent pas.</seg></tuv></tu>

        """ + Self.tail
    let (memory, summary, folder) = try Self.imported(text)
    defer { try? FileManager.default.removeItem(at: folder) }
    // Plain, bold (twice: codes compared by kind, pairing and position, not content), two
    // spaces, another context; the last is the first again, language case aside.
    #expect(summary.unitsRead == 6)
    #expect(summary.inserted == 4 && summary.merged == 2, "\(summary)")
    let units = try memory.units()
    #expect(units.count == 4)
    let plain = try #require(units.first)
    #expect(plain.properties.map(\.value) == ["one", "two"])
    #expect(plain.notes == ["kept"])
    #expect(units[1].variants[0].codes.map(\.content) == ["<b>", "</b>"])
    #expect(units[1].notes == ["second"])
    #expect(units[3].properties == [Property(type: "x-context", value: "menu")])
    #expect(try memory.statistics().mergedUnitCount == 2)
  }

  // MARK: 2. Per-variant metadata

  @Test func variantsKeepTheirDatesIDsPropertiesAndNotes() throws {
    let text =
      Self.head + """
        <tu tuid="7"><tuv xml:lang="en" creationid="ann" creationdate="20190101T100000Z"><prop type="x-origin">mt</prop><seg>Open</seg></tuv><tuv xml:lang="be" changeid="eratyk" changedate="20121012T165645Z"><note>checked</note><seg>Адчыніць</seg></tuv></tu>

        """ + Self.tail
    let (memory, _, folder) = try Self.imported(text)
    defer { try? FileManager.default.removeItem(at: folder) }
    let unit = try #require(try memory.units().first)
    #expect(unit.variants[0].creationID == "ann")
    #expect(unit.variants[0].creationDate == TMXDate.parse("20190101T100000Z"))
    #expect(unit.variants[0].properties == [Property(type: "x-origin", value: "mt")])
    #expect(unit.variants[1].changeID == "eratyk")
    #expect(unit.variants[1].changeDate == TMXDate.parse("20121012T165645Z"))
    #expect(unit.variants[1].notes == ["checked"])
    let (export, _) = try Self.exported(memory)
    #expect(export.contains("<tuv xml:lang=\"en\" creationdate=\"20190101T100000Z\" creationid=\"ann\">"))
    #expect(export.contains("<prop type=\"x-origin\">mt</prop>"))
    #expect(export.contains("<tuv xml:lang=\"be\" changedate=\"20121012T165645Z\" changeid=\"eratyk\">"))
    #expect(export.contains("<note>checked</note>"))
  }

  // MARK: 3. No version, foreign elements

  @Test func aFileWithoutVersionIsReadAsTMX14WithAWarning() throws {
    let text =
      Self.head.replacingOccurrences(of: " version=\"1.4\"", with: "") + TMXReaderTests.good + Self.tail
    let (memory, summary, folder) = try Self.imported(text)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(summary.inserted == 1)
    #expect(summary.warnings.map(\.kind) == [.missingVersion])
    #expect(summary.warnings[0].description.contains("input.tmx:2:"))
    #expect(try memory.statistics().unitCount == 1)
  }

  @Test func aForeignElementInASegmentIsKeptAsAPlaceholder() throws {
    let text =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <tmx xmlns="http://www.lisa.org/tmx14" xmlns:tei="http://www.tei-c.org/ns/1.0" version="1.4b">
      <header creationtool="InterText" creationtoolversion="1.0" datatype="PlainText" segtype="block" adminlang="en-us" srclang="bo" o-tmf="TEI"/>
      <body>
      <tu><tuv xml:lang="bo"><seg>a</seg></tuv><tuv xml:lang="en"><seg><tei:milestone xml:id="m-7"/>Homage <tei:ref target="x">to</tei:ref> all!</seg></tuv></tu>
      </body></tmx>

      """
    let (memory, summary, folder) = try Self.imported(text)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(summary.warnings.map(\.kind) == [.foreignElement])
    #expect(summary.warnings[0].count == 2)
    let variant = try #require(try memory.units().first?.variants[1])
    #expect(variant.text == "Homage  all!")
    #expect(variant.codes.map(\.kind) == [.placeholder, .placeholder])
    #expect(
      variant.codes.map(\.content) == [
        "<tei:milestone xml:id=\"m-7\"/>", "<tei:ref target=\"x\">to</tei:ref>",
      ])
    let (export, _) = try Self.exported(memory)
    #expect(export.contains("<seg><ph>&lt;tei:milestone xml:id=\"m-7\"/&gt;</ph>Homage "))
  }

  // MARK: 4. Units with one variant

  @Test func unitsWithOneVariantAreExported() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.add(Fixture.pair("Two.", "Deux."))
    try memory.add(
      TranslationUnit(sourceLanguage: .english, variants: [Variant(language: .english, text: "Alone.")]))
    let (export, summary) = try Self.exported(memory)
    #expect(summary.units == 2 && summary.leftOut == 0)
    #expect(export.contains("<seg>Alone.</seg>"))
    #expect(try memory.statistics().singleVariantUnitCount == 1)
    // Asked for two languages, a unit with one of them is left out, and counted.
    let (_, filtered) = try Self.exported(memory, languages: [.english, .french])
    #expect(filtered.units == 1 && filtered.leftOut == 1)
  }

  // MARK: 5. Conventions

  @Test func keepsTheConventionsCATToolsRelyOn() throws {
    let text =
      Self.head + """
        <tu tuid="1" segtype="phrase" datatype="html" creationtool="Trados" creationtoolversion="8" lastusagedate="20200202T020202Z" usagecount="4"><tuv xml:lang="cs-cz"><seg>Ahoj</seg></tuv><tuv xml:lang="en-us"><seg>Hello <ph assoc="p">&lt;br/&gt;</ph></seg></tuv><tuv xml:lang="ZH-CN"><seg>你好</seg></tuv></tu>

        """ + Self.tail
    let (memory, _, folder) = try Self.imported(text)
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.add(
      TranslationUnit.aligned(
        source: Variant(language: .english, text: "Mine."),
        target: Variant(language: .french, text: "À moi."),
        sourceFile: "/home/someone/corpus/A_75_15_E.docx", targetFile: "C:\\work\\A_75_15_F.docx"))
    let unit = try #require(try memory.units().first)
    #expect(unit.variants.map(\.language.rawValue) == ["cs-cz", "en-us", "zh-cn"])
    #expect(unit.segmentType == "phrase" && unit.dataType == "html")
    #expect(unit.creationTool == "Trados" && unit.creationToolVersion == "8")
    #expect(unit.lastUsageDate == TMXDate.parse("20200202T020202Z"))
    #expect(unit.variants[1].codes.first?.association == "p")
    let (export, _) = try Self.exported(memory)
    // Variants in order, tags in their usual case.
    let languages = export.components(separatedBy: "xml:lang=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
    #expect(languages == ["cs-CZ", "en-US", "zh-CN", "en", "fr"])
    #expect(
      export.contains(
        "segtype=\"phrase\" datatype=\"html\" creationtool=\"Trados\" creationtoolversion=\"8\""))
    #expect(export.contains("lastusagedate=\"20200202T020202Z\""))
    #expect(export.contains("<ph assoc=\"p\">&lt;br/&gt;</ph>"))
    // The imported tuid "1" stays; the aligned unit, row 2, gets "2"; no path is exported.
    #expect(export.contains("<tu tuid=\"1\"") && export.contains("<tu tuid=\"2\""))
    #expect(export.contains("<prop type=\"x-source-file\">A_75_15_E.docx</prop>"))
    #expect(export.contains("<prop type=\"x-target-file\">A_75_15_F.docx</prop>"))
    #expect(!export.contains("/home/someone") && !export.contains("C:\\work"))
  }

  @Test func generatedTUIDsNeverTakeAnImportedOne() throws {
    // The imported unit (row 1) is called "2": row 2 must not be written "2" too.
    let text = Self.head + "<tu tuid=\"2\"><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>" + Self.tail
    let (memory, _, folder) = try Self.imported(text)
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.add(Fixture.pair("b", "c"))
    let (export, _) = try Self.exported(memory)
    let tuids = export.components(separatedBy: "tuid=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    #expect(tuids == ["2", "aligntm-2"])
  }

  // MARK: 6. One level of strictness

  @Test func acceptsWhatToolsReallyWriteAndWarnsOncePerKind() throws {
    let head = """
      <?xml version="1.0" encoding="UTF-8"?>
      <tmx version="1.4"><header creationtool="t" srclang="en" datatype="plaintext"/><body>

      """
    let text =
      head + """
        <tu creationdate="2019-11-17T23:13:14" usagecount="x"><tuv xml:lang="en"><seg>One.</seg></tuv><tuv xml:lang="fr"><seg>Un.</seg></tuv><tuv xml:lang="fr"><seg>Une.</seg></tuv></tu>
        <tu creationdate="20191117T231314" changedate="2019-11-18T01:00:00+02:00"><tuv xml:lang="en"><seg>Two.</seg></tuv></tu>
        <tu creationdate="20191117T231314Z"><tuv xml:lang="en"><seg>Three.</seg></tuv></tu>

        """ + Self.tail
    let (memory, summary, folder) = try Self.imported(text)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(summary.inserted == 3)
    let kinds = summary.warnings.map(\.kind)
    #expect(kinds == [.missingHeaderAttribute, .nonstandardDate, .invalidUsageCount, .sameLanguageTwice])
    let dates = try #require(summary.warnings.first { $0.kind == .nonstandardDate })
    #expect(dates.count == 3 && dates.location.line == 3)
    #expect(dates.description.hasPrefix("\(dates.location.file):3:"))
    let header = try #require(summary.warnings.first)
    #expect(header.detail.contains("'adminlang', 'creationtoolversion', 'o-tmf', 'segtype'"))
    let units = try memory.units()
    let expected = try #require(TMXDate.parse("20191117T231314Z"))
    #expect(units.map(\.creationDate) == [expected, expected, expected])
    #expect(units[1].changeDate == TMXDate.parse("20191117T230000Z"))
    #expect(units[0].usageCount == 1)
    #expect(units[0].variants.map(\.text) == ["One.", "Un.", "Une."])
  }

  @Test func stillRefusesWhatWouldLoseData() throws {
    let text =
      Self.head + "<tu creationdate=\"someday\"><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>" + Self.tail
    #expect(throws: TMXError.self) { _ = try Self.imported(text) }
  }

  // MARK: 7. Merging both ways

  @Test func newerChangeDateWinsWhenBothSidesChangedAVariant() throws {
    func file(_ who: String, _ date: String, note: String) -> String {
      Self.head + """
        <tu creationdate="20200101T000000Z"><tuv xml:lang="en"><seg>Save</seg></tuv><tuv xml:lang="fr" changeid="\(who)" changedate="\(date)"><note>\(note)</note><seg>Enregistrer</seg></tuv></tu>

        """ + Self.tail
    }
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let older = try Fixture.file("older.tmx", file("ann", "20210101T000000Z", note: "first"), in: folder)
    let newer = try Fixture.file("newer.tmx", file("bob", "20220101T000000Z", note: "second"), in: folder)
    try memory.importTMX(from: older)
    #expect(try memory.importTMX(from: newer).merged == 1)
    // The older file again changes nothing: the newer side keeps its variant.
    #expect(try memory.importTMX(from: older).merged == 1)
    let unit = try #require(try memory.units().first)
    #expect(try memory.units().count == 1)
    #expect(unit.variants[1].changeID == "bob")
    #expect(unit.variants[1].changeDate == TMXDate.parse("20220101T000000Z"))
    #expect(unit.variants[1].notes == ["first", "second"])
    // The same unit read again is not counted as used again.
    #expect(unit.usageCount == 1)
  }

  @Test func aMemoryExportedEditedAndImportedAgainLosesNothing() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.add([Fixture.pair("One.", "Un."), Fixture.pair("Two.", "Deux.")])
    let exportFile = folder.appendingPathComponent("out.tmx")
    try memory.exportTMX(to: exportFile)
    // Another tool edits the export: a changed translation, a new unit.
    var text = try String(contentsOf: exportFile, encoding: .utf8)
    text = text.replacingOccurrences(
      of: "<tuv xml:lang=\"fr\"><seg>Deux.</seg>",
      with: "<tuv xml:lang=\"fr\" changeid=\"reviewer\" changedate=\"20300101T000000Z\"><seg>Deux !</seg>")
    text = text.replacingOccurrences(
      of: "  </body>",
      with:
        "    <tu><tuv xml:lang=\"en\"><seg>Three.</seg></tuv><tuv xml:lang=\"fr\"><seg>Trois.</seg></tuv></tu>\n  </body>"
    )
    let edited = try Fixture.file("edited.tmx", text, in: folder)
    let summary = try memory.importTMX(from: edited)
    #expect(summary.merged == 1 && summary.inserted == 2)
    let texts = try memory.units().map { $0[.french]?.text ?? "" }
    #expect(texts == ["Un.", "Deux.", "Deux !", "Trois."])
    // A second memory imports the first one's export: the same units, nothing merged away.
    let other = try TranslationMemory(url: folder.appendingPathComponent("other/memory.sqlite"))
    try memory.exportTMX(to: exportFile)
    try other.importTMX(from: exportFile)
    #expect(try other.units().map(\.variants) == memory.units().map(\.variants))
    let again = folder.appendingPathComponent("again.tmx")
    try other.exportTMX(to: again)
    #expect(try Data(contentsOf: again) == Data(contentsOf: exportFile))
  }
}
