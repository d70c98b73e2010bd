/// Removes Markdown-ish inline markup from a paragraph and records where it was.
///
/// Handles `**bold**`, `*italic*`, `<i>italic</i>`, `[text](target)` links, `^{sup}` and `^e`
/// superscripts. Superscript footnote markers (`¹`, `²³`) stay in the text and are recorded.
/// An opener without its closer is kept as written.
enum InlineMarkupParser {
  static let superscriptDigits = Set(CodeUnit.superscriptDigits)

  /// - Complexity: O(*n*) for ordinary text; an unmatched opener costs one scan to the end.
  static func parse(_ text: String) -> (text: String, markup: [InlineMarkup]) {
    // The parser changes nothing unless a Character is `*`, `<`, `[`, `^` or a superscript
    // digit; a text without their bytes is its own output.
    if !mayHoldMarkup(text) { return (text, []) }
    return parseCharacters(text)
  }

  /// ``parse(_:)`` Character by Character, whatever the text holds.
  static func parseCharacters(_ text: String) -> (text: String, markup: [InlineMarkup]) {
    let chars = Array(text)
    var output = ""
    output.reserveCapacity(text.utf8.count)
    var offset = 0  // UTF-16 length of `output`
    var markup: [InlineMarkup] = []
    parse(chars, 0..<chars.count, into: &output, offset: &offset, markup: &markup)
    markup.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
    return (output, markup)
  }

  /// Whether the UTF-8 bytes of `*`, `<`, `[`, `^`, `¹`, `²`, `³` or `⁰`–`⁹` (U+2070…U+2079)
  /// occur in the text.
  static func mayHoldMarkup(_ text: String) -> Bool {
    var previous: (UInt8, UInt8) = (0, 0)
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "*"), UInt8(ascii: "<"), UInt8(ascii: "["), UInt8(ascii: "^"): return true
      case 0xB2 where previous.1 == 0xC2, 0xB3 where previous.1 == 0xC2, 0xB9 where previous.1 == 0xC2:
        return true
      case 0xB0...0xB9 where previous == (0xE2, 0x81): return true
      default: break
      }
      previous = (previous.1, byte)
    }
    return false
  }

  private static func append(_ c: Character, to output: inout String, offset: inout Int) {
    output.append(c)
    offset += c.utf16.count
  }

  private static func matches(_ chars: [Character], _ i: Int, _ pattern: String, end: Int) -> Bool {
    var k = i
    for p in pattern {
      guard k < end, chars[k] == p else { return false }
      k += 1
    }
    return true
  }

  /// The index of `closer` at or after `from`, before `end`, not followed by a letter-run
  /// opener ambiguity; nil when absent.
  private static func find(_ closer: String, in chars: [Character], from: Int, end: Int) -> Int? {
    var k = from
    while k < end {
      if matches(chars, k, closer, end: end) { return k }
      k += 1
    }
    return nil
  }

  private static func parse(
    _ chars: [Character], _ range: Range<Int>, into output: inout String, offset: inout Int,
    markup: inout [InlineMarkup]
  ) {
    var i = range.lowerBound
    let end = range.upperBound
    while i < end {
      let c = chars[i]
      // Every Character the branches below look for starts with one of these bytes (`*`, `<`,
      // `[`, `^`, and the superscript digits' C2 and E2); others are copied as they are.
      switch c.utf8.first {
      case 0x2A, 0x3C, 0x5B, 0x5E, 0xC2, 0xE2: break
      default:
        append(c, to: &output, offset: &offset)
        i += 1
        continue
      }
      // **bold**
      if c == "*", matches(chars, i, "**", end: end), i + 2 < end, !chars[i + 2].isWhitespace,
        let close = find("**", in: chars, from: i + 3, end: end), !chars[close - 1].isWhitespace
      {
        let start = offset
        parse(chars, (i + 2)..<close, into: &output, offset: &offset, markup: &markup)
        markup.append(InlineMarkup(kind: .bold, range: start..<offset, original: "**"))
        i = close + 2
        continue
      }
      // *italic*
      if c == "*", i + 1 < end, !chars[i + 1].isWhitespace, chars[i + 1] != "*",
        i == range.lowerBound || !chars[i - 1].isLetter,
        let close = findItalicCloser(chars, from: i + 1, end: end)
      {
        let start = offset
        parse(chars, (i + 1)..<close, into: &output, offset: &offset, markup: &markup)
        markup.append(InlineMarkup(kind: .italic, range: start..<offset, original: "*"))
        i = close + 1
        continue
      }
      // <i>italic</i>
      if c == "<", matches(chars, i, "<i>", end: end),
        let close = find("</i>", in: chars, from: i + 3, end: end)
      {
        let start = offset
        parse(chars, (i + 3)..<close, into: &output, offset: &offset, markup: &markup)
        markup.append(InlineMarkup(kind: .italic, range: start..<offset, original: "<i>"))
        i = close + 4
        continue
      }
      // [text](target)
      if c == "[", let closeText = find("](", in: chars, from: i + 1, end: end),
        !chars[(i + 1)..<closeText].contains("["),
        let closeTarget = find(")", in: chars, from: closeText + 2, end: end),
        !chars[(closeText + 2)..<closeTarget].contains(where: { $0.isWhitespace })
      {
        let start = offset
        parse(chars, (i + 1)..<closeText, into: &output, offset: &offset, markup: &markup)
        let target = String(chars[(closeText + 2)..<closeTarget])
        markup.append(InlineMarkup(kind: .link, range: start..<offset, original: "[…](\(target))"))
        i = closeTarget + 1
        continue
      }
      // ^{sup} and ^e / ^er
      if c == "^", i + 1 < end {
        if chars[i + 1] == "{", let close = find("}", in: chars, from: i + 2, end: end) {
          let start = offset
          parse(chars, (i + 2)..<close, into: &output, offset: &offset, markup: &markup)
          markup.append(InlineMarkup(kind: .superscript, range: start..<offset, original: "^{…}"))
          i = close + 1
          continue
        }
        if chars[i + 1].isLetter {
          var k = i + 1
          while k < end, chars[k].isLetter, k - i <= 3 { k += 1 }
          let start = offset
          for letter in chars[(i + 1)..<k] { append(letter, to: &output, offset: &offset) }
          markup.append(InlineMarkup(kind: .superscript, range: start..<offset, original: "^"))
          i = k
          continue
        }
      }
      if superscriptDigits.contains(c), i > range.lowerBound || !output.isEmpty {
        let start = offset
        var k = i
        while k < end, superscriptDigits.contains(chars[k]) {
          append(chars[k], to: &output, offset: &offset)
          k += 1
        }
        markup.append(
          InlineMarkup(kind: .footnoteMarker, range: start..<offset, original: String(chars[i..<k])))
        i = k
        continue
      }
      append(c, to: &output, offset: &offset)
      i += 1
    }
  }

  /// A closing `*` preceded by a non-space and not followed by a letter (so `*a*b` stays).
  private static func findItalicCloser(_ chars: [Character], from: Int, end: Int) -> Int? {
    var k = from
    while k < end {
      if chars[k] == "*" {
        if k + 1 < end, chars[k + 1] == "*" {
          k += 2
          continue
        }
        if !chars[k - 1].isWhitespace, k + 1 >= end || !chars[k + 1].isLetter { return k }
      }
      k += 1
    }
    return nil
  }
}
