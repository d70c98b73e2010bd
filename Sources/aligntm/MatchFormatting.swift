import TranslationMemory

/// Marks differences and substitutions: colour on a terminal, plain brackets otherwise.
struct Highlighter {
  let colour: Bool

  /// The text with the given UTF-16 ranges wrapped in markers, its control characters shown
  /// as escapes (``terminalText(_:)``).
  func mark(_ text: String, _ ranges: [Range<Int>], open: String, close: String, ansi: String) -> String {
    text.marking(ranges, outside: terminalText) {
      colour ? "\u{1B}[\(ansi)m\(terminalText($0))\u{1B}[0m" : open + terminalText($0) + close
    }
  }

  /// The query with what the stored source lacks marked `{+…+}`.
  func query(_ match: FuzzyMatch, _ query: String) -> String {
    let inserted = match.differences.filter { $0.kind == .inserted || $0.kind == .replaced }
    return mark(query, inserted.map(\.queryRange), open: "{+", close: "+}", ansi: "1;32")
  }

  /// The stored source with what the query lacks marked `[-…-]`.
  func source(_ match: FuzzyMatch) -> String {
    let deleted = match.differences.filter { $0.kind == .deleted || $0.kind == .replaced }
    return mark(match.entry.source, deleted.map(\.sourceRange), open: "[-", close: "-]", ansi: "1;31")
  }

  /// The suggestion with substituted placeables marked `⟦…⟧`.
  func suggestion(_ match: FuzzyMatch) -> String {
    mark(
      match.suggestion.text, match.suggestion.substitutions.map(\.range), open: "⟦", close: "⟧",
      ansi: "1;36")
  }
}

/// A match as JSON: the library's record, shared with `aligntm serve`.
typealias MatchRecord = FuzzyMatchRecord

/// Where a match comes from: its document and paragraph, when known.
func provenance(_ entry: FuzzyEntry) -> String {
  terminalText([entry.document, entry.paragraph.map { "¶ \($0)" }].compactMap { $0 }.joined(separator: ", "))
}
