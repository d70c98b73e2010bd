/// Guesses the language of a text from the frequencies of common function words.
///
/// Knows French, English, German and Spanish. Good on a paragraph or more; on a few words
/// it may guess wrong, and with no known word it returns English.
public enum LanguageDetector {
  private static let stopWords: [(Language, Set<String>)] = [
    (
      .french,
      [
        "le", "la", "les", "des", "du", "de", "et", "une", "est", "dans", "pour", "par", "sur",
        "au", "aux", "que", "qui", "avec", "ont", "ses", "leur", "cette", "été", "sont", "pas",
      ]
    ),
    (
      .english,
      [
        "the", "of", "and", "to", "in", "is", "for", "on", "with", "that", "by", "as", "its",
        "has", "have", "was", "were", "from", "be", "are", "this", "which", "at", "an",
      ]
    ),
    (
      .german,
      [
        "der", "die", "das", "und", "den", "dem", "des", "ist", "mit", "von", "zu", "auf",
        "für", "nicht", "sich", "eine", "ein", "im", "auch", "wird", "wurde", "sind",
      ]
    ),
    (
      Language("es"),
      [
        "el", "los", "las", "del", "y", "en", "por", "con", "para", "una", "que",
        "se", "su", "sus", "al", "es", "como", "fue", "han",
      ]
    ),
  ]

  /// The languages it tells apart.
  public static var languages: [Language] { stopWords.map(\.0) }

  /// The most likely language of `text`.
  ///
  /// - Complexity: O(*n*) in the length of `text`; it looks at the first 200 000 characters.
  public static func detect(_ text: String) -> Language {
    var scores = [Int](repeating: 0, count: stopWords.count)
    var word = ""
    var seen = 0
    func score() {
      guard !word.isEmpty else { return }
      for (index, entry) in stopWords.enumerated() where entry.1.contains(word) { scores[index] += 1 }
      word.removeAll(keepingCapacity: true)
    }
    for scalar in text.unicodeScalars {
      seen += 1
      if seen > 200_000 { break }
      if scalar.properties.isAlphabetic {
        word.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
      } else {
        score()
      }
    }
    score()
    var best = 0
    for index in scores.indices where scores[index] > scores[best] { best = index }
    return scores[best] == 0 ? .english : stopWords[best].0
  }
}
