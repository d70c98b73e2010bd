/// What role a paragraph plays in a UN document.
public enum ParagraphKind: String, Sendable, Codable, CaseIterable {
  /// Headings, the masthead, document symbols, dates and session lines.
  case title
  /// A row of the table of contents.
  case toc
  /// Running text: numbered paragraphs, preambular and operative clauses.
  case body
  /// A footnote, wherever the layout put it.
  case footnote
  /// Anything else: OCR junk, stray marks.
  case other
}

/// Inline markup the reader removed from a paragraph's text, kept so that it is not lost.
///
/// The range is in UTF-16 offsets of the paragraph's clean ``Paragraph/text``.
public struct InlineMarkup: Sendable, Hashable, Codable {
  public enum Kind: String, Sendable, Codable {
    case bold, italic, link, superscript, footnoteMarker
  }
  public var kind: Kind
  /// Where the marked-up text now stands in the clean text (UTF-16 offsets).
  public var range: Range<Int>
  /// The markup as written, such as `**`, `<i>`, `[…](#)` or `^{…}`.
  public var original: String

  public init(kind: Kind, range: Range<Int>, original: String) {
    self.kind = kind
    self.range = range
    self.original = original
  }
}

/// A repair the reader made to the text (OCR errors, hyphenation), reported to the user.
public struct Repair: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The 1-based source line where the repaired text stood.
  public var line: Int
  public var original: String
  public var replacement: String
  /// Why: `ocr-l-apostrophe`, `hyphenation`, …
  public var reason: String

  public init(line: Int, original: String, replacement: String, reason: String) {
    self.line = line
    self.original = original
    self.replacement = replacement
    self.reason = reason
  }

  public var description: String { "line \(line): \(original) → \(replacement) (\(reason))" }
}

/// A paragraph of a document, clean of layout: lines joined, markup removed, page breaks healed.
public struct Paragraph: Sendable, Hashable, Codable {
  public var kind: ParagraphKind
  /// The UN paragraph number as written before the text (`12` for `12. …`), if any.
  public var number: String?
  /// The clean text; it keeps the paragraph number as written.
  public var text: String
  /// The 1-based source lines the paragraph came from, in order (several ranges when a page
  /// break cut it in two).
  public var lines: [ClosedRange<Int>]
  /// Inline markup removed from ``text``.
  public var markup: [InlineMarkup]

  public init(
    kind: ParagraphKind, number: String? = nil, text: String, lines: [ClosedRange<Int>],
    markup: [InlineMarkup] = []
  ) {
    self.kind = kind
    self.number = number
    self.text = text
    self.lines = lines
    self.markup = markup
  }
}
