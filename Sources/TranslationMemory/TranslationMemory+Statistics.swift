import Foundation
import TextSegmentation

extension TranslationMemory {
  /// How many units a document has.
  public struct DocumentCount: Sendable, Hashable {
    /// The document symbol; nil for units without `x-document`.
    public var document: String?
    public var unitCount: Int
  }

  /// What the memory holds.
  public struct Statistics: Sendable, Hashable {
    public var unitCount: Int
    public var variantCount: Int
    /// Variants per language.
    public var languages: [Language: Int]
    /// Units per document, sorted by symbol (units without a symbol first).
    public var documents: [DocumentCount]
    /// Units that were the same unit as a stored one and were merged into it, since schema 6.
    public var mergedUnitCount: Int = 0
    /// Units with a single variant (exported as a `<tu>` with one `<tuv>`).
    public var singleVariantUnitCount: Int = 0
  }

  /// Counts units, variants per language and units per document.
  public func statistics() throws -> Statistics {
    try read {
      let unitCount = Int(try connection.scalarInt("SELECT count(*) FROM unit") ?? 0)
      var languages: [Language: Int] = [:]
      var variantCount = 0
      let byLanguage = try connection.prepare(
        "SELECT language, count(*) FROM variant GROUP BY language")
      while try byLanguage.step() {
        let count = Int(byLanguage.int64(1))
        languages[Language(byLanguage.string(0))] = count
        variantCount += count
      }
      var documents: [DocumentCount] = []
      let byDocument = try connection.prepare(
        "SELECT document, count(*) FROM unit GROUP BY document ORDER BY document NULLS FIRST")
      while try byDocument.step() {
        documents.append(
          DocumentCount(document: byDocument.optionalString(0), unitCount: Int(byDocument.int64(1))))
      }
      let merged = Int(
        try connection.scalarInt("SELECT CAST(coalesce(sum(merged_count), 0) AS BIGINT) FROM unit") ?? 0)
      let single = Int(
        try connection.scalarInt(
          "SELECT count(*) FROM (SELECT unit_id FROM variant GROUP BY unit_id HAVING count(*) = 1) AS single")
          ?? 0)
      return Statistics(
        unitCount: unitCount, variantCount: variantCount, languages: languages, documents: documents,
        mergedUnitCount: merged, singleVariantUnitCount: single)
    }
  }

  /// A language pair the memory holds: units in `source` with a variant in `target`.
  public struct LanguagePairCount: Sendable, Hashable {
    public var source: Language
    public var target: Language
    public var unitCount: Int
  }

  /// The language pairs of the stored units (each unit's source language with each of its other
  /// languages), the largest first.
  ///
  /// - Complexity: Reads every variant: for messages, not for every lookup.
  public func languagePairs() throws -> [LanguagePairCount] {
    try read {
      let statement = try connection.prepare(
        """
        SELECT unit.source_language, variant.language, count(*) FROM unit
        JOIN variant ON variant.unit_id = unit.id AND variant.language != unit.source_language
        GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2
        """)
      var pairs: [LanguagePairCount] = []
      while try statement.step() {
        pairs.append(
          LanguagePairCount(
            source: Language(statement.string(0)), target: Language(statement.string(1)),
            unitCount: Int(statement.int64(2))))
      }
      return pairs
    }
  }

  /// Runs `PRAGMA integrity_check`; returns `["ok"]` for a sound file. On PostgreSQL, whose
  /// server checks its own pages and keys, it checks what the store's rules add: one generation
  /// row, and no unit without a variant (a write cut in half).
  public func integrityCheck() throws -> [String] {
    try locked {
      guard let sqlite else {
        return try read {
          var problems: [String] = []
          if try connection.scalarInt("SELECT count(*) FROM generation WHERE id = 1") != 1 {
            problems.append("the generation row is missing")
          }
          let bare =
            try connection.scalarInt(
              "SELECT count(*) FROM unit WHERE NOT EXISTS (SELECT 1 FROM variant WHERE unit_id = unit.id)")
            ?? 0
          if bare > 0 { problems.append("\(bare) unit(s) without a variant") }
          return problems.isEmpty ? ["ok"] : problems
        }
      }
      let statement = try sqlite.prepare("PRAGMA integrity_check")
      var lines: [String] = []
      while try statement.step() { lines.append(statement.string(0)) }
      return lines
    }
  }
}
