import Foundation
import TextSegmentation

/// Ordinal numbers written in words (`seventy-fifth`, `soixante-quinzième`), both ways.
///
/// English follows UN usage: `seventy-fifth`, `one hundredth`, `one hundred and first`.
/// French follows the traditional spelling that UN French uses: hyphens between tens and
/// units under one hundred, `et` before `un`/`onze` in 21–71 (`soixante et onzième`), none
/// after `quatre-vingt` (`quatre-vingt-unième`), no hyphen around `cent` (`cent vingt et
/// unième`). When reading, the 1990 spelling (`soixante-et-onzième`) and the feminine
/// `première`/`seconde` are accepted too.
public struct OrdinalNumberWords: Sendable {
  /// The language of the words.
  public let language: Language
  private let rendering: @Sendable (Int) -> String?
  private let values: [String: Int]
  /// The first word (matching key) of every form, to find candidates quickly.
  let firstWords: Set<String>
  /// Every key that some form's key starts with, cut where a word ends.
  let prefixes: Set<String>
  /// The longest form, in words.
  let maximumWordCount: Int

  /// English ordinals, 1–999.
  public static let english = OrdinalNumberWords(
    language: .english, render: EnglishOrdinals.ordinal(_:),
    readingVariants: EnglishOrdinals.variants(_:))
  /// French ordinals, 1–999.
  public static let french = OrdinalNumberWords(
    language: .french, render: FrenchOrdinals.ordinal(_:),
    readingVariants: FrenchOrdinals.variants(_:))

  /// The converter for a language, or `nil` when aligntm has none; `fr-CA` gets the French one.
  public static func forLanguage(_ language: Language) -> OrdinalNumberWords? {
    switch language {
    case .english: return .english
    case .french: return .french
    default: return nil
    }
  }

  init(
    language: Language, render: @escaping @Sendable (Int) -> String?,
    readingVariants: (Int) -> [String]
  ) {
    self.language = language
    self.rendering = render
    var values: [String: Int] = [:]
    var firstWords: Set<String> = []
    var prefixes: Set<String> = []
    var longest = 1
    // The key of the same form of the number before: the prefixes they share were inserted
    // then (`one hundred and …` a hundred times), so only those past it are hashed again.
    var previousKeys: [String] = []
    for number in 1...999 {
      for (slot, form) in readingVariants(number).enumerated() {
        let key = Self.key(form)
        values[key] = values[key] ?? number
        if slot == previousKeys.count { previousKeys.append("") }
        var shared = 0
        for (byte, previous) in zip(key.utf8, previousKeys[slot].utf8) {
          if byte != previous { break }
          shared += 1
        }
        previousKeys[slot] = key
        let words = key.utf8.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") })
        // A first word followed by the same byte in the previous key is that key's first word.
        if let first = words.first, key.utf8.distance(from: key.utf8.startIndex, to: first.endIndex) >= shared
        {
          firstWords.insert(String(Substring(first)))
        }
        // Spaces and hyphens are ASCII, so their UTF-8 positions are positions in the string.
        for offset in key.utf8.indices
        where key.utf8.distance(from: key.utf8.startIndex, to: offset) >= shared
          && (key.utf8[offset] == UInt8(ascii: " ") || key.utf8[offset] == UInt8(ascii: "-"))
        {
          prefixes.insert(String(key[..<offset]))
          prefixes.insert(String(key[...offset]))
        }
        prefixes.insert(key)
        longest = max(longest, words.count)
      }
    }
    self.values = values
    self.firstWords = firstWords
    self.prefixes = prefixes
    self.maximumWordCount = longest
  }

  /// The ordinal in words, in lower case: `75` → `seventy-fifth` or `soixante-quinzième`.
  ///
  /// - Returns: `nil` outside 1–999.
  public func words(for number: Int) -> String? { rendering(number) }

  /// The number an ordinal in words stands for, ignoring case and accents: `Soixante et
  /// onzième` → 71.
  public func number(from words: String) -> Int? { values[Self.key(words)] }

  /// ``number(from:)`` for text already turned into a key (matching keys of its words,
  /// joined by single spaces or hyphens as written).
  func number(fromKey key: String) -> Int? { values[key] }

  /// Whether some ordinal's key starts with `key` (cut at a word's end, or just after a
  /// space or hyphen).
  func isPrefix(_ key: String) -> Bool { prefixes.contains(key) }

  /// The matching key of a written form: case and accents folded, white space single.
  static func key(_ text: String) -> String {
    let folded = TextNormalizer.matchKey(text)
    // Most forms are already single-spaced ASCII: no need to look at each `Character`.
    var previousIsSpace = true
    let isSingleSpaced = folded.utf8.allSatisfy { byte in
      let isSpace = byte == UInt8(ascii: " ")
      defer { previousIsSpace = isSpace }
      return byte < 0x80 && byte > 0x20 || (isSpace && !previousIsSpace)
    }
    if isSingleSpaced && !previousIsSpace { return folded }
    return folded.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }
}

enum EnglishOrdinals {
  private static let ones = [
    "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
  ]
  private static let onesOrdinal = [
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth",
  ]
  private static let tens = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
  ]
  private static let tensOrdinal = [
    "", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth",
    "eightieth", "ninetieth",
  ]

  @Sendable static func ordinal(_ number: Int) -> String? {
    guard number >= 1, number <= 999 else { return nil }
    if number < 100 { return belowHundred(number) }
    let hundreds = ones[number / 100] + " hundred"
    let rest = number % 100
    if rest == 0 { return hundreds + "th" }
    return hundreds + " and " + belowHundred(rest)
  }

  private static func belowHundred(_ number: Int) -> String {
    if number < 20 { return onesOrdinal[number] }
    if number % 10 == 0 { return tensOrdinal[number / 10] }
    return tens[number / 10] + "-" + onesOrdinal[number % 10]
  }

  static func variants(_ number: Int) -> [String] {
    guard let main = ordinal(number) else { return [] }
    var forms = [main]
    if number >= 100 {
      // Built from the parts rather than by replacing in `main`: String's generic `replacing`
      // and `dropFirst` walk Characters, and the tables are made in every process.
      let hundreds = ones[number / 100] + " hundred"
      let rest = number % 100
      forms.append(rest == 0 ? hundreds + "th" : hundreds + " " + belowHundred(rest))
      if number / 100 == 1 { forms.append(rest == 0 ? "hundredth" : "hundred and " + belowHundred(rest)) }
    }
    return forms
  }
}

enum FrenchOrdinals {
  private static let units = [
    "", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize",
  ]
  private static let tens = ["", "dix", "vingt", "trente", "quarante", "cinquante", "soixante"]

  /// The cardinal, traditional spelling: `soixante et onze`, `quatre-vingt-un`, `cent vingt`.
  static func cardinal(_ number: Int) -> String {
    if number <= 16 { return units[number] }
    if number < 20 { return "dix-" + units[number - 10] }
    if number < 70 {
      let ten = tens[number / 10]
      switch number % 10 {
      case 0: return ten
      case 1: return ten + " et un"
      default: return ten + "-" + units[number % 10]
      }
    }
    if number < 80 { return number == 71 ? "soixante et onze" : "soixante-" + cardinal(number - 60) }
    if number == 80 { return "quatre-vingts" }
    if number < 100 { return "quatre-vingt-" + cardinal(number - 80) }
    let hundreds = number / 100
    let rest = number % 100
    let head = hundreds == 1 ? "cent" : cardinal(hundreds) + " cent"
    if rest == 0 { return hundreds == 1 ? head : head + "s" }
    return head + " " + cardinal(rest)
  }

  @Sendable static func ordinal(_ number: Int) -> String? {
    guard number >= 1, number <= 999 else { return nil }
    if number == 1 { return "premier" }
    // The cardinal is ASCII: its suffixes are compared as bytes, not as Characters.
    var bytes = Array(cardinal(number).utf8)
    func ends(with suffix: String) -> Bool {
      bytes.count >= suffix.utf8.count && bytes.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
    }
    if ends(with: "cinq") {
      bytes.append(UInt8(ascii: "u"))
    } else if ends(with: "neuf") {
      bytes[bytes.count - 1] = UInt8(ascii: "v")
    } else if ends(with: "vingts") || ends(with: "cents") || ends(with: "e") {
      bytes.removeLast()
    }
    return String(decoding: bytes, as: UTF8.self) + "ième"
  }

  static func variants(_ number: Int) -> [String] {
    guard let main = ordinal(number) else { return [] }
    let hyphenated = String(
      decoding: main.utf8.map { $0 == UInt8(ascii: " ") ? UInt8(ascii: "-") : $0 }, as: UTF8.self)
    var forms = [main, hyphenated]
    if number == 1 { forms.append("première") }
    if number == 2 { forms += ["second", "seconde"] }
    return forms
  }
}
