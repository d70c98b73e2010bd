import Foundation
import TextSegmentation

extension TranslationMemory {
  /// The fuzzy index over the units that have a variant in both `source` and `target`, kept
  /// beside the memory and built again only when the memory has changed.
  ///
  /// The index is saved at ``FuzzyIndex/defaultURL(forMemory:from:to:)`` with a signature made of
  /// the memory's ``generation()`` and the two languages. A saved index whose signature still
  /// matches is loaded; otherwise (no file, a write since, another version of aligntm, a damaged
  /// file) the index is built from the memory and saved for next time.
  ///
  /// ```swift
  /// let memory = try TranslationMemory(url: url)
  /// let index = try memory.fuzzyIndex(from: .english, to: .french)
  /// let best = try index.matches(for: "Recalling its resolution 75/15,", minimumScore: 70, limit: 3)
  /// ```
  ///
  /// - Parameters:
  ///   - source: The language of the texts that will be looked up.
  ///   - target: The language of the translations.
  ///   - notSaved: Called with the error when the index was built but could not be saved; the
  ///     index is returned all the same, and built again next time.
  /// - Throws: ``TranslationMemoryError`` when the memory cannot be read, or
  ///   ``FuzzyError/unsupportedLanguage(_:)``.
  /// - Complexity: O(size of the index file) when the saved index is used, else O(total length of
  ///   the units' texts) to build it.
  public func fuzzyIndex(
    from source: Language, to target: Language, notSaved: (any Error) -> Void = { _ in }
  ) throws -> FuzzyIndex {
    // "by primary language": an index saved when variants were matched by exact tag (and missed
    // `fr-FR` units for `fr`) is built again.
    let signature = "generation \(try generation()) \(source)-\(target) by primary language"
    let indexURL = FuzzyIndex.defaultURL(forMemory: url, from: source, to: target)
    if let index = FuzzyIndex.load(from: indexURL, expectedSignature: signature) { return index }
    var entries: [FuzzyEntry] = []
    try forEachUnit(languages: [source, target]) { unit in
      guard let id = unit.id, let sourceText = unit[source], let targetText = unit[target] else { return }
      entries.append(
        FuzzyEntry(
          id: id, source: sourceText.text, target: targetText.text, sourceLanguage: source,
          targetLanguage: target, document: unit.document, paragraph: unit.property(.paragraph)))
    }
    let index = try FuzzyIndex(entries: entries, from: source, to: target)
    do {
      try index.save(to: indexURL, signature: signature)
    } catch {
      notSaved(error)
    }
    return index
  }
}
