/// Small hand-written recognisers for the line and paragraph shapes of UN documents.
///
/// They avoid `Regex` on purpose: they run on every line and must stay cheap.
enum TextPatterns {
  static let superscriptDigits = InlineMarkupParser.superscriptDigits

  /// Short French and English words that cannot end a heading.
  static let functionWords: Set<String> = [
    "of", "the", "and", "to", "in", "for", "on", "a", "an", "by", "with", "from", "at", "as",
    "de", "du", "des", "la", "le", "les", "et", "à", "au", "aux", "en", "pour", "par", "sur", "un",
    "une", "dans", "avec", "que", "qui",
  ]

  /// `12. Text` → `"12"`: a UN paragraph number (1 to 3 digits, a period, a space).
  static func paragraphNumber(_ text: Substring) -> String? {
    var digits = ""
    var index = text.startIndex
    while index < text.endIndex, text[index].isASCII, text[index].isNumber, digits.count < 4 {
      digits.append(text[index])
      index = text.index(after: index)
    }
    guard (1...3).contains(digits.count), index < text.endIndex, text[index] == "." else { return nil }
    let after = text.index(after: index)
    guard after < text.endIndex, text[after] == " " || text[after] == "\t" else { return nil }
    return digits
  }

  /// `II. Title`, `A. Title`: a section heading number.
  static func isHeadingNumber(_ text: Substring) -> Bool {
    guard let dot = text.firstIndex(of: "."), dot > text.startIndex else { return false }
    let head = text[..<dot]
    let after = text.index(after: dot)
    guard after < text.endIndex, text[after] == " " else { return false }
    if head.count == 1, let c = head.first, c.isUppercase, c.isLetter { return true }
    return head.count <= 5 && head.allSatisfy { "IVXL".contains($0) }
  }

  /// `IV.` alone: a heading number whose heading text is missing.
  static func isLoneHeadingNumber(_ text: Substring) -> Bool {
    guard text.last == ".", text.count >= 2 else { return false }
    return text.dropLast().allSatisfy { "IVXL".contains($0) }
  }

  /// `a) text`, `(a) text`: an item of a lettered list.
  static func isListItem(_ text: Substring) -> Bool {
    var rest = text
    if rest.first == "(" { rest = rest.dropFirst() }
    guard let letter = rest.first, letter.isLowercase, letter.isLetter else { return false }
    rest = rest.dropFirst()
    guard rest.first == ")" else { return false }
    rest = rest.dropFirst()
    return rest.first == " " || rest.first == "\u{00A0}"
  }

  /// A document symbol alone: `A/67/280`, `S/2012/614`, `A/RES/75/15`.
  static func isDocumentSymbol(_ text: Substring) -> Bool {
    // At least two `/` bytes, or fewer than three parts.
    var slashes = 0
    for byte in text.utf8 where byte == UInt8(ascii: "/") { slashes += 1 }
    guard slashes >= 2 else { return false }
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count >= 3, let organ = parts.first, (1...3).contains(organ.count),
      organ.allSatisfy({ $0.isUppercase && $0.isASCII })
    else { return false }
    guard parts.contains(where: { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
      return false
    }
    return parts.dropFirst().allSatisfy { part in
      !part.isEmpty
        && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
    }
  }

  /// `text.split(separator: " ").last` without cutting the whole text: the last run of
  /// Characters other than `" "`, nil when there is none.
  static func lastWord(_ text: Substring) -> Substring? {
    var end = text.endIndex
    while end > text.startIndex, text[text.index(before: end)] == " " { end = text.index(before: end) }
    guard end > text.startIndex else { return nil }
    var start = end
    while start > text.startIndex, text[text.index(before: start)] != " " {
      start = text.index(before: start)
    }
    return text[start..<end]
  }

  /// `75/15. Title` → `A/RES/75/15`.
  static func resolutionSymbol(_ text: Substring) -> String? {
    guard let dot = text.firstIndex(of: ".") else { return nil }
    let head = text[..<dot]
    let parts = head.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(\.isNumber) })
    else { return nil }
    let after = text.index(after: dot)
    guard after < text.endIndex, text[after] == " " else { return nil }
    return "A/RES/\(head)"
  }

  /// A page footer or page number: `12-45678   1`, `20-12800 17/21`, `18/21`, `28`.
  static func isPageFooter(_ text: Substring) -> Bool {
    // Only digits, `-`, `/`, spaces and tabs pass; an other ASCII byte rules the line out
    // (non-ASCII bytes may be digits of other scripts: the full test decides).
    for byte in text.utf8 where byte < 0x80 {
      switch byte {
      case 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "/"), 0x20, 0x09: continue
      default: return false
      }
    }
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    guard !words.isEmpty, words.count <= 3 else { return false }
    func isJobNumber(_ w: Substring) -> Bool {
      let parts = w.split(separator: "-", omittingEmptySubsequences: false)
      return parts.count == 2 && parts[0].count == 2 && parts[1].count == 5
        && w.allSatisfy { $0.isNumber || $0 == "-" }
    }
    func isPageNumber(_ w: Substring) -> Bool {
      let parts = w.split(separator: "/", omittingEmptySubsequences: false)
      return (1...2).contains(parts.count)
        && parts.allSatisfy { (1...3).contains($0.count) && $0.allSatisfy(\.isNumber) }
    }
    if words.count == 1 { return words[0].contains("/") && isPageNumber(words[0]) }
    return words.contains(where: isJobNumber) && words.allSatisfy { isJobNumber($0) || isPageNumber($0) }
  }

  /// A footnote marker at the start of a line: `¹ `, `* `, `12 ` + capital, OCR'd `% ` + capital.
  static func startsWithFootnoteMarker(_ text: Substring, allowPlainDigits: Bool) -> Bool {
    guard let first = text.first else { return false }
    if superscriptDigits.contains(first) {
      let rest = text.drop(while: { superscriptDigits.contains($0) })
      return rest.first == " "
    }
    var marker = text.prefix(while: { !$0.isWhitespace })
    guard !marker.isEmpty, marker.count <= 3, marker.endIndex < text.endIndex else { return false }
    let rest = text[marker.endIndex...].drop(while: { $0 == " " })
    guard let next = rest.first else { return false }
    if marker == "*" || marker == "**" { return true }
    guard allowPlainDigits, next.isUppercase else { return false }
    if marker.allSatisfy({ $0.isASCII && $0.isNumber }) { return marker.count <= 2 }
    marker.removeAll(where: { $0.isNumber })
    return !marker.isEmpty && marker.allSatisfy { $0 == "%" || $0 == "*" || $0 == "†" }
  }

  /// The last character that decides whether a paragraph is finished, skipping closing quotes,
  /// brackets, markup and footnote markers.
  static func closingCharacter(_ text: String) -> Character? {
    for c in text.reversed() {
      if c.isWhitespace || superscriptDigits.contains(c) { continue }
      if "»”\"’')]*+".contains(c) { continue }
      return c
    }
    return nil
  }

  enum Ending { case closed, comma, hyphen, open }

  static func ending(_ text: String) -> Ending {
    if text.last == "-" { return .hyphen }
    switch closingCharacter(text) {
    case nil: return .closed
    case let c? where ".;:!?…".contains(c): return .closed
    case ","?: return .comma
    default: return .open
    }
  }

  /// Whether a line or block starts like the continuation of a sentence: a lowercase letter
  /// or a digit that is not a paragraph number.
  static func startsLikeContinuation(_ text: Substring) -> Bool {
    guard let first = text.first else { return false }
    if first.isLetter { return first.isLowercase }
    if first.isNumber { return paragraphNumber(text) == nil }
    return false
  }
}

extension String {
  /// `count` (Characters), without grapheme breaking for ASCII text without a carriage return,
  /// where every byte is one Character.
  var characterCount: Int {
    var simple = true
    for byte in utf8 where byte >= 0x80 || byte == 0x0D {
      simple = false
      break
    }
    return simple ? utf8.count : count
  }
}
