import Foundation
import TextSegmentation

extension TranslationMemory {
  /// A random id made with the memory (32 hexadecimal digits), the same for as long as the file
  /// lives: with ``generation()`` it says which memory, in which state, something derived from
  /// it was made from. `nil` for a memory whose schema predates it and that was not upgraded.
  public func identity() throws -> String? {
    try read {
      let tables = try connection.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'identity'")
      guard tables == 1 else { return nil }
      let statement = try connection.prepare("SELECT value FROM identity WHERE id = 1")
      defer { statement.reset() }
      return try statement.step() ? statement.string(0) : nil
    }
  }

  /// The fuzzy index over the units that have a variant in both `source` and `target`, kept
  /// beside the memory and built again only when the memory has changed.
  ///
  /// The index is saved at ``FuzzyIndex/defaultURL(forMemory:from:to:)`` with a signature made of
  /// the memory's ``identity()``, its ``generation()`` and the two languages. A saved index whose
  /// signature still matches is loaded; otherwise (no file, a write since, another memory at the
  /// same path, another version of aligntm, a damaged file) the index is built from the memory
  /// and saved for next time. A memory without an identity (an old schema, not upgraded) has its
  /// index built each time and never saved.
  ///
  /// Units with a text longer than ``FuzzyIndex/maximumTextLength`` are left out of the index
  /// (``FuzzyIndex/omittedCount``).
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
    // One snapshot: the identity and generation are those of the units read. An index saved
    // before memories had an identity (when variants were also matched by exact tag, missing
    // `fr-FR` units for `fr`) has a signature without one, so it is built again.
    try read {
      let generation = try generation()
      let signature = try identity().map { "memory \($0) generation \(generation) \(source)-\(target)" }
      let indexURL = FuzzyIndex.defaultURL(forMemory: url, from: source, to: target)
      if let signature, let index = FuzzyIndex.load(from: indexURL, expectedSignature: signature) {
        return index
      }
      var entries: [FuzzyEntry] = []
      try forEachUnit(languages: [source, target]) { unit in
        guard let id = unit.id, let sourceText = unit[source], let targetText = unit[target] else { return }
        entries.append(
          FuzzyEntry(
            id: id, source: sourceText.text, target: targetText.text, sourceLanguage: source,
            targetLanguage: target, document: unit.document, paragraph: unit.property(.paragraph)))
      }
      let index = try FuzzyIndex(entries: entries, from: source, to: target)
      if let signature {
        do {
          try index.save(to: indexURL, signature: signature)
        } catch {
          notSaved(error)
        }
      }
      return index
    }
  }
}
