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
