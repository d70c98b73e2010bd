import ICUSupport
import Testing

@Suite struct NormalizerTests {
  @Test func normalizesAndFolds() throws {
    #expect(try Normalizer.normalize("e\u{301}te\u{301}", to: .nfc) == "été")
    #expect(try Normalizer.foldCase("ÉTÉ Straße") == "été strasse")
  }

  @Test func lowercasesWithTheLocalesRules() throws {
    #expect(try Normalizer.lowercase("DİYARBAKIR", locale: "tr") == "diyarbakır")
    #expect(try Normalizer.lowercase("DIYARBAKIR", locale: "en") == "diyarbakir")
  }

  @Test func growsTheBufferWhenTheResultIsLonger() throws {
    // U+FDFA expands to 18 code units under NFKC, more than the first buffer holds.
    let expanded = try Normalizer.normalize("\u{FDFA}", to: .nfkc)
    #expect(expanded.utf16.count == 18)
    #expect(expanded == "صلى الله عليه وسلم")
  }
}
