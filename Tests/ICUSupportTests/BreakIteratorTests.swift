import ICUSupport
import Testing

@Suite struct BreakIteratorTests {
  @Test func sentencesCoverTheText() throws {
    let text = "Le 9 août 2012, l'ONU a adopté la résolution. Ils sont mondiaux. Fin."
    let iterator = try BreakIterator(.sentence, locale: "fr")
    let ranges = iterator.ranges(in: text)
    #expect(
      ranges.map { String(text[$0]) } == [
        "Le 9 août 2012, l'ONU a adopté la résolution. ", "Ils sont mondiaux. ", "Fin.",
      ])
  }

  @Test func wordsCarryTheirKind() throws {
    let iterator = try BreakIterator(.word, locale: "en")
    let text = "Items 122 and A"
    let kinds = iterator.segments(ofUTF16: Array(text.utf16)).map(\.kind)
    #expect(kinds == [.letter, .none, .number, .none, .letter, .none, .letter])
  }

  @Test func emptyTextHasNoSegments() throws {
    #expect(try BreakIterator(.word, locale: "fr").ranges(in: "").isEmpty)
  }
}
