/// A document as read: its paragraphs in reading order, and what the reader repaired.
public struct Document: Sendable, Codable {
  /// Where the text came from (a file path), for messages.
  public var source: String
  public var language: Language
  public var paragraphs: [Paragraph]
  public var repairs: [Repair]
  /// The document symbol found in the text (`A/67/280`, `A/RES/75/15`), if any.
  public var symbol: String?

  public init(
    source: String, language: Language, paragraphs: [Paragraph], repairs: [Repair] = [],
    symbol: String? = nil
  ) {
    self.source = source
    self.language = language
    self.paragraphs = paragraphs
    self.repairs = repairs
    self.symbol = symbol
  }
}
