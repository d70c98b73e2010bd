import Testing

@testable import TranslationMemory

/// The ordinal forms built from their parts are those the Character-based rules gave.
@Suite struct OrdinalVariantsTests {
  @Test func englishFormsAreTheReplacementsOfTheMainForm() {
    for number in 1...999 {
      guard let main = EnglishOrdinals.ordinal(number) else {
        Issue.record("no ordinal for \(number)")
        continue
      }
      var expected = [main]
      if number >= 100 {
        expected.append(main.replacing(" and ", with: " "))
        if number / 100 == 1 { expected.append(String(main.dropFirst(4))) }
      }
      #expect(EnglishOrdinals.variants(number) == expected, "\(number)")
    }
    #expect(
      EnglishOrdinals.variants(175) == [
        "one hundred and seventy-fifth", "one hundred seventy-fifth", "hundred and seventy-fifth",
      ])
  }

  @Test func frenchFormsFollowTheCardinal() {
    for number in 2...999 {
      var text = FrenchOrdinals.cardinal(number)
      if text.hasSuffix("cinq") {
        text += "u"
      } else if text.hasSuffix("neuf") {
        text.removeLast()
        text += "v"
      } else if text.hasSuffix("vingts") || text.hasSuffix("cents") || text.hasSuffix("e") {
        text.removeLast()
      }
      let main = text + "ième"
      var expected = [main, String(main.map { $0 == " " ? "-" : $0 })]
      if number == 2 { expected += ["second", "seconde"] }
      #expect(FrenchOrdinals.variants(number) == expected, "\(number)")
    }
    #expect(FrenchOrdinals.variants(1) == ["premier", "premier", "première"])
    #expect(FrenchOrdinals.ordinal(71) == "soixante et onzième")
    #expect(FrenchOrdinals.ordinal(89) == "quatre-vingt-neuvième")
    #expect(FrenchOrdinals.ordinal(200) == "deux centième")
  }

  /// The tables hold every form's first word and every prefix cut at a space or hyphen, as a
  /// plain walk over all forms finds them.
  @Test func theTablesHoldEveryFirstWordAndPrefix() {
    for words in [OrdinalNumberWords.english, OrdinalNumberWords.french] {
      var firstWords: Set<String> = []
      var prefixes: Set<String> = []
      for number in 1...999 {
        let forms =
          words.language == .english ? EnglishOrdinals.variants(number) : FrenchOrdinals.variants(number)
        for form in forms {
          let key = OrdinalNumberWords.key(form)
          let characters = Array(key)
          if let first = key.split(whereSeparator: { $0 == " " || $0 == "-" }).first {
            firstWords.insert(String(first))
          }
          for (offset, character) in characters.enumerated() where character == " " || character == "-" {
            prefixes.insert(String(characters[..<offset]))
            prefixes.insert(String(characters[...offset]))
          }
          prefixes.insert(key)
          #expect(words.number(fromKey: key) != nil)
        }
      }
      #expect(words.firstWords == firstWords)
      #expect(words.prefixes == prefixes)
    }
  }
}
