import Foundation

extension TranslationMemory {
  /// What ``add(_:)-(TranslationUnit)`` did with a unit.
  public enum AddOutcome: Sendable, Hashable {
    /// The unit is new; it has this id.
    case inserted(id: Int64)
    /// The same unit was already stored as this one (see ``add(_:)-(TranslationUnit)``): its usage
    /// count, change date, properties, notes and variants' metadata were merged.
    case merged(id: Int64)

    /// The stored unit's id.
    public var id: Int64 {
      switch self {
      case .inserted(let id), .merged(let id): return id
      }
    }
  }

  /// How many units a batch inserted and merged.
  public struct AddSummary: Sendable, Hashable {
    public var inserted = 0
    public var merged = 0
    public init(inserted: Int = 0, merged: Int = 0) {
      self.inserted = inserted
      self.merged = merged
    }
  }

  /// Adds units in one transaction (or in the open one).
  @discardableResult
  public func add(_ units: some Sequence<TranslationUnit>) throws -> AddSummary {
    try write { memory in
      var summary = AddSummary()
      for unit in units {
        switch try memory.add(unit) {
        case .inserted: summary.inserted += 1
        case .merged: summary.merged += 1
        }
      }
      return summary
    }
  }

  /// Adds one unit, or merges it into the stored unit that is the same unit.
  ///
  /// Two units are the same unit when every variant is the same, in any order: the same language
  /// (case aside), the same text exactly (white space and Unicode composition included), the same
  /// inline codes compared by kind, pairing (`i`) and position, not by their native content; and
  /// when their context properties (`x-context`, `file`, `id`) are the same. A merge adds the
  /// usage count (a TMX import keeps the larger when the unit comes back with its own creation date), takes
  /// the change date and id when newer, keeps the properties and notes of both, and, per
  /// variant, takes the incoming dates, ids and codes when its change date (else its creation
  /// date) is newer, and keeps the properties and notes of both.
  ///
  /// Two variants in one language are kept, in their order, as alternative translations.
  ///
  /// - Throws: ``TranslationMemoryError/invalidUnit(path:reason:)`` for a unit with no variant or
  ///   whose every variant is blank.
  @discardableResult
  public func add(_ unit: TranslationUnit) throws -> AddOutcome {
    try unit.validateForStore(path: displayPath)
    // A batch of one: the import's row code, with every key looked up.
    var batch = _UnitBatch()
    batch.countsEveryUse = true
    batch.append(unit)
    return try write { _ in
      var outcome = AddOutcome.inserted(id: 0)
      var keys: _ContentKeyFilter?
      try insert(batch, keys: &keys) { outcome = $0 }
      return outcome
    }
  }

  // MARK: Removing

  /// Removes every unit of a document (`x-document`). Returns how many.
  @discardableResult
  public func remove(document: String) throws -> Int {
    try write { _ in
      let statement = try connection.cached("DELETE FROM unit WHERE document = ?1")
      statement.bind(1, document)
      try statement.step()
      return connection.changes
    }
  }
}
