import Foundation

/// A language, named by its ICU / BCP 47 code (`fr`, `en`, `de`).
public struct Language: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue.lowercased() }
  public init(_ code: String) { self.init(rawValue: code) }

  public static let french = Language("fr")
  public static let english = Language("en")
  public static let german = Language("de")

  public var description: String { rawValue }
  /// The ICU locale id for break iterators and case mapping.
  public var icuLocale: String { rawValue.replacingOccurrences(of: "-", with: "_") }
}
