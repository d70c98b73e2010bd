import Alignment
import Testing

@Suite struct ReviewPageTests {
  @Test func highlightsLowConfidenceBeadsAndEscapesText() {
    let page = ReviewPage(
      title: "A/75/15 <draft>", sourceLanguage: .english, targetLanguage: .french,
      rows: [
        .init(paragraph: "12", source: ["Sure & certain."], target: ["Sûr et certain."], score: 0.93),
        .init(paragraph: nil, source: ["Doubtful."], target: ["Douteux."], score: 0.31),
        .init(paragraph: nil, source: [], target: ["Inséré."], score: 0.8),
      ], lowConfidence: 0.5)
    let html = page.html()
    #expect(html.contains("<html lang=\"fr\">"))
    #expect(html.contains("<th>en</th><th>fr</th><th>score</th>"))
    #expect(html.contains("<title>A/75/15 &lt;draft&gt;</title>"))
    #expect(html.contains("Sure &amp; certain."))
    #expect(html.components(separatedBy: "<tr class=\"low\">").count == 2, "one highlighted row")
    #expect(html.contains("<td class=\"par\">12</td>"))
    #expect(html.contains("<td class=\"empty\"></td>"), "the missing side of a 0-1 bead")
    #expect(html.contains("3 beads, 1 below 50 %"))
  }
}
