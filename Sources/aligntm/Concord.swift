import ArgumentParser
import Foundation
import TextSegmentation
import TranslationMemory

/// `--limit` of `concord`.
enum ConcordLimit: LimitRule {
  static let defaultLimit = 50
  static let help = "How many units at most."
}

struct Concord: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show every stored unit holding a word or phrase, in context, with its translation.",
    discussion: """
      The term is searched in the --source-lang text of each unit, as whole words; each hit is \
      marked [[…]] (in colour on a terminal).
      """)

  @Argument(help: "The word or phrase (case and accents are ignored).")
  var term: String
  @OptionGroup var languages: LanguagePairOptions
  /// The old spelling of `--source-lang`.
  @Option(name: .customLong("lang"), help: .oldSpelling(of: "--source-lang"))
  var oldSourceLanguage: Language?
  @OptionGroup var memory: MemoryOptions
  @OptionGroup var limit: LimitOptions<ConcordLimit>

  mutating func validate() throws {
    if let oldSourceLanguage { languages.sourceLanguage = oldSourceLanguage }
    if TextNormalizer.matchKey(term).allSatisfy(\.isWhitespace) {
      throw ValidationError("Give a word or phrase.")
    }
  }

  func run() throws {
    let source = languages.sourceLanguage
    let target = languages.targetLanguage
    let store = try memory.openExisting()
    let highlighter = Highlighter(colour: isatty(1) != 0)
    var shown = 0
    var total = 0
    var paired = 0
    var lines: [String] = []
    try store.forEachUnit(languages: [source, target]) { unit in
      guard let variant = unit[source] else { return }
      if unit[target] != nil { paired += 1 }
      let ranges = TextNormalizer.occurrences(of: term, in: variant.text)
      if ranges.isEmpty { return }
      total += 1
      guard shown < limit.limit else { return }
      shown += 1
      // [[…]]: French uses « » as quotation marks.
      lines.append(
        "\(source): \(highlighter.mark(variant.text, ranges, open: "[[", close: "]]", ansi: "1;33"))")
      if let translation = unit[target] { lines.append("\(target): \(terminalText(translation.text))") }
      let provenance = [unit.document, unit.property(.paragraph).map { "¶ \($0)" }].compactMap { $0 }
      let place = provenance.isEmpty ? "unit \(unit.id ?? 0)" : provenance.joined(separator: ", ")
      lines.append("   (\(terminalText(place)))\n")
    }
    if paired == 0 {
      throw TranslationMemoryError.missingLanguagePair(
        path: memory.displayPath, source: source, target: target, pairs: try store.languagePairs())
    }
    for line in lines { print(line) }
    let limited = total > shown ? "; \(shown) shown (--limit)" : ""
    print("\(total) units hold “\(terminalText(term))”" + limited)
  }
}
