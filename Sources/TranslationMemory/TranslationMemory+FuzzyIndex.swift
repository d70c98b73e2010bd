import Foundation
import TextSegmentation

extension TranslationMemory {
  /// A random id made with the memory (32 hexadecimal digits), the same for as long as the file
  /// lives: with ``generation()`` it says which memory, in which state, something derived from
  /// it was made from. `nil` for a memory whose schema predates it and that was not upgraded.
  public func identity() throws -> String? {
    try read {
      guard try connection.hasTables("identity") else { return nil }
      let statement = try connection.prepare("SELECT value FROM identity WHERE id = 1")
      defer { statement.reset() }
      return try statement.step() ? statement.string(0) : nil
    }
  }

  /// The fuzzy index over the units that have a variant in both `source` and `target`, kept
  /// beside the memory, mapped rather than read, and brought up to date rather than built again
  /// when the memory has changed a little.
  ///
  /// The index is saved at ``FuzzyIndex/defaultURL(forMemory:from:to:)``: fixed-width tables in
  /// a flat file that the process maps, checked by a header, a length and a checksum per block
  /// (see `MappedIndexFile`); the texts stay in the memory and are read by id for the matches
  /// only. The file records the memory's ``identity()``, the two languages and the
  /// ``generation()`` it was made at. When the memory has changed since, the units changed (from
  /// the memory's change log) are laid over the mapped tables; when they are many (more than an
  /// eighth of the index, or 20,000), or the file cannot be used (no file, another memory at the
  /// same path, another version of aligntm, a damaged file), the index is built from the memory
  /// and saved for next time. A damage found only by a query (the large tables are checked as
  /// they are read) builds the index again then and there. A memory without an identity (an old
  /// schema, not upgraded) has its index built each time and never saved.
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
  /// - Complexity: O(size of the vocabulary + units changed since the file) when the saved
  ///   index is used, else O(total length of the units' texts) to build it.
  public func fuzzyIndex(
    from source: Language, to target: Language, notSaved: (any Error) -> Void = { _ in }
  ) throws -> FuzzyIndex {
    try liveFuzzyIndex(from: source, to: target, notSaved: notSaved).index
  }

  /// ``fuzzyIndex(from:to:notSaved:)`` as a ``LiveFuzzyIndex``, for a process that stays up
  /// and keeps it current with ``LiveFuzzyIndex/refresh(from:)`` after each generation bump.
  public func liveFuzzyIndex(
    from source: Language, to target: Language, notSaved: (any Error) -> Void = { _ in }
  ) throws -> LiveFuzzyIndex {
    // One snapshot: the identity and generation are those of the units read. An index saved
    // before memories had an identity has a signature without one, so it is built again.
    try read {
      let generation = try generation()
      let signature = try identity().map { "memory \($0) \(source)-\(target)" }
      let indexURL = FuzzyIndex.defaultURL(forMemory: url, from: source, to: target)
      if let signature,
        let mapped = try? FuzzyIndex.openMapped(
          at: indexURL, expectedSignature: signature,
          fetch: { [self] id in try? fuzzyEntry(id: id, from: source, to: target) }),
        mapped.meta.generation <= generation
      {
        let recovery = Recovery { [self] _ in
          unlink(indexURL.path)
          return try fuzzyIndex(from: source, to: target)
        }
        let base = FuzzyIndex(mapped.index, overlay: nil, recovery: recovery)
        let live = LiveFuzzyIndex(
          base, generation: mapped.meta.generation,
          saving: mappedSaving(at: indexURL, signature: signature, from: source, to: target))
        if mapped.meta.generation == generation { return live }
        if let changes = try changedUnitIDs(since: mapped.meta.generation),
          LiveFuzzyIndex.isSmallChange(changes.count, baseCount: base.entries.count)
        {
          try live.refresh(from: self)
          return live
        }
      }
      let index = try FuzzyIndex(
        entries: try allFuzzyEntries(from: source, to: target), from: source, to: target)
      if let signature {
        do {
          try index.writeMapped(to: indexURL, signature: signature, generation: generation)
        } catch {
          notSaved(error)
        }
      }
      return LiveFuzzyIndex(
        index, generation: generation,
        saving: signature.map { mappedSaving(at: indexURL, signature: $0, from: source, to: target) })
    }
  }

  /// The index built from every unit, and the generation it is current with.
  func builtFuzzyIndex(from source: Language, to target: Language) throws -> (FuzzyIndex, Int64) {
    try read {
      (
        try FuzzyIndex(entries: try allFuzzyEntries(from: source, to: target), from: source, to: target),
        try generation()
      )
    }
  }
}
