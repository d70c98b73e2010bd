import Foundation
import TestSupport
import Testing
import ZIPFoundation

@testable import TextSegmentation

/// Small Word documents, built here from XML strings: a package as Word writes one.
enum WordFixture {
  static let namespaces =
    #"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#
    + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#

  static let contentTypes = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
    <Default Extension="xml" ContentType="application/xml"/>\
    <Override PartName="/word/document.xml" \
    ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
    </Types>
    """

  static let packageRelationships = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" \
    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
    Target="word/document.xml"/></Relationships>
    """

  static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <w:styles \(namespaces)>\
    <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>\
    <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>\
    <w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>\
    <w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>\
    <w:basedOn w:val="Normal"/></w:style>\
    <w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>\
    <w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>\
    <w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr></w:style>\
    </w:styles>
    """

  /// The parts of a document whose `w:body` holds `body`, with optional footnotes (the
  /// `w:footnote` elements), a header and extra relationships of the main part.
  static func parts(
    body: String, footnotes: String? = nil, header: String? = nil, relationships: String = ""
  ) -> [(String, String)] {
    var documentRelationships =
      #"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
      + relationships
    var parts: [(String, String)] = [
      ("[Content_Types].xml", contentTypes), ("_rels/.rels", packageRelationships),
      ("word/styles.xml", styles),
      (
        "word/document.xml",
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document \#(namespaces)><w:body>"#
          + body + "<w:sectPr/></w:body></w:document>"
      ),
    ]
    if let footnotes {
      documentRelationships +=
        #"<Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>"#
      parts.append(
        (
          "word/footnotes.xml",
          "<w:footnotes \(namespaces)>"
            + #"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"#
            + footnotes + "</w:footnotes>"
        ))
    }
    if let header {
      documentRelationships +=
        #"<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>"#
      parts.append(("word/header1.xml", "<w:hdr \(namespaces)>\(header)</w:hdr>"))
    }
    parts.append(
      (
        "word/_rels/document.xml.rels",
        #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
          + documentRelationships + "</Relationships>"
      ))
    return parts
  }

  /// A ZIP archive of the parts, deflated.
  static func zip(_ parts: [(String, String)]) throws -> Data {
    try zip(parts.map { ($0.0, Data($0.1.utf8)) })
  }

  static func zip(_ parts: [(String, Data)]) throws -> Data {
    let archive = try Archive(data: Data(), accessMode: .create)
    for (name, data) in parts {
      try archive.addEntry(
        with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
      ) { position, size in
        data.subdata(in: Int(position)..<Int(position) + size)
      }
    }
    return try #require(archive.data)
  }

  static func read(_ data: Data, name: String = "test.docx", language: Language = .english) throws -> Document
  {
    try DocumentReader().read(bytes: Array(data), source: name, language: language)
  }

  static func read(body: String, footnotes: String? = nil, header: String? = nil, relationships: String = "")
    throws -> Document
  {
    try read(zip(parts(body: body, footnotes: footnotes, header: header, relationships: relationships)))
  }

  static func readError(_ data: Data, name: String = "test.docx") -> DocumentReadError? {
    do {
      _ = try read(data, name: name)
      return nil
    } catch let error as DocumentReadError {
      return error
    } catch {
      return nil
    }
  }

  static func p(_ runs: String, style: String? = nil) -> String {
    let properties = style.map { #"<w:pPr><w:pStyle w:val="\#($0)"/></w:pPr>"# } ?? ""
    return "<w:p>\(properties)\(runs)</w:p>"
  }

  static func r(_ text: String, _ properties: String = "") -> String {
    #"<w:r><w:rPr>\#(properties)</w:rPr><w:t xml:space="preserve">\#(text)</w:t></w:r>"#
  }
}

@Suite struct WordDocumentReaderTests {
  typealias F = WordFixture

  @Test func runsCutInsideWordsAreJoinedAndFormattingIsKeptAsMarkup() throws {
    let document = try F.read(
      body: F.p(
        F.r("1.") + "<w:r><w:tab/></w:r>" + F.r("Wel", "<w:i/>") + F.r("comes", "<w:i/>")
          + F.r(" the rep") + "<w:proofErr w:type=\"spellStart\"/>" + F.r("ort of the ")
          + #"<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>"#
          + F.r("Secretary-General", "<w:b/>") + F.r(".")))
    #expect(document.paragraphs.count == 1)
    let paragraph = try #require(document.paragraphs.first)
    #expect(paragraph.text == "1. Welcomes the report of the Secretary-General.")
    #expect(paragraph.kind == .body)
    #expect(paragraph.number == "1")
    #expect(
      paragraph.markup == [
        InlineMarkup(kind: .italic, range: 3..<11, original: "*"),
        InlineMarkup(kind: .bold, range: 30..<47, original: "**"),
      ])
  }

  @Test func lineAndPageBreaksInsideAParagraphDoNotSplitIt() throws {
    let document = try F.read(
      body: F.p("<w:r><w:t>Agenda item 130:</w:t><w:br/><w:t>cooperation</w:t></w:r>", style: "Heading1")
        + F.p(
          F.r("The Assembly decides to ") + #"<w:r><w:br w:type="page"/></w:r>"#
            + "<w:r><w:lastRenderedPageBreak/><w:t>continue.</w:t></w:r>"))
    #expect(
      document.paragraphs.map(\.text) == [
        "Agenda item 130: cooperation", "The Assembly decides to continue.",
      ])
    #expect(document.paragraphs.map(\.kind) == [.title, .body])
  }

  @Test func aParagraphSplitAtAPageBreakIsJoinedWhenItsSentenceGoesOn() throws {
    // LibreOffice ends the first half with the page break and starts a new w:p.
    let split =
      F.p(F.r("The Assembly decides to ") + #"<w:r><w:br w:type="page"/></w:r>"#)
      + F.p(F.r("continue its work."))
    #expect(try F.read(body: split).paragraphs.map(\.text) == ["The Assembly decides to continue its work."])
    // A page break after a finished sentence, before a heading: two paragraphs.
    let ended =
      F.p(F.r("The Assembly decides to continue.") + #"<w:r><w:br w:type="page"/></w:r>"#)
      + F.p(F.r("Annex"), style: "Heading1")
    #expect(try F.read(body: ended).paragraphs.map(\.text) == ["The Assembly decides to continue.", "Annex"])
  }

  @Test func trackedChangesAreAcceptedFieldCodesAndHiddenTextLeftOut() throws {
    let body = F.p(
      F.r("Recalling the ")
        + #"<w:ins w:id="1" w:author="Editor"><w:r><w:t xml:space="preserve">Southeast </w:t></w:r></w:ins>"#
        + #"<w:del w:id="2" w:author="Editor"><w:r><w:delText xml:space="preserve">in particular </w:delText></w:r></w:del>"#
        + #"<w:moveFrom w:id="3"><w:r><w:t xml:space="preserve">moved away </w:t></w:r></w:moveFrom>"#
        + F.r("Asian ") + F.r("[[hidden text]] ", "<w:vanish/>")
        + #"<w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t xml:space="preserve">[[styled hidden]] </w:t></w:r>"#
        + #"<w:moveTo w:id="4"><w:r><w:t xml:space="preserve">Nations </w:t></w:r></w:moveTo>"#
        + #"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> REF _Ref1 \h </w:instrText></w:r>"#
        + #"<w:r><w:fldChar w:fldCharType="separate"/></w:r>"# + F.r("(see above)")
        + #"<w:r><w:fldChar w:fldCharType="end"/></w:r>"# + F.r("."))
    let text = try F.read(body: body).paragraphs.map(\.text)
    #expect(text == ["Recalling the Southeast Asian Nations (see above)."])
  }

  @Test func footnotesFollowTheParagraphThatCallsThemWithTheirNumber() throws {
    let reference =
      #"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="\#(1)"/></w:r>"#
    let custom =
      #"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:customMarkFollows="1" w:id="2"/><w:t>*</w:t></w:r>"#
    let body =
      F.p(F.r("State of cooperation") + custom, style: "Heading1")
      + F.p(F.r("The Declaration of 8 August 1967") + reference + F.r(", in particular."))
      + F.p(F.r("Next paragraph."))
    let notes =
      #"<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:tab/><w:t xml:space="preserve">United Nations, </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>Treaty Series</w:t></w:r><w:r><w:t>, vol. 1331.</w:t></w:r></w:p></w:footnote>"#
      + #"<w:footnote w:id="2"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:t>*</w:t></w:r><w:r><w:tab/><w:t>Finalized late.</w:t></w:r></w:p></w:footnote>"#
    let document = try F.read(body: body, footnotes: notes)
    #expect(
      document.paragraphs.map(\.text) == [
        "State of cooperation*", "* Finalized late.", "The Declaration of 8 August 1967¹, in particular.",
        "¹ United Nations, Treaty Series, vol. 1331.", "Next paragraph.",
      ])
    #expect(document.paragraphs.map(\.kind) == [.title, .footnote, .body, .footnote, .body])
    #expect(
      document.paragraphs[2].markup == [InlineMarkup(kind: .footnoteMarker, range: 32..<33, original: "¹")])
    #expect(document.paragraphs[3].markup == [InlineMarkup(kind: .italic, range: 18..<31, original: "*")])
    #expect(document.paragraphs[3].lines == document.paragraphs[2].lines)
  }

  @Test func hyperlinkTextIsKeptWithItsTarget() throws {
    let relationship =
      #"<Relationship Id="rIdL" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://undocs.org/A/75/L.25" TargetMode="External"/>"#
    let body = F.p(
      F.r("(") + #"<w:hyperlink r:id="rIdL">"# + F.r("A/75/") + F.r("L.25") + "</w:hyperlink>" + F.r(")"))
    let paragraph = try #require(try F.read(body: body, relationships: relationship).paragraphs.first)
    #expect(paragraph.text == "(A/75/L.25)")
    #expect(
      paragraph.markup == [
        InlineMarkup(kind: .link, range: 1..<10, original: "[…](https://undocs.org/A/75/L.25)")
      ])
  }

  @Test func headersAndFootersArePageFurnitureAndGiveTheSymbol() throws {
    let header = F.p(F.r("A/RES/75/15"))
    let document = try F.read(body: F.p(F.r("The General Assembly,")), header: header)
    #expect(document.paragraphs.map(\.text) == ["The General Assembly,"])
    #expect(document.symbol == "A/RES/75/15")
  }

  @Test func aTableGivesOneParagraphPerCell() throws {
    let cell = { (text: String) in "<w:tc><w:tcPr/>\(F.p(F.r(text)))</w:tc>" }
    let table =
      "<w:tbl><w:tblPr/><w:tr><w:trPr><w:tblHeader/></w:trPr>\(cell("Contents"))\(cell("Page"))</w:tr>"
      + "<w:tr>\(cell("I. Introduction"))<w:tc>\(F.p(F.r("3")))\(F.p(F.r("(cont.)")))</w:tc></w:tr>"
      + "<w:tr>\(cell("II. Activities"))<w:tc>\(F.p(""))</w:tc></w:tr></w:tbl>"
    let document = try F.read(body: F.p(F.r("Before.")) + table + F.p(F.r("After.")))
    #expect(
      document.paragraphs.map(\.text) == [
        "Before.", "Contents", "Page", "I. Introduction", "3 (cont.)", "II. Activities", "After.",
      ])
  }

  @Test func noBreakSpacesArePlainSpaces() throws {
    let document = try F.read(
      F.zip(F.parts(body: F.p(F.r("Point 130\u{A0}q) de l’ordre du jour\u{A0}:")))), language: .french)
    #expect(document.paragraphs.map(\.text) == ["Point 130 q) de l’ordre du jour :"])
  }

  @Test func aWordDocumentIsToldByItsContentNotItsName() throws {
    let data = try F.zip(F.parts(body: F.p(F.r("The General Assembly,"))))
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("renamed.txt")
    try data.write(to: file)
    let document = try DocumentReader().read(contentsOf: file, language: .english)
    #expect(document.paragraphs.map(\.text) == ["The General Assembly,"])
  }

  // MARK: - Bad files

  @Test func aZipBombIsRefused() throws {
    var parts = F.parts(body: F.p(F.r("Text."))).map { ($0.0, Data($0.1.utf8)) }
    parts.append(("word/media/bomb.bin", Data(count: 40 << 20)))
    let error = F.readError(try F.zip(parts))
    guard case .unsafeWordFile(let path, let reason) = error else {
      Issue.record("expected unsafeWordFile, got \(String(describing: error))")
      return
    }
    #expect(path == "test.docx")
    #expect(reason.contains("word/media/bomb.bin") && reason.contains("zip bomb"))
    #expect(error!.description.hasPrefix("test.docx:1: refused: "))
  }

  @Test func anEntryThatClimbsOutOfThePackageIsRefused() throws {
    var parts = F.parts(body: F.p(F.r("Text.")))
    parts.append(("../../evil.sh", "echo"))
    let error = F.readError(try F.zip(parts))
    #expect(
      error
        == .unsafeWordFile(
          path: "test.docx", reason: "the ZIP entry \"../../evil.sh\" points outside the package"))
  }

  /// An OLE compound file: a header and a directory entry named `EncryptedPackage` (UTF-16LE).
  static func oleFile(stream: String) -> Data {
    var bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
    bytes += stream.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0, 0]
    bytes += [UInt8](repeating: 0, count: 1024 - bytes.count)
    return Data(bytes)
  }

  @Test func anEncryptedWordFileIsNamedAsSuch() {
    let error = F.readError(Self.oleFile(stream: "EncryptedPackage"))
    #expect(error == .encryptedWordFile(path: "test.docx"))
    #expect(error?.description.contains("encrypted (password-protected)") == true)
  }

  @Test func anOldBinaryDocRenamedDocxIsNamedAsSuch() {
    let error = F.readError(Self.oleFile(stream: "WordDocument"))
    #expect(error == .oldWordDocument(path: "test.docx"))
    #expect(error?.description.contains("old binary Word document (.doc)") == true)
  }

  @Test func aCorruptArchiveIsNamedAsSuch() throws {
    var data = try F.zip(F.parts(body: F.p(F.r("Text."))))
    data = data.prefix(data.count / 2)
    guard case .corruptWordFile(let path, _) = F.readError(data) else {
      Issue.record("expected corruptWordFile")
      return
    }
    #expect(path == "test.docx")
  }

  @Test func aDamagedPartIsNamedAsSuch() throws {
    var parts = F.parts(body: F.p(F.r("Text.")))
    parts[3].1 = "<w:document \(F.namespaces)><w:body><w:p></w:body></w:document>"
    guard case .malformedWordPart(_, let part, _, _) = F.readError(try F.zip(parts)) else {
      Issue.record("expected malformedWordPart")
      return
    }
    #expect(part == "word/document.xml")
  }

  @Test func aPartWithADocumentTypeIsRefused() throws {
    var parts = F.parts(body: F.p(F.r("Text.")))
    parts[3].1 =
      #"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>"#
      + "<w:document \(F.namespaces)><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    guard case .malformedWordPart(_, _, _, let reason) = F.readError(try F.zip(parts)) else {
      Issue.record("expected malformedWordPart")
      return
    }
    #expect(reason.contains("document type declaration"))
  }

  @Test func aZipThatIsNotAWordDocumentIsNamedAsSuch() throws {
    let error = F.readError(try F.zip([("notes.txt", "Text.")]))
    #expect(
      error == .notWordDocument(path: "test.docx", reason: "it is a ZIP archive without [Content_Types].xml"))
    let odt = F.readError(
      try F.zip([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office/>")]))
    #expect(
      odt == .notWordDocument(path: "test.docx", reason: "it is an OpenDocument file: save it as .docx first")
    )
  }
}
