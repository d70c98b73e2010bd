import Foundation
import TextSegmentation

extension TranslationMemory {
  /// The language pairs of the units written since a generation, from the change log.
  public struct ChangedLanguagePairs: Sendable, Hashable {
    /// The memory's generation these were read at.
    public var generation: Int64
    /// The (unit's source language, other variant's language) pairs of the units added or
    /// changed since, as ``languagePairs()`` spells them.
    public var pairs: Set<LanguagePairKey>
    /// Whether some unit changed since is gone or has no translation left: a pair may have gone
    /// with it. (A unit that kept some of its translations is not counted: a pair it alone
    /// held stays listed until ``languagePairs()`` is read again.)
    public var mayHaveRemoved: Bool
  }

  /// A language pair as stored: the unit's source language and another variant's.
  public struct LanguagePairKey: Sendable, Hashable {
    public var source: Language
    public var target: Language
    public init(source: Language, target: Language) {
      self.source = source
      self.target = target
    }
  }

  /// What ``languagePairs()`` gained (and whether it may have lost) since generation `since`,
  /// read from the units changed since rather than from every variant: O(units changed).
  /// `nil` when the memory cannot say (no change log, or one that starts after `since`).
  ///
  /// Up to ``pairsByUnitLimit`` units changed, each unit's pairs are read by its id (an index
  /// lookup whatever the memory's size); beyond, one join of the change log with the units and
  /// variants (which PostgreSQL, its estimate of the small change log off, may answer by
  /// scanning every unit: 30 ms at 100,000 units, and growing with the memory).
  ///
  /// - Throws: ``TranslationMemoryError`` when the memory cannot be read.
  public func languagePairs(changedSince since: Int64) throws -> ChangedLanguagePairs? {
    try read {
      guard try changeLogCovers(since: since) else { return nil }
      let generation = try generation()
      let changed = try connection.prepare(
        "SELECT DISTINCT unit_id FROM unit_change WHERE generation > ?1 ORDER BY unit_id")
      defer { changed.reset() }
      changed.bind(1, since)
      var ids: [Int64] = []
      while try changed.step(), ids.count <= Self.pairsByUnitLimit { ids.append(changed.int64(0)) }
      if ids.count <= Self.pairsByUnitLimit {
        let byUnit = try connection.cached(
          """
          SELECT unit.source_language, variant.language FROM unit
          JOIN variant ON variant.unit_id = unit.id AND variant.language != unit.source_language
          WHERE unit.id = ?1
          """)
        var pairs: Set<LanguagePairKey> = []
        var mayHaveRemoved = false
        for id in ids {
          byUnit.reset()
          byUnit.bind(1, id)
          var found = false
          while try byUnit.step() {
            found = true
            pairs.insert(
              LanguagePairKey(source: Language(byUnit.string(0)), target: Language(byUnit.string(1))))
          }
          // A unit gone, or one left with fewer than two languages (a variant removed).
          if !found { mayHaveRemoved = true }
        }
        byUnit.reset()
        return ChangedLanguagePairs(generation: generation, pairs: pairs, mayHaveRemoved: mayHaveRemoved)
      }
      let statement = try connection.prepare(
        """
        SELECT DISTINCT unit.source_language, variant.language FROM unit_change
        JOIN unit ON unit.id = unit_change.unit_id
        JOIN variant ON variant.unit_id = unit.id AND variant.language != unit.source_language
        WHERE unit_change.generation > ?1
        """)
      defer { statement.reset() }
      statement.bind(1, since)
      var pairs: Set<LanguagePairKey> = []
      while try statement.step() {
        pairs.insert(
          LanguagePairKey(source: Language(statement.string(0)), target: Language(statement.string(1))))
      }
      // A unit gone, or one left with fewer than two languages (a variant removed).
      let removal = try connection.prepare(
        """
        SELECT EXISTS (
          SELECT 1 FROM unit_change WHERE generation > ?1 AND NOT EXISTS (
            SELECT 1 FROM variant JOIN unit ON unit.id = variant.unit_id
            WHERE variant.unit_id = unit_change.unit_id AND variant.language != unit.source_language))
        """)
      defer { removal.reset() }
      removal.bind(1, since)
      let mayHaveRemoved = try removal.step() && removal.int64(0) != 0
      return ChangedLanguagePairs(generation: generation, pairs: pairs, mayHaveRemoved: mayHaveRemoved)
    }
  }

  /// How many changed units ``languagePairs(changedSince:)`` reads one by one at most.
  static let pairsByUnitLimit = 2_000
}
