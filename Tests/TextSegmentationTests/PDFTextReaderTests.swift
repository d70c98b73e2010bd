import Foundation
import Testing

@testable import TextSegmentation

/// PDFs written here by hand: one page of Helvetica text, or a page with no text layer.
enum PDFFixture {
  /// A one-page US Letter PDF whose content stream is `content`.
  static func pdf(content: String) -> [UInt8] {
    let objects = [
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        + "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
      "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
    ]
    var text = "%PDF-1.4\n"
    var offsets: [Int] = []
    for (index, object) in objects.enumerated() {
      offsets.append(text.utf8.count)
      text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
    }
    let xref = text.utf8.count
    text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
    for offset in offsets {
      text += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n"
    }
    text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
    return Array(text.utf8)
  }

  /// Lines of 12-point text at 14-point pitch; `nil` leaves a paragraph gap.
  static func page(_ lines: [String?], top: Double = 700) -> String {
    var y = top
    var content = ""
    for line in lines {
      guard let line else {
        y -= 10
        continue
      }
      content += "BT /F1 12 Tf 72 \(y) Td (\(line)) Tj ET\n"
      y -= 14
    }
    return content
  }
}

@Suite(.enabled(if: PDFTextReader.executable() != nil, "pdftotext is not installed (poppler-utils)"))
struct PDFTextReaderTests {
  func read(_ bytes: [UInt8]) throws -> Document {
    try DocumentReader().read(bytes: bytes, source: "test.pdf", language: .english)
  }

  @Test func paragraphsAreRebuiltFromTheLines() throws {
    let content = PDFFixture.page([
      "The General Assembly,", nil,
      "Recalling its resolution 74/239 of 19 December 2019 on the state of South-South",
      "cooperation, and welcoming the report of the Secretary-General on the matter,", nil,
      "1. Decides to continue.",
    ])
    let document = try read(PDFFixture.pdf(content: content))
    #expect(
      document.paragraphs.map(\.text) == [
        "The General Assembly,",
        "Recalling its resolution 74/239 of 19 December 2019 on the state of South-South "
          + "cooperation, and welcoming the report of the Secretary-General on the matter,",
        "1. Decides to continue.",
      ])
    #expect(document.paragraphs.last?.number == "1")
  }

  @Test func aRaisedFootnoteNumberIsGluedToItsWord() throws {
    let content =
      "BT /F1 12 Tf 72 700 Td (Recalling the Declaration of 1967) Tj /F1 7 Tf 5 Ts (1) Tj "
      + "/F1 12 Tf 0 Ts (, in particular.) Tj ET\n"
      + "BT /F1 7 Tf 72 105 Td (1) Tj ET\n"
      + "BT /F1 10 Tf 90 100 Td (United Nations, Treaty Series.) Tj ET\n"
    let document = try read(PDFFixture.pdf(content: content))
    #expect(
      document.paragraphs.map(\.text) == [
        "Recalling the Declaration of 1967¹, in particular.", "¹ United Nations, Treaty Series.",
      ])
    #expect(document.paragraphs.map(\.kind) == [.body, .footnote])
  }

  @Test func aPDFWithoutTextNeedsOCR() throws {
    let scan = PDFFixture.pdf(content: "0 0 1 rg 72 72 468 648 re f")
    #expect(throws: DocumentReadError.pdfWithoutText(path: "test.pdf")) { try read(scan) }
    #expect(DocumentReadError.pdfWithoutText(path: "test.pdf").description.contains("needs OCR first"))
  }

  @Test func aDamagedPDFSaysWhatPdftotextSaid() throws {
    let error = #expect(throws: DocumentReadError.self) { try read(Array("%PDF-1.4\n".utf8)) }
    guard case .unreadablePDF(let path, let reason) = error else {
      Issue.record("expected unreadablePDF, got \(String(describing: error))")
      return
    }
    #expect(path == "test.pdf")
    #expect(reason.contains("xref"))
  }

  @Test func withoutPdftotextTheErrorSaysWhatToInstall() {
    let error = #expect(throws: DocumentReadError.self) {
      try PDFTextReader.read(bytes: PDFFixture.pdf(content: ""), source: "test.pdf", language: nil, tool: nil)
    }
    #expect(error == .pdftotextMissing(path: "test.pdf"))
    #expect(error?.description.contains("install poppler-utils") == true)
  }
}
