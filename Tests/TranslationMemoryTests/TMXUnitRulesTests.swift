import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// `xml:space` in `<seg>` and the header's defaults for units: read the same way, written back
/// without loss.
@Suite("TMX white space and header defaults")
struct TMXUnitRulesTests {
  static func header(segtype: String = "sentence", datatype: String = "plaintext", tmx: String = "") -> String
  {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <tmx version="1.4"\(tmx)><header creationtool="t" creationtoolversion="1" segtype="\(segtype)" \
    o-tmf="t" adminlang="en" srclang="en" datatype="\(datatype)"/>

    """
  }

  // MARK: xml:space

  @Test func withNothingSaidWhiteSpaceIsKeptAsWritten() throws {
    let text =
      Self.header() + """
        <body><tu><tuv xml:lang="en"><seg>  Two   words\n\tand <ph>{1}</ph>  more  </seg></tuv><tuv xml:lang="fr"><seg>Deux</seg></tuv></tu></body></tmx>

        """
    let (units, errors) = try TMXReaderTests.read(text)
    #expect(errors.isEmpty)
    #expect(units.first?.variants[0].text == "  Two   words\n\tand   more  ")
    #expect(units.first?.variants[0].codes.first?.position == 19)
  }

  @Test func xmlSpaceDefaultCollapsesRunsAndTrimsTheEnds() throws {
    let text =
      Self.header() + """
        <body xml:space="default"><tu><tuv xml:lang="en"><seg>\n   Two   words\n\tand  <ph>{1}</ph>  more <bpt i="1">&lt;b&gt;</bpt>x<ept i="1">&lt;/b&gt;</ept>  \n</seg></tuv><tuv xml:lang="fr"><seg>  Deux  </seg></tuv></tu></body></tmx>

        """
    let (units, errors) = try TMXReaderTests.read(text)
    #expect(errors.isEmpty)
    let english = try #require(units.first?.variants[0])
    #expect(english.text == "Two words and  more x")
    // The code splits the run: one space on each side; the positions follow the text.
    #expect(english.codes.map(\.position) == [14, 20, 21])
    #expect(units.first?.variants[1].text == "Deux")
  }

  @Test func theNearestXMLSpaceWins() throws {
    let text =
      Self.header(tmx: " xml:space=\"default\"") + """
        <body>
        <tu xml:space="preserve"><tuv xml:lang="en"><seg> a  b </seg></tuv><tuv xml:lang="fr" xml:space="default"><seg> c  d </seg></tuv></tu>
        <tu><tuv xml:lang="en"><seg xml:space="preserve"> e  f </seg></tuv><tuv xml:lang="fr"><seg> g  h </seg></tuv></tu>
        </body></tmx>

        """
    let (units, errors) = try TMXReaderTests.read(text)
    #expect(errors.isEmpty)
    #expect(units.map { $0.variants.map(\.text) } == [[" a  b ", "c d"], [" e  f ", "g h"]])
  }

  @Test func anUnknownXMLSpaceIsIgnoredWithAWarning() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text =
      Self.header() + """
        <body xml:space="default"><tu><tuv xml:lang="en"><seg xml:space="keep"> a  b </seg></tuv></tu></body></tmx>

        """
    let file = try Fixture.file("input.tmx", text, in: folder)
    var warnings: [TMXWarning] = []
    var texts: [String] = []
    try TMXReader(url: file).read(onWarning: { warnings.append($0) }, { texts.append($0.variants[0].text) })
    #expect(texts == ["a b"])
    #expect(warnings.map(\.kind) == [.unknownSpaceValue])
    #expect(warnings.first?.description.contains("input.tmx:3:") == true)
  }

  @Test func segmentsWithWhiteSpaceComeBackAsTheyWere() throws {
    let text =
      Self.header() + """
        <body><tu><tuv xml:lang="en"><seg>  Two   words\n\tand <ph>{1}</ph>  more  </seg></tuv><tuv xml:lang="fr"><seg>Deux</seg></tuv></tu></body></tmx>

        """
    let (memory, _, folder) = try TMXLosslessTests.imported(text)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (export, _) = try TMXLosslessTests.exported(memory)
    // TMX's DTD has no xml:space: nothing is added, and the text is written as it was read.
    #expect(!export.contains("xml:space"))
    #expect(export.contains("<seg>  Two   words\n\tand <ph>{1}</ph>  more  </seg>"))
    let (again, _, second) = try TMXLosslessTests.imported(export)
    defer { try? FileManager.default.removeItem(at: second) }
    #expect(try again.units().map(\.variants) == memory.units().map(\.variants))
  }

  /// InterText writes its segments indented (file 16): kept as written with nothing said,
  /// collapsed when the file says `xml:space="default"`.
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: Self.interText.path),
      "missing \(Self.interText.path) (set ALIGNTM_SHARED)"))
  func anInterTextExportFollowsItsXMLSpace() throws {
    let original = try String(contentsOf: Self.interText, encoding: .utf8)
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    func english(_ text: String) throws -> [String] {
      let file = try Fixture.file("16.tmx", text, in: folder)
      var texts: [String] = []
      try TMXReader(url: file).read { unit in
        texts += unit.variants.filter { $0.language.rawValue == "en" }.map(\.text)
      }
      return texts
    }
    let asWritten = try english(original)
    #expect(!asWritten.isEmpty)
    #expect(asWritten.contains { $0.hasPrefix("\n") })
    let collapsed = try english(
      original.replacingOccurrences(of: "<body>", with: "<body xml:space=\"default\">"))
    #expect(collapsed.count == asWritten.count)
    #expect(collapsed.allSatisfy { $0.first?.isWhitespace != true && $0.last?.isWhitespace != true })
    #expect(
      zip(asWritten, collapsed).allSatisfy {
        $0.split(whereSeparator: \.isWhitespace) == $1.split(whereSeparator: \.isWhitespace)
      })
    // A round trip of the file as written keeps every segment's white space.
    let (memory, _, memoryFolder) = try TMXLosslessTests.imported(original)
    defer { try? FileManager.default.removeItem(at: memoryFolder) }
    let (export, _) = try TMXLosslessTests.exported(memory)
    #expect(Set(try english(export)) == Set(asWritten))
  }

  static let interText = ExternalData.shared.url.appendingPathComponent(
    "interop/tmx/16_intertext_84000_bo_en.tmx")

  // MARK: Header defaults

  @Test func unitsInheritTheHeadersSegtypeAndDatatype() throws {
    let text =
      Self.header(segtype: "paragraph", datatype: "html") + """
        <body>
        <tu><tuv xml:lang="en"><seg>One.</seg></tuv><tuv xml:lang="fr"><seg>Un.</seg></tuv></tu>
        <tu segtype="phrase" datatype="xml"><tuv xml:lang="en"><seg>Two.</seg></tuv><tuv xml:lang="fr"><seg>Deux.</seg></tuv></tu>
        </body></tmx>

        """
    let (units, errors) = try TMXReaderTests.read(text)
    #expect(errors.isEmpty)
    #expect(units.map(\.segmentType) == ["paragraph", "phrase"])
    #expect(units.map(\.dataType) == ["html", "xml"])
    // The import (packed rows) reads the same.
    let (memory, _, folder) = try TMXLosslessTests.imported(text)
    defer { try? FileManager.default.removeItem(at: folder) }
    let stored = try memory.units()
    #expect(stored.map(\.segmentType) == ["paragraph", "phrase"])
    #expect(stored.map(\.dataType) == ["html", "xml"])
  }

  @Test func theExportRepeatsOnlyWhatItsHeaderDoesNotSay() throws {
    // Units of a file whose header says what aligntm's says inherit it again: nothing per unit.
    let same =
      Self.header() + """
        <body><tu><tuv xml:lang="en"><seg>One.</seg></tuv><tuv xml:lang="fr"><seg>Un.</seg></tuv></tu></body></tmx>

        """
    let (memory, _, folder) = try TMXLosslessTests.imported(same)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (export, _) = try TMXLosslessTests.exported(memory)
    let unitLine = try #require(export.split(separator: "\n").first { $0.contains("<tu ") })
    #expect(!unitLine.contains("segtype") && !unitLine.contains("datatype"))
    // Units of a paragraph-segmented HTML memory keep what they inherited, written per unit.
    let other =
      Self.header(segtype: "paragraph", datatype: "html") + """
        <body><tu><tuv xml:lang="en"><seg>One.</seg></tuv><tuv xml:lang="fr"><seg>Un.</seg></tuv></tu></body></tmx>

        """
    let (second, _, secondFolder) = try TMXLosslessTests.imported(other)
    defer { try? FileManager.default.removeItem(at: secondFolder) }
    let (otherExport, _) = try TMXLosslessTests.exported(second)
    #expect(otherExport.contains("segtype=\"paragraph\" datatype=\"html\""))
    // And a round trip gives the same bytes.
    let (third, _, thirdFolder) = try TMXLosslessTests.imported(otherExport)
    defer { try? FileManager.default.removeItem(at: thirdFolder) }
    #expect(try TMXLosslessTests.exported(third).0 == otherExport)
  }

  @Test func theWriterLeavesOutWhatItsHeaderSays() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("out.tmx")
    let writer = try TMXWriter(url: url, header: TMXWriter.Header(sourceLanguage: "en"))
    var unit = TranslationUnit(sourceLanguage: .english, variants: [Variant(language: .english, text: "a")])
    unit.segmentType = "sentence"
    unit.dataType = "html"
    try writer.write(unit)
    try writer.finish()
    let text = try String(contentsOf: url, encoding: .utf8)
    let unitLine = try #require(text.split(separator: "\n").first { $0.contains("<tu ") })
    #expect(!unitLine.contains("segtype") && unitLine.contains("datatype=\"html\""))
  }
}
