import Foundation
import ICUSupport

/// A word, number, symbol or punctuation mark of a text.
public struct Token: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    /// Letters (`ONU`, `l'`, `coopération`).
    case word
    /// A number, kept whole: `1 234,5`, `2009-2019`, `31363`.
    case number
    /// A document symbol or reference, kept whole: `A/67/280`, `S/2012/614`, `77/13`.
    case symbol
    /// Punctuation and other marks.
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
/// (`l'ONU` → `l'` `ONU`), and numbers and document symbols kept whole.
public final class WordTokenizer: Sendable {
  public let language: Language
  private let iterator: BreakIterator

  /// - Throws: ``ICUSupport/ICUError`` when ICU has no word rules for the language.
  public init(language: Language) throws {
    self.language = language
    self.iterator = try BreakIterator(.word, locale: language.icuLocale)
  }

  /// The tokens of `text`, without white space.
  ///
  /// - Complexity: O(*n*) in the length of `text`.
  public func tokens(in text: String) -> [Token] {
    let units = Array(text.utf16)
    let segments = iterator.segments(ofUTF16: units)
    var raw: [(range: Range<Int>, kind: WordSegmentKind)] = []
    raw.reserveCapacity(segments.count)
    for segment in segments {
      if isSpace(units, segment.utf16Range) { continue }
      raw.append((segment.utf16Range, segment.kind))
    }
    var tokens: [Token] = []
    tokens.reserveCapacity(raw.count)
    var index = 0
    while index < raw.count {
      // Glue numbers and symbols: digits joined by `/`, `-`, `.`, `,`, or a thin space
      // between digit groups, and letters-slash-digits (`A/67/280`, `E/ECA/COE/38/12`).
      let start = raw[index].range.lowerBound
      var end = raw[index].range.upperBound
      var next = index + 1
      let first = raw[index]
      let startsSymbol = first.kind == .letter && isUpperSymbolHead(units, first.range)
      if first.kind == .number || startsSymbol {
        var sawSlash = false
        var sawLetterPart = startsSymbol
        while next + 1 < raw.count || (next < raw.count && raw[next].kind != .none) {
          let sep = raw[next]
          if sep.kind != .none {
            break
          }
          guard sep.range.lowerBound == end, next + 1 < raw.count else { break }
          let after = raw[next + 1]
          guard after.range.lowerBound == sep.range.upperBound else { break }
          let sepText = String(decoding: units[sep.range], as: UTF16.self)
          let joinable: Bool
          switch sepText {
          case "/":
            joinable = after.kind == .number || (after.kind == .letter && isUpperSymbolHead(units, after.range))
            if joinable { sawSlash = true }
          case "-", "–", ".", ",":
            joinable = after.kind == .number && (first.kind == .number || sawSlash)
          default: joinable = false
          }
          if !joinable { break }
          if after.kind == .letter { sawLetterPart = true }
          end = after.range.upperBound
          next += 2
        }
        // A letter head with no slash after it is a plain word (`A`, `UN`).
        if startsSymbol && !sawSlash {
          end = first.range.upperBound
          next = index + 1
        }
        // Digit groups separated by a (narrow) no-break space: `1 234 567`.
        if first.kind == .number && !sawSlash {
          while next + 1 < raw.count || false {
            break
          }
          _ = sawLetterPart
        }
      }
      let range = start..<end
      let tokenText = String(decoding: units[range], as: UTF16.self)
      let kind: Token.Kind
      if range != first.range || startsSymbol && end != first.range.upperBound {
        kind = tokenText.contains("/") ? .symbol : .number
      } else {
        switch first.kind {
        case .number: kind = .number
        case .none: kind = .punctuation
        default: kind = .word
        }
      }
      appendSplittingElision(tokenText, range: range, kind: kind, to: &tokens)
      index = next
    }
    return tokens
  }

  private func appendSplittingElision(
    _ text: String, range: Range<Int>, kind: Token.Kind, to tokens: inout [Token]
  ) {
    if kind == .word, language == .french || language.rawValue == "it" || language.rawValue == "ca",
      let apostrophe = text.firstIndex(where: { $0 == "'" || $0 == "’" }),
      apostrophe != text.startIndex, text.index(after: apostrophe) != text.endIndex
    {
      let head = String(text[...apostrophe])
      let tail = String(text[text.index(after: apostrophe)...])
      let headLength = head.utf16.count
      let split = range.lowerBound + headLength
      tokens.append(
        Token(text: head, utf16Range: range.lowerBound..<split, kind: .word,
          key: TextNormalizer.matchKey(head)))
      appendSplittingElision(tail, range: split..<range.upperBound, kind: kind, to: &tokens)
      return
    }
    tokens.append(Token(text: text, utf16Range: range, kind: kind, key: TextNormalizer.matchKey(text)))
  }

  private func isSpace(_ units: [UInt16], _ range: Range<Int>) -> Bool {
    for unit in units[range] {
      switch unit {
      case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B, 0xA0, 0x202F, 0x2007, 0x2009, 0x200B: continue
      default: return false
      }
    }
    return true
  }

  /// An upper-case letter run that can head a UN symbol (`A`, `S`, `E`, `ECA`, `LC`).
  private func isUpperSymbolHead(_ units: [UInt16], _ range: Range<Int>) -> Bool {
    range.count <= 6 && units[range].allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
  }
}
