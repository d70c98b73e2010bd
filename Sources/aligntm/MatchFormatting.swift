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

/// A match as JSON.
struct MatchRecord: Encodable {
  struct Span: Encodable {
    var kind: String
    var query: [Int]
    var source: [Int]
  }
  struct Substitution: Encodable {
    var kind: String
    var original: String
    var replacement: String
    var range: [Int]
  }
  var score: Double
  var source: String
  var target: String
  var suggestion: String
  var document: String?
  var paragraph: String?
  var differences: [Span]
  var substitutions: [Substitution]

  init(_ match: FuzzyMatch) {
    score = (match.score.value * 10).rounded() / 10
    source = match.entry.source
    target = match.entry.target
    suggestion = match.suggestion.text
    document = match.entry.document
    paragraph = match.entry.paragraph
    differences = match.differences.filter { $0.kind != .equal }.map {
      Span(
        kind: $0.kind.rawValue, query: [$0.queryRange.lowerBound, $0.queryRange.upperBound],
        source: [$0.sourceRange.lowerBound, $0.sourceRange.upperBound])
    }
    substitutions = match.suggestion.substitutions.map {
      Substitution(
        kind: $0.kind.rawValue, original: $0.original, replacement: $0.replacement,
        range: [$0.range.lowerBound, $0.range.upperBound])
    }
  }
}

/// Where a match comes from: its document and paragraph, when known.
func provenance(_ entry: FuzzyEntry) -> String {
  terminalText([entry.document, entry.paragraph.map { "¶ \($0)" }].compactMap { $0 }.joined(separator: ", "))
}
