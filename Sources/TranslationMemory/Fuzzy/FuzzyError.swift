/// What can go wrong when matching.
public enum FuzzyError: Error, Equatable, CustomStringConvertible {
  /// A minimum score outside 0–100.
  case invalidMinimumScore(Double)
  /// A limit below 1.
  case invalidLimit(Int)
  /// No word rules for a language (ICU refused it).
  case unsupportedLanguage(String)

  public var description: String {
    switch self {
    case .invalidMinimumScore(let score):
      return "fuzzy match: minimum score \(score) is not between 0 and 100"
    case .invalidLimit(let limit):
      return "fuzzy match: limit \(limit) is below 1"
    case .unsupportedLanguage(let code):
      return "fuzzy match: no word rules for language '\(code)'"
    }
  }
}
