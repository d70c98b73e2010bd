import TextSegmentation

/// A language pair as the server indexes it: two base languages (`fr` for `fr_FR`, `fr-FR`,
/// `FR`), so that each client's spelling of a code reaches the same index.
public struct LanguagePair: Sendable, Hashable, CustomStringConvertible {
  public var source: Language
  public var target: Language

  public init(source: Language, target: Language) {
    self.source = source.base
    self.target = target.base
  }

  public var description: String { "\(source)-\(target)" }

  /// The pair named by two codes as clients send them.
  ///
  /// - Throws: ``APIError`` 400 for a code that is not a language tag (letters, then subtags of
  ///   letters and digits after `-` or `_`), 404 for the same language twice (as amaGama).
  init(codes source: String, _ target: String) throws {
    let pair = LanguagePair(source: try Self.language(source), target: try Self.language(target))
    if pair.source == pair.target {
      throw APIError.notFound("source and target are both '\(pair.source)'")
    }
    self = pair
  }

  static func language(_ code: String) throws -> Language {
    let parts = code.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "_" })
    let wellFormed =
      code.utf8.count <= 35 && parts.count >= 1
      && (2...8).contains(parts[0].utf8.count) && parts[0].allSatisfy { $0.isASCII && $0.isLetter }
      && parts.dropFirst().allSatisfy {
        (1...8).contains($0.utf8.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
      }
    guard wellFormed else {
      throw APIError.badRequest("'\(code.prefix(40))' is not a language code (such as en, fr, pt_BR, fr-FR)")
    }
    return Language(code)
  }
}
