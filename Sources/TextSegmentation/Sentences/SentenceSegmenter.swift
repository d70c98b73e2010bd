import ICUSupport

/// Splits text into sentences: ICU's sentence break, corrected by French and English rules.
///
/// ICU proposes the breaks; aligntm's rules then remove the wrong ones and add the missing ones:
/// - no break after an abbreviation (`M.`, `art.`, `chap. I`, `No. 31363`, `e.g.`, `U.S.`)
///   unless a word that can start a sentence follows, after a paragraph or section number at the
///   start of a sentence (`12.`, `II.`, `A.`, `77/13.`), after an initial (`Jonas E. Smith`), or
///   after `?` and `!` followed by a lower-case word;
/// - a break between sentences written without a space (`world.Today`), after a sentence that a
///   number follows (`… du Sud. 11 a …`), between the items of a numbered list on one line, and
///   after a period followed by an ellipsis (`compounds. . . . The`);
/// - closing quotes, brackets and footnote markers (`»`, `)`, `¹²`, `*`) stay with the sentence
///   they close.
///
/// The word lists are data, one set per language (``Language/french``, ``Language/english``,
/// German); any other language gets ICU with the structural rules and Latin abbreviations.
/// ICU's `@ss=standard` suppressions are not used: they keep `mondiaux. Le` together.
public final class SentenceSegmenter: Sendable {
  /// The language whose rules the segmenter applies.
  public let language: Language
  private let iterator: BreakIterator
  private let rules: SentenceRules
  private let lowercasedNumberPrefixes: Set<String>
  private let lowercasedAbbreviations: Set<String>
  private let lowercasedNonFinal: Set<String>

  /// Creates a segmenter for a language.
  ///
  /// - Throws: ``ICUSupport/ICUError`` when ICU has no sentence rules for the language.
  public init(language: Language) throws {
    self.language = language
    self.iterator = try BreakIterator(.sentence, locale: language.icuLocale)
    let rules = SentenceRules.forLanguage(language)
    self.rules = rules
    lowercasedNumberPrefixes = Set(rules.numberPrefixes.map { $0.lowercased() })
    lowercasedAbbreviations = Set(rules.abbreviations.map { $0.lowercased() })
    lowercasedNonFinal = Set(rules.nonFinalAbbreviations.map { $0.lowercased() })
  }

  /// Splits text into sentences.
  ///
  /// - Parameter text: The text to split, usually one paragraph. It may be empty.
  /// - Returns: One range per sentence, in order, trimmed of surrounding white space. White
  ///   space between sentences belongs to none of them; a text of white space has no sentence.
  /// - Complexity: O(*n*) in the length of `text`.
  public func sentences(in text: String) -> [Range<String.Index>] {
    let offsets = sentenceRanges(inUTF16: Array(text.utf16))
    var result: [Range<String.Index>] = []
    result.reserveCapacity(offsets.count)
    let view = text.utf16
    var index = view.startIndex
    var offset = 0
    for range in offsets {
      // Walk forward once through the text rather than converting each offset from the start.
      let lower = view.index(index, offsetBy: range.lowerBound - offset)
      let upper = view.index(lower, offsetBy: range.count)
      result.append(lower..<upper)
      index = upper
      offset = range.upperBound
    }
    return result
  }

  /// The sentences of a text as strings, trimmed of surrounding white space.
  ///
  /// A line break inside a sentence, with the spaces around it, becomes one space: the strings
  /// are sentences for display, not slices of the layout.
  public func sentenceStrings(in text: String) -> [String] {
    sentences(in: text).map { Self.joiningLines(text[$0]) }
  }

  private static func joiningLines(_ sentence: Substring) -> String {
    guard sentence.utf16.contains(where: CodeUnit.isNewline) else { return String(sentence) }
    var units: [UInt16] = []
    units.reserveCapacity(sentence.utf16.count)
    var pendingBreak = false
    for unit in sentence.utf16 {
      if CodeUnit.isNewline(unit) {
        pendingBreak = true
        while let last = units.last, CodeUnit.isWhiteSpace(last) { units.removeLast() }
      } else if pendingBreak && CodeUnit.isWhiteSpace(unit) {
        continue
      } else {
        if pendingBreak { units.append(CodeUnit.space) }
        pendingBreak = false
        units.append(unit)
      }
    }
    return units.withUnsafeBufferPointer { CodeUnit.string($0) }
  }

  /// Splits UTF-16 text into sentences, for callers that already hold the code units.
  ///
  /// - Returns: One range of UTF-16 offsets per sentence, as ``sentences(in:)`` describes.
  /// - Complexity: O(*n*) in the length of `units`.
  public func sentenceRanges(inUTF16 units: [UInt16]) -> [Range<Int>] {
    let count = units.count
    if count == 0 { return [] }
    let candidates = candidateBreaks(units)
    var starts: [Int] = []
    var sentenceStart = skipWhiteSpace(units, from: 0)
    if sentenceStart < count { starts.append(sentenceStart) }
    for candidate in candidates {
      let next = absorbClosers(units, at: candidate.position)
      if next >= count || next <= sentenceStart { continue }
      let end = trimBackward(units, to: next, floor: sentenceStart)
      if end <= sentenceStart { continue }
      let context = BreakContext(units: units, start: sentenceStart, end: end, next: next)
      if candidate.origin == .structure || keepsBreak(context, origin: candidate.origin) {
        starts.append(next)
        sentenceStart = next
      }
    }
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity(starts.count)
    for (index, start) in starts.enumerated() {
      let limit = index + 1 < starts.count ? starts[index + 1] : count
      let end = trimBackward(units, to: limit, floor: start)
      if end > start { ranges.append(start..<end) }
    }
    return ranges
  }

  // MARK: - Candidates

  private struct Candidate {
    enum Origin: Comparable {
      /// A break the structure of the text imposes (a list item); the rules do not veto it.
      case structure
      /// A break aligntm's rules propose where ICU does not.
      case rule
      case icu
    }
    var position: Int
    var origin: Origin
  }

  /// ICU's breaks and aligntm's extra ones, sorted and without duplicates.
  private func candidateBreaks(_ units: [UInt16]) -> [Candidate] {
    let count = units.count
    var candidates: [Candidate] = []
    for segment in iterator.segments(ofUTF16: units) where segment.utf16Range.upperBound < count {
      candidates.append(Candidate(position: segment.utf16Range.upperBound, origin: .icu))
    }
    addPeriodCandidates(units, to: &candidates)
    addListCandidates(units, to: &candidates)
    candidates.sort {
      $0.position < $1.position || ($0.position == $1.position && $0.origin < $1.origin)
    }
    var unique: [Candidate] = []
    unique.reserveCapacity(candidates.count)
    for candidate in candidates where unique.last?.position != candidate.position {
      unique.append(candidate)
    }
    return unique
  }

  /// Breaks ICU does not propose after a period: `world.Today`, `… Sud. 11 a`, `compounds. . . .`.
  private func addPeriodCandidates(_ units: [UInt16], to candidates: inout [Candidate]) {
    let count = units.count
    var index = 1
    while index + 1 < count {
      defer { index += 1 }
      guard units[index] == CodeUnit.period else { continue }
      let before = units[index - 1]
      let after = units[index + 1]
      // `world.Today`: no space, a capitalized word after a lower-case word or a number.
      if index + 2 < count, CodeUnit.isLowercase(before) || CodeUnit.isDigit(before),
        CodeUnit.isUppercase(after), CodeUnit.isLowercase(units[index + 2]),
        !isAddress(units, around: index)
      {
        candidates.append(Candidate(position: index + 1, origin: .rule))
        continue
      }
      guard CodeUnit.isWhiteSpace(after) else { continue }
      let next = skipWhiteSpace(units, from: index + 1)
      guard next < count else { continue }
      // ICU keeps `Sud. 11 a` together because a lower-case letter comes before any capital.
      if CodeUnit.isLowercase(before), CodeUnit.isDigit(units[next]) {
        candidates.append(Candidate(position: next, origin: .rule))
        continue
      }
      // `compounds. . . . The`: a period, then an ellipsis that opens the next sentence.
      if !CodeUnit.isWhiteSpace(before), before != CodeUnit.period,
        spacedDots(units, from: index + 1) == 3
      {
        let afterDots = skipWhiteSpace(units, from: index + 7)
        if afterDots < count, afterDots > index + 7, CodeUnit.isUppercase(units[afterDots]) {
          candidates.append(Candidate(position: index + 2, origin: .rule))
        }
      }
    }
  }

  /// Whether the period at `index` lies in an e-mail or web address or a domain name
  /// (`Jane.Doe@example.com`, `Match.Com`).
  private func isAddress(_ units: [UInt16], around index: Int) -> Bool {
    var start = index
    while start > 0, !CodeUnit.isWhiteSpace(units[start - 1]) { start -= 1 }
    var end = index
    while end < units.count, !CodeUnit.isWhiteSpace(units[end]) { end += 1 }
    let chunk = units[start..<end]
    if chunk.contains(CodeUnit.commercialAt) { return true }
    var wordEnd = index + 1
    while wordEnd < end, CodeUnit.isLetter(units[wordEnd]) { wordEnd += 1 }
    let after = CodeUnit.string(units[(index + 1)..<wordEnd]).lowercased()
    if Self.topLevelDomains.contains(after) { return true }
    let text = CodeUnit.string(chunk).lowercased()
    return text.contains("://") || text.contains("www.")
  }

  private static let topLevelDomains: Set<String> = [
    "com", "org", "net", "int", "edu", "gov", "info", "io", "uk", "fr", "de", "ch", "eu",
  ]

  /// The number of dots in a run written `␣.␣.␣.` starting at `index` (a space before each dot).
  private func spacedDots(_ units: [UInt16], from index: Int) -> Int {
    var dots = 0
    var position = index
    while position + 1 < units.count, units[position] == CodeUnit.space,
      units[position + 1] == CodeUnit.period
    {
      dots += 1
      position += 2
    }
    return dots
  }

  private enum ListStyle: Hashable {
    case numberPeriodParen, numberParen, numberPeriod, letterPeriod, letterParen
  }

  /// Breaks before the items of a list run on one line (`1) … 2) …`, `a. … b. …`, `• …`).
  ///
  /// A marker counts only when a marker of the same style with the next or previous value is
  /// also in the text, a capitalized word follows it, and no `,`, `;` or `:` precedes it
  /// (`; b) meilleure coordination` is an enumeration inside a sentence).
  private func addListCandidates(_ units: [UInt16], to candidates: inout [Candidate]) {
    let count = units.count
    var markers: [(position: Int, style: ListStyle, value: Int)] = []
    var index = 0
    while index < count {
      defer { index += 1 }
      let unit = units[index]
      let atWordStart =
        index == 0 || CodeUnit.isWhiteSpace(units[index - 1]) || CodeUnit.isBullet(units[index - 1])
      guard atWordStart else { continue }
      if CodeUnit.isBullet(unit) {
        if index > 0 { candidates.append(Candidate(position: index, origin: .structure)) }
        continue
      }
      var cursor = index
      var value = 0
      var style: ListStyle?
      if CodeUnit.isDigit(unit) {
        while cursor < count, CodeUnit.isDigit(units[cursor]), cursor - index < 3 {
          value = value * 10 + Int(units[cursor] - CodeUnit.digitZero)
          cursor += 1
        }
        if cursor + 1 < count, units[cursor] == CodeUnit.period,
          units[cursor + 1] == CodeUnit.closingParenthesis
        {
          style = .numberPeriodParen
          cursor += 2
        } else if cursor < count, units[cursor] == CodeUnit.closingParenthesis {
          style = .numberParen
          cursor += 1
        } else if cursor < count, units[cursor] == CodeUnit.period {
          style = .numberPeriod
          cursor += 1
        }
      } else if CodeUnit.isASCIILower(unit), index + 1 < count {
        value = Int(unit - UInt16(UInt8(ascii: "a"))) + 1
        cursor += 1
        if units[cursor] == CodeUnit.period {
          style = .letterPeriod
        } else if units[cursor] == CodeUnit.closingParenthesis {
          style = .letterParen
        }
        cursor += 1
      }
      guard let style, cursor + 1 < count, CodeUnit.isWhiteSpace(units[cursor]) else { continue }
      let word = skipWhiteSpace(units, from: cursor)
      guard word < count, CodeUnit.isUppercase(units[word]) else { continue }
      markers.append((index, style, value))
    }
    struct MarkerValue: Hashable {
      var style: ListStyle
      var value: Int
    }
    let present = Set(markers.map { MarkerValue(style: $0.style, value: $0.value) })
    for marker in markers where marker.position > 0 {
      let hasNeighbour =
        present.contains(MarkerValue(style: marker.style, value: marker.value - 1))
        || present.contains(MarkerValue(style: marker.style, value: marker.value + 1))
      guard hasNeighbour else { continue }
      let previous = trimBackward(units, to: marker.position, floor: 0)
      guard previous > 0 else { continue }
      let unit = units[previous - 1]
      // A bullet before the marker already made the break.
      if unit == CodeUnit.comma || unit == CodeUnit.semicolon || unit == CodeUnit.colon
        || CodeUnit.isBullet(unit)
      {
        continue
      }
      candidates.append(Candidate(position: marker.position, origin: .structure))
    }
  }

  // MARK: - Rules

  /// Where a candidate break stands: the sentence so far is `units[start..<end]` (trimmed) and the
  /// next one would start at `next`.
  private struct BreakContext {
    let units: [UInt16]
    let start: Int
    let end: Int
    let next: Int
  }

  /// Whether a candidate break is a real sentence boundary.
  private func keepsBreak(_ context: BreakContext, origin: Candidate.Origin) -> Bool {
    let units = context.units
    // ICU breaks inside `E.96.IV.13` and after OCR'd footnote numbers (`partenariats?®`); a
    // sentence that starts with no space before it is aligntm's own rule to propose.
    if origin == .icu, context.next == context.end, context.end > 0 {
      switch units[context.end - 1] {
      case CodeUnit.period, CodeUnit.questionMark, CodeUnit.exclamationMark: return false
      default: break
      }
    }
    // Step back over closing quotes, brackets and footnote markers to the terminal mark.
    var terminal = context.end - 1
    while terminal > context.start,
      CodeUnit.isCloser(units[terminal]) || CodeUnit.isFootnoteMarker(units[terminal])
        || CodeUnit.isWhiteSpace(units[terminal])
    {
      terminal -= 1
    }
    let mark = units[terminal]
    if mark == CodeUnit.period || mark == CodeUnit.ellipsis, isElision(units, at: terminal, end: context.end)
    {
      return false
    }
    switch mark {
    case CodeUnit.period:
      return keepsBreakAfterPeriod(context, at: terminal)
    case CodeUnit.questionMark, CodeUnit.exclamationMark, 0x203C, 0x2047, 0x2048, 0x2049:  // ‼ ⁇ ⁈ ⁉
      if rules.lowercaseContinuesAfterQuestion, nextStartsLowercase(context) { return false }
      return true
    default:
      if hasNewline(units, context.end..<context.next) {
        // `a cold ␣\nnight`: a line wrapped after a space continues the sentence.
        let wrapped = context.end < units.count && !CodeUnit.isNewline(units[context.end])
        return !(wrapped && nextStartsLowercase(context))
      }
      return true
    }
  }

  private func keepsBreakAfterPeriod(_ context: BreakContext, at period: Int) -> Bool {
    let units = context.units
    let nextIsLower = nextStartsLowercase(context)
    // Ellipses: `that.... She` ends a sentence, `is . . . I didn’t` does not.
    if period > 0, units[period - 1] == CodeUnit.period { return !nextIsLower }
    if period > 1, units[period - 1] == CodeUnit.space, units[period - 2] == CodeUnit.period {
      var first = period
      var dots = 1
      while first > 1, units[first - 1] == CodeUnit.space, units[first - 2] == CodeUnit.period {
        first -= 2
        dots += 1
      }
      let attached = first > 0 && !CodeUnit.isWhiteSpace(units[first - 1])
      if attached && dots >= 4 { return false }  // the break came after the first period
      if !attached && dots == 3 { return false }
      return !nextIsLower
    }
    if isSectionMarker(units, from: context.start, to: context.end) { return false }
    if nextIsLower { return false }

    // The word the period ends, without opening brackets or quotes.
    var wordStart = period
    while wordStart > context.start, !CodeUnit.isWhiteSpace(units[wordStart - 1]) { wordStart -= 1 }
    while wordStart < period, CodeUnit.isOpener(units[wordStart]) || units[wordStart] == CodeUnit.slash {
      wordStart += 1
    }
    if wordStart == period { return true }
    let word = CodeUnit.string(units[wordStart..<period])
    if rules.titles.contains(word) { return false }
    let lowered = word.lowercased()
    if lowercasedNonFinal.contains(lowered) { return false }
    if lowercasedNumberPrefixes.contains(lowered) { return !nextIsReference(context) }
    if lowercasedAbbreviations.contains(lowered) {
      if CodeUnit.isDigit(units[context.next]) { return false }
      return !isFragment(context)
    }
    if isAcronym(units, wordStart..<period) {
      return rules.sentenceStarters.contains(nextWord(context)) && !isFragment(context)
    }
    if period - wordStart == 1, CodeUnit.isUppercase(units[wordStart]) {
      // `Jonas E. Smith` is an initial; `you and I. Did` is the English pronoun.
      let previous = previousWordStart(units, before: wordStart, floor: context.start)
      guard let previous else { return false }
      let previousIsLower = CodeUnit.isLowercase(units[previous])
      if rules.pronounI, word == "I", previousIsLower { return true }
      return previousIsLower
    }
    return true
  }

  /// Whether the dots ending at `index` mark an elision in brackets, `[...]` or `(…)`, which
  /// leaves the sentence open.
  private func isElision(_ units: [UInt16], at index: Int, end: Int) -> Bool {
    guard index + 1 < end,
      units[index + 1] == CodeUnit.closingBracket || units[index + 1] == CodeUnit.closingParenthesis
    else { return false }
    var first = index
    while first > 0, units[first - 1] == CodeUnit.period || units[first - 1] == CodeUnit.ellipsis {
      first -= 1
    }
    let dots = index - first + 1
    guard dots >= 3 || units[index] == CodeUnit.ellipsis, first > 0 else { return false }
    return units[first - 1] == CodeUnit.openingBracket || units[first - 1] == CodeUnit.openingParenthesis
  }

  /// Whether the sentence so far is only a paragraph, section or list number:
  /// `12.`, `12.3.`, `1.)`, `II.`, `A.`, `a)`, `77/13.`, with any bullet before it.
  private func isSectionMarker(_ units: [UInt16], from start: Int, to end: Int) -> Bool {
    var index = start
    while index < end, CodeUnit.isBullet(units[index]) || CodeUnit.isWhiteSpace(units[index]) {
      index += 1
    }
    guard end - index <= 12, index < end else { return false }
    if units[index] == CodeUnit.openingParenthesis { index += 1 }
    guard index < end else { return false }
    var last = end
    while last > index, units[last - 1] == CodeUnit.closingParenthesis || units[last - 1] == CodeUnit.period {
      last -= 1
    }
    guard last < end, last > index else { return false }
    let body = units[index..<last]
    if body.allSatisfy({ CodeUnit.isDigit($0) || $0 == CodeUnit.period || $0 == CodeUnit.slash }) {
      return CodeUnit.isDigit(units[index])
    }
    if body.count == 1, CodeUnit.isLetter(units[index]) { return true }
    return body.count <= 8 && body.allSatisfy(Self.isRomanDigit)
  }

  /// Whether a multi-period abbreviation: `U.S`, `e.g`, `LL.AA.II.RR` (letters between periods).
  private func isAcronym(_ units: [UInt16], _ range: Range<Int>) -> Bool {
    var periods = 0
    var run = 0
    for unit in units[range] {
      if unit == CodeUnit.period {
        if run == 0 || run > 2 { return false }
        periods += 1
        run = 0
      } else if CodeUnit.isLetter(unit) {
        run += 1
      } else {
        return false
      }
    }
    return periods > 0 && run > 0 && run <= 2
  }

  /// Whether what follows an abbreviation such as `p.`, `No.` or `chap.` is a number or a
  /// reference: digits, a roman numeral, a single letter, or a lower-case word.
  private func nextIsReference(_ context: BreakContext) -> Bool {
    let units = context.units
    let first = units[context.next]
    if CodeUnit.isDigit(first) || CodeUnit.isLowercase(first) { return true }
    var end = context.next
    while end < units.count, CodeUnit.isLetter(units[end]) { end += 1 }
    if end - context.next == 1 { return true }
    return end > context.next && units[context.next..<end].allSatisfy(Self.isRomanDigit)
  }

  /// `I`, `V`, `X`, `L`, `C`, `D` or `M`.
  private static func isRomanDigit(_ unit: UInt16) -> Bool {
    switch unit {
    case 0x49, 0x56, 0x58, 0x4C, 0x43, 0x44, 0x4D: return true  // I V X L C D M
    default: return false
    }
  }

  /// Whether the sentence so far is a short fronted adverbial such as `At 5 a.m.`.
  private func isFragment(_ context: BreakContext) -> Bool {
    if rules.prepositions.isEmpty { return false }
    let units = context.units
    var words = 0
    var inWord = false
    for unit in units[context.start..<context.end] {
      if CodeUnit.isWhiteSpace(unit) {
        inWord = false
      } else if !inWord {
        inWord = true
        words += 1
        if words > 4 { return false }
      }
    }
    var firstEnd = context.start
    while firstEnd < context.end, CodeUnit.isLetter(units[firstEnd]) || CodeUnit.isApostrophe(units[firstEnd])
    {
      firstEnd += 1
    }
    let first = CodeUnit.string(units[context.start..<firstEnd])
    return rules.prepositions.contains(first)
  }

  /// The letters of the next sentence's first word, without opening quotes (`L` for `L’ONU`).
  private func nextWord(_ context: BreakContext) -> String {
    let units = context.units
    var start = context.next
    while start < units.count, CodeUnit.isOpener(units[start]) { start += 1 }
    var end = start
    while end < units.count, CodeUnit.isLetter(units[end]) { end += 1 }
    return CodeUnit.string(units[start..<end])
  }

  /// Whether the next sentence's first letter or digit is a lower-case letter.
  private func nextStartsLowercase(_ context: BreakContext) -> Bool {
    let units = context.units
    var index = context.next
    while index < units.count, index < context.next + 4 {
      let unit = units[index]
      if CodeUnit.isLetter(unit) { return CodeUnit.isLowercase(unit) }
      if CodeUnit.isDigit(unit) || CodeUnit.isWhiteSpace(unit) { return false }
      index += 1
    }
    return false
  }

  private func previousWordStart(_ units: [UInt16], before index: Int, floor: Int) -> Int? {
    var end = index
    while end > floor, CodeUnit.isWhiteSpace(units[end - 1]) { end -= 1 }
    if end == index || end <= floor { return nil }
    var start = end
    while start > floor, !CodeUnit.isWhiteSpace(units[start - 1]) { start -= 1 }
    while start < end, !CodeUnit.isLetter(units[start]) { start += 1 }
    return start < end ? start : nil
  }

  // MARK: - Positions

  /// Moves a break past closing quotes, brackets and footnote markers (and a final stop after
  /// them) that stand before white space (`? »`, `? ».`, `.⁴ By`, `.^{12} Le`), then past the
  /// white space.
  private func absorbClosers(_ units: [UInt16], at position: Int) -> Int {
    var index = skipWhiteSpace(units, from: position)
    var cursor = index
    while cursor < units.count {
      let unit = units[cursor]
      if CodeUnit.isCloser(unit) || CodeUnit.isFootnoteMarker(unit) {
        cursor += 1
      } else if unit == CodeUnit.circumflex, cursor + 1 < units.count,
        units[cursor + 1] == CodeUnit.openingBrace,
        let close = units[cursor...].firstIndex(of: CodeUnit.closingBrace), close - cursor < 12
      {
        cursor = close + 1  // ^{12}
      } else {
        break
      }
    }
    // A quoted question or exclamation closed and then ended: `qui est responsable ? ». Le`.
    if cursor > index {
      while cursor < units.count,
        units[cursor] == CodeUnit.period || units[cursor] == CodeUnit.exclamationMark
          || units[cursor] == CodeUnit.questionMark
      {
        cursor += 1
      }
    }
    if cursor > index, cursor == units.count || CodeUnit.isWhiteSpace(units[cursor]) {
      index = skipWhiteSpace(units, from: cursor)
    }
    return index
  }

  private func skipWhiteSpace(_ units: [UInt16], from index: Int) -> Int {
    var index = index
    while index < units.count, CodeUnit.isWhiteSpace(units[index]) { index += 1 }
    return index
  }

  private func trimBackward(_ units: [UInt16], to index: Int, floor: Int) -> Int {
    var index = index
    while index > floor, CodeUnit.isWhiteSpace(units[index - 1]) { index -= 1 }
    return index
  }

  private func hasNewline(_ units: [UInt16], _ range: Range<Int>) -> Bool {
    units[range].contains { CodeUnit.isNewline($0) }
  }
}
