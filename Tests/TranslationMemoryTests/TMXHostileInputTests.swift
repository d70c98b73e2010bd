import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// Issue 10: bad, big and odd TMX files are refused at their place, never crash, never import a
/// part of the file without saying so.
@Suite("TMX hostile input")
struct TMXHostileInputTests {
  typealias Reader = TMXReaderTests

  /// `count` one-line units, the first on line 3, each with dates; `change` rewrites one.
  static func units(_ count: Int, changing changed: Int = 0, _ change: (String) -> String = { $0 }) -> String
  {
    (1...count).map { index in
      let unit =
        "<tu tuid=\"\(index)\" creationdate=\"20201201T061939Z\" changedate=\"20201202T061939Z\" "
        + "usagecount=\"2\">"
        + "<tuv xml:lang=\"en\"><seg>Sentence number \(index) of a longer memory.</seg></tuv>"
        + "<tuv xml:lang=\"fr\"><seg>Phrase numéro \(index) d’une mémoire plus longue.</seg></tuv></tu>\n"
      return index == changed ? change(unit) : unit
    }.joined()
  }

  static func read(
    _ url: URL, skipBad: Bool = false, limits: TMXReader.Limits = TMXReader.Limits()
  ) throws -> ([TranslationUnit], [TMXError]) {
    var units: [TranslationUnit] = []
    var skipped: [TMXError] = []
    try TMXReader(url: url, limits: limits).read(
      skipBad: skipBad, onSkip: { skipped.append($0) }, { units.append($0) })
    return (units, skipped)
  }

  // MARK: Point 1: a bad date far into the file

  /// libxml2 2.9's `xmlStopParser` freed the input under the attributes still being read: a
  /// bad date crashed the reader (SIGSEGV) once the file was past libxml2's first buffer. The
  /// file of the issue: 500 units, the 300th bad.
  @Test(arguments: ["creationdate", "changedate"])
  func refusesABadDateFarIntoTheFile(_ attribute: String) throws {
    let header = """
      <?xml version="1.0" encoding="UTF-8"?>
      <tmx version="1.4">
      <header creationtool="gen" creationtoolversion="1" segtype="sentence" o-tmf="gen" \
      adminlang="en" srclang="en" datatype="plaintext"/>
      <body>

      """
    let units = (1...500).map { index in
      let date = index == 300 && attribute == "creationdate" ? "20201201U061939Z" : "20201201T061939Z"
      let change = index == 300 && attribute == "changedate" ? "20201202U061939Z" : "20201202T061939Z"
      return "<tu tuid=\"\(index)\" creationdate=\"\(date)\" changedate=\"\(change)\" usagecount=\"2\">"
        + "<tuv xml:lang=\"en\"><seg>Sentence number \(index) of a longer memory.</seg></tuv>"
        + "<tuv xml:lang=\"fr\"><seg>Phrase numéro \(index) d’une mémoire plus longue.</seg></tuv></tu>\n"
    }.joined()
    let text = header + units + "</body>\n</tmx>\n"
    #expect {
      _ = try Reader.read(text)
    } throws: { error in
      guard let error = error as? TMXError, case .invalidDate(let at, attribute, _) = error else {
        return false
      }
      return at.line == 304
    }
    let (read, skipped) = try Reader.read(text, skipBad: true)
    #expect(read.count == 499)
    #expect(skipped.map(Reader.kind) == ["invalidDate"])
  }

  // MARK: Point 2: limits

  @Test func refusesASegmentOverOneMebibyteAndSkipsItWhenAsked() throws {
    let limit = 1 << 20
    let long =
      Reader.head + Reader.good
      + "<tu>\n<tuv xml:lang=\"en\"><seg>\(String(repeating: "a", count: limit + 1))</seg></tuv>"
      + "<tuv xml:lang=\"fr\"><seg>b</seg></tuv></tu>\n" + Reader.good + Reader.tail
    #expect {
      _ = try Reader.read(long)
    } throws: { error in
      guard let error = error as? TMXError, case .textTooLong(let at, "seg", limit) = error else {
        return false
      }
      return at.line == 5
        && error.description.hasSuffix(
          ": <seg> holds more than 1 MiB (1048576 bytes) of text, aligntm's limit")
    }
    let (units, skipped) = try Reader.read(long, skipBad: true)
    #expect(units.count == 2)
    #expect(skipped.map(Reader.kind) == ["textTooLong"])
    // At the limit, the segment is read whole.
    let full = long.replacingOccurrences(
      of: String(repeating: "a", count: limit + 1), with: String(repeating: "é", count: limit / 2))
    let (read, _) = try Reader.read(full)
    #expect(read[1].variants[0].text.utf8.count == limit)
  }

  @Test func boundsPropertiesNotesAndCodesAndTheUnitCount() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let limits = TMXReader.Limits(maxTextBytes: 20, maxUnits: 3)
    let long = String(repeating: "x", count: 21)
    let cases: [(String, String)] = [
      ("prop", "<tu><prop type=\"x-note\">\(long)</prop><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>\n"),
      ("note", "<tu><note>\(long)</note><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>\n"),
      // The markup of the codes counts with the segment's text.
      ("seg", "<tu><tuv xml:lang=\"en\"><seg>0123456789<ph>&lt;0123456789&gt;</ph></seg></tuv></tu>\n"),
    ]
    for (element, unit) in cases {
      let file = try Fixture.file(
        "\(element).tmx", Reader.head + unit + Reader.good + Reader.tail, in: folder)
      #expect {
        _ = try Self.read(file, limits: limits)
      } throws: { error in
        guard case .textTooLong(let at, element, 20) = error as? TMXError else { return false }
        return at.line == 3
      }
      let (units, skipped) = try Self.read(file, skipBad: true, limits: limits)
      #expect(units.count == 1 && skipped.map(Reader.kind) == ["textTooLong"], "\(element)")
    }
    let many = try Fixture.file("many.tmx", Reader.head + Self.units(5) + Reader.tail, in: folder)
    let three = TMXReader.Limits(maxUnits: 3)
    #expect {
      _ = try Self.read(many, limits: three)
    } throws: { error in
      guard case .tooManyUnits(let at, 3) = error as? TMXError else { return false }
      return at.line == 6
    }
    let (units, skipped) = try Self.read(many, skipBad: true, limits: three)
    #expect(units.count == 3)
    #expect(skipped.count == 1 && skipped.first.map { "\($0)" }?.contains("more than 3 units") == true)
  }

  // MARK: Point 5: where reading stopped

  @Test func skipBadSaysWhereReadingStoppedAndHowMuchWasNotRead() throws {
    let broken = Self.units(30, changing: 20) {
      $0.replacingOccurrences(of: "<seg>Sentence number", with: "<seg>broken < seg")
    }
    let text = Reader.head + broken + Reader.tail
    let (units, skipped) = try Reader.read(text, skipBad: true)
    #expect(units.count == 19)
    let stop = try #require(skipped.last)
    #expect(skipped.map(Reader.kind) == ["readingStopped"])
    #expect(stop.location?.line == 22)
    let after = try #require(text.range(of: "broken <")).upperBound
    let notRead = text.utf8[after...].count
    let said = "\(stop)"
    #expect(said.contains(":22:") && said.contains("malformed XML"), "\(said)")
    // libxml2 stops at the '<' or just after it.
    #expect(
      (notRead - 2...notRead + 1).contains {
        said.hasSuffix("; reading stopped there: the rest of the file, \($0) bytes, was not read")
      },
      "\(said), \(notRead) bytes after 'broken <'")
  }

  @Test func importKeepsTheUnitsBeforeTheBreakOnlyWithSkipBad() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let broken = Self.units(2_500, changing: 1_500) {
      $0.replacingOccurrences(of: "</seg></tuv><tuv", with: "</sag></tuv><tuv")
    }
    let file = try Fixture.file("broken.tmx", Reader.head + broken + Reader.tail, in: folder)
    #expect(throws: TMXError.self) { try memory.importTMX(from: file) }
    #expect(try memory.statistics().unitCount == 0)
    let summary = try memory.importTMX(from: file, skipBad: true)
    #expect(summary.inserted == 1_499 && summary.skipped.isEmpty)
    let stop = try #require(summary.stoppedReading)
    #expect(stop.location?.line == 1_502)
    #expect("\(stop)".contains("bytes, was not read"), "\(stop)")
    #expect(try memory.statistics().unitCount == 1_499)
  }

  // MARK: Point 6: UTF-16 that isn't

  static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
    var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
    for unit in text.utf16 {
      bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
    }
    return bytes
  }

  @Test(arguments: [false, true])
  func refusesUTF16WithALoneSurrogateAtItsPlace(_ bigEndian: Bool) throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text =
      Reader.head.replacingOccurrences(of: "UTF-8", with: "UTF-16") + Self.units(200) + Reader.tail
    let good = Self.utf16(text, bigEndian: bigEndian)
    let marker = Self.utf16("Sentence number 100 ", bigEndian: bigEndian).dropFirst(2)
    let at = try #require(good.indices.first { good[$0...].starts(with: marker) })
    let column =
      "<tu tuid=\"100\" creationdate=\"20201201T061939Z\" changedate=\"20201202T061939Z\" usagecount=\"2\">"
      .count
      + "<tuv xml:lang=\"en\"><seg>".count + 1
    let cases: [(String, [UInt8], line: Int, column: Int)] = [
      ("high", Array(good[..<at]) + (bigEndian ? [0xD8, 0x00] : [0x00, 0xD8]) + good[at...], 102, column),
      ("low", Array(good[..<at]) + (bigEndian ? [0xDC, 0x00] : [0x00, 0xDC]) + good[at...], 102, column),
      ("odd", good + [0x0A], text.split(separator: "\n", omittingEmptySubsequences: false).count, 1),
    ]
    for (name, bytes, line, column) in cases {
      let file = folder.appendingPathComponent("\(name).tmx")
      try Data(bytes).write(to: file)
      #expect {
        _ = try memory.importTMX(from: file)
      } throws: { error in
        guard case .illegalCharacter(let place, _) = error as? TMXError else { return false }
        return (place.line, place.column) == (line, column)
      }
      #expect(try memory.statistics().unitCount == 0, "\(name): nothing imported")
      let (units, skipped) = try Self.read(file, skipBad: true)
      #expect(units.count == (name == "odd" ? 200 : 99), "\(name)")
      #expect(skipped.map(Reader.kind) == ["readingStopped"], "\(name)")
    }
  }

  /// The odd last byte and lone surrogates, found by the scan that runs when libxml2 gives up.
  @Test func scansUTF16AsLibXML2CountsLinesAndColumns() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = "<a>\r\n\r😀b\nc"
    var bytes = Self.utf16(text, bigEndian: false)
    try Data(bytes).write(to: folder.appendingPathComponent("good"))
    bytes += [0x00, 0xD8]
    try Data(bytes).write(to: folder.appendingPathComponent("bad"))
    func scan(_ name: String) -> UTF16Scan.Problem? {
      let descriptor = open(folder.appendingPathComponent(name).path, O_RDONLY)
      defer { close(descriptor) }
      return UTF16Scan.firstProblem(descriptor: descriptor, encoding: .littleEndian)
    }
    #expect(scan("good") == nil)
    let problem = try #require(scan("bad"))
    #expect((problem.line, problem.column, problem.offset) == (4, 2, bytes.count - 2))
  }

  // MARK: Point 7: inline codes that can't be kept

  @Test func refusesAnIsolatedCodeWithoutItsPositionAndASubFlow() throws {
    let cases: [(String, String)] = [
      ("<it pos=\"bogus\">x</it>plain", "invalidAttribute"),
      ("<it>x</it>plain", "missingAttribute"),
      (
        "<bpt i=\"1\">&lt;a title=\"<sub>note</sub>\"&gt;</bpt>link<ept i=\"1\">&lt;/a&gt;</ept>",
        "unsupportedSubflow"
      ),
      ("<ph>&lt;br/&gt;<b>x</b></ph>", "unexpectedElement"),
    ]
    for (segment, expected) in cases {
      let text =
        Reader.head + Reader.good + "<tu><tuv xml:lang=\"en\"><seg>\(segment)</seg></tuv></tu>\n"
        + Reader.tail
      #expect {
        _ = try Reader.read(text)
      } throws: { error in
        guard let error = error as? TMXError else { return false }
        return Reader.kind(error) == expected && error.location?.line == 4
      }
      let (units, skipped) = try Reader.read(text, skipBad: true)
      #expect(units.count == 1 && skipped.map(Reader.kind) == [expected], "\(segment)")
    }
    let (units, _) = try Reader.read(
      Reader.head
        + "<tu><tuv xml:lang=\"en\"><seg><it pos=\"begin\">&lt;i&gt;</it>a"
        + "<it pos=\"end\">&lt;/i&gt;</it></seg></tuv></tu>"
        + Reader.tail)
    #expect(units.first?.variants[0].codes.map(\.isolatedPosition) == [.begin, .end])
  }
}
