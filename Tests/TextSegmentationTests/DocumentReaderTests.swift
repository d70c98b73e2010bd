import Foundation
import TestSupport
import Testing

@testable import TextSegmentation

/// Each layout of the seed corpus comes out as clean paragraphs.
@Suite struct DocumentReaderTests {
  func read(_ name: String) throws -> Document {
    try DocumentReader().read(contentsOf: TestSupport.corpusFile("un/\(name).txt"))
  }

  func paragraph(_ document: Document, number: String) throws -> Paragraph {
    try #require(document.paragraphs.first { $0.number == number })
  }

  /// The clean text a markup range covers.
  func covered(_ markup: InlineMarkup, in text: String) -> String {
    let utf16 = Array(text.utf16)
    return String(decoding: utf16[markup.range], as: UTF16.self)
  }

  // MARK: Markdown-ish (001 fr, 002, 003)

  @Test func markdownRejoinsParagraphsCutByAPageBreak() throws {
    let document = try read("001/fr")
    #expect(document.language == .french)
    let six = try paragraph(document, number: "6")
    #expect(six.lines == [132...132, 134...134])
    #expect(six.text.contains("stratégie régionale destinée à soutenir la mise en œuvre"))
    // 28 is cut inside `politique-sécurité`, with a footnote between the two halves.
    let twentyEight = try paragraph(document, number: "28")
    #expect(twentyEight.text.contains("a) politique-sécurité; b) économique"))
    #expect(twentyEight.lines == [188...188, 192...192])
    let note = try #require(document.paragraphs.first { $0.lines == [190...190] })
    #expect(note.kind == .footnote)
    #expect(note.text == "¹ Nations Unies, Série des traités, vol. 1833, No. 31363.")
    // Every numbered paragraph is there once, in order.
    let numbers = document.paragraphs.compactMap(\.number)
    #expect(numbers == (1...135).map(String.init))
  }

  @Test func markdownMarkupIsRemovedButKept() throws {
    let document = try read("001/fr")
    let title = try #require(document.paragraphs.first { $0.lines == [44...45] })
    #expect(title.kind == .title)
    #expect(
      title.text
        == "Coopération entre l'Organisation des Nations Unies et l'Organisation internationale de la Francophonie"
    )
    #expect(title.markup.map(\.kind) == [.bold])
    #expect(title.markup.first.map { covered($0, in: title.text) } == title.text)

    let twentyFive = try paragraph(document, number: "25")
    let italic = try #require(twentyFive.markup.first { $0.kind == .italic })
    #expect(covered(italic, in: twentyFive.text) == "Afrique Renouveau")
    #expect(!twentyFive.text.contains("*"))

    let tocRows = document.paragraphs.filter { $0.kind == .toc }
    #expect(tocRows.count == 23)
    let header = try #require(tocRows.first)
    #expect(header.text == "Chapitre\tPage")
    #expect(header.markup.map(\.kind) == [.italic, .italic])
  }

  @Test func resolutionLayout() throws {
    let document = try read("002/fr")
    #expect(document.symbol == "A/RES/77/13")
    let cut = try #require(
      document.paragraphs.first { $0.text.hasPrefix("Rappelant toutes les résolutions") })
    #expect(cut.lines == [35...35, 43...43])
    #expect(cut.text.contains("celles du 13 janvier 2010³ et du 6 août 2013⁴"))
    #expect(cut.markup.filter { $0.kind == .footnoteMarker }.map { covered($0, in: cut.text) } == ["³", "⁴"])
    #expect(document.paragraphs.filter { $0.kind == .footnote }.count == 7)
    let note = try #require(document.paragraphs.first { $0.text.hasPrefix("³ S/PRST/2010/1") })
    #expect(note.text.contains("1er août 2009"))
    let superscript = try #require(note.markup.first { $0.kind == .superscript })
    #expect(covered(superscript, in: note.text) == "er")
    let first = try paragraph(document, number: "1")
    #expect(first.text.hasPrefix("1. Accueille avec satisfaction le rapport"))
    let closing = try #require(document.paragraphs.last)
    #expect(closing.kind == .other)
    #expect(closing.text == "39e séance plénière 21 novembre 2022")
    let heading = try #require(document.paragraphs.first { $0.text.hasPrefix("77/13.") })
    #expect(heading.kind == .title && heading.number == nil)

    let english = try read("002/en")
    #expect(english.language == .english)
    #expect(english.paragraphs.compactMap(\.number) == (1...9).map(String.init))
  }

  @Test func linksBecomeText() throws {
    let document = try read("003/fr")
    #expect(document.symbol == "A/RES/75/15")
    let note = try #require(document.paragraphs.first { $0.text.hasPrefix("³ Résolutions") })
    #expect(note.kind == .footnote)
    #expect(note.text.hasPrefix("³ Résolutions 57/35, 59/5, 61/46"))
    let links = note.markup.filter { $0.kind == .link }
    #expect(links.count == 9)
    #expect(links.first.map { covered($0, in: note.text) } == "57/35")
  }

  // MARK: pdftotext pages (001 en)

  @Test func pagedLayoutDropsRunningHeadersAndFooters() throws {
    let document = try read("001/en")
    #expect(document.symbol == "A/67/280")
    #expect(!document.paragraphs.contains { $0.text.contains("12-45678") })
    #expect(document.paragraphs.filter { $0.text == "S/2012/614" }.count == 1)
    #expect(document.paragraphs.compactMap(\.number) == (1...135).map(String.init))
    // 33 runs over a page break and a footnote under the rule.
    let thirtyThree = try paragraph(document, number: "33")
    #expect(
      thirtyThree.text.hasSuffix("regional integration and the support provided by the United Nations."))
    #expect(thirtyThree.lines.count == 2)
    let notes = document.paragraphs.filter { $0.kind == .footnote }.map(\.text)
    #expect(
      notes == [
        "* A/67/150.", "¹ United Nations, Treaty Series, vol. 1833, No. 31363.",
        "² United Nations publication, Sales No. E.09.II.F.3.",
      ])
    // Hard-wrapped lines are joined; real hyphens stay.
    let first = try paragraph(document, number: "1")
    #expect(
      first.text
        == "1. Section II of the present report has been prepared pursuant to the most recent resolutions in which the General Assembly requested the Secretary-General to report on cooperation between the United Nations and a number of regional and other organizations."
    )
    let summary = try #require(document.paragraphs.first { $0.text.hasPrefix("The present report covers") })
    #expect(summary.kind == .body)
    #expect(summary.text.hasSuffix("(A/65/382-S/2010/490)."))
    #expect(document.paragraphs.contains { $0.kind == .toc && $0.text.hasPrefix("African Union") })
  }

  // MARK: Hard-wrapped OCR (004 fr)

  @Test func ocrLayoutUnwrapsRepairsAndIsolatesJunk() throws {
    let document = try read("004/fr")
    #expect(document.symbol == "A/75/371")
    let one = try paragraph(document, number: "1")
    #expect(
      one.text
        == "1. Les Etats Membres n’ont cessé d’attester de l’importance de la coopération Sud-Sud et de la coopération triangulaire, dimension croissante de la coopération au service du développement en vue de la réalisation du Programme de développement durable a l’horizon 2030 et d’autres objectifs de développement arrétés au niveau international."
    )
    #expect(
      document.repairs.contains(
        Repair(line: 48, original: "I’", replacement: "l’", reason: "ocr-l-apostrophe")))
    #expect(document.repairs.allSatisfy { $0.reason == "ocr-l-apostrophe" })
    // Junk lines are paragraphs of their own, never glued into running text.
    for junk in ["VAN", "NS~", "4 4 r", "©", "20-12800 17/21", "18/21", "=~", "IV."] {
      #expect(document.paragraphs.contains { $0.kind == .other && $0.text == junk }, "\(junk)")
    }
    #expect(document.paragraphs.filter { $0.text.hasPrefix("file:///") }.allSatisfy { $0.kind == .other })
    for paragraph in document.paragraphs where paragraph.kind == .body {
      #expect(!paragraph.text.contains("©") && !paragraph.text.contains("file:///"))
    }
    // 10 is cut by four footnotes; its second half starts lower down.
    let ten = try paragraph(document, number: "10")
    #expect(ten.lines == [143...149, 160...161])
    #expect(ten.text.contains("d’une coopération Sud-Sud et d’une coopération triangulaire coordonnées"))
    let note = try #require(document.paragraphs.first { $0.lines == [154...156] })
    #expect(note.kind == .footnote)
    #expect(note.text.hasSuffix("six -signature-solutions.html."))
    // A footnote continued on the next page.
    let continued = try #require(
      document.paragraphs.first { $0.text.hasPrefix("% Les projets de coopération") })
    #expect(continued.lines == [696...697, 741...747])
    #expect(document.paragraphs.compactMap(\.number) == (1...91).map(String.init))
  }

  @Test func hyphenAtLineEndIsDroppedOnlyWhenTheWordIsKnown() {
    let text = """
      1. Le développement durable et la coopération Sud-Sud sont au cœur du présent rapport qui
      porte sur le déve-
      loppement et la coopération Sud-
      Sud entre les pays, et sur les partenariats public-
      privé dans la région concernée.

      2. Le deuxième paragraphe du rapport est court mais il est écrit sur plusieurs lignes pour
      que le texte ressemble à un document reconnu par un logiciel de reconnaissance optique.
      """
    let document = DocumentReader().read(text: text, source: "test.txt", language: .french)
    let first = document.paragraphs.first
    #expect(first?.text.contains("sur le développement et la coopération Sud-Sud entre") == true)
    #expect(first?.text.contains("partenariats public-privé dans") == true)
    #expect(
      document.repairs == [
        Repair(line: 2, original: "déve-loppement", replacement: "développement", reason: "hyphenation")
      ])
  }

  // MARK: One paragraph a line, notes at the end (004 en)

  @Test func notesSectionBecomesFootnotes() throws {
    let document = try read("004/en")
    #expect(document.language == .english)
    #expect(document.symbol == "A/75/371")
    let notes = document.paragraphs.filter { $0.kind == .footnote }
    #expect(notes.count == 42)
    #expect(notes.first?.text.hasPrefix("* The present report") == true)
    #expect(notes.last?.lines == [161...161])
    #expect(document.paragraphs.compactMap(\.number) == (1...91).map(String.init))
    let items = document.paragraphs.filter { $0.text.hasPrefix("(") && $0.kind == .body }
    #expect(items.count == 4)
    #expect(document.repairs.isEmpty)
  }
}
