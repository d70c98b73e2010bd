import Foundation
import TestSupport
import Testing
import TranslationMemory

/// `align --pairs LIST.tsv --into-tm`: many pairs on all cores, each stored whole or not at all,
/// the stored ones skipped when the command runs again, the failed ones listed with the reason.
@Suite(.serialized) struct AlignPairsTests {
  let folder: URL
  var memory: String { folder.appendingPathComponent("memory.sqlite").path }

  init() throws { folder = try TestSupport.makeTemporaryDirectory() }

  func aligntm(_ arguments: [String]) throws -> CommandRunner.Result {
    try CommandRunner.run(arguments, environment: ["ALIGNTM_TM": memory])
  }

  func corpus(_ path: String) -> String { TestSupport.corpusFile(path).path }

  func list(_ text: String) throws -> String {
    let url = folder.appendingPathComponent("pairs.tsv")
    try Data(text.utf8).write(to: url)
    return url.path
  }

  /// Units per source file, from `tm list` is too coarse: read the memory's provenance directly.
  func unitCounts() throws -> [String: Int] {
    // The store keeps the full path (a TMX export names the file only).
    var counts: [String: Int] = [:]
    for unit in try TranslationMemory(url: URL(fileURLWithPath: memory), access: .readOnly).units() {
      if let file = unit.property(.sourceFile) { counts[file, default: 0] += 1 }
    }
    return counts
  }

  @Test func alignsTheListStoresEachPairAndListsTheFailures() throws {
    let list = try list(
      """
      # source\ttarget\tsymbol
      \(corpus("un/001/en.txt"))\t\(corpus("un/001/fr.txt"))

      \(corpus("un/002/en.txt"))\t\(corpus("un/002/fr.txt"))\tA/TEST/2
      \(corpus("un/003/en.txt"))\t\(folder.path)/missing.txt
      \(corpus("un/004/fr.txt"))\t\(corpus("un/004/en.txt"))

      """)
    let first = try aligntm(["align", "--pairs", list, "--into-tm"])
    #expect(first.status == 1)
    #expect(first.standardError.contains("pairs.tsv:5: "), "\(first.standardError)")
    #expect(first.standardError.contains("missing.txt: no such file"), "\(first.standardError)")
    #expect(first.standardError.contains("pairs.tsv:6: "), "\(first.standardError)")
    #expect(first.standardError.contains("does not look like a document and its translation"))
    #expect(first.standardError.contains("2 pairs aligned and stored"), "\(first.standardError)")
    #expect(first.standardError.contains("2 failed"))
    #expect(!first.standardError.contains("\r"), "no progress bar when standard error is not a terminal")
    let counts = try unitCounts()
    #expect(counts.keys.sorted() == [corpus("un/001/en.txt"), corpus("un/002/en.txt")])
    let stats = try aligntm(["tm", "stats"])
    #expect(stats.standardOutput.contains("A/TEST/2: \(counts[corpus("un/002/en.txt")] ?? -1) units"))

    // Run again: the stored pairs are skipped, the failed ones tried again.
    let second = try aligntm(["align", "--pairs", list, "--into-tm"])
    #expect(second.status == 1)
    #expect(second.standardError.contains("0 pairs aligned and stored"), "\(second.standardError)")
    #expect(second.standardError.contains("2 already stored and skipped"))
    #expect(try unitCounts() == counts)

    // A document removed from the memory is aligned again.
    let removed = try aligntm(["tm", "remove", "--document", "A/TEST/2"])
    #expect(removed.status == 0, "\(removed.standardError)")
    let third = try aligntm(["align", "--pairs", list, "--into-tm"])
    #expect(third.standardError.contains("1 pairs aligned and stored"), "\(third.standardError)")
    #expect(third.standardError.contains("1 already stored and skipped"))
    #expect(try unitCounts() == counts)
  }

  /// A pair stored by a single `align --into-tm` with the same paths counts as stored; a pair
  /// the same as the single alignment stores the same units.
  @Test func aPairStoredBeforeIsSkippedAndThePairsMatchSingleAlignments() throws {
    let single = try aligntm([
      "align", corpus("un/003/en.txt"), corpus("un/003/fr.txt"), "--into-tm", "-o", "/dev/null",
    ])
    #expect(single.status == 0, "\(single.standardError)")
    let before = try unitCounts()
    let list = try list(
      """
      \(corpus("un/003/en.txt"))\t\(corpus("un/003/fr.txt"))
      \(corpus("un/004/en.txt"))\t\(corpus("un/004/fr.txt"))
      """)
    let batch = try aligntm(["align", "--pairs", list, "--into-tm"])
    #expect(batch.status == 0, "\(batch.standardError)")
    #expect(batch.standardError.contains("1 pairs aligned and stored"), "\(batch.standardError)")
    #expect(batch.standardError.contains("1 already stored and skipped"))
    let after = try unitCounts()
    #expect(after[corpus("un/003/en.txt")] == before[corpus("un/003/en.txt")])

    let other = folder.appendingPathComponent("single.sqlite").path
    let alone = try CommandRunner.run(
      ["align", corpus("un/004/en.txt"), corpus("un/004/fr.txt"), "--into-tm", "-o", "/dev/null"],
      environment: ["ALIGNTM_TM": other])
    #expect(alone.status == 0)
    let stats = try CommandRunner.run(["tm", "stats"], environment: ["ALIGNTM_TM": other])
    let units = stats.standardOutput.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    #expect(units == after[corpus("un/004/en.txt")], "\(stats.standardOutput)")
  }

  /// Two pairs with the same texts: the second one's units all merge into the first one's, and
  /// it is still skipped next time (its record says so); a file changed since is aligned again.
  @Test func aPairWhoseUnitsAllMergedIsSkippedAndAChangedOneAlignedAgain() throws {
    for copy in ["a", "b"] {
      let documents = folder.appendingPathComponent(copy)
      try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
      for name in ["en.txt", "fr.txt"] {
        try FileManager.default.copyItem(
          atPath: corpus("un/001/\(name)"), toPath: documents.appendingPathComponent(name).path)
      }
    }
    let list = try list("a/en.txt\ta/fr.txt\nb/en.txt\tb/fr.txt\n")
    let first = try aligntm(["align", "--pairs", list, "--into-tm"])
    #expect(first.status == 0, "\(first.standardError)")
    #expect(first.standardError.contains("2 pairs aligned and stored"), "\(first.standardError)")
    #expect(try unitCounts().keys.count == 1, "every unit of one pair merged into the other's")
    let second = try aligntm(["align", "--pairs", list, "--into-tm"])
    #expect(second.standardError.contains("0 pairs aligned and stored"), "\(second.standardError)")
    #expect(second.standardError.contains("2 already stored and skipped"))

    let changed = folder.appendingPathComponent("b/en.txt")
    let text = try String(contentsOf: changed, encoding: .utf8)
    try (text + "\n\nA paragraph added since.\n").write(to: changed, atomically: true, encoding: .utf8)
    let third = try aligntm(["align", "--pairs", list, "--into-tm"])
    #expect(third.standardError.contains("1 pairs aligned and stored"), "\(third.standardError)")
    #expect(third.standardError.contains("1 already stored and skipped"))
  }

  /// The units and usage counts of a memory, from its TMX export (dates left out: they are the
  /// time of the alignment).
  func storedTexts(_ memory: String) throws -> [String] {
    let file = folder.appendingPathComponent("texts.tmx").path
    let result = try CommandRunner.run(["tm", "export", "-o", file], environment: ["ALIGNTM_TM": memory])
    #expect(result.status == 0, "\(result.standardError)")
    let tmx = try String(contentsOfFile: file, encoding: .utf8)
    var units: [String] = []
    for unit in tmx.components(separatedBy: "<tu ").dropFirst() {
      let usage = unit.components(separatedBy: "usagecount=\"").dropFirst().first?.prefix { $0 != "\"" } ?? ""
      let segments = unit.components(separatedBy: "<seg>").dropFirst().map {
        $0.components(separatedBy: "</seg>")[0]
      }
      units.append("\(usage) " + segments.joined(separator: " | "))
    }
    return units.sorted()
  }

  /// Killed with SIGKILL in the middle of a batch, then run again: the memory ends as an
  /// uninterrupted run leaves it (no pair half-stored, none stored twice).
  @Test func aKilledBatchResumedEqualsAnUninterruptedOne() throws {
    var lines = ""
    for index in 0..<8 {
      let document = ["001", "002", "003", "004"][index % 4]
      let pair = folder.appendingPathComponent("p\(index)")
      try FileManager.default.createDirectory(at: pair, withIntermediateDirectories: true)
      for name in ["en.txt", "fr.txt"] {
        try FileManager.default.copyItem(
          atPath: corpus("un/\(document)/\(name)"), toPath: pair.appendingPathComponent(name).path)
      }
      lines += "p\(index)/en.txt\tp\(index)/fr.txt\n"
    }
    let list = try list(lines)
    let whole = folder.appendingPathComponent("whole.sqlite").path
    let uninterrupted = try CommandRunner.run(
      ["align", "--pairs", list, "--into-tm"], environment: ["ALIGNTM_TM": whole])
    #expect(uninterrupted.status == 0, "\(uninterrupted.standardError)")

    for delay in [0.5, 1.5] {
      let resumed = folder.appendingPathComponent("resumed-\(delay).sqlite").path
      let process = Process()
      process.executableURL = CommandRunner.executable
      process.arguments = ["align", "--pairs", list, "--into-tm", "--tm", resumed]
      process.standardError = FileHandle.nullDevice
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      Thread.sleep(forTimeInterval: delay)
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let again = try CommandRunner.run(
        ["align", "--pairs", list, "--into-tm"], environment: ["ALIGNTM_TM": resumed])
      #expect(again.status == 0, "\(again.standardError)")
      #expect(try storedTexts(resumed) == storedTexts(whole), "killed after \(delay) s")
    }
  }

  @Test func aBadListNamesTheLineAndStoresNothing() throws {
    let cases: [(String, String)] = [
      ("a.txt\tb.txt\n\none-field\n", "pairs.tsv:3: expected 2 or 3 tab-separated fields"),
      ("a.txt\tb.txt\tA/1\textra\n", "pairs.tsv:1: expected 2 or 3 tab-separated fields"),
      ("# c\n\tb.txt\n", "pairs.tsv:2: the source is empty"),
      ("a.txt\t-\n", "pairs.tsv:1: standard input (-) can't be one of many pairs"),
      ("a.txt\tb.txt\n#\na.txt\tb.txt\n", "pairs.tsv:3: the same pair as line 1"),
    ]
    for (text, message) in cases {
      let result = try aligntm(["align", "--pairs", try list(text), "--into-tm"])
      #expect(result.status == 1)
      #expect(result.standardError.contains(message), "\(result.standardError)")
    }
    #expect(!FileManager.default.fileExists(atPath: memory))
  }

  @Test func pairsNeedIntoTMAndNoDocuments() throws {
    let list = try list("a.txt\tb.txt\n")
    let without = try aligntm(["align", "--pairs", list])
    #expect(without.status == ExitCodeValue.validation)
    #expect(without.standardError.contains("--pairs stores what it aligns: add --into-tm."))
    let both = try aligntm(["align", "a.txt", "b.txt", "--pairs", list, "--into-tm"])
    #expect(both.status == ExitCodeValue.validation)
    #expect(both.standardError.contains("Give either SOURCE TARGET or --pairs LIST, not both."))
    let neither = try aligntm(["align", "--into-tm"])
    #expect(neither.status == ExitCodeValue.validation)
  }

  /// Relative paths in the list are taken from the list's folder, and stored so.
  @Test func relativePathsAreTakenFromTheListsFolder() throws {
    let documents = folder.appendingPathComponent("docs")
    try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
    for name in ["en.txt", "fr.txt"] {
      try FileManager.default.copyItem(
        atPath: corpus("un/003/\(name)"), toPath: documents.appendingPathComponent(name).path)
    }
    let list = try list("docs/en.txt\tdocs/fr.txt\n")
    let result = try CommandRunner.run(
      ["align", "--pairs", list, "--into-tm"], in: URL(fileURLWithPath: "/"),
      environment: ["ALIGNTM_TM": memory])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(try unitCounts().keys.sorted() == [folder.path + "/docs/en.txt"])
  }
}

/// ArgumentParser's exit code for usage errors.
private enum ExitCodeValue {
  static let validation: Int32 = 64
}
