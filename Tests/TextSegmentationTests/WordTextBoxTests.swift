import Foundation
import TestSupport
import Testing

@testable import TextSegmentation

/// Text boxes are read once, as paragraphs of their own after the paragraph they are anchored
/// in; comments never enter the text.
@Suite struct WordTextBoxTests {
  typealias F = WordFixture

  static let mc = #"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#
  static let drawing =
    #"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#
    + #"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#
    + #"xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape""#
  static let vml = #"xmlns:v="urn:schemas-microsoft-com:vml""#

  /// A DrawingML text box holding `paragraphs`, as Word writes it in `mc:Choice`.
  static func drawingBox(_ paragraphs: String) -> String {
    #"<w:drawing><wp:anchor \#(drawing)><wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>"#
      + paragraphs
      + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
  }

  /// The same box in VML, as Word writes it in `mc:Fallback`.
  static func vmlBox(_ paragraphs: String) -> String {
    ##"<w:pict><v:shape \##(vml) id="Text Box 1" type="#_x0000_t202"><v:textbox><w:txbxContent>"##
      + paragraphs + "</w:txbxContent></v:textbox></v:shape></w:pict>"
  }

  @Test func aTextBoxInAlternateContentIsReadOnceAfterItsAnchor() throws {
    let box = F.p(F.r("Inside the box.")) + F.p(F.r("Its second paragraph."))
    let body =
      F.p(F.r("First paragraph."))
      + F.p(
        F.r("Before the box. ")
          + "<w:r><mc:AlternateContent \(Self.mc)><mc:Choice Requires=\"wps\">\(Self.drawingBox(box))</mc:Choice>"
          + "<mc:Fallback>\(Self.vmlBox(box))</mc:Fallback></mc:AlternateContent></w:r>" + F.r("After it."))
      + F.p(F.r("Next paragraph."))
    let document = try F.read(body: body)
    #expect(
      document.paragraphs.map(\.text) == [
        "First paragraph.", "Before the box. After it.", "Inside the box.", "Its second paragraph.",
        "Next paragraph.",
      ])
    // The box's paragraphs take their anchor's line; the next paragraph's number is unchanged.
    #expect(document.paragraphs.map(\.lines) == [[1...1], [2...2], [2...2], [2...2], [3...3]])
  }

  @Test func aFallbackAloneAndAPlainVMLBoxAreRead() throws {
    let body =
      F.p(
        F.r("Anchor one.")
          + "<w:r><mc:AlternateContent \(Self.mc)><mc:Choice Requires=\"wps\"><w:t>no box here</w:t></mc:Choice>"
          + "<mc:Fallback>\(Self.vmlBox(F.p(F.r("Fallback box."))))</mc:Fallback></mc:AlternateContent></w:r>"
      )
      + F.p(F.r("Anchor two.") + "<w:r>\(Self.vmlBox(F.p(F.r("VML box."))))</w:r>")
    let text = try F.read(body: body).paragraphs.map(\.text)
    #expect(text == ["Anchor one.", "Fallback box.", "Anchor two.", "VML box."])
  }

  @Test func aTextBoxInHiddenOrDeletedTextIsLeftOut() throws {
    let box = Self.drawingBox(F.p(F.r("Never read.")))
    let body =
      F.p(
        F.r("Kept.") + "<w:r><w:rPr><w:vanish/></w:rPr>\(box)</w:r>"
          + "<w:del w:id=\"1\" w:author=\"E\"><w:r>\(box)</w:r></w:del>")
    #expect(try F.read(body: body).paragraphs.map(\.text) == ["Kept."])
  }

  @Test func commentsNeverEnterTheText() throws {
    let body = F.p(
      #"<w:commentRangeStart w:id="0"/>"# + F.r("The Assembly decides.")
        + #"<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>"#)
    var parts = F.parts(
      body: body,
      relationships:
        #"<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>"#
    )
    parts.append(
      (
        "word/comments.xml",
        "<w:comments \(F.namespaces)><w:comment w:id=\"0\" w:author=\"Reviewer\">"
          + F.p(F.r("COMMENT QX9: check this.")) + "</w:comment></w:comments>"
      ))
    let document = try F.read(F.zip(parts))
    #expect(document.paragraphs.map(\.text) == ["The Assembly decides."])
  }
}
