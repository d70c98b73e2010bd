import Foundation
import TestSupport
import Testing

/// `align` warns when its two documents are not a document and its translation, and `--into-tm`
/// then stores nothing unless `--force`; `eval` warns when the test is another document's alignment.
extension WorkflowTests {
  func warnings(_ result: CommandRunner.Result) -> [Substring] {
    result.standardError.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
  }

  @Test func aRealPairIsStoredWithoutAWarning() throws {
    let result = try aligntm([
      "align", corpus("un/003/en.txt"), corpus("un/003/fr.txt"), "--into-tm", "-o",
      folder.appendingPathComponent("003.jsonl").path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(warnings(result) == [])
    #expect(result.standardError.contains("67 units added"))
  }

  /// 003 English with 004 French: warned, refused, nothing stored; `--force` stores it.
  @Test func differentDocumentsAreRefusedUnlessForced() throws {
    let align = [
      "align", corpus("un/003/en.txt"), corpus("un/004/fr.txt"), "--into-tm", "-o",
      folder.appendingPathComponent("mixed.jsonl").path,
    ]
    let refused = try aligntm(align)
    #expect(refused.status != 0)
    let warnings = warnings(refused)
    #expect(warnings.contains { $0.contains("different symbols (A/RES/75/15 and A/75/371)") }, "\(warnings)")
    #expect(warnings.contains { $0.contains("numbers, symbols and acronyms") }, "\(warnings)")
    #expect(refused.standardError.contains("nothing stored"))
    #expect(refused.standardError.contains("--force"))
    #expect(!FileManager.default.fileExists(atPath: memory), "no memory was created")

    let forced = try aligntm(align + ["--force"])
    #expect(forced.status == 0, "\(forced.standardError)")
    #expect(self.warnings(forced).count == warnings.count, "still warned")
    #expect(forced.standardError.contains("units added"))
    let stats = try aligntm(["tm", "stats"])
    #expect(stats.status == 0)
    #expect(stats.standardOutput.contains("A/RES/75/15"), "\(stats.standardOutput)")
  }

  /// French given as the source and English as the target: one warning a side, nothing stored in a
  /// memory that already holds a pair.
  @Test func swappedFilesAreRefused() throws {
    let first = try aligntm(["align", corpus("un/002/en.txt"), corpus("un/002/fr.txt"), "--into-tm"])
    #expect(first.status == 0, "\(first.standardError)")
    let before = try aligntm(["tm", "stats"]).standardOutput
    let swapped = try aligntm(["align", corpus("un/003/fr.txt"), corpus("un/003/en.txt"), "--into-tm"])
    #expect(swapped.status != 0)
    let warnings = warnings(swapped)
    #expect(warnings.contains { $0.contains("source document was read as en but its text looks like fr") })
    #expect(warnings.contains { $0.contains("target document was read as fr but its text looks like en") })
    #expect(try aligntm(["tm", "stats"]).standardOutput == before, "nothing stored")
  }

  /// Without --into-tm the alignment is still written, with the warnings, and the exit status is 0.
  @Test func withoutIntoTMItOnlyWarns() throws {
    let result = try aligntm(["align", corpus("un/003/en.txt"), corpus("un/003/en.txt"), "--format", "links"])
    #expect(result.status == 0)
    #expect(warnings(result).count == 1)
    #expect(
      warnings(result).first?.contains("target document was read as fr but its text looks like en") == true)
    #expect(!result.standardOutput.isEmpty)
  }

  @Test func evalWarnsWhenTheTestIsAnotherDocument() throws {
    let aligned = folder.appendingPathComponent("004.jsonl").path
    let align = try aligntm(["align", corpus("un/004/en.txt"), corpus("un/004/fr.txt"), "-o", aligned])
    #expect(align.status == 0)
    let same = try aligntm(["eval", "--beads", corpus("un/004/gold.jsonl"), "--test", aligned])
    #expect(same.status == 0)
    #expect(warnings(same) == [])
    let other = try aligntm(["eval", "--beads", corpus("un/003/gold.jsonl"), "--test", aligned])
    #expect(other.status == 0, "the score is still printed")
    #expect(other.standardOutput.hasPrefix("strict"))
    let warnings = warnings(other)
    #expect(warnings.count == 1)
    #expect(
      warnings.first?.contains("of the sentences of \(corpus("un/003/gold.jsonl"))") == true, "\(warnings)")
  }
}
