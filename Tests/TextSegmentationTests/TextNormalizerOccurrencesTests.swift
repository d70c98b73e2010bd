import Testing
import TextSegmentation

@Suite struct TextNormalizerOccurrencesTests {
  /// The text of a UTF-16 range.
  func text(_ text: String, _ range: Range<Int>) -> String {
    let units = Array(text.utf16)
    return String(decoding: units[range], as: UTF16.self)
  }

  @Test func findsWholeWordsIgnoringCaseAndAccents() {
    let sentence = "L’État, l’ÉTAT-MAJOR, les États et l’action étatique."
    let found = TextNormalizer.occurrences(of: "etat", in: sentence).map { text(sentence, $0) }
    #expect(found == ["État", "ÉTAT"])
  }

  @Test func rangesAreUTF16OffsetsOfTheOriginalText() {
    // A scalar outside the BMP and a decomposed accent before the match shift UTF-16 offsets.
    let sentence = "😀 Cafe\u{301} : la De\u{301}claration de Bangkok, puis la déclaration de bangkok."
    let ranges = TextNormalizer.occurrences(of: "DÉCLARATION DE BANGKOK", in: sentence)
    #expect(ranges.map { text(sentence, $0) } == ["De\u{301}claration de Bangkok", "déclaration de bangkok"])
  }

  @Test func occurrencesDoNotOverlap() {
    #expect(TextNormalizer.occurrences(of: "a a", in: "a a a a").count == 2)
  }

  @Test(arguments: ["", "   ", "\t"])
  func aBlankTermOccursNowhere(_ term: String) {
    #expect(TextNormalizer.occurrences(of: term, in: "a b c").isEmpty)
  }
}
