import TextSegmentation
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

/// The suggestions of `suggest --format xliff` as an XLIFF 1.2 document: one group per paragraph
/// of the new document, one trans-unit per sentence.
///
/// The best match becomes the target with `state="needs-review-translation"` and a
/// `state-qualifier`: `exact-match` for a 100 % match, `leveraged-tm` for a match whose target
/// had placeables (numbers, symbols, dates) substituted, `fuzzy-match` for the rest. A context
/// match (a 100 % match whose neighbours match the same stored document) is the only one marked
/// `approved="yes"`, with `state="translated"`. Every match found (the top three) is an
/// alt-trans with its `match-quality` and, as `origin`, the symbol of the document it comes from.
struct XLIFFSuggestions {
  /// How many matches each trans-unit offers as alt-trans.
  static let alternativeCount = 3

  let document: Document
  let original: String
  let targetLanguage: Language

  func document(sentences: [DocumentSentence], matches: [[FuzzyMatch]], context: [Bool]) -> XLIFFDocument {
    var result = XLIFFDocument(
      original: original, sourceLanguage: document.language, targetLanguage: targetLanguage,
      symbol: document.symbol)
    for (number, sentence) in sentences.enumerated() {
      if result.groups.last?.id != "p\(sentence.paragraph + 1)" {
        result.groups.append(
          XLIFFDocument.Group(
            id: "p\(sentence.paragraph + 1)", name: document.paragraphs[sentence.paragraph].number))
      }
      let found = number < matches.count ? matches[number] : []
      let isContext = number < context.count && context[number]
      var unit = XLIFFDocument.Unit(
        id: "s\(number + 1)", source: TranslationUnit.variant([sentence], of: document))
      if let best = found.first {
        let qualifier =
          !best.suggestion.substitutions.isEmpty
          ? "leveraged-tm" : best.score.value >= 100 ? "exact-match" : "fuzzy-match"
        unit.target = XLIFFDocument.Target(
          variant: Variant(language: targetLanguage, text: best.suggestion.text),
          state: isContext ? "translated" : "needs-review-translation", stateQualifier: qualifier)
        unit.approved = isContext
        if !best.suggestion.substitutions.isEmpty {
          unit.notes.append(
            "placeables substituted: "
              + best.suggestion.substitutions.map { "\($0.original) → \($0.replacement)" }.joined(
                separator: ", "))
        }
      }
      unit.alternatives = found.map {
        XLIFFDocument.Alternative(
          source: Variant(language: $0.entry.sourceLanguage, text: $0.entry.source),
          target: Variant(language: $0.entry.targetLanguage, text: $0.entry.target),
          matchQuality: ($0.score.value * 10).rounded() / 10, origin: $0.entry.document)
      }
      result.groups[result.groups.count - 1].units.append(unit)
    }
    return result
  }
}
