import Foundation
import TextSegmentation

extension TranslationMemory {
  /// The ids of the units added, changed or removed by the writes after generation `since`,
  /// ascending; `nil` when the memory cannot say (no change log: a schema before it; or a log
  /// that starts after `since`).
  func changedUnitIDs(since generation: Int64) throws -> [Int64]? {
    try read {
      guard try changeLogCovers(since: generation) else { return nil }
      let statement = try connection.prepare(
        "SELECT DISTINCT unit_id FROM unit_change WHERE generation > ?1 ORDER BY unit_id")
      defer { statement.reset() }
      statement.bind(1, generation)
      var ids: [Int64] = []
      while try statement.step() { ids.append(statement.int64(0)) }
      return ids
    }
  }

  /// Whether the change log (migration 7) holds every write after generation `since`: false for
  /// a schema before it, or a log that starts after `since`. Inside a read.
  func changeLogCovers(since generation: Int64) throws -> Bool {
    guard try connection.hasTables("unit_change", "unit_change_start") else { return false }
    let start = try connection.scalarInt("SELECT generation FROM unit_change_start WHERE id = 1")
    guard let start else { return false }
    return start <= generation
  }

  /// The unit `id` as the fuzzy index sees it, `source` → `target`; `nil` when the memory no
  /// longer holds it or it lacks one of the languages.
  public func fuzzyEntry(id: Int64, from source: Language, to target: Language) throws -> FuzzyEntry? {
    var found: FuzzyEntry?
    try forEachUnit(filter: .id(id), languages: [source, target]) { unit in
      found = Self.fuzzyEntry(unit, from: source, to: target)
    }
    return found
  }

  /// The entries of the units `ids` that still exist and have both languages.
  func fuzzyEntries(ids: [Int64], from source: Language, to target: Language) throws -> [FuzzyEntry] {
    try read { try ids.compactMap { try fuzzyEntry(id: $0, from: source, to: target) } }
  }

  /// Every unit with both languages, as fuzzy entries, in id order.
  func allFuzzyEntries(from source: Language, to target: Language) throws -> [FuzzyEntry] {
    var entries: [FuzzyEntry] = []
    try forEachUnit(languages: [source, target]) { unit in
      if let entry = Self.fuzzyEntry(unit, from: source, to: target) { entries.append(entry) }
    }
    return entries
  }

  private static func fuzzyEntry(_ unit: TranslationUnit, from source: Language, to target: Language)
    -> FuzzyEntry?
  {
    guard let id = unit.id, let sourceText = unit[source], let targetText = unit[target] else { return nil }
    return FuzzyEntry(
      id: id, source: sourceText.text, target: targetText.text, sourceLanguage: source,
      targetLanguage: target, document: unit.document, paragraph: unit.property(.paragraph))
  }
}
