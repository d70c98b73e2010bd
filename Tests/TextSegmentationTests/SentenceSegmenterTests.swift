import TestSupport
import Testing
import TextSegmentation

@Suite struct SentenceSegmenterTests {
  /// UN French: abbreviations, numbers, symbols and references that must not end a sentence,
  /// and the boundaries that must stay.
  @Test(arguments: [
    ("M. Guterres a parlé. Mme Bachelet aussi.", ["M. Guterres a parlé.", "Mme Bachelet aussi."]),
    ("MM. Dupont et Durand sont venus.", ["MM. Dupont et Durand sont venus."]),
    ("Voir art. 5 et chap. II du rapport.", ["Voir art. 5 et chap. II du rapport."]),
    (
      "Voir E/2009/28, chap. I, sect. C. Le Conseil a décidé.",
      ["Voir E/2009/28, chap. I, sect. C.", "Le Conseil a décidé."]
    ),
    (
      "Nations Unies, Recueil des Traités, vol. 1833, n° 31363. Le texte suit.",
      ["Nations Unies, Recueil des Traités, vol. 1833, n° 31363.", "Le texte suit."]
    ),
    ("Voir A/74/6 (Sect.22). Le plan suit.", ["Voir A/74/6 (Sect.22).", "Le plan suit."]),
    (
      "12. Les États Membres ont décidé. Ils ont agi.", ["12. Les États Membres ont décidé.", "Ils ont agi."]
    ),
    ("II. Coopération Sud-Sud", ["II. Coopération Sud-Sud"]),
    ("A. Contexte général", ["A. Contexte général"]),
    (
      "77/13. Coopération entre l’Organisation des Nations Unies et l’OTSC",
      ["77/13. Coopération entre l’Organisation des Nations Unies et l’OTSC"]
    ),
    ("Les efforts mondiaux. Le Conseil a pris note.", ["Les efforts mondiaux.", "Le Conseil a pris note."]),
    (
      "Il a dit : « Qui viendra ? » Personne ne répondit.",
      ["Il a dit : « Qui viendra ? »", "Personne ne répondit."]
    ),
    ("« Qui viendra ? » demanda-t-il.", ["« Qui viendra ? » demanda-t-il."]),
    (
      "Elle assure que ce mouvement « n’aura aucun impact ». Le reste suit.",
      ["Elle assure que ce mouvement « n’aura aucun impact ».", "Le reste suit."]
    ),
    ("Le texte est adopté.¹² Le Conseil suit.", ["Le texte est adopté.¹²", "Le Conseil suit."]),
    ("Le texte est adopté.* Le Conseil suit.", ["Le texte est adopté.*", "Le Conseil suit."]),
    (
      "a) la paix ; b) le développement ; c) les droits.",
      ["a) la paix ; b) le développement ; c) les droits."]
    ),
    (
      "Il a utilisé son pouvoir. 11 a aussi favorisé le dialogue.",
      ["Il a utilisé son pouvoir.", "11 a aussi favorisé le dialogue."]
    ),
    ("", []),
    ("   \n ", []),
  ])
  func french(text: String, expected: [String]) throws {
    let segmenter = try SentenceSegmenter(language: .french)
    #expect(segmenter.sentenceStrings(in: text) == expected)
  }

  @Test(arguments: [
    ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
    (
      "Some States, e.g. Canada, agreed. Others did not.",
      ["Some States, e.g. Canada, agreed.", "Others did not."]
    ),
    (
      "Goods, i.e. food and fuel, etc. were sent. Then aid came.",
      ["Goods, i.e. food and fuel, etc. were sent.", "Then aid came."]
    ),
    ("Paper, ink, etc. The list goes on.", ["Paper, ink, etc.", "The list goes on."]),
    (
      "See vol. 1833, No. 31363. It entered into force.",
      ["See vol. 1833, No. 31363.", "It entered into force."]
    ),
    ("The meeting was held at 10 a.m. on Monday.", ["The meeting was held at 10 a.m. on Monday."]),
    ("See A/74/6 (Sect. 22). The plan follows.", ["See A/74/6 (Sect. 22).", "The plan follows."]),
    ("(a) The first measure; (b) the second measure.", ["(a) The first measure; (b) the second measure."]),
    ("It works.\nNext line.", ["It works.", "Next line."]),
    ("Why? she asked.", ["Why? she asked."]),
  ])
  func english(text: String, expected: [String]) throws {
    let segmenter = try SentenceSegmenter(language: .english)
    #expect(segmenter.sentenceStrings(in: text) == expected)
  }

  /// Other languages get ICU with the generic rules.
  @Test(arguments: [
    (
      Language.german, "Das ist gut. Wir gehen z.B. nach Hause. Dr. Müller kommt.",
      ["Das ist gut.", "Wir gehen z.B. nach Hause.", "Dr. Müller kommt."]
    ),
    (Language("ja"), "今日は晴れです。明日は雨です。", ["今日は晴れです。", "明日は雨です。"]),
    (Language("es"), "Hola. ¿Qué tal? Bien 🙂. Adiós.", ["Hola.", "¿Qué tal?", "Bien 🙂.", "Adiós."]),
  ])
  func otherLanguages(language: Language, text: String, expected: [String]) throws {
    let segmenter = try SentenceSegmenter(language: language)
    #expect(segmenter.sentenceStrings(in: text) == expected)
  }

  @Test func rangesIndexTheText() throws {
    let segmenter = try SentenceSegmenter(language: .french)
    let text = "  Première phrase.  Deuxième — avec « guillemets ».\u{00A0}Fin ! "
    let ranges = segmenter.sentences(in: text)
    #expect(
      ranges.map { String(text[$0]) } == ["Première phrase.", "Deuxième — avec « guillemets ».", "Fin !"])
  }

  /// On random texts built from the corpus' own pieces: sentences are in order, do not overlap,
  /// have no white space at either end, and together hold every non-space character.
  @Test func sentencesCoverTheTextInOrder() throws {
    let pieces = [
      "M.", "Mme", "art.", "12.", "II.", "A.", "(a)", "A/74/6", "(Sect.22)", "chap.", "I,", "sect.",
      "C", "Le", "la", "coopération.", "?", "!", "»", "«", "¹²", "*", "...", ". . .", "77/13.",
      "U.S.", "Mr.", "\n", "1)", "2)", "b.", "Sud-Sud", "mondiaux.", "e.g.", "Voir", "\u{00A0}",
    ]
    var generator = SeededGenerator(seed: 42)
    for language in [Language.french, .english, .german] {
      let segmenter = try SentenceSegmenter(language: language)
      for _ in 0..<200 {
        let count = Int.random(in: 0...30, using: &generator)
        let words = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }
        let text = words.joined(separator: " ")
        let ranges = segmenter.sentences(in: text)
        for (first, second) in zip(ranges, ranges.dropFirst()) {
          #expect(first.upperBound <= second.lowerBound)
        }
        for range in ranges {
          let sentence = text[range]
          #expect(!sentence.isEmpty)
          #expect(sentence.first?.isWhitespace == false && sentence.last?.isWhitespace == false)
        }
        let kept = ranges.map { text[$0] }.joined().filter { !$0.isWhitespace }
        #expect(kept == text.filter { !$0.isWhitespace }, "\(text)")
      }
    }
  }
}

@Suite struct QuotedQuestionTests {
  @Test(arguments: [
    (
      "fr",
      "Il a présenté un rapport sur « Les vies perdues en Méditerranée : qui est responsable ? ». Le HCR a également agi.",
      [
        "Il a présenté un rapport sur « Les vies perdues en Méditerranée : qui est responsable ? ».",
        "Le HCR a également agi.",
      ]
    ),
    (
      "en", "He asked \u{201C}Who is responsible?\u{201D}. The Office replied.",
      ["He asked \u{201C}Who is responsible?\u{201D}.", "The Office replied."]
    ),
  ])
  func aClosedQuotedQuestionEndsTheSentenceAfterItsStop(language: String, text: String, expected: [String])
    throws
  {
    let segmenter = try SentenceSegmenter(language: Language(language))
    #expect(segmenter.sentenceStrings(in: text) == expected)
  }
}
