import Foundation
import TextSegmentation

/// What a placeable is: the things a translator copies or converts rather than translates.
public enum PlaceableKind: String, Sendable, Hashable, Codable {
  /// A number or a range of numbers: `130`, `1,234.5`, `2021–2025`; paragraph numbers too.
  case number
  /// A four-digit year, 1900–2099.
  case year
  /// A date: `23 November 2020`, `1er janvier 2021`, `November 2022`.
  case date
  /// A UN document symbol: `A/75/L.25/Add.1`, `S/2020/898`.
  case documentSymbol
  /// A resolution or decision number: `75/15`.
  case resolutionNumber
  /// An ordinal in words or figures: `seventy-fifth`, `soixante-quinzième`, `30th`, `30^e`.
  case ordinal
  /// A footnote mark in superscript figures: `⁸`, `¹⁰`.
  case footnoteMark
}

/// The meaning of a placeable, the same in every language.
///
/// Two placeables in different languages stand for the same thing when their values are
/// equal: `23 November 2020` and `23 novembre 2020` are both `.date(day: 23, month: 11,
/// year: 2020)`.
public enum PlaceableValue: Sendable, Hashable {
  /// Digits with `.` as decimal mark and `-` between the ends of a range: `1234.5`, `2021-2025`.
  case number(String)
  case date(day: Int?, month: Int, year: Int?)
  /// A symbol in upper case: `A/75/L.25/ADD.1`, `75/15`.
  case symbol(String)
  case ordinal(Int)
  case footnoteMark(Int)

  /// A short text equal for equal values only, built without reflection (unlike
  /// `"\(value)"`): the surface the scorer compares. `\u{1}` keeps it apart from any word.
  var surfaceKey: String {
    switch self {
    case .number(let digits): return "\u{1}n" + digits
    case .date(let day, let month, let year):
      return "\u{1}d\(day ?? 0).\(month).\(year ?? 0)"
    case .symbol(let symbol): return "\u{1}s" + symbol
    case .ordinal(let value): return "\u{1}o\(value)"
    case .footnoteMark(let value): return "\u{1}f\(value)"
    }
  }

  /// Values of one class align with each other when scoring (a number with a number).
  var placeableClass: PlaceableClass {
    switch self {
    case .number: return .number
    case .date: return .date
    case .symbol: return .symbol
    case .ordinal: return .ordinal
    case .footnoteMark: return .footnote
    }
  }

  /// The key that stands for the value's class among the word keys when scoring.
  var scoringClass: String { placeableClass.rawValue }
}

/// The classes of placeable values that align with each other when scoring, each with the key
/// that stands for it among word keys (`\u{1}` keeps it apart from any word). The fuzzy index
/// gives the classes the first key ids, in this order.
enum PlaceableClass: String, CaseIterable, Sendable {
  case number = "\u{1}number"
  case date = "\u{1}date"
  case symbol = "\u{1}symbol"
  case ordinal = "\u{1}ordinal"
  case footnote = "\u{1}footnote"
}

/// A placeable found in a text.
public struct Placeable: Sendable, Hashable {
  public var kind: PlaceableKind
  public var value: PlaceableValue
  /// The placeable as written.
  public var text: String
  /// Where it stands in the text, in UTF-16 offsets.
  public var utf16Range: Range<Int>
  /// The tokens it covers.
  var tokenRange: Range<Int>
  /// For ordinals: written in words rather than figures.
  var isWords: Bool = false
  /// For numbers: written with digit grouping (`1,234`, `1 234`).
  var isGrouped: Bool = false
}

/// Finds placeables in a tokenized text and writes them in a language.
///
/// English and French are supported; to add a language, give it month names, an
/// ``OrdinalNumberWords`` converter and its number marks in ``PlaceableLanguage``.
struct PlaceableRecognizer: Sendable {
  let language: Language
  let conventions: PlaceableLanguage

  init(language: Language) {
    self.language = language
    self.conventions = PlaceableLanguage.forLanguage(language)
  }

  func placeables(in text: String, tokens: [Token]) -> [Placeable] {
    let units = Array(text.utf16)
    var found: [Placeable] = []
    var index = 0
    func textOf(_ range: Range<Int>) -> String { String(decoding: units[range], as: UTF16.self) }
    func adjacent(_ first: Int, _ second: Int) -> Bool {
      tokens[first].utf16Range.upperBound == tokens[second].utf16Range.lowerBound
    }
    func spaced(_ first: Int, _ second: Int) -> Bool {
      let gap = tokens[first].utf16Range.upperBound..<tokens[second].utf16Range.lowerBound
      return gap.count >= 1 && gap.count <= 2
        && units[gap].allSatisfy { $0 == 0x20 || $0 == 0xA0 || $0 == 0x202F }
    }
    func superscript(_ index: Int) -> Int? {
      let range = tokens[index].utf16Range
      guard range.count == 1 else { return nil }
      return CodeUnit.superscriptValue(units[range.lowerBound])
    }
    /// The first code unit of a token, to rule rules out without looking at its text.
    func firstUnit(_ index: Int) -> UInt16 { units[tokens[index].utf16Range.lowerBound] }
    func add(
      _ kind: PlaceableKind, _ value: PlaceableValue, _ tokenRange: Range<Int>,
      words: Bool = false, grouped: Bool = false
    ) {
      let range =
        tokens[tokenRange.lowerBound].utf16Range
        .lowerBound..<tokens[tokenRange.upperBound - 1].utf16Range.upperBound
      found.append(
        Placeable(
          kind: kind, value: value, text: textOf(range), utf16Range: range,
          tokenRange: tokenRange, isWords: words, isGrouped: grouped))
    }
    while index < tokens.count {
      let token = tokens[index]
      // Footnote marks: a run of superscript figures, one token per figure.
      if let digit = superscript(index) {
        var value = digit
        var end = index + 1
        while end < tokens.count, adjacent(end - 1, end), let next = superscript(end) {
          value = value * 10 + next
          end += 1
        }
        add(.footnoteMark, .footnoteMark(value), index..<end)
        index = end
        continue
      }
      // Dates: [day] month [year], with a day or a year.
      if let (end, value) = date(at: index, tokens: tokens, spaced: spaced) {
        add(.date, value, index..<end)
        index = end
        continue
      }
      // Ordinals in words, longest form first. The key grows token by token and stops as
      // soon as no ordinal starts with it (`first session` stops at `session`).
      if token.kind == .word, let ordinals = conventions.ordinals,
        ordinals.firstWords.contains(token.key)
      {
        var best: (end: Int, value: Int)?
        var key = token.key
        var end = index + 1
        let limit = min(tokens.count, index + ordinals.maximumWordCount * 2)
        while end <= limit {
          let last = tokens[end - 1]
          if end - 1 > index {
            guard last.kind == .word || last.text == "-" else { break }
            if adjacent(end - 2, end - 1) {
              key += last.key
            } else if spaced(end - 2, end - 1) {
              key += " " + last.key
            } else {
              break
            }
            guard ordinals.isPrefix(key) else { break }
          }
          if last.kind == .word, let value = ordinals.number(fromKey: key) {
            best = (end, value)
          }
          end += 1
        }
        if let best {
          add(.ordinal, .ordinal(best.value), index..<best.end, words: true)
          index = best.end
          continue
        }
      }
      // Ordinals in figures: `30th`, `1er`, `39^e`, `39^{e}`.
      if token.kind == .word, (0x30...0x39).contains(firstUnit(index)),
        let value = conventions.numericOrdinal(token.text)
      {
        add(.ordinal, .ordinal(value), index..<(index + 1))
        index += 1
        continue
      }
      if token.kind == .number, index + 2 < tokens.count, tokens[index + 1].text == "^",
        adjacent(index, index + 1), adjacent(index + 1, index + 2), let value = Int(token.text)
      {
        let suffix = tokens[index + 2].text
        if conventions.ordinalSuffixes.contains(suffix) {
          add(.ordinal, .ordinal(value), index..<(index + 3))
          index += 3
          continue
        }
        if suffix == "{", index + 4 < tokens.count,
          conventions.ordinalSuffixes.contains(tokens[index + 3].text), tokens[index + 4].text == "}"
        {
          add(.ordinal, .ordinal(value), index..<(index + 5))
          index += 5
          continue
        }
      }
      // Symbols, with their `/Add.1`, `/Rev.2`, `/Corr.1` parts.
      if token.kind == .symbol {
        var end = index + 1
        while end + 3 < tokens.count, tokens[end].text == "/",
          ["add", "rev", "corr", "amend"].contains(tokens[end + 1].key),
          tokens[end + 2].text == ".", tokens[end + 3].kind == .number,
          adjacent(end - 1, end), adjacent(end, end + 1), adjacent(end + 1, end + 2),
          adjacent(end + 2, end + 3)
        {
          end += 4
        }
        let range = token.utf16Range.lowerBound..<tokens[end - 1].utf16Range.upperBound
        let symbol = textOf(range).uppercased()
        let isResolution = symbol.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "/") }
        add(isResolution ? .resolutionNumber : .documentSymbol, .symbol(symbol), index..<end)
        index = end
        continue
      }
      if token.kind == .number {
        var end = index + 1
        var grouped = token.text.contains(",") && language.base != .french
        // French digit groups: `1 234 567`.
        if conventions.groupsWithSpaces, token.text.count <= 3, token.text.allSatisfy(\.isNumber) {
          while end < tokens.count, tokens[end].kind == .number, spaced(end - 1, end),
            tokens[end].utf16Range.lowerBound - tokens[end - 1].utf16Range.upperBound == 1,
            tokens[end].text.prefix(while: \.isNumber).count == 3
          {
            end += 1
            grouped = true
          }
        }
        let range = token.utf16Range.lowerBound..<tokens[end - 1].utf16Range.upperBound
        let canonical = conventions.canonicalNumber(textOf(range))
        let isYear =
          canonical.count == 4 && (canonical.hasPrefix("19") || canonical.hasPrefix("20"))
          && canonical.allSatisfy(\.isNumber)
        add(isYear ? .year : .number, .number(canonical), index..<end, grouped: grouped)
        index = end
        continue
      }
      index += 1
    }
    return found
  }

  private func date(
    at index: Int, tokens: [Token], spaced: (Int, Int) -> Bool
  ) -> (Int, PlaceableValue)? {
    var cursor = index
    var day: Int?
    if tokens[cursor].kind == .number || tokens[cursor].kind == .word,
      let value = conventions.day(tokens[cursor].text), cursor + 1 < tokens.count,
      spaced(cursor, cursor + 1)
    {
      day = value
      cursor += 1
    }
    guard tokens[cursor].kind == .word, let month = conventions.months[tokens[cursor].key] else {
      return nil
    }
    cursor += 1
    var year: Int?
    if cursor < tokens.count, tokens[cursor].kind == .number, spaced(cursor - 1, cursor),
      tokens[cursor].text.count == 4, let value = Int(tokens[cursor].text)
    {
      year = value
      cursor += 1
    }
    guard day != nil || year != nil else { return nil }
    return (cursor, .date(day: day, month: month, year: year))
  }
}

/// How a language writes placeables: months, ordinals, number marks.
struct PlaceableLanguage: Sendable {
  /// Month names by matching key, 1–12.
  var months: [String: Int]
  var monthNames: [String]
  var ordinals: OrdinalNumberWords?
  var decimalMark: Character
  var groupSeparator: String
  var groupsWithSpaces: Bool
  var rangeDash: String
  var ordinalSuffixes: Set<String>
  var language: Language

  /// The conventions of a language; regional variants (`fr-CA`, `en-GB`) get their base's.
  static func forLanguage(_ language: Language) -> PlaceableLanguage {
    switch language {
    case .french:
      let names = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
      ]
      return PlaceableLanguage(
        months: Self.monthTable(names), monthNames: names, ordinals: .french, decimalMark: ",",
        groupSeparator: "\u{00A0}", groupsWithSpaces: true, rangeDash: "-",
        ordinalSuffixes: ["e", "er", "re", "ème", "eme"], language: language)
    default:
      let names = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
      ]
      return PlaceableLanguage(
        months: language.base == .english ? Self.monthTable(names) : [:], monthNames: names,
        ordinals: OrdinalNumberWords.forLanguage(language), decimalMark: ".",
        groupSeparator: ",", groupsWithSpaces: false, rangeDash: "–",
        ordinalSuffixes: ["st", "nd", "rd", "th"], language: language)
    }
  }

  private static func monthTable(_ names: [String]) -> [String: Int] {
    var table: [String: Int] = [:]
    for (offset, name) in names.enumerated() { table[TextNormalizer.matchKey(name)] = offset + 1 }
    return table
  }

  /// A day of the month: `23`, or `1er` in French.
  func day(_ text: String) -> Int? {
    if let value = Int(text), (1...31).contains(value), text.count <= 2 { return value }
    if language.base == .french, text == "1er" || text == "premier" { return 1 }
    return nil
  }

  /// `30th`, `1er`, `2e` → the number.
  func numericOrdinal(_ text: String) -> Int? {
    let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
    guard !digits.isEmpty, digits.count < text.count, let value = Int(digits) else { return nil }
    let suffix = String(text[digits.endIndex...])
    return ordinalSuffixes.contains(suffix.lowercased()) ? value : nil
  }

  /// Digits with `.` as decimal mark and `-` in ranges.
  func canonicalNumber(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "–", "—", "-": result.append("-")
      case decimalMark: result.append(".")
      case _ where character.isNumber: result.append(character)
      default: continue  // group separators
      }
    }
    return result
  }

  /// A number in this language's form.
  func number(_ canonical: String, grouped: Bool, like template: String?) -> String {
    let dash = template.map { $0.contains("–") ? "–" : ($0.contains("-") ? "-" : rangeDash) } ?? rangeDash
    return canonical.split(separator: "-", omittingEmptySubsequences: false).map { part in
      let pieces = part.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
      var integer = String(pieces.first ?? "")
      if grouped, integer.count > 3 {
        var groups: [String] = []
        while integer.count > 3 {
          groups.insert(String(integer.suffix(3)), at: 0)
          integer.removeLast(3)
        }
        groups.insert(integer, at: 0)
        integer = groups.joined(separator: groupSeparator)
      }
      return pieces.count > 1 ? integer + String(decimalMark) + pieces[1] : integer
    }.joined(separator: dash)
  }

  /// A placeable's value written in this language, shaped like `template` (the occurrence
  /// it replaces: its capitals, its figures or words, its superscript markup).
  func render(_ placeable: Placeable, like template: Placeable?) -> String {
    switch placeable.value {
    case .number(let canonical):
      return number(canonical, grouped: placeable.isGrouped, like: template?.text)
    case .symbol:
      return placeable.text
    case .footnoteMark(let value):
      return String(String(value).compactMap { $0.wholeNumberValue.map { Self.superscript($0) } })
    case .date(let day, let month, let year):
      var parts: [String] = []
      if let day { parts.append(language.base == .french && day == 1 ? "1er" : String(day)) }
      parts.append(monthNames[month - 1])
      if let year { parts.append(String(year)) }
      return parts.joined(separator: " ")
    case .ordinal(let value):
      let words = template?.isWords ?? placeable.isWords
      if words, let ordinals, var text = ordinals.words(for: value) {
        if value == 1, language.base == .french, let template,
          TextNormalizer.matchKey(template.text).hasSuffix("premiere")
        {
          text = "première"
        }
        return Self.matchCapitals(text, like: template?.text ?? placeable.text)
      }
      return numericOrdinal(value, like: template)
    }
  }

  private func numericOrdinal(_ value: Int, like template: Placeable?) -> String {
    let digits = String(value)
    if language.base == .french {
      let suffix = value == 1 ? "er" : "e"
      guard let text = template?.text else { return digits + suffix }
      let rest = text.drop(while: { $0.isNumber })
      if rest.contains("{") { return digits + "^{" + suffix + "}" }
      if rest.hasPrefix("^") { return digits + "^" + suffix }
      return digits + suffix
    }
    let suffix: String
    switch (value % 100, value % 10) {
    case (11...13, _): suffix = "th"
    case (_, 1): suffix = "st"
    case (_, 2): suffix = "nd"
    case (_, 3): suffix = "rd"
    default: suffix = "th"
    }
    return digits + suffix
  }

  static func superscript(_ digit: Int) -> Character {
    CodeUnit.superscriptDigits[digit]
  }

  /// `soixante-quinzième` like `Soixante-dix-septième` → `Soixante-quinzième`.
  static func matchCapitals(_ text: String, like template: String) -> String {
    let letters = template.filter(\.isLetter)
    if letters.count > 1, letters.allSatisfy(\.isUppercase) { return text.uppercased() }
    if let first = template.first, first.isUppercase, let head = text.first {
      return String(head).uppercased() + text.dropFirst()
    }
    return text
  }
}
