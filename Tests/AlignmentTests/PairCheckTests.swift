import Alignment
import Foundation
import TestSupport
import Testing
import TextSegmentation

/// The check that two aligned documents are a document and its translation, in the languages
/// they were read as: on the four real pairs, on every pairing of different documents, on
/// swapped files and on an English text given as the French one.
@Suite struct PairCheckTests {
  static let pairs = ["001", "002", "003", "004"]
  static let aligner = UNDocumentAlignmentTests.aligner

  static func align(
    _ sourcePath: String, _ targetPath: String, targetLanguage: Language = .french
  ) throws -> DocumentAlignment {
    let reader = DocumentReader()
    let source = try reader.read(contentsOf: URL(fileURLWithPath: sourcePath), language: .english)
    let target = try reader.read(contentsOf: URL(fileURLWithPath: targetPath), language: targetLanguage)
    return try DocumentAligner(sentenceAligner: aligner).align(source: source, target: target)
  }

  static func corpus(_ pair: String, _ language: String) -> String {
    TestSupport.corpusFile("un/\(pair)/\(language).txt").path
  }

  @Test(arguments: pairs)
  func realPairsPassClean(pair: String) throws {
    let alignment = try Self.align(Self.corpus(pair, "en"), Self.corpus(pair, "fr"))
    #expect(PairCheck().findings(alignment) == [], "pair \(pair)")
  }

  static let mismatchedPairs = pairs.flatMap { english in
    pairs.filter { $0 != english }.map { (english, $0) }
  }

  /// 003 English with 004 French aligns with confidence (a handful of beads below 0.5); every
  /// such pairing shares next to no anchors, and those whose documents both carry a symbol differ.
  @Test(arguments: mismatchedPairs)
  func differentDocumentsAreFlagged(english: String, french: String) throws {
    let alignment = try Self.align(Self.corpus(english, "en"), Self.corpus(french, "fr"))
    let findings = PairCheck().findings(alignment)
    #expect(findings.contains { if case .fewAnchorsShared = $0 { true } else { false } }, "\(findings)")
    if let source = alignment.source.symbol, let target = alignment.target.symbol {
      #expect(findings.contains(.differentSymbols(source: source, target: target)), "\(findings)")
    }
    #expect(!findings.contains { if case .languageMismatch = $0 { true } else { false } })
  }

  @Test(arguments: pairs)
  func swappedFilesAreFlagged(pair: String) throws {
    let alignment = try Self.align(Self.corpus(pair, "fr"), Self.corpus(pair, "en"))
    let findings = PairCheck().findings(alignment)
    #expect(findings.contains(.languageMismatch(side: .source, expected: .english, found: .french)))
    #expect(findings.contains(.languageMismatch(side: .target, expected: .french, found: .english)))
  }

  @Test(arguments: pairs)
  func englishGivenAsFrenchIsFlagged(pair: String) throws {
    let alignment = try Self.align(Self.corpus(pair, "en"), Self.corpus(pair, "en"))
    #expect(
      PairCheck().findings(alignment) == [
        .languageMismatch(side: .target, expected: .french, found: .english)
      ])
  }

  /// The French of 003 read as German: the detector knows German and finds French.
  @Test func aWrongTargetLanguageIsFlagged() throws {
    let alignment = try Self.align(
      Self.corpus("003", "en"), Self.corpus("003", "fr"), targetLanguage: .german)
    #expect(
      PairCheck().findings(alignment).contains(
        .languageMismatch(side: .target, expected: .german, found: .french)))
  }

  /// A language the detector does not know (Italian) is not judged: no finding for the language.
  @Test func aLanguageTheDetectorDoesNotKnowIsNotJudged() throws {
    let alignment = try Self.align(
      Self.corpus("003", "en"), Self.corpus("003", "fr"), targetLanguage: Language("it"))
    #expect(PairCheck().findings(alignment) == [])
  }

  /// Two one-paragraph notes: too short to judge the language, too few anchors to count.
  @Test func shortDocumentsAreNotJudged() throws {
    let reader = DocumentReader()
    let source = reader.read(text: "The meeting rose at noon.\n", source: "en", language: .english)
    let target = reader.read(text: "Das ist nicht die Übersetzung.\n", source: "fr", language: .french)
    let alignment = try DocumentAligner(sentenceAligner: Self.aligner).align(source: source, target: target)
    #expect(PairCheck().findings(alignment) == [])
  }

  /// A symbol of two parts agrees with either part; other symbols differ.
  @Test func symbolsAgreeWhenTheyShareAPart() throws {
    func document(_ symbol: String, _ language: Language) -> Document {
      Document(source: symbol, language: language, paragraphs: [], symbol: symbol)
    }
    func findings(_ source: String, _ target: String) throws -> [PairCheck.Finding] {
      let alignment = try DocumentAligner(sentenceAligner: Self.aligner).align(
        source: document(source, .english), target: document(target, .french))
      return PairCheck().findings(alignment)
    }
    #expect(try findings("A/67/280–S/2012/614", "A/67/280") == [])
    #expect(try findings("a/res/75/15", "A/RES/75/15") == [])
    #expect(
      try findings("A/RES/75/15", "A/75/371") == [
        .differentSymbols(source: "A/RES/75/15", target: "A/75/371")
      ])
  }

  static let hasPDFToText = TestSupport.runProgram("pdftotext", ["-v"])?.status == 0

  static let pdfFolder = ExternalData.shared.url.appendingPathComponent("corpus/un")
  static let hasPDFs = FileManager.default.fileExists(
    atPath: pdfFolder.appendingPathComponent("004/en.pdf").path)

  /// The PDF renderings of 003 and 004 (`../shared/corpus/un/00N/*.pdf`), read through
  /// `pdftotext`, pass clean too: their pages move anchors across paragraph boundaries.
  @Test(
    .enabled(if: hasPDFToText, "pdftotext is not installed (apt install poppler-utils)"),
    .enabled(
      if: hasPDFs,
      Comment(
        rawValue:
          "missing \(ExternalData.shared.displayPath)/corpus/un (set \(ExternalData.shared.variables))")),
    arguments: ["003", "004"])
  func pdfRenderingsPassClean(pair: String) throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var texts: [String] = []
    for language in ["en", "fr"] {
      let text = folder.appendingPathComponent("\(language).txt")
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [
        "pdftotext", Self.pdfFolder.appendingPathComponent("\(pair)/\(language).pdf").path, text.path,
      ]
      try process.run()
      process.waitUntilExit()
      try #require(process.terminationStatus == 0)
      texts.append(text.path)
    }
    let alignment = try Self.align(texts[0], texts[1])
    #expect(PairCheck().findings(alignment) == [], "pair \(pair) from PDF")
  }
}

/// How much of a gold an alignment covers: nearly all of its own document's, next to nothing of
/// another document's.
@Suite struct BeadCoverageTests {
  static func test(_ pair: String) throws -> [TextBead] {
    let alignment = try PairCheckTests.align(
      PairCheckTests.corpus(pair, "en"), PairCheckTests.corpus(pair, "fr"))
    return alignment.beads.map {
      TextBead(source: alignment.sourceTexts($0), target: alignment.targetTexts($0))
    }
  }

  static func gold(_ pair: String) throws -> [TextBead] {
    try TestSupport.jsonLines("un/\(pair)/gold.jsonl", as: GoldBead.self).map {
      TextBead(source: $0.en, target: $0.fr)
    }
  }

  @Test func anAlignmentCoversItsOwnGold() throws {
    for pair in ["003", "004"] {
      let coverage = BeadComparison.coverage(gold: try Self.gold(pair), test: try Self.test(pair))
      #expect(coverage >= 0.9, "\(pair): \(coverage)")
    }
  }

  @Test func anotherDocumentsAlignmentCoversNextToNothing() throws {
    for (gold, test) in [("003", "004"), ("004", "003")] {
      let coverage = BeadComparison.coverage(gold: try Self.gold(gold), test: try Self.test(test))
      #expect(coverage < BeadComparison.minimumCoverage / 10, "gold \(gold), test \(test): \(coverage)")
    }
    // The gold's fields the wrong way round: French sentences looked for among English ones.
    let swapped = try Self.gold("003").map { TextBead(source: $0.target, target: $0.source) }
    let coverage = BeadComparison.coverage(gold: swapped, test: try Self.test("003"))
    #expect(coverage < BeadComparison.minimumCoverage)
  }

  @Test func anEmptyGoldIsCovered() {
    #expect(BeadComparison.coverage(gold: [], test: [TextBead(source: ["A."], target: ["B."])]) == 1)
  }
}
