import Alignment
import Foundation

/// A pre-translated document as an HTML page: each sentence with its suggestion, its match score
/// and the placeables substituted in the suggestion marked.
///
/// The sibling of ``Alignment/ReviewPage``, with which it shares the HTML escaping.
public struct SuggestionPage: Sendable {
  /// One row of the page: one sentence of the new document.
  public struct Row: Sendable {
    /// The sentence.
    public var source: String
    /// The best match, if one scored high enough.
    public var match: FuzzyMatch?
    /// Whether the match is a context match (``MatchAnalysis/contextMatches(_:)``).
    public var context: Bool

    public init(source: String, match: FuzzyMatch?, context: Bool) {
      self.source = source
      self.match = match
      self.context = context
    }
  }

  public var title: String
  public var rows: [Row]

  public init(title: String, rows: [Row]) {
    self.title = title
    self.rows = rows
  }

  /// The page as one self-contained HTML document (no scripts, no external resources).
  public func html() -> String {
    let escape = ReviewPage.escapeHTML
    var out = """
      <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(escape(title))</title><style>
      body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5em; }
      table { border-collapse: collapse; width: 100%; table-layout: fixed; }
      td, th { border-bottom: 1px solid #ddd; padding: .35em .6em; vertical-align: top; text-align: left; }
      col.score { width: 5em; } td.score { text-align: right; }
      tr.none td { color: #888; } tr.exact td.score { color: #2d6a2d; font-weight: bold; }
      mark { background: #cdeffd; }
      </style></head><body><h1>\(escape(title))</h1><table>
      <colgroup><col><col><col class="score"></colgroup>
      <thead><tr><th>source</th><th>suggestion</th><th>match</th></tr></thead><tbody>

      """
    for row in rows {
      var rowClass = "none"
      var suggestion = ""
      var score = "—"
      if let match = row.match {
        let rounded = (match.score.value * 10).rounded() / 10
        rowClass = rounded >= 100 ? "exact" : "fuzzy"
        suggestion = match.suggestion.text.marking(
          match.suggestion.substitutions.map(\.range), outside: escape,
          inside: { "<mark>\(escape($0))</mark>" })
        score = row.context ? "context" : String(format: "%.1f %%", rounded)
      }
      out += "<tr class=\"\(rowClass)\"><td>\(escape(row.source))</td><td>\(suggestion)</td>"
      out += "<td class=\"score\">\(score)</td></tr>\n"
    }
    return out + "</tbody></table></body></html>\n"
  }
}
