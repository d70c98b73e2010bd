import Testing
import TextSegmentation

@Suite struct WordTokenizerTests {
  @Test func splitsFrenchElision() throws {
    let tokenizer = try WordTokenizer(language: .french)
    #expect(tokenizer.tokens(in: "l'ONU et d’autres").map(\.text) == ["l'", "ONU", "et", "d’", "autres"])
  }

  @Test(arguments: [
    ("la résolution A/67/280 du Conseil", "A/67/280"),
    ("en 2009-2019 déjà", "2009-2019"),
    ("la résolution 77/13.", "77/13"),
    ("document E/ECA/COE/38/12 ici", "E/ECA/COE/38/12"),
  ])
  func keepsNumbersAndSymbolsWhole(text: String, expected: String) throws {
    let tokens = try WordTokenizer(language: .french).tokens(in: text)
    #expect(tokens.contains { $0.text == expected && $0.kind != .word })
  }

  @Test func matchKeyFoldsCaseAccentsAndApostrophes() {
    #expect(TextNormalizer.matchKey("L’ÉTAT Œuvre") == "l'etat oeuvre")
    #expect(TextNormalizer.displayForm("l’État") == "l'État")
  }
}
