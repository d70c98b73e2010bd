import Foundation
import TestSupport
import Testing

/// The whole `--help` of every command, compared with `Snapshots/` (as swift-argument-parser's
/// `MathExampleTests` do): a changed option, default or wording shows up as a failing test.
///
/// After a deliberate change, `ALIGNTM_RECORD_SNAPSHOTS=1 swift test --filter HelpSnapshotTests`
/// writes the new snapshots (each recorded one is reported as a failure, so a recording run never
/// passes); review them with `git diff`.
@Suite struct HelpSnapshotTests {
  static let commands: [[String]] = [
    [], ["segment"], ["align"], ["eval"], ["query"], ["suggest"], ["concord"],
    ["tm"], ["tm", "stats"], ["tm", "list"], ["tm", "add"], ["tm", "remove"], ["tm", "export"],
    ["tm", "import"], ["serve"],
  ]

  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots")

  @Test(arguments: commands)
  func helpMatchesItsSnapshot(_ command: [String]) throws {
    // Help wraps at the terminal's width; COLUMNS fixes it.
    let result = try CommandRunner.run(command + ["--help"], environment: ["COLUMNS": "100"])
    #expect(result.status == 0, "\(result.standardError)")
    let snapshot = Self.folder.appendingPathComponent((["aligntm"] + command).joined(separator: "-") + ".txt")
    if ProcessInfo.processInfo.environment["ALIGNTM_RECORD_SNAPSHOTS"] != nil {
      try result.standardOutput.write(to: snapshot, atomically: true, encoding: .utf8)
      Issue.record("recorded \(snapshot.lastPathComponent)")
      return
    }
    let expected = try String(contentsOf: snapshot, encoding: .utf8)
    #expect(result.standardOutput == expected, "aligntm \(command.joined(separator: " ")) --help")
  }

  /// Every command has a snapshot, and every snapshot a command.
  @Test func theSnapshotsAreTheCommands() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
      .filter { $0.hasSuffix(".txt") }
    let names = Self.commands.map { (["aligntm"] + $0).joined(separator: "-") + ".txt" }
    #expect(Set(files) == Set(names))
  }

  /// The old spellings are hidden from `--help` but listed by `--help-hidden`.
  @Test(arguments: [
    (["query"], ["--from", "--to", "--min", "--top"]),
    (["suggest"], ["--from", "--to", "--min", "--out"]),
    (["concord"], ["--lang", "--to", "--top"]),
    (["tm", "export"], ["--out"]),
    (["align"], ["--from", "--to", "--min", "--out"]),
  ])
  func oldSpellingsAreHidden(_ command: [String], _ aliases: [String]) throws {
    let help = try CommandRunner.run(command + ["--help"], environment: ["COLUMNS": "100"]).standardOutput
    let hidden = try CommandRunner.run(command + ["--help-hidden"], environment: ["COLUMNS": "100"])
      .standardOutput
    for alias in aliases {
      #expect(!help.contains("\(alias) "), "\(alias) is not in --help")
      #expect(hidden.contains("\(alias) "), "\(alias) is in --help-hidden")
    }
  }
}
