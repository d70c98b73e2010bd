/// Character classes on UTF-16 code units, for the segmenters' hot loops.
///
/// ASCII is decided by comparisons; other units of the Basic Multilingual Plane by their
/// Unicode properties. Surrogates count as "other", which is what the rules need: no rule
/// looks at letters outside the BMP. The superscript digits are shared with the other modules.
package enum CodeUnit {
  static let exclamationMark: UInt16 = 0x21
  static let space: UInt16 = 0x20
  static let openingParenthesis: UInt16 = 0x28
  static let closingParenthesis: UInt16 = 0x29
  static let comma: UInt16 = 0x2C
  static let period: UInt16 = 0x2E
  static let slash: UInt16 = 0x2F
  static let digitZero: UInt16 = 0x30
  static let colon: UInt16 = 0x3A
  static let semicolon: UInt16 = 0x3B
  static let questionMark: UInt16 = 0x3F
  static let commercialAt: UInt16 = 0x40
  static let openingBracket: UInt16 = 0x5B
  static let closingBracket: UInt16 = 0x5D
  static let circumflex: UInt16 = 0x5E
  static let openingBrace: UInt16 = 0x7B
  static let closingBrace: UInt16 = 0x7D
  static let ellipsis: UInt16 = 0x2026

  /// White space, including no-break and narrow no-break spaces and line separators.
  @inline(__always)
  static func isWhiteSpace(_ unit: UInt16) -> Bool {
    switch unit {
    case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F,
      0x3000, 0xFEFF:
      return true
    default: return false
    }
  }

  /// A line or paragraph break.
  @inline(__always)
  static func isNewline(_ unit: UInt16) -> Bool {
    switch unit {
    case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
    default: return false
    }
  }

  /// A space that may stand inside a number between digit groups (`1 234`).
  @inline(__always)
  static func isDigitGroupSpace(_ unit: UInt16) -> Bool {
    unit == 0x20 || unit == 0xA0 || unit == 0x202F || unit == 0x2009 || unit == 0x2007
  }

  @inline(__always)
  static func isDigit(_ unit: UInt16) -> Bool { unit >= 0x30 && unit <= 0x39 }

  @inline(__always)
  static func isASCIIUpper(_ unit: UInt16) -> Bool { unit >= 0x41 && unit <= 0x5A }

  @inline(__always)
  static func isASCIILower(_ unit: UInt16) -> Bool { unit >= 0x61 && unit <= 0x7A }

  static func isUppercase(_ unit: UInt16) -> Bool {
    if unit < 0x80 { return isASCIIUpper(unit) }
    return scalar(unit)?.properties.isUppercase ?? false
  }

  static func isLowercase(_ unit: UInt16) -> Bool {
    if unit < 0x80 { return isASCIILower(unit) }
    return scalar(unit)?.properties.isLowercase ?? false
  }

  static func isLetter(_ unit: UInt16) -> Bool {
    if unit < 0x80 { return isASCIIUpper(unit) || isASCIILower(unit) }
    return scalar(unit)?.properties.isAlphabetic ?? false
  }

  /// An apostrophe: `'`, `’` or `ʼ`.
  @inline(__always)
  static func isApostrophe(_ unit: UInt16) -> Bool {
    unit == 0x27 || unit == 0x2019 || unit == 0x02BC
  }

  /// Closing punctuation that belongs to the sentence before it: quotes, brackets, guillemets.
  static func isCloser(_ unit: UInt16) -> Bool {
    switch unit {
    case 0x22, 0x27, 0x29, 0x5D, 0x7D, 0xBB, 0x2019, 0x201D, 0x203A, 0x300D, 0x300F, 0x3015, 0xFF09,
      0xFF3D:
      return true
    default: return false
    }
  }

  /// Opening punctuation that may come before a sentence's first word.
  static func isOpener(_ unit: UInt16) -> Bool {
    switch unit {
    case 0x22, 0x27, 0x28, 0x5B, 0x7B, 0xAB, 0x2018, 0x201C, 0x201E, 0x2039, 0x300C, 0x300E, 0xFF08,
      0x2A, 0x5F:
      return true
    default: return false
    }
  }

  /// A footnote marker written as a character: superscript digits, `*`, `†`, `‡`.
  static func isFootnoteMarker(_ unit: UInt16) -> Bool {
    superscriptValue(unit) != nil || unit == 0x2A || unit == 0x2020 || unit == 0x2021
  }

  /// The value of a superscript digit, `⁰` to `⁹` (`¹` `²` `³` are Latin-1's), else `nil`: the
  /// one table of superscript digits.
  @inline(__always)
  package static func superscriptValue(_ unit: UInt16) -> Int? {
    switch unit {
    case 0x2070: return 0
    case 0xB9: return 1
    case 0xB2: return 2
    case 0xB3: return 3
    case 0x2074...0x2079: return Int(unit - 0x2070)
    default: return nil
    }
  }

  /// The value of a scalar that is a superscript digit, from the code-unit table.
  package static func superscriptValue(_ scalar: Unicode.Scalar) -> Int? {
    scalar.value <= 0xFFFF ? superscriptValue(UInt16(scalar.value)) : nil
  }

  /// The value of a character that is one superscript digit, from the code-unit table.
  package static func superscriptValue(_ character: Character) -> Int? {
    let scalars = character.unicodeScalars
    guard scalars.count == 1, let scalar = scalars.first else { return nil }
    return superscriptValue(scalar)
  }

  /// The superscript digits by value: `superscriptDigits[8]` is `⁸`.
  package static let superscriptDigits: [Character] = {
    var digits = [Character](repeating: "0", count: 10)
    for unit in UInt16(0xB0)...0x2079 {
      if let value = superscriptValue(unit), let scalar = Unicode.Scalar(unit) {
        digits[value] = Character(scalar)
      }
    }
    return digits
  }()

  /// A list bullet: `•`, `⁃`, `◦`, `▪`, `‣`.
  static func isBullet(_ unit: UInt16) -> Bool {
    switch unit {
    case 0x2022, 0x2043, 0x25E6, 0x25AA, 0x2023, 0x25CF: return true
    default: return false
    }
  }

  /// A string from UTF-16 code units, transcoded by hand to UTF-8: the standard library's
  /// generic `String(decoding:as: UTF16.self)` is several times slower across modules.
  /// Lone surrogates become U+FFFD.
  static func string(_ units: ArraySlice<UInt16>) -> String {
    units.withUnsafeBufferPointer { string($0) }
  }

  static func string(_ units: UnsafeBufferPointer<UInt16>) -> String {
    if units.isEmpty { return "" }
    return String(unsafeUninitializedCapacity: units.count * 3) { buffer in
      var out = 0
      var index = 0
      let count = units.count
      while index < count {
        let unit = units[index]
        index += 1
        var value = UInt32(unit)
        if unit < 0x80 {
          buffer[out] = UInt8(unit)
          out += 1
          continue
        }
        if UTF16.isLeadSurrogate(unit) {
          if index < count, UTF16.isTrailSurrogate(units[index]) {
            value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(units[index]) - 0xDC00)
            index += 1
          } else {
            value = 0xFFFD
          }
        } else if UTF16.isTrailSurrogate(unit) {
          value = 0xFFFD
        }
        if value < 0x800 {
          buffer[out] = UInt8(0xC0 | (value >> 6))
          buffer[out + 1] = UInt8(0x80 | (value & 0x3F))
          out += 2
        } else if value < 0x10000 {
          buffer[out] = UInt8(0xE0 | (value >> 12))
          buffer[out + 1] = UInt8(0x80 | ((value >> 6) & 0x3F))
          buffer[out + 2] = UInt8(0x80 | (value & 0x3F))
          out += 3
        } else {
          buffer[out] = UInt8(0xF0 | (value >> 18))
          buffer[out + 1] = UInt8(0x80 | ((value >> 12) & 0x3F))
          buffer[out + 2] = UInt8(0x80 | ((value >> 6) & 0x3F))
          buffer[out + 3] = UInt8(0x80 | (value & 0x3F))
          out += 4
        }
      }
      return out
    }
  }

  @inline(__always)
  private static func scalar(_ unit: UInt16) -> Unicode.Scalar? {
    UTF16.isSurrogate(unit) ? nil : Unicode.Scalar(unit)
  }
}
