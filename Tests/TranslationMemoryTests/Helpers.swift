import Foundation
import TestSupport
import TextSegmentation
import TranslationMemory

/// Shared helpers for the store and TMX tests.
enum Fixture {
  /// A new memory in a new temporary folder.
  static func makeMemory() throws -> (TranslationMemory, URL) {
    let folder = try TestSupport.makeTemporaryDirectory()
    let memory = try TranslationMemory(url: folder.appendingPathComponent("tm/memory.sqlite"))
    return (memory, folder)
  }

  static let date = Date(timeIntervalSince1970: 1_700_000_000)

  static func pair(
    _ english: String, _ french: String, document: String? = "A/75/15", paragraph: String? = nil,
    date: Date = Fixture.date
  ) -> TranslationUnit {
    TranslationUnit.aligned(
      source: Variant(language: .english, text: english),
      target: Variant(language: .french, text: french), document: document, paragraph: paragraph,
      score: 0.9, sourceFile: "un/003/en.txt", targetFile: "un/003/fr.txt", tool: TranslationMemory.tool,
      date: date)
  }

  /// Units from the gold sentence pairs of a corpus document (one-to-one beads).
  static func seedUnits(_ document: String = "003", symbol: String = "A/RES/75/15") throws
    -> [TranslationUnit]
  {
    let beads = try TestSupport.jsonLines("un/\(document)/gold.jsonl", as: GoldBead.self)
    return beads.enumerated().compactMap { index, bead in
      guard !bead.en.isEmpty, !bead.fr.isEmpty else { return nil }
      return pair(
        bead.en.joined(separator: " "), bead.fr.joined(separator: " "), document: symbol,
        paragraph: bead.p, date: date.addingTimeInterval(TimeInterval(index)))
    }
  }

  /// Writes `text` to a new file in `folder`.
  static func file(_ name: String, _ text: String, in folder: URL) throws -> URL {
    let url = folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
  }

  /// Runs a program; returns its exit status and output (stdout and stderr). Nil if absent.
  static func run(_ program: String, _ arguments: [String]) -> (status: Int32, output: String)? {
    TestSupport.runProgram(program, arguments)
  }

  static let hasXMLLint: Bool = run("xmllint", ["--version"])?.status == 0
  static let hasTranslateToolkit: Bool =
    run("python3", ["-c", "from translate.storage import tmx"])?.status == 0
}
