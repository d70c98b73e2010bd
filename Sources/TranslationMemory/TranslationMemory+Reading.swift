import Foundation
import TextSegmentation

extension TranslationMemory {
  /// A unit by its id, or nil.
  public func unit(id: Int64) throws -> TranslationUnit? {
    var found: TranslationUnit?
    try forEachUnit(filter: .id(id)) { found = $0 }
    return found
  }

  /// The units of a document (or all units), in id order.
  public func units(document: String? = nil) throws -> [TranslationUnit] {
    var units: [TranslationUnit] = []
    try forEachUnit(document: document) { units.append($0) }
    return units
  }

  /// Calls `body` with each unit in id order, streaming: memory use doesn't grow with the memory.
  ///
  /// All units come from one snapshot, even while another process writes.
  ///
  /// - Parameters:
  ///   - document: Only units of this document (`x-document`), when set.
  ///   - languages: Only variants in these languages, when set, matched on the primary language
  ///     (`fr` keeps `fr-FR` and `fr-CA` variants; see ``TranslationUnit/subscript(_:)``);
  ///     units left with no variant are skipped.
  ///   - body: Called once per unit; throw to stop.
  public func forEachUnit(
    document: String? = nil, languages: Set<Language>? = nil,
    _ body: (TranslationUnit) throws -> Void
  ) throws {
    try forEachUnit(filter: document.map { .document($0) } ?? .all, languages: languages, body)
  }

  func forEachUnit(
    filter: UnitCursor.Filter, languages: Set<Language>? = nil,
    _ body: (TranslationUnit) throws -> Void
  ) throws {
    let selection = languages.map(LanguageSelection.init)
    try read {
      var cursor = try UnitCursor(connection, filter: filter)
      while try cursor.next() {
        let row = cursor.unit
        let source = Language(row.string(.sourceLanguage))
        var variants = try cursor.variantsWithMetadata()
        if let selection { variants.removeAll { !selection.admits($0.language) } }
        let others = try cursor.otherProperties()
        var notes: [String] = []
        try cursor.forEachNote { notes.append($0.string(1)) }
        if variants.isEmpty { continue }
        try body(
          TranslationUnit(
            id: cursor.id, tuid: row.optionalString(.tuid), sourceLanguage: source, variants: variants,
            properties: PropertyColumns.merge(
              values: row.propertyColumnValues(), order: row.optionalInt64(.propertyOrder),
              others: others),
            notes: notes,
            creationDate: Date(timeIntervalSince1970: TimeInterval(row.int64(.creationDate))),
            creationID: row.optionalString(.creationID),
            changeDate: row.optionalInt64(.changeDate).map { Date(timeIntervalSince1970: TimeInterval($0)) },
            changeID: row.optionalString(.changeID), usageCount: Int(row.int64(.usageCount)),
            lastUsageDate: row.optionalInt64(.lastUsageDate).map {
              Date(timeIntervalSince1970: TimeInterval($0))
            },
            segmentType: row.optionalString(.segmentType), dataType: row.optionalString(.dataType),
            creationTool: row.optionalString(.creationTool),
            creationToolVersion: row.optionalString(.creationToolVersion)))
      }
    }
  }

  /// The source languages of the stored units (of one document when set), sorted.
  public func sourceLanguages(document: String? = nil) throws -> [Language] {
    try read {
      // No ORDER BY: with it SQLite sorts every row before removing duplicates (80 MiB for a
      // million units); without it a temporary b-tree holds only the distinct values.
      let statement = try connection.prepare(
        document == nil
          ? "SELECT DISTINCT source_language FROM unit"
          : "SELECT DISTINCT source_language FROM unit WHERE document = ?1")
      statement.bind(1, document)
      var languages: [Language] = []
      while try statement.step() { languages.append(Language(statement.string(0))) }
      return languages.sorted { $0.rawValue < $1.rawValue }
    }
  }
}
