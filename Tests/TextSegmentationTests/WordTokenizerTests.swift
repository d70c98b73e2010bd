import TestSupport
import Testing
import TextSegmentation

@Suite struct WordTokenizerTests {
  @Test(arguments: [
    ("l'ONU et d’autres", ["l'", "ONU", "et", "d’", "autres"]),
    ("jusqu’à ce qu’il vienne", ["jusqu’", "à", "ce", "qu’", "il", "vienne"]),
    ("aujourd’hui, lorsqu'on parle", ["aujourd’hui", ",", "lorsqu'", "on", "parle"]),
    ("L’Assemblée générale", ["L’", "Assemblée", "générale"]),
    ("", []),
    ("   \n\u{00A0}", []),
    (
      "M. Guterres, Mme Bachelet et art. 5.",
      ["M", ".", "Guterres", ",", "Mme", "Bachelet", "et", "art", ".", "5", "."]
    ),
    ("Bravo 👍🏽 !", ["Bravo", "👍🏽", "!"]),
  ])
  func french(text: String, expected: [String]) throws {
    let tokenizer = try WordTokenizer(language: .french)
    #expect(tokenizer.tokens(in: text).map(\.text) == expected)
  }

  @Test(arguments: [
    (
      "It's the U.S. Government's plan, e.g. Dr. Smith's.",
      ["It's", "the", "U.S", ".", "Government's", "plan", ",", "e.g", ".", "Dr", ".", "Smith's", "."]
    ),
    ("l'ONU", ["l'ONU"]),
  ])
  func english(text: String, expected: [String]) throws {
    let tokenizer = try WordTokenizer(language: .english)
    #expect(tokenizer.tokens(in: text).map(\.text) == expected)
  }

  /// Text without spaces is cut by ICU's dictionaries into several words that cover it.
  @Test(arguments: ["国連の報告書", "ฉันรักภาษาไทย"])
  func textWithoutSpaces(text: String) throws {
    let tokens = try WordTokenizer(language: .english).tokens(in: text)
    #expect(tokens.count > 1)
    #expect(tokens.allSatisfy { $0.kind == .word })
    #expect(tokens.map(\.text).joined() == text)
  }

  @Test(arguments: [
    ("la résolution A/67/280 du Conseil", "A/67/280", Token.Kind.symbol),
    ("documents A/75/L.25/Add.1 et S/2012/614.", "A/75/L.25/Add.1", .symbol),
    ("documents A/75/L.25/Add.1 et S/2012/614.", "S/2012/614", .symbol),
    ("document E/ECA/COE/38/12 ici", "E/ECA/COE/38/12", .symbol),
    ("la résolution 77/13.", "77/13", .symbol),
    ("en 2009-2019 déjà", "2009-2019", .number),
    ("pour 2019–2020", "2019–2020", .number),
    ("soit 1 234,5 dollars", "1 234,5", .number),
    ("soit 1\u{00A0}234\u{202F}567 dollars", "1\u{00A0}234\u{202F}567", .number),
    ("dans le cadre de 1 143 initiatives", "1 143", .number),
    ("It cost $1,000.50 in total", "1,000.50", .number),
    ("dont 71 % dans les pays", "71", .number),
  ])
  func keepsNumbersAndSymbolsWhole(text: String, expected: String, kind: Token.Kind) throws {
    let tokens = try WordTokenizer(language: .french).tokens(in: text)
    #expect(tokens.contains { $0.text == expected && $0.kind == kind }, "\(tokens.map(\.text))")
  }

  @Test(arguments: [
    "en 2019 180 pays",  // a year and a count, not one number
    "les articles 12 et 13",
    "N/A",
  ])
  func doesNotGlueUnrelatedNumbers(text: String) throws {
    let tokens = try WordTokenizer(language: .french).tokens(in: text)
    #expect(
      tokens.map(\.text)
        == text.split(separator: " ").flatMap { part in
          part == "N/A" ? ["N", "/", "A"] : [String(part)]
        })
  }

  @Test func rangesAndKeys() throws {
    let text = "L’ÉTAT « Œuvre » 2009-2019"
    let tokens = try WordTokenizer(language: .french).tokens(in: text)
    let units = Array(text.utf16)
    for token in tokens {
      #expect(String(decoding: units[token.utf16Range], as: UTF16.self) == token.text)
    }
    #expect(tokens.map(\.key) == ["l'", "etat", "\"", "oeuvre", "\"", "2009-2019"])
    #expect(tokens.map(\.kind) == [.word, .word, .punctuation, .word, .punctuation, .number])
  }

  @Test(arguments: [
    ("L’ÉTAT Œuvre", "l'etat oeuvre"),
    ("Straße", "strasse"),
    ("ÇA « là » “ici”", "ca \" la \" \"ici\""),
    ("e\u{0301}te\u{0301}", "ete"),
    ("Ærø Łódź", "aero lodz"),
    ("ΣΟΦΊΑ", "σοφια"),
    ("", ""),
  ])
  func matchKey(text: String, expected: String) {
    #expect(TextNormalizer.matchKey(text) == expected)
  }

  @Test func displayForm() {
    #expect(TextNormalizer.displayForm("l’État") == "l'État")
    #expect(TextNormalizer.displayForm("“e\u{0301}te\u{0301}” « oui »") == "\"été\" « oui »")
    #expect(TextNormalizer.displayForm("plain ASCII") == "plain ASCII")
  }

  /// The table path of the matching key gives what ICU gives, character by character.
  @Test func matchKeyTableAgreesWithICU() {
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<500 {
      let scalars = (0..<8).compactMap { _ in
        Unicode.Scalar(UInt32.random(in: 0x20..<0x250, using: &generator))
      }
      var text = ""
      text.unicodeScalars.append(contentsOf: scalars)
      let viaICU = TextNormalizer.matchKey(text + "\u{4E00}").dropLast()  // forces the ICU path
      #expect(TextNormalizer.matchKey(text) == String(viaICU), "\(text)")
    }
  }
}
