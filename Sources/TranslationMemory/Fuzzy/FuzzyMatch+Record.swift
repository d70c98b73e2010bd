/// A match as JSON: what `aligntm query --format json` prints for each match, and the server's
/// `/v1/query` answers. Offsets are UTF-16 code units, `[start, end)`.
public struct FuzzyMatchRecord: Encodable, Sendable {
  /// A difference between the query and the stored source.
  public struct Span: Encodable, Sendable {
    public var kind: String
    public var query: [Int]
    public var source: [Int]
  }
  /// A placeable of the suggestion replaced by the query's.
  public struct Substitution: Encodable, Sendable {
    public var kind: String
    public var original: String
    public var replacement: String
    public var range: [Int]
  }
  /// The score, rounded to one decimal.
  public var score: Double
  public var source: String
  public var target: String
  public var suggestion: String
  public var document: String?
  public var paragraph: String?
  public var differences: [Span]
  public var substitutions: [Substitution]

  public init(_ match: FuzzyMatch) {
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
