import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// The XLIFF 1.2 writer and reader on their own.
struct XLIFFTests {
  static let source = Variant(
    language: .english, text: "Recalling resolution 75/15 of 2020",
    codes: [
      InlineCode(kind: .begin, position: 0, pairID: 1, type: "italic", content: "*"),
      InlineCode(kind: .end, position: 9, pairID: 1, content: "*"),
      InlineCode(kind: .placeholder, position: 34, type: "x-footnote", content: "¹"),
    ])

  static func document(target: XLIFFDocument.Target?, approved: Bool = false) -> XLIFFDocument {
    XLIFFDocument(
      original: "new.txt", sourceLanguage: .english, targetLanguage: .french, symbol: "A/RES/76/1",
      groups: [
        XLIFFDocument.Group(
          id: "p1", name: "3",
          units: [
            XLIFFDocument.Unit(
              id: "s1", source: source, target: target, approved: approved,
              alternatives: [
                XLIFFDocument.Alternative(
                  source: Variant(language: .english, text: "Recalling resolution 74/1 of 2019"),
                  target: Variant(language: .french, text: "Rappelant la résolution 74/1 de 2019"),
                  matchQuality: 87.5, origin: "A/RES/75/15")
              ])
          ])
      ])
  }

  func roundTrip(_ document: XLIFFDocument) throws -> [XLIFFReader.Unit] {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("out.xlf")
    try XLIFFWriter().data(for: document).write(to: url)
    #expect(XLIFFReader.looksLikeXLIFF(url))
    return try XLIFFReader(url: url).units()
  }

  @Test func inlineCodesAreWrittenAsNativeElementsAndReadBack() throws {
    let data = XLIFFWriter().data(for: Self.document(target: nil))
    let text = String(decoding: data, as: UTF8.self)
    #expect(
      text.contains(
        #"<source><bpt id="1" rid="1" ctype="italic">*</bpt>Recalling<ept id="2" rid="1">*</ept> resolution 75/15 of 2020<ph id="3" ctype="x-footnote">¹</ph></source>"#
      ))
    #expect(text.contains(#"<alt-trans match-quality="87.5" origin="A/RES/75/15""#))
    #expect(text.contains(#"<group id="p1" resname="3">"#))
    let units = try roundTrip(Self.document(target: nil))
    #expect(units.count == 1)
    #expect(units.first?.source.text == Self.source.text)
    #expect(units.first?.source.codes.map(\.kind) == [.begin, .end, .placeholder])
    #expect(units.first?.source.codes.map(\.position) == [0, 9, 34])
    #expect(units.first?.source.codes.map(\.content) == ["*", "*", "¹"])
    #expect(units.first?.target == nil, "the alt-trans target is not the unit's")
    #expect(units.first?.document == "A/RES/76/1")
    #expect(units.first?.paragraph == "3")
  }

  @Test func onlyTranslatedFinalSignedOffOrApprovedTargetsAreConfirmed() throws {
    let french = Variant(language: .french, text: "Rappelant la résolution 75/15 de 2020")
    for (state, approved, confirmed) in [
      ("needs-review-translation", false, false), ("new", false, false), ("translated", false, true),
      ("final", false, true), ("signed-off", false, true), ("needs-review-translation", true, true),
    ] {
      let units = try roundTrip(
        Self.document(target: XLIFFDocument.Target(variant: french, state: state), approved: approved))
      #expect(units.first?.state == state)
      #expect(units.first?.target?.text == french.text)
      #expect(units.first?.target?.language == .french)
      #expect(units.first?.isConfirmed == confirmed, "\(state), approved \(approved)")
    }
    // An empty target confirms nothing.
    let empty = try roundTrip(
      Self.document(
        target: XLIFFDocument.Target(variant: Variant(language: .french, text: ""), state: "final")))
    #expect(empty.first?.isConfirmed == false)
  }

  @Test func importStoresConfirmedTargetsWithProvenance() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("reviewed.xlf")
    let french = Variant(language: .french, text: "Rappelant la résolution 75/15 de 2020")
    try XLIFFWriter().data(
      for: Self.document(target: XLIFFDocument.Target(variant: french, state: "translated"))
    ).write(to: url)
    let memory = try TranslationMemory(url: folder.appendingPathComponent("m.sqlite"))
    let summary = try memory.importXLIFF(from: url)
    #expect(
      summary == TranslationMemory.XLIFFImportSummary(unitsRead: 1, confirmed: 1, inserted: 1, merged: 0))
    let unit = try #require(try memory.units().first)
    #expect(unit[.english]?.text == Self.source.text)
    #expect(unit[.english]?.codes.count == 3)
    #expect(unit[.french]?.text == french.text)
    #expect(unit.document == "A/RES/76/1")
    #expect(unit.property(.paragraph) == "3")
    #expect(unit.property(.sourceFile) == url.path)
    #expect(unit.properties.contains(Property(type: "x-xliff-state", value: "translated")))
    #expect(unit.properties.contains(Property(type: "x-xliff-unit", value: "s1")))
  }

  @Test func badFilesAreRefusedWithTheirPlace() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    func error(_ text: String) throws -> XLIFFError? {
      let url = folder.appendingPathComponent("bad.xlf")
      try Data(text.utf8).write(to: url)
      do {
        _ = try XLIFFReader(url: url).units()
        return nil
      } catch let error as XLIFFError {
        return error
      }
    }
    let path = folder.appendingPathComponent("bad.xlf").path
    #expect(
      try error("<xliff version=\"2.0\"/>")
        == .unsupportedVersion(file: path, line: 1, version: "version \"2.0\""))
    #expect(
      try error("<xliff version=\"1.2\">\n<file original=\"x\"/></xliff>")
        == .missingAttribute(file: path, line: 2, element: "file", attribute: "source-language"))
    if case .malformedXML(let file, let line, _) = try error(
      "<xliff version=\"1.2\">\n<file source-language=\"en\">\n</xliff>")
    {
      #expect(file == path && line == 3)
    } else {
      Issue.record("malformed XML is reported as such")
    }
    #expect(
      XLIFFError.missingAttribute(file: "a.xlf", line: 4, element: "trans-unit", attribute: "id").description
        == "a.xlf:4: <trans-unit> is missing attribute 'id'")
    #expect(
      XLIFFError.entityNotAllowed(file: "a.xlf", line: 2, name: "x").description
        == "a.xlf:2: entity '&x;' is not allowed (entities are never expanded)")
  }
}
