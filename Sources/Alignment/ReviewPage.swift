import Foundation
import TextSegmentation

/// A side-by-side HTML page on which a translator reviews an alignment in a browser.
///
/// Beads whose confidence is below ``lowConfidence`` are highlighted; paragraph numbers are shown
/// in the margin; 1-0 and 0-1 beads show an empty, hatched cell on the missing side.
public struct ReviewPage: Sendable {
  /// One row of the page: one bead.
  public struct Row: Sendable {
    public var paragraph: String?
    public var source: [String]
    public var target: [String]
    public var score: Double

    public init(paragraph: String?, source: [String], target: [String], score: Double) {
      self.paragraph = paragraph
      self.source = source
      self.target = target
      self.score = score
    }
  }

  public var title: String
  public var sourceLanguage: Language
  public var targetLanguage: Language
  public var rows: [Row]
  /// Beads scoring below this are highlighted for review.
  public var lowConfidence: Double

  public init(
    title: String, sourceLanguage: Language, targetLanguage: Language, rows: [Row],
    lowConfidence: Double = 0.5
  ) {
    self.title = title
    self.sourceLanguage = sourceLanguage
    self.targetLanguage = targetLanguage
    self.rows = rows
    self.lowConfidence = lowConfidence
  }

  /// The page as one self-contained HTML document (no scripts, no external resources).
  public func html() -> String {
    let low = rows.filter { $0.score < lowConfidence }.count
    var out = """
      <!DOCTYPE html>
      <html lang="\(escape(targetLanguage.rawValue))">
      <head>
      <meta charset="utf-8">
      <title>\(escape(title))</title>
      <style>
      body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5em; color: #1b1b1b; }
      h1 { font-size: 1.3em; margin-bottom: 0.2em; }
      p.summary { color: #555; margin-top: 0; }
      table { border-collapse: collapse; width: 100%; table-layout: fixed; }
      th, td { border-bottom: 1px solid #ddd; padding: 0.35em 0.6em; vertical-align: top; text-align: left; }
      th { background: #f0f3f7; position: sticky; top: 0; }
      col.par { width: 3.5em; } col.score { width: 4.5em; }
      td.par { color: #666; font-variant-numeric: tabular-nums; }
      td.score { font-variant-numeric: tabular-nums; text-align: right; color: #2d6a2d; }
      tr.low td { background: #fff3cd; }
      tr.low td.score { color: #a33; font-weight: bold; }
      td.empty { background: repeating-linear-gradient(45deg, #f7f7f7, #f7f7f7 6px, #eee 6px, #eee 12px); }
      span.s + span.s::before { content: " ¦ "; color: #aaa; }
      </style>
      </head>
      <body>
      <h1>\(escape(title))</h1>
      <p class="summary">\(rows.count) beads, \(low) below \(Int((lowConfidence * 100).rounded())) % \
      confidence (highlighted).</p>
      <table>
      <colgroup><col class="par"><col><col><col class="score"></colgroup>
      <thead><tr><th>¶</th><th>\(escape(sourceLanguage.rawValue))</th>\
      <th>\(escape(targetLanguage.rawValue))</th><th>score</th></tr></thead>
      <tbody>

      """
    for row in rows {
      let rowClass = row.score < lowConfidence ? " class=\"low\"" : ""
      out += "<tr\(rowClass)><td class=\"par\">\(escape(row.paragraph ?? ""))</td>"
      out += cell(row.source) + cell(row.target)
      out += "<td class=\"score\">\(String(format: "%.2f", row.score))</td></tr>\n"
    }
    out += "</tbody>\n</table>\n</body>\n</html>\n"
    return out
  }

  private func cell(_ sentences: [String]) -> String {
    if sentences.isEmpty { return "<td class=\"empty\"></td>" }
    return "<td>" + sentences.map { "<span class=\"s\">\(escape($0))</span>" }.joined() + "</td>"
  }

  private func escape(_ text: String) -> String { Self.escapeHTML(text) }

  /// Escapes `&`, `<`, `>` and `"` for HTML text and attribute values.
  public static func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(character)
      }
    }
    return out
  }
}
