import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

@Suite("TMX export")
struct TMXExportTests {
  /// A memory built from the gold pairs of un/003 and un/004, with some inline codes.
  static func seededMemory() throws -> (TranslationMemory, URL) {
    let (memory, folder) = try Fixture.makeMemory()
    var units = try Fixture.seedUnits("003", symbol: "A/RES/75/15")
    units += try Fixture.seedUnits("004", symbol: "A/75/L.25")
    for index in stride(from: 0, to: units.count, by: 7) {
      let text = units[index].variants[0].text
      units[index].variants[0].codes = [
        InlineCode(kind: .begin, position: 0, pairID: 1, type: "bold", content: "**"),
        InlineCode(kind: .end, position: min(3, text.utf16.count), pairID: 1, content: "**"),
        InlineCode(kind: .placeholder, position: text.utf16.count, type: "footnoteMarker", content: "^{1}"),
      ]
      units[index].notes = ["a note & <more>"]
    }
    try memory.add(units)
    return (memory, folder)
  }

  @Test(
    .enabled(if: Fixture.hasXMLLint, "xmllint is not installed (apt install libxml2-utils)"), .requiresTMXDTD)
  func validatesAgainstTheDTD() throws {
    let (memory, folder) = try Self.seededMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("seed.tmx")
    let summary = try memory.exportTMX(to: file, creationDate: Fixture.date)
    #expect(summary.units == (try memory.statistics().unitCount))
    let dtd = ExternalData.tmxDTD.url.path
    let result = try #require(Fixture.run("xmllint", ["--noout", "--dtdvalid", dtd, file.path]))
    #expect(result.status == 0, "\(result.output)")
    #expect(!result.output.contains("validity error"), "\(result.output)")
  }

  @Test(
    .enabled(
      if: Fixture.hasTranslateToolkit,
      "translate-toolkit is not installed (pip install translate-toolkit)"))
  func isReadByTranslateToolkit() throws {
    let (memory, folder) = try Self.seededMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("seed.tmx")
    try memory.exportTMX(to: file)
    let script = """
      import json, sys
      from translate.storage import tmx
      store = tmx.tmxfile.parsefile(sys.argv[1])
      print(json.dumps([[u.source, u.target] for u in store.units], ensure_ascii=False))
      """
    let result = try #require(Fixture.run("python3", ["-c", script, file.path]))
    #expect(result.status == 0, "\(result.output)")
    let pairs = try JSONDecoder().decode([[String]].self, from: Data(result.output.utf8))
    let units = try memory.units()
    #expect(pairs.count == units.count)
    // translate-toolkit flattens inline codes to their content; compare the units without codes.
    for (pair, unit) in zip(pairs, units) where unit.variants.allSatisfy({ $0.codes.isEmpty }) {
      #expect(pair == [unit[.english]?.text ?? "", unit[.french]?.text ?? ""])
    }
  }

  /// The writing thread writes every buffer, in order, and the buffers it hands back are empty.
  @Test func theWritingThreadKeepsTheOrder() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("out.txt").path
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    #expect(descriptor >= 0)
    defer { close(descriptor) }
    let writer = _BackgroundFileWriter(descriptor: descriptor, capacity: 64)
    var expected: [UInt8] = []
    var buffer: [UInt8] = []
    for index in 0..<2_000 {
      buffer.append(contentsOf: "line \(index)\n".utf8)
      if index % 7 == 6 {
        expected += buffer
        #expect(writer.exchange(&buffer) == nil)
        #expect(buffer.isEmpty)
      }
    }
    expected += buffer
    #expect(writer.exchange(&buffer) == nil)
    #expect(writer.close() == nil)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(expected))
  }

  /// A write that fails comes back from the next call, never silently.
  @Test func aFailedWriteIsReported() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("read-only.txt").path
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    let descriptor = open(path, O_RDONLY)
    defer { close(descriptor) }
    let writer = _BackgroundFileWriter(descriptor: descriptor, capacity: 16)
    var buffer = Array("<tmx/>".utf8)
    #expect(writer.exchange(&buffer) == nil)
    #expect(writer.close() == EBADF)
  }

  @Test func escapesMarkupAndReplacesCharactersXMLForbids() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var unit = Fixture.pair("A & B <c> \"d\" \u{1}\u{FFFE}\r\n", "x")
    unit.properties.append(Property(type: "x-quote", value: "say \"hi\"\tthere\n"))
    try memory.add(unit)
    let file = folder.appendingPathComponent("escape.tmx")
    let summary = try memory.exportTMX(to: file)
    #expect(summary.replacedCharacters == 2)
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains("<seg>A &amp; B &lt;c&gt; \"d\" \u{FFFD}\u{FFFD}&#13;\n</seg>"))
    #expect(text.contains("<prop type=\"x-quote\">say \"hi\"\tthere\n</prop>"))
    var read: [TranslationUnit] = []
    try TMXReader(url: file).read { read.append($0) }
    #expect(read.first?[.english]?.text == "A & B <c> \"d\" \u{FFFD}\u{FFFD}\r\n")
  }

  @Test func filtersByLanguageAndDocument() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var trilingual = Fixture.pair("Peace.", "Paix.", document: "A/1")
    trilingual.variants.append(Variant(language: .german, text: "Frieden."))
    try memory.add([trilingual, Fixture.pair("War.", "Guerre.", document: "A/2")])
    let file = folder.appendingPathComponent("filtered.tmx")
    #expect(try memory.exportTMX(to: file, languages: [.english, .german]).units == 1)
    var units: [TranslationUnit] = []
    try TMXReader(url: file).read { units.append($0) }
    #expect(units.map { $0.variants.map(\.language) } == [[.english, .german]])
    #expect(try memory.exportTMX(to: file, document: "A/2").units == 1)
    units = []
    try TMXReader(url: file).read { units.append($0) }
    #expect(units.map(\.document) == ["A/2"])
  }

  @Test func writesEveryMandatoryHeaderAttribute() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("empty.tmx")
    try memory.exportTMX(to: file, creationDate: Fixture.date)
    let text = try String(contentsOf: file, encoding: .utf8)
    for attribute in [
      "creationtool=\"aligntm\"", "creationtoolversion=\"\(TranslationMemory.toolVersion)\"",
      "segtype=\"sentence\"", "o-tmf=\"aligntm\"", "adminlang=\"en\"", "srclang=\"*all*\"",
      "datatype=\"plaintext\"", "creationdate=\"20231114T221320Z\"",
    ] {
      #expect(text.contains(attribute), "missing \(attribute)")
    }
  }
}
