import Alignment
import Foundation
import TestSupport
import Testing
import TextSegmentation

/// The Word and PDF renderings of pairs 003 and 004 (`../shared/corpus/un/00N/`, described in
/// `DOCX.md` there), read and aligned from the files, scored against the gold beads.
/// The shared UN corpus folder, `../shared/corpus/un`.
let sharedUNCorpus = ExternalData.shared.url.appendingPathComponent("corpus/un")

@Suite(
  .enabled(
    if: FileManager.default.fileExists(atPath: sharedUNCorpus.appendingPathComponent("003/en.docx").path),
    Comment(rawValue: "missing ../shared/corpus/un/003/en.docx (set ALIGNTM_SHARED)")))
struct UNWordAndPDFAlignmentTests {
  static let folder = sharedUNCorpus
  static let aligner = UNDocumentAlignmentTests.aligner

  /// A form of a pair: the English and French files.
  struct Form: Sendable, CustomTestStringConvertible {
    var pair: String
    var english: String
    var french: String
    var testDescription: String { "\(pair) \(english) + \(french)" }
  }

  static let forms: [Form] = ["003", "004"].flatMap { pair in
    [("en.docx", "fr.docx"), ("en.lo.docx", "fr.lo.docx"), ("en.pdf", "fr.pdf"), ("en.pdf", "fr.docx")].map {
      Form(pair: pair, english: $0.0, french: $0.1)
    }
  }

  static func read(_ pair: String, _ name: String, _ language: Language) throws -> Document {
    try DocumentReader().read(
      contentsOf: folder.appendingPathComponent("\(pair)/\(name)"), language: language)
  }

  static func align(_ form: Form) throws -> DocumentAlignment {
    let english = try read(form.pair, form.english, .english)
    let french = try read(form.pair, form.french, .french)
    return try DocumentAligner(sentenceAligner: aligner).align(source: english, target: french)
  }

  static func gold(_ pair: String) throws -> [GoldBead] {
    try TestSupport.jsonLines(at: folder.appendingPathComponent("\(pair)/gold.jsonl"), as: GoldBead.self)
  }

  @Test(arguments: forms)
  func strictBeadF1ReachesTheTarget(form: Form) throws {
    let alignment = try Self.align(form)
    let test = alignment.beads.map {
      TextBead(source: alignment.sourceTexts($0), target: alignment.targetTexts($0))
    }
    let gold = try Self.gold(form.pair).map { TextBead(source: $0.en, target: $0.fr) }
    let links = BeadComparison.links(gold: gold, test: test)
    let scores = LinkScorer.score(gold: links.gold, test: links.test)
    #expect(scores.strict.f1 >= 0.97, "strict bead F1 \(scores.strict.f1) on \(form.testDescription)")
  }

  /// A footnote sentence is aligned with footnote sentences only, on both sides.
  @Test(arguments: forms)
  func footnotesAreAlignedWithFootnotes(form: Form) throws {
    let alignment = try Self.align(form)
    var mixed: [String] = []
    for bead in alignment.beads {
      let kinds =
        bead.sourceIds.map { alignment.source.paragraphs[alignment.sourceSentences[$0].paragraph].kind }
        + bead.targetIds.map { alignment.target.paragraphs[alignment.targetSentences[$0].paragraph].kind }
      if kinds.contains(.footnote), kinds.contains(where: { $0 != .footnote }) {
        mixed.append(alignment.sourceTexts(bead).joined(separator: " "))
      }
    }
    #expect(mixed.isEmpty, "\(form.testDescription): \(mixed)")
  }

  /// Every gold paragraph, both sides, is a paragraph of the document read (its folded text).
  /// In a PDF, the OCR junk lines of 004's French (gold kind `other`: a job number, a stray
  /// `file:///` address) stand one under the other like the lines of one paragraph, and are
  /// not counted.
  @Test(arguments: forms)
  func everyParagraphIsReadAsOne(form: Form) throws {
    let key = TextNormalizer.comparisonKey
    let english = Set(try Self.read(form.pair, form.english, .english).paragraphs.map { key($0.text) })
    let french = Set(try Self.read(form.pair, form.french, .french).paragraphs.map { key($0.text) })
    var paragraphs: [String: (en: [String], fr: [String])] = [:]
    var order: [String] = []
    let isPDF = form.english.hasSuffix(".pdf") || form.french.hasSuffix(".pdf")
    for bead in try Self.gold(form.pair) where !(isPDF && bead.kind == "other") {
      if paragraphs[bead.p] == nil { order.append(bead.p) }
      paragraphs[bead.p, default: ([], [])].en += bead.en
      paragraphs[bead.p, default: ([], [])].fr += bead.fr
    }
    let missing = order.filter { p in
      let (en, fr) = paragraphs[p]!
      return !en.isEmpty && !english.contains(key(en.joined(separator: " ")))
        || !fr.isEmpty && !french.contains(key(fr.joined(separator: " ")))
    }
    #expect(missing.isEmpty, "\(form.testDescription): gold paragraphs not read as one: \(missing)")
  }

  /// Deleted (`w:del`) and hidden (`w:vanish`) text is absent, inserted (`w:ins`) text present.
  @Test(arguments: forms)
  func trackedChangesAreAcceptedAndHiddenTextIsAbsent(form: Form) throws {
    let english = try Self.read(form.pair, form.english, .english).paragraphs.map(\.text).joined(
      separator: "\n")
    let french = try Self.read(form.pair, form.french, .french).paragraphs.map(\.text).joined(separator: "\n")
    #expect(!english.contains("QX7") && !french.contains("QX7"))
    if form.pair == "003" {
      #expect(english.contains("Council of Viet Nam, on the theme"))
      #expect(english.contains("Recalling the aims and purposes of the Association of Southeast Asian"))
      #expect(french.contains("Asie du Sud-Est, l'Organisation célébrant"))
      #expect(french.contains("partenariat global entre"))
    } else {
      #expect(!english.contains("Cooperation, in particular"))
      #expect(!french.contains("partenariats, notamment"))
    }
  }
}
