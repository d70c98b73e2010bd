import Foundation
import TestSupport
import Testing

@Suite struct CommandLineTests {
  @Test func helpListsTheSubcommands() throws {
    let result = try CommandRunner.run(["--help"])
    #expect(result.status == 0)
    for command in ["segment", "align", "eval"] {
      #expect(result.standardOutput.contains(command), "--help mentions \(command)")
    }
  }

  @Test func unknownSubcommandFailsWithUsage() throws {
    let result = try CommandRunner.run(["frobnicate"])
    #expect(result.status != 0)
    #expect(result.standardError.contains("Usage") || result.standardError.contains("Error"))
  }
}

@Suite struct BadInputTests {
  @Test func missingFileNamesIt() throws {
    let result = try CommandRunner.run(["segment", "no/such/file.txt"])
    #expect(result.status == 1)
    #expect(result.standardError.contains("no/such/file.txt"))
  }

  @Test func binaryFileIsRefused() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    let file = folder.appendingPathComponent("binary.txt")
    try Data([0x41, 0x00, 0x42, 0x0A]).write(to: file)
    let result = try CommandRunner.run(["segment", file.path])
    #expect(result.status == 1)
    #expect(result.standardError.contains("binary.txt:1:"), "\(result.standardError)")
  }

  @Test func segmentWritesJSONLines() throws {
    let result = try CommandRunner.run([
      "segment", TestSupport.corpusFile("un/002/fr.txt").path, "--format", "jsonl",
    ])
    #expect(result.status == 0)
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.count > 30)
    let numbered = try lines.compactMap {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }.first { $0["number"] as? String == "1" }
    #expect((numbered?["text"] as? String)?.hasPrefix("1. ") == true)
    #expect(numbered?["kind"] as? String == "body")
  }

  @Test func minScoreOutOfRangeIsAUsageError() throws {
    let result = try CommandRunner.run(["align", "a", "b", "--min-score", "200"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("--min-score between 0 and 100"))
  }

  /// `--min-score` was a fraction in `align` and `tm add`: an old script gets an error, not a
  /// threshold a hundred times too low.
  @Test(arguments: [["align", "a", "b"], ["tm", "add", "a.jsonl"], ["query", "a"], ["suggest", "a"]])
  func minScoreAsAFractionIsRefused(_ command: [String]) throws {
    let result = try CommandRunner.run(command + ["--min-score", "0.35"])
    #expect(result.status == 64)
    #expect(
      result.standardError.contains("Error: --min-score is a percentage (0–100): did you mean 35?"),
      "\(result.standardError)")
  }

  @Test func theOldPercentageSpellingKeepsItsMeaning() throws {
    // `--min` was already a percentage: 0.5 is half a percent, not refused.
    let result = try CommandRunner.run(["query", "a", "--min", "0.5", "--tm", "/nonexistent/memory.sqlite"])
    #expect(result.status == 1)
    #expect(result.standardError.contains("no translation memory yet"), "\(result.standardError)")
  }

  @Test func exportNeedsAFile() throws {
    let result = try CommandRunner.run(["tm", "export"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("Give the TMX file to write with -o/--output."))
  }
}
