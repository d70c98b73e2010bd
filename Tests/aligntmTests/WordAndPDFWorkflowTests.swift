import Foundation
import TestSupport
import Testing

/// `align --into-tm` from the Word and PDF forms of pairs 003 and 004 (`../shared/corpus/un/`)
/// stores the units it stores from their text conversions; a bad Word file stores nothing.
@Suite(
  .serialized,
  .enabled(
    if: FileManager.default.fileExists(
      atPath: ExternalData.shared.url.appendingPathComponent("corpus/un/003/en.docx").path),
    Comment(rawValue: "missing ../shared/corpus/un/003/en.docx (set ALIGNTM_SHARED)")))
struct WordAndPDFWorkflowTests {
  let folder: URL
  init() throws { folder = try TestSupport.makeTemporaryDirectory() }

  func shared(_ path: String) -> String {
    ExternalData.shared.url.appendingPathComponent("corpus/un/\(path)").path
  }

  /// The units `tm list` shows after aligning two files into a new memory, without their ids,
  /// white space folded and footnote calls (`¹`, which the text conversions sometimes lack)
  /// left out.
  func units(_ english: String, _ french: String, memory: String) throws -> [String] {
    let path = folder.appendingPathComponent(memory).path
    let align = try CommandRunner.run(
      ["align", english, french, "--into-tm", "-o", "/dev/null"], environment: ["ALIGNTM_TM": path])
    #expect(align.status == 0, "\(align.standardError)")
    let list = try CommandRunner.run(["tm", "list"], environment: ["ALIGNTM_TM": path])
    #expect(list.status == 0, "\(list.standardError)")
    return list.standardOutput.split(separator: "\n").map { line in
      let text = line.split(separator: "\t", maxSplits: 1).dropFirst().joined()
      let plain = String(
        String.UnicodeScalarView(text.unicodeScalars.filter { !Self.superscripts.contains($0) }))
      return plain.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }.sorted()
  }

  static let superscripts = Set("⁰¹²³⁴⁵⁶⁷⁸⁹".unicodeScalars)

  @Test(arguments: ["003", "004"])
  func theMemoryHoldsTheUnitsOfTheTextFiles(pair: String) throws {
    let text = try units(shared("\(pair)/en.txt"), shared("\(pair)/fr.txt"), memory: "\(pair)-txt.sqlite")
    #expect(!text.isEmpty)
    for form in ["docx", "lo.docx"] {
      let word = try units(
        shared("\(pair)/en.\(form)"), shared("\(pair)/fr.\(form)"), memory: "\(pair)-\(form).sqlite")
      #expect(word == text, "\(pair) .\(form): \(Set(word).subtracting(text).sorted())")
    }
    // A PDF loses nothing but a few spaces pdftotext cannot place (in a web address cut at
    // a line end): at most one unit in a hundred differs.
    let pdf = try units(shared("\(pair)/en.pdf"), shared("\(pair)/fr.pdf"), memory: "\(pair)-pdf.sqlite")
    #expect(pdf.count == text.count)
    let differing = Set(pdf).subtracting(text)
    #expect(differing.count * 100 <= text.count, "\(pair) .pdf: \(differing.sorted())")
  }

  @Test func mixedInputsAlign() throws {
    let output = folder.appendingPathComponent("mixed.jsonl").path
    let align = try CommandRunner.run(["align", shared("003/en.pdf"), shared("003/fr.docx"), "-o", output])
    #expect(align.status == 0, "\(align.standardError)")
    let eval = try CommandRunner.run(["eval", "--beads", shared("003/gold.jsonl"), "--test", output])
    let strict = try #require(eval.standardOutput.split(separator: "\n").first)
    let f1 = try #require(Double(strict.split(separator: " ").last ?? ""))
    #expect(f1 >= 0.97, "\(eval.standardOutput)")
  }

  @Test func aBadWordFileStoresNothing() throws {
    let bad = folder.appendingPathComponent("en.docx")
    try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00]).write(to: bad)
    let memory = folder.appendingPathComponent("bad.sqlite").path
    let align = try CommandRunner.run(
      ["align", bad.path, shared("003/fr.docx"), "--into-tm"], environment: ["ALIGNTM_TM": memory])
    #expect(align.status == 1)
    #expect(align.standardError.contains("\(bad.path):1: not a readable Word file"), "\(align.standardError)")
    #expect(!FileManager.default.fileExists(atPath: memory))
  }

  /// `suggest` reads a Word document as it reads its text conversion: against a memory of 003,
  /// 003's English `.docx` gives the same sentences, each found at 100 %.
  @Test func suggestReadsAWordDocument() throws {
    let memory = folder.appendingPathComponent("suggest.sqlite").path
    let align = try CommandRunner.run(
      [
        "align", TestSupport.corpusFile("un/003/en.txt").path, TestSupport.corpusFile("un/003/fr.txt").path,
        "--into-tm", "-o", "/dev/null",
      ], environment: ["ALIGNTM_TM": memory])
    #expect(align.status == 0, "\(align.standardError)")
    func suggestions(_ document: String) throws -> [(source: String, score: Double)] {
      let result = try CommandRunner.run(
        ["suggest", document, "--format", "jsonl"], environment: ["ALIGNTM_TM": memory])
      #expect(result.status == 0, "\(result.standardError)")
      return try result.standardOutput.split(separator: "\n").map { line in
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        return ((object["source"] as? String) ?? "", (object["score"] as? Double) ?? 0)
      }
    }
    let fromWord = try suggestions(shared("003/en.docx"))
    let fromText = try suggestions(TestSupport.corpusFile("un/003/en.txt").path)
    #expect(fromWord.count == fromText.count && fromWord.count > 50, "\(fromWord.count) \(fromText.count)")
    #expect(fromWord.filter { $0.score >= 100 }.count == fromWord.count)
  }
}
