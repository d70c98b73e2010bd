import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

@Suite("TMX round trip")
struct TMXRoundTripTests {
  @Test func exportImportExportGivesTheSameFile() throws {
    let (memory, folder) = try TMXExportTests.seededMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Merged duplicates and change dates must survive too.
    try memory.add(
      Fixture.pair(
        "Distr.: General", "Distr. générale", document: "A/RES/75/15",
        date: Fixture.date.addingTimeInterval(99)))
    let first = folder.appendingPathComponent("first.tmx")
    try memory.exportTMX(to: first, creationDate: Fixture.date)
    let copy = try TranslationMemory(url: folder.appendingPathComponent("copy/memory.sqlite"))
    let summary = try copy.importTMX(from: first)
    #expect(summary.skipped.isEmpty)
    #expect(summary.inserted == (try memory.statistics().unitCount))
    let second = folder.appendingPathComponent("second.tmx")
    try copy.exportTMX(to: second, creationDate: Fixture.date)
    let firstData = try Data(contentsOf: first)
    #expect(firstData.count > 10_000)
    #expect(firstData == (try Data(contentsOf: second)))
  }

  /// Random units with awkward text: write then read gives the same units.
  @Test(arguments: [1, 2, 3] as [UInt64])
  func writeThenReadReturnsTheSameUnits(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    let units = (0..<150).map { index in Self.randomUnit(index, using: &generator) }
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("random.tmx")
    let writer = try TMXWriter(url: file, header: .init(sourceLanguage: "*all*"))
    for unit in units { try writer.write(unit) }
    try writer.finish()
    #expect(writer.replacedCharacters == 0)
    var read: [TranslationUnit] = []
    try TMXReader(url: file).read { read.append($0) }
    #expect(read.count == units.count)
    // A unit without `segtype` or `datatype` inherits the header's.
    for (got, var want) in zip(read, units) {
      want.segmentType = want.segmentType ?? writer.header.segmentType
      want.dataType = want.dataType ?? writer.header.dataType
      #expect(got == want)
    }
  }

  static let pieces = [
    "a", "Z", " ", "  ", "\t", "\n", "\r", "&", "<", ">", "\"", "'", "]]>", "é", "e\u{301}", "漢字",
    "😀", "\u{A0}", "\u{2019}", "&amp;", "\u{FFFD}", "\u{7F}", "\u{85}", "A/RES/75/15", "12.",
  ]

  static func randomText(using generator: inout SeededGenerator, maximum: Int = 12) -> String {
    (0..<Int.random(in: 0...maximum, using: &generator)).map { _ in
      pieces.randomElement(using: &generator) ?? "a"
    }.joined()
  }

  static func randomUnit(_ index: Int, using generator: inout SeededGenerator) -> TranslationUnit {
    let languages = [Language.english, .french, Language("zh-hans"), .german].shuffled(using: &generator)
    let variants = languages.prefix(Int.random(in: 1...3, using: &generator)).map { language in
      var text = randomText(using: &generator)
      // A unit of white space alone is refused by the store: give each text a letter.
      if text.allSatisfy(\.isWhitespace) { text += "x" }
      // Code positions on scalar boundaries, in order; <hi> start and end balanced.
      var boundaries = [0]
      var offset = 0
      for scalar in text.unicodeScalars {
        offset += scalar.utf16.count
        boundaries.append(offset)
      }
      var codes: [InlineCode] = []
      for _ in 0..<Int.random(in: 0...4, using: &generator) {
        let position = boundaries.randomElement(using: &generator) ?? 0
        let content = randomText(using: &generator, maximum: 3)
        switch Int.random(in: 0..<6, using: &generator) {
        case 0:
          codes.append(
            InlineCode(
              kind: .begin, position: position, pairID: 1, matchID: 4, type: "bold", content: content))
        case 1: codes.append(InlineCode(kind: .end, position: position, pairID: 1, content: content))
        case 2: codes.append(InlineCode(kind: .placeholder, position: position, type: "fn", content: content))
        case 3:
          codes.append(
            InlineCode(kind: .isolated, position: position, isolatedPosition: .begin, content: content))
        case 4: codes.append(InlineCode(kind: .unknown, position: position, matchID: 2, content: content))
        default:
          let end = boundaries.filter { $0 >= position }.randomElement(using: &generator) ?? position
          codes.append(InlineCode(kind: .highlightStart, position: position, type: "term"))
          codes.append(InlineCode(kind: .highlightEnd, position: end))
        }
      }
      codes = codes.enumerated().sorted {
        ($0.element.position, $0.offset) < ($1.element.position, $1.offset)
      }.map(\.element)
      return Variant(language: language, text: text, codes: codes)
    }
    return TranslationUnit(
      tuid: Bool.random(using: &generator) ? "tu-\(index)" : nil,
      sourceLanguage: variants[0].language, variants: Array(variants),
      properties: (0..<Int.random(in: 0...3, using: &generator)).map { _ in
        Property(type: "x-\(Int.random(in: 0...9, using: &generator))", value: randomText(using: &generator))
      },
      notes: (0..<Int.random(in: 0...2, using: &generator)).map { _ in randomText(using: &generator) },
      creationDate: Date(
        timeIntervalSince1970: TimeInterval(Int.random(in: -1_000_000_000...4_000_000_000, using: &generator))
      ),
      creationID: Bool.random(using: &generator) ? "me & you" : nil,
      changeDate: Bool.random(using: &generator) ? Date(timeIntervalSince1970: 1_000_000_000) : nil,
      changeID: nil, usageCount: Int.random(in: 0...50, using: &generator))
  }

  @Test(arguments: [0, 1, 951_782_400, 1_700_000_000, 4_102_444_799, -86_401] as [Int])
  func datesRoundTrip(seconds: Int) throws {
    let date = Date(timeIntervalSince1970: TimeInterval(seconds))
    let text = TMXDate.format(date)
    #expect(text.count == 16)
    #expect(TMXDate.parse(text) == date)
  }

  @Test func knownDates() {
    #expect(TMXDate.format(Date(timeIntervalSince1970: 951_782_400)) == "20000229T000000Z")
    #expect(TMXDate.parse("20231114T221320Z") == Date(timeIntervalSince1970: 1_700_000_000))
    #expect(TMXDate.parse("20231314T221320Z") == nil)
    #expect(TMXDate.parse("2023-11-14") == nil)
  }
}
