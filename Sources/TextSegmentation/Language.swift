import Foundation

/// A language, named by its ICU / BCP 47 code (`fr`, `en`, `de`, `fr-CA`).
///
/// Codes are compared without case and with `_` read as `-` (`EN-us` and `en_US` are `en-us`).
/// Rules that depend on the language (sentence rules, elision, month names) go by the base
/// language, so `fr-CA` and `fr-FR` get the French ones: switch on the value (`case .french:`
/// matches every French variant) or compare ``base``.
public struct Language: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
  public let rawValue: String
  public init(rawValue: String) {
    let lowered = rawValue.lowercased()
    self.rawValue =
      lowered.utf8.contains(UInt8(ascii: "_")) ? lowered.replacingOccurrences(of: "_", with: "-") : lowered
  }
  public init(_ code: String) { self.init(rawValue: code) }

  public static let french = Language("fr")
  public static let english = Language("en")
  public static let german = Language("de")

  public var description: String { rawValue }
  /// The ICU locale id for break iterators and case mapping.
  public var icuLocale: String { rawValue.replacingOccurrences(of: "-", with: "_") }

  /// The language subtag alone, lower-cased: `fr` for `fr-CA` or `fr_FR`, `en` for `EN-us`.
  public var baseCode: String {
    String(rawValue.prefix(while: { $0 != "-" && $0 != "_" }))
  }

  /// The language without its region or script: `Language("fr-CA").base == .french`.
  public var base: Language { Language(baseCode) }

  /// Matches a language in a `switch`: a base language (`.french`) matches each of its
  /// variants (`fr`, `fr-CA`, `fr-FR`); a pattern with a region (`Language("fr-CA")`) matches
  /// only itself.
  public static func ~= (pattern: Language, value: Language) -> Bool {
    pattern.rawValue == pattern.baseCode ? pattern.baseCode == value.baseCode : pattern == value
  }
}
