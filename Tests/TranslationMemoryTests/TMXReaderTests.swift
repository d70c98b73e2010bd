import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

@Suite("TMX reader")
struct TMXReaderTests {
  static let head = """
    <?xml version="1.0" encoding="UTF-8"?>
    <tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" \
    o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>

    """
  static let good = """
    <tu><tuv xml:lang="en"><seg>One.</seg></tuv><tuv xml:lang="fr"><seg>Un.</seg></tuv></tu>

    """
  static let tail = "</body></tmx>\n"

  static func read(_ text: String, skipBad: Bool = false) throws -> ([TranslationUnit], [TMXError]) {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try Fixture.file("input.tmx", text, in: folder)
    var units: [TranslationUnit] = []
    var skipped: [TMXError] = []
    try TMXReader(url: file).read(skipBad: skipBad, onSkip: { skipped.append($0) }, { units.append($0) })
    return (units, skipped)
  }

  /// The name of an error's case, so tables can match on cases.
  static func kind(_ error: TMXError) -> String {
    String(String(describing: Mirror(reflecting: error).children.first?.label ?? "\(error)"))
  }

  static let badFiles: [(String, String, String)] = [
    ("malformedXML", head + "<tu><tuv xml:lang=\"en\"><seg>a</sag></tuv></tu>" + tail, ""),
    ("truncated", head + good + "<tu><tuv xml:lang=\"en\"><seg>cut he", ""),
    ("illegalCharacter", head + "<tu><tuv xml:lang=\"en\"><seg>a\u{1}b</seg></tuv></tu>" + tail, ""),
    ("illegalCharacter", head + "<tu><tuv xml:lang=\"en\"><seg>a&#1;b</seg></tuv></tu>" + tail, ""),
    ("missingLanguage", head + good + "<tu><tuv><seg>No language.</seg></tuv></tu>" + tail, ""),
    (
      "entityExpansion",
      """
      <?xml version="1.0"?>
      <!DOCTYPE tmx [
      <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
      <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
      <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
      <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
      <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
      <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
      <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
      <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
      ]>
      <tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" \
      o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>
      <tu><tuv xml:lang="en"><seg>&h;</seg></tuv></tu>
      """ + tail, ""
    ),
    (
      "externalEntity",
      """
      <?xml version="1.0"?>
      <!DOCTYPE tmx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
      <tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" \
      o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>
      <tu><tuv xml:lang="en"><seg>&secret;</seg></tuv></tu>
      """ + tail, ""
    ),
    ("notTMX", "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"/>\n", ""),
    ("unsupportedVersion", head.replacingOccurrences(of: "1.4", with: "2.0") + tail, ""),
    ("emptyUnit", head + "<tu><prop type=\"x\">y</prop></tu>" + tail, ""),
    ("missingSegment", head + "<tu><tuv xml:lang=\"en\"></tuv></tu>" + tail, ""),
    ("missingAttribute", head + "<tu><prop>y</prop><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>" + tail, ""),
    (
      "invalidDate",
      head + "<tu creationdate=\"yesterday\"><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>" + tail, ""
    ),
    ("unexpectedElement", head + "<tu><tuv xml:lang=\"en\"><seg>a</seg><b>bold</b></tuv></tu>" + tail, ""),
  ]

  @Test(arguments: badFiles.indices)
  func reportsEachKindOfBadFile(_ index: Int) throws {
    let (expected, text, _) = Self.badFiles[index]
    do {
      _ = try Self.read(text)
      Issue.record("\(expected): no error")
    } catch let error as TMXError {
      #expect(Self.kind(error) == expected, "\(error)")
      let location = try #require(error.location)
      #expect(location.file.hasSuffix("input.tmx"))
      #expect(location.line >= 1 && location.column >= 1)
      #expect(error.description.hasPrefix("\(location.file):\(location.line):\(location.column): "))
    }
  }

  @Test func pinsTheMessages() throws {
    let missing = Self.head + Self.good + "<tu>\n<tuv><seg>x</seg></tuv></tu>" + Self.tail
    #expect {
      _ = try Self.read(missing)
    } throws: { error in
      guard let error = error as? TMXError, case .missingLanguage(let at) = error else { return false }
      return at.line == 5 && error.description == "\(at): <tuv> is missing attribute 'xml:lang'"
    }
    let external = Self.badFiles.first { $0.0 == "externalEntity" }?.1 ?? ""
    #expect {
      _ = try Self.read(external)
    } throws: { error in
      guard let error = error as? TMXError,
        case .externalEntity(let at, "secret", "file:///etc/passwd") = error
      else { return false }
      return at.line == 4
        && error.description
          == "\(at): external entity '&secret;' (file:///etc/passwd) is not allowed and was not resolved"
    }
    let notTMX = "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"/>\n"
    #expect {
      _ = try Self.read(notTMX)
    } throws: { error in
      guard let error = error as? TMXError, case .notTMX(let at, "xliff") = error else { return false }
      return at.line == 2
        && error.description.hasSuffix(":2:\(at.column): not a TMX file: the root element is <xliff>")
    }
  }

  @Test func refusesAnInternalEntityReferenceAndDecodesAmpersandsInAttributes() throws {
    let declared = """
      <?xml version="1.0"?>
      <!DOCTYPE tmx [<!ENTITY org "United Nations">]>
      <tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" \
      o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>
      <tu><tuv xml:lang="en"><seg>The &org;</seg></tuv></tu>
      """ + Self.tail
    #expect {
      _ = try Self.read(declared)
    } throws: { error in
      guard let error = error as? TMXError, case .entityReference(let at, "org") = error else { return false }
      return at.line == 4
    }
    // An undeclared entity is an error too, even with an external DTD (never loaded): the
    // reference is never dropped silently.
    let undeclared = """
      <?xml version="1.0"?>
      <!DOCTYPE tmx SYSTEM "tmx14.dtd">
      <tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" \
      o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>
      <tu><tuv xml:lang="en"><seg>A&nbsp;B</seg></tuv></tu>
      """ + Self.tail
    #expect {
      _ = try Self.read(undeclared)
    } throws: { error in
      guard let error = error as? TMXError, let at = error.location else { return false }
      return at.line == 4 && ["entityReference", "malformedXML"].contains(Self.kind(error))
        && error.description.contains("nbsp")
    }
    let text =
      Self.head + """
        <tu tuid="a&amp;b&#38;c"><prop type="x-&lt;t&gt;">v &amp; w</prop>\
        <tuv xml:lang="en"><seg>R&amp;D &lt;ok&gt;</seg></tuv></tu>
        """ + Self.tail
    let (units, _) = try Self.read(text)
    let unit = try #require(units.first)
    #expect(unit.tuid == "a&b&c")
    #expect(unit.properties == [Property(type: "x-<t>", value: "v & w")])
    #expect(unit.variants.first?.text == "R&D <ok>")
  }

  @Test func skipsBadUnitsWhenAsked() throws {
    let text =
      Self.head + Self.good + "<tu><tuv><seg>No language.</seg></tuv></tu>\n"
      + "<tu creationdate=\"soon\"><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n" + Self.good + Self.tail
    let (units, skipped) = try Self.read(text, skipBad: true)
    #expect(units.count == 2)
    #expect(skipped.map(Self.kind) == ["missingLanguage", "invalidDate"])
    #expect(skipped.map { $0.location?.line } == [4, 5])
    // A fatal XML error keeps the units before it and is reported as where reading stopped.
    let (before, fatal) = try Self.read(
      Self.head + Self.good + "<tu><tuv xml:lang=\"en\"><seg>cut", skipBad: true)
    #expect(before.count == 1)
    guard case .readingStopped(let error, bytesNotRead: 0) = fatal.first, fatal.count == 1 else {
      Issue.record("\(fatal)")
      return
    }
    #expect(Self.kind(error) == "truncated")
  }

  @Test func importsNothingFromABadFile() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.add(Fixture.pair("Already here.", "Déjà là."))
    let file = try Fixture.file(
      "bad.tmx",
      Self.head + Self.good + Self.good.replacingOccurrences(of: "One", with: "Two")
        + "<tu><tuv><seg>?</seg></tuv></tu>" + Self.tail, in: folder)
    #expect(throws: TMXError.self) { try memory.importTMX(from: file) }
    #expect(try memory.statistics().unitCount == 1)
    let summary = try memory.importTMX(from: file, skipBad: true)
    #expect(summary.inserted == 2)
    #expect(summary.skipped.count == 1)
    #expect(try memory.statistics().unitCount == 3)
  }

  @Test func readsTMX11WithLangAndUTF16() throws {
    let text = """
      <?xml version="1.0" encoding="UTF-16"?>
      <tmx version="1.1"><header creationtool="t" creationtoolversion="1" segtype="sentence" \
      o-tmf="t" adminlang="EN-US" srclang="EN-US" datatype="plaintext"/><body>
      <tu tuid="7" creationdate="19990101T000000Z" usagecount="3">
      <tuv lang="EN-US"><seg>Économie &amp; société</seg></tuv>
      <tuv lang="ZH-CN"><seg>经济与社会 😀</seg></tuv></tu>
      </body></tmx>
      """
    for bigEndian in [false, true] {
      let folder = try TestSupport.makeTemporaryDirectory()
      defer { try? FileManager.default.removeItem(at: folder) }
      var data = Data(bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE])
      for unit in text.utf16 {
        data.append(
          contentsOf: bigEndian
            ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)])
      }
      let file = folder.appendingPathComponent("utf16.tmx")
      try data.write(to: file)
      var units: [TranslationUnit] = []
      let header = try TMXReader(url: file).read { units.append($0) }
      #expect(header.version == "1.1")
      let unit = try #require(units.first)
      #expect(unit.tuid == "7" && unit.usageCount == 3)
      #expect(unit.sourceLanguage == Language("en-us"))
      #expect(unit[Language("en-us")]?.text == "Économie & société")
      #expect(unit[Language("zh-cn")]?.text == "经济与社会 😀")
      #expect(unit.creationDate == Date(timeIntervalSince1970: 915_148_800))
    }
  }

  /// Inline code positions count UTF-16 units, eight ASCII bytes at a time where they can.
  @Test func countsUTF16UnitsAsSwiftDoes() {
    let pieces = ["a", "report of the committee", "é", "€", "😀", "漢字", " ", "(A/67/280)"]
    var generator = SeededGenerator(seed: 31)
    for _ in 0..<400 {
      let text = (0..<Int.random(in: 0...10, using: &generator)).map { _ in
        pieces.randomElement(using: &generator) ?? "a"
      }.joined()
      let bytes = Array(text.utf8)
      #expect(bytes.withUnsafeBufferPointer { _TMXParser.utf16Count($0) } == text.utf16.count, "\(text)")
    }
  }

  /// Every kind but `<sub>`, which is refused (see ``TMXHostileInputTests``).
  @Test func keepsEveryKindOfInlineCode() throws {
    let text =
      Self.head + """
        <tu><tuv xml:lang="en"><seg><bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>Bold<ept i="1">&lt;/b&gt;</ept> \
        <ph x="2" type="fn">[1]</ph><it pos="end" x="3">&lt;/i&gt;</it><hi type="term">UN <ut>{x}</ut></hi>\
        <ph>&lt;img alt="pic"/&gt;</ph></seg></tuv></tu>
        """ + Self.tail
    let (units, _) = try Self.read(text)
    let variant = try #require(units.first?.variants.first)
    #expect(variant.text == "Bold UN ")
    #expect(
      variant.codes == [
        InlineCode(kind: .begin, position: 0, pairID: 1, matchID: 1, type: "bold", content: "<b>"),
        InlineCode(kind: .end, position: 4, pairID: 1, content: "</b>"),
        InlineCode(kind: .placeholder, position: 5, matchID: 2, type: "fn", content: "[1]"),
        InlineCode(kind: .isolated, position: 5, matchID: 3, isolatedPosition: .end, content: "</i>"),
        InlineCode(kind: .highlightStart, position: 5, type: "term"),
        InlineCode(kind: .unknown, position: 8, content: "{x}"),
        InlineCode(kind: .highlightEnd, position: 8),
        InlineCode(kind: .placeholder, position: 8, content: "<img alt=\"pic\"/>"),
      ])
  }
}
