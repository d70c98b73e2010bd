import Testing
import TextSegmentation

/// Regional variants (`fr-CA`, `en-GB`) and any case (`EN-us`) follow their base language's rules.
@Suite struct LanguageTests {
  @Test(arguments: [
    ("fr", "fr"), ("fr-CA", "fr"), ("fr-FR", "fr"), ("fr_CA", "fr"), ("en-GB", "en"), ("EN-us", "en"),
    ("de", "de"),
  ])
  func baseCode(code: String, base: String) {
    #expect(Language(code).baseCode == base)
    #expect(Language(code).base == Language(base))
  }

  @Test func aBaseLanguageMatchesEachOfItsVariants() {
    func name(_ language: Language) -> String {
      switch language {
      case Language("fr-CA"): return "Canadian French"
      case .french: return "French"
      case .english: return "English"
      default: return "other"
      }
    }
    #expect(name(Language("fr-CA")) == "Canadian French")
    #expect(name(Language("FR-ca")) == "Canadian French")
    #expect(name(Language("fr-FR")) == "French")
    #expect(name(.french) == "French")
    #expect(name(Language("en-GB")) == "English")
    #expect(name(Language("EN-us")) == "English")
    #expect(name(.german) == "other")
    #expect(name(Language("frr")) == "other", "North Frisian is not French")
  }

  @Test func equalityStaysExact() {
    #expect(Language("fr-CA") != .french)
    #expect(Language("EN-us") == Language("en-US"))
  }

  // French: "t." and "Mgr." end no sentence; English: "Mr." ends none. The generic rules, which a
  // variant would get if it were not matched to its base, break after all three.
  @Test(arguments: [
    ("fr", frenchText, frenchSentences), ("fr-CA", frenchText, frenchSentences),
    ("fr-FR", frenchText, frenchSentences), ("en", englishText, englishSentences),
    ("en-GB", englishText, englishSentences), ("EN-us", englishText, englishSentences),
  ])
  func variantsGetTheirBaseLanguagesSentenceRules(code: String, text: String, expected: [String]) throws {
    let segmenter = try SentenceSegmenter(language: Language(code))
    #expect(segmenter.sentences(in: text).map { String(text[$0]) } == expected)
  }

  static let frenchText = "Voir le t. II du rapport. Mgr. Dupont est venu."
  static let frenchSentences = ["Voir le t. II du rapport.", "Mgr. Dupont est venu."]
  static let englishText = "Mr. Smith arrived. Dr. Jones sat down."
  static let englishSentences = ["Mr. Smith arrived.", "Dr. Jones sat down."]

  @Test(arguments: [
    ("fr-CA", ["l'", "ONU", "et", "d’", "autres"]), ("fr-FR", ["l'", "ONU", "et", "d’", "autres"]),
    ("en-GB", ["l'ONU", "et", "d’autres"]), ("EN-us", ["l'ONU", "et", "d’autres"]),
  ])
  func elisionFollowsTheBaseLanguage(code: String, expected: [String]) throws {
    let tokenizer = try WordTokenizer(language: Language(code))
    #expect(tokenizer.tokens(in: "l'ONU et d’autres").map(\.text) == expected)
  }

  @Test(arguments: [("fr", true), ("fr-CA", true), ("fr-FR", true), ("en-GB", false), ("EN-us", false)])
  func ocrElisionRepairIsFrenchOnly(code: String, repairs: Bool) {
    let document = DocumentReader().read(
      text: "Les Etats ont souligné I’importance de la coopération.\n", source: "test",
      language: Language(code))
    let repair = Repair(line: 1, original: "I’", replacement: "l’", reason: "ocr-l-apostrophe")
    #expect(document.repairs == (repairs ? [repair] : []))
  }
}
