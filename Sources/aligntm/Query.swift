import ArgumentParser
import Foundation
import TranslationMemory

/// `--min-score` of `query`.
enum ShownMatchScore: MinimumScoreRule {
  static let defaultPercentage = 70.0
  static let help = "The lowest match percentage to show."
}

/// `--limit` of `query`.
enum QueryLimit: LimitRule {
  static let defaultLimit = 5
  static let help = "How many matches at most."
}

struct Query: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Find the stored sentences closest to a text, with their translations.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

  @Argument(help: "The sentence to look up.")
  var text: String
  @OptionGroup var languages: LanguagePairOptions
  @OptionGroup var memory: MemoryOptions
  @OptionGroup var limit: LimitOptions<QueryLimit>
  @OptionGroup var minimumScore: MinimumScoreOptions<ShownMatchScore>
  @Option(help: "Output format: text or json.")
  var format: Format = .text

  func validate() throws {
    if text.allSatisfy(\.isWhitespace) { throw ValidationError("The text to look up is empty.") }
    if !FuzzyIndex.isShortEnough(text) {
      throw ValidationError(
        "The text to look up has \(text.utf16.count) UTF-16 code units; fuzzy matching compares texts "
          + "of at most \(FuzzyIndex.maximumTextLength).")
    }
  }

  func run() throws {
    let index = try memory.fuzzyIndex(languages)
    let matches = try index.matches(for: text, minimumScore: minimumScore.percentage, limit: limit.limit)
    switch format {
    case .json:
      struct Output: Encodable {
        var query: String
        var matches: [MatchRecord]
      }
      print(jsonLine(Output(query: text, matches: matches.map(MatchRecord.init))))
    case .text:
      if matches.isEmpty {
        print("No match at \(Int(minimumScore.percentage)) % or more among \(index.count) units.")
        return
      }
      let highlighter = Highlighter(colour: isatty(1) != 0)
      for (rank, match) in matches.enumerated() {
        print("\(rank + 1). \(String(format: "%.1f", match.score.value)) %  \(provenance(match.entry))")
        print("   query:  \(highlighter.query(match, text))")
        print("   stored: \(highlighter.source(match))")
        print("   \(languages.targetLanguage):     \(terminalText(match.entry.target))")
        if !match.suggestion.substitutions.isEmpty {
          print("   suggest: \(highlighter.suggestion(match))")
        }
      }
    }
  }
}
