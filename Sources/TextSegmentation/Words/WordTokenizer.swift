import ICUSupport

/// A word, number, symbol or punctuation mark of a text.
public struct Token: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    /// Letters (`ONU`, `l'`, `coopération`, `aujourd'hui`), kana or ideographs.
    case word
    /// A number, kept whole: `1 234,5`, `2009-2019`, `31363`.
    case number
    /// A document symbol or reference, kept whole: `A/67/280`, `S/2012/614`, `77/13`.
    case symbol
    /// Punctuation and other marks, emoji included.
    case punctuation
  }

  /// The token as written in the text.
  public var text: String
  /// Where the token stands in the text, in UTF-16 offsets.
  public var utf16Range: Range<Int>
  public var kind: Kind
  /// The matching key (``TextNormalizer/matchKey(_:)``).
  public var key: String

  public init(text: String, utf16Range: Range<Int>, kind: Kind, key: String) {
    self.text = text
    self.utf16Range = utf16Range
    self.kind = kind
    self.key = key
  }
}

/// Splits text into words with ICU's word break, plus aligntm's rules: French elision
/// (`l'ONU` → `l'` `ONU`, `jusqu'à` → `jusqu'` `à`, but `aujourd'hui` whole), and numbers and
/// document symbols kept whole (`1 234,5`, `2009-2019`, `A/75/L.25/Add.1`, `77/13`).
public final class WordTokenizer: Sendable {
  /// The language whose rules the tokenizer applies.
  public let language: Language
  private let iterator: BreakIterator
  /// Elided words, lower-cased and without their apostrophe (`l`, `qu`, `jusqu`).
  private let elisions: Set<String>

  /// Creates a tokenizer for a language.
  ///
  /// - Throws: ``ICUSupport/ICUError`` when ICU has no word rules for the language.
  public init(language: Language) throws {
    self.language = language
    self.iterator = try BreakIterator(.word, locale: language.icuLocale)
    self.elisions = Self.elisions(for: language)
  }

  /// Words that drop their vowel before another word, per language; split off with their
  /// apostrophe. Regional variants (`fr-CA`) elide like their base language.
  static func elisions(for language: Language) -> Set<String> {
    switch language.baseCode {
    case "fr":
      return [
        "l", "d", "j", "m", "n", "s", "t", "c", "ç", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
      ]
    case "it":
      return ["l", "d", "un", "all", "dall", "dell", "nell", "sull", "quell", "c", "m", "t", "s", "v"]
    case "ca": return ["l", "d", "m", "n", "s", "t"]
    default: return []
    }
  }

  /// The tokens of `text`, without white space.
  ///
  /// - Complexity: O(*n*) in the length of `text`.
  public func tokens(in text: String) -> [Token] {
    tokens(inUTF16: Array(text.utf16))
  }

  /// The tokens of UTF-16 text, without white space.
  ///
  /// - Complexity: O(*n*) in the length of `units`.
  public func tokens(inUTF16 units: [UInt16]) -> [Token] {
    var tokens: [Token] = []
    tokens.reserveCapacity(units.count / 5)
    // Start of the text not yet covered by a token: a compound may end inside an ICU segment.
    var cursor = 0
    for segment in iterator.segments(ofUTF16: units) {
      let start = max(segment.utf16Range.lowerBound, cursor)
      let end = segment.utf16Range.upperBound
      guard start < end else { continue }
      if segment.kind == .none, units[start..<end].allSatisfy(CodeUnit.isWhiteSpace) {
        cursor = end
        continue
      }
      let found = compound(units, at: start)
      if let found, found.end > end {
        append(units, start..<found.end, kind: found.kind, to: &tokens)
        cursor = found.end
        continue
      }
      let kind: Token.Kind
      switch segment.kind {
      case .number: kind = found?.kind ?? .number
      case .letter, .kana, .ideographic: kind = .word
      case .none: kind = .punctuation
      }
      if kind == .word, !elisions.isEmpty {
        appendSplittingElision(units, start..<end, to: &tokens)
      } else {
        append(units, start..<end, kind: kind, to: &tokens)
      }
      cursor = end
    }
    return tokens
  }

  private func append(
    _ units: [UInt16], _ range: Range<Int>, kind: Token.Kind, to tokens: inout [Token]
  ) {
    let slice = units[range]
    tokens.append(
      Token(
        text: CodeUnit.string(slice), utf16Range: range, kind: kind,
        key: TextNormalizer.matchKey(slice)))
  }

  /// Splits `l'ONU` into `l'` and `ONU` when the part before the apostrophe is an elided word.
  private func appendSplittingElision(
    _ units: [UInt16], _ range: Range<Int>, to tokens: inout [Token]
  ) {
    var start = range.lowerBound
    var index = start
    while index < range.upperBound - 1 {
      if CodeUnit.isApostrophe(units[index]), index > start,
        index - start <= 6,
        elisions.contains(CodeUnit.string(units[start..<index]).lowercased())
      {
        append(units, start..<(index + 1), kind: .word, to: &tokens)
        start = index + 1
      }
      index += 1
    }
    append(units, start..<range.upperBound, kind: .word, to: &tokens)
  }

  // MARK: - Compounds

  /// A number or symbol that ICU would cut: `1 234,5`, `2009-2019`, `A/75/L.25/Add.1`, `77/13`.
  private func compound(_ units: [UInt16], at start: Int) -> (end: Int, kind: Token.Kind)? {
    let first = units[start]
    if CodeUnit.isASCIIUpper(first) { return symbol(units, at: start) }
    guard CodeUnit.isDigit(first) else { return nil }
    var end = scanDecimal(units, from: start)
    let integerDigits = end - start
    if integerDigits <= 3, end == integerEnd(units, from: start) {
      end = scanDigitGroups(units, from: end)
    }
    guard end < units.count - 1 else { return (end, .number) }
    let next = units[end]
    if next == CodeUnit.slash, CodeUnit.isDigit(units[end + 1]) {
      // `77/13`, `2019/39`: a resolution or decision number.
      var position = end
      while position + 1 < units.count, units[position] == CodeUnit.slash,
        CodeUnit.isDigit(units[position + 1])
      {
        position = integerEnd(units, from: position + 1)
      }
      return (position, .symbol)
    }
    if next == 0x2D || next == 0x2013 || next == 0x2011, CodeUnit.isDigit(units[end + 1]) {
      // `2009-2019`, `2019–2020`: a range of numbers.
      return (integerEnd(units, from: end + 1), .number)
    }
    return (end, .number)
  }

  /// A UN document symbol: a capital head of up to six letters, then parts joined by `/`,
  /// each letters and digits with inner periods (`L.25`, `Add.1`), with at least one digit.
  private func symbol(_ units: [UInt16], at start: Int) -> (end: Int, kind: Token.Kind)? {
    var position = start
    while position < units.count, CodeUnit.isASCIIUpper(units[position]) { position += 1 }
    guard position - start <= 6, position < units.count, units[position] == CodeUnit.slash else {
      return nil
    }
    var end = position
    var sawDigit = false
    while position + 1 < units.count, units[position] == CodeUnit.slash,
      isAlphanumeric(units[position + 1])
    {
      position += 1
      while position < units.count {
        let unit = units[position]
        if isAlphanumeric(unit) {
          sawDigit = sawDigit || CodeUnit.isDigit(unit)
          position += 1
        } else if unit == CodeUnit.period, position + 1 < units.count,
          isAlphanumeric(units[position + 1])
        {
          position += 1
        } else {
          break
        }
      }
      end = position
    }
    return sawDigit ? (end, .symbol) : nil
  }

  @inline(__always)
  private func isAlphanumeric(_ unit: UInt16) -> Bool {
    CodeUnit.isDigit(unit) || CodeUnit.isASCIIUpper(unit) || CodeUnit.isASCIILower(unit)
  }

  private func integerEnd(_ units: [UInt16], from start: Int) -> Int {
    var end = start
    while end < units.count, CodeUnit.isDigit(units[end]) { end += 1 }
    return end
  }

  /// Digits with inner `.` or `,` between digits: `1,000.50`, `234,5`.
  private func scanDecimal(_ units: [UInt16], from start: Int) -> Int {
    var end = integerEnd(units, from: start)
    while end + 1 < units.count, units[end] == CodeUnit.period || units[end] == 0x2C,
      CodeUnit.isDigit(units[end + 1])
    {
      end = integerEnd(units, from: end + 1)
    }
    return end
  }

  /// Groups of exactly three digits after a space (`1 234 567`), then a decimal part (`,5`).
  private func scanDigitGroups(_ units: [UInt16], from start: Int) -> Int {
    var end = start
    while end + 3 < units.count, CodeUnit.isDigitGroupSpace(units[end]) {
      let groupEnd = integerEnd(units, from: end + 1)
      guard groupEnd - (end + 1) == 3 else { break }
      end = groupEnd
    }
    guard end > start else { return start }
    if end + 1 < units.count, units[end] == 0x2C || units[end] == CodeUnit.period,
      CodeUnit.isDigit(units[end + 1])
    {
      end = integerEnd(units, from: end + 1)
    }
    return end
  }
}
