import Testing
import TextSegmentation
import TranslationMemory

@Suite struct SuggestionPageTests {
  @Test func rowsShowTheSuggestionWithItsSubstitutionsMarkedAndEscaped() throws {
    let entry = FuzzyEntry(
      id: 1, source: "Recalling its resolution 75/15 of 2020 <ref>,",
      target: "Rappelant sa résolution 75/15 de 2020 <ref>,", sourceLanguage: .english,
      targetLanguage: .french, document: "A/RES/75/15", paragraph: "1")
    let index = try FuzzyIndex(entries: [entry], from: .english, to: .french)
    let query = "Recalling its resolution 77/13 of 2022 <ref>,"
    let match = try #require(try index.matches(for: query, minimumScore: 50, limit: 1).first)
    #expect(!match.suggestion.substitutions.isEmpty, "the test needs a substitution")
    let page = SuggestionPage(
      title: "A & B",
      rows: [
        .init(source: query, match: match, context: false),
        .init(source: "Nothing <here>.", match: nil, context: false),
      ]
    ).html()
    #expect(page.contains("<title>A &amp; B</title>"))
    #expect(page.contains("<mark>77/13</mark>"), "\(page)")
    #expect(page.contains("&lt;ref&gt;") && !page.contains("<ref>"))
    #expect(page.contains("<tr class=\"fuzzy\"><td>Recalling its resolution 77/13"))
    #expect(
      page.contains("<tr class=\"none\"><td>Nothing &lt;here&gt;.</td><td></td><td class=\"score\">—</td>"))
  }
}
