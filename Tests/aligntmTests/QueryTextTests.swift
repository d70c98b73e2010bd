import Foundation
import TestSupport
import Testing

/// `query` refuses a text the fuzzy matcher would not compare, before it opens the memory.
@Suite struct QueryTextTests {
  @Test(arguments: ["", "   ", "\t\n"])
  func anEmptyTextIsRefused(_ text: String) throws {
    let result = try CommandRunner.run(["query", text, "--tm", "/nonexistent/memory.sqlite"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("Error: The text to look up is empty."), "\(result.standardError)")
  }

  @Test func aTextTooLongToMatchIsRefused() throws {
    let text = String(repeating: "word ", count: 1_000)
    let result = try CommandRunner.run(["query", text, "--tm", "/nonexistent/memory.sqlite"])
    #expect(result.status == 64)
    #expect(
      result.standardError.contains(
        "Error: The text to look up has 5000 UTF-16 code units; fuzzy matching compares texts of at most 4000."
      ),
      "\(result.standardError)")
  }
}
