import Foundation

extension TranslationMemory {
  /// The files a pair of documents was aligned from, as the units' provenance records them
  /// (`x-source-file`, `x-target-file`).
  public struct FilePair: Sendable, Hashable {
    public var source: String
    public var target: String

    public init(source: String, target: String) {
      self.source = source
      self.target = target
    }
  }

  /// Every pair of files some stored unit was aligned from.
  ///
  /// A pair's units are stored in one transaction, so one unit of it means all of it; but a pair
  /// whose every unit merged into units of another pair (the same texts) leaves none: see
  /// ``alignedFilePairs()`` for what `align --pairs` records.
  ///
  /// - Complexity: one read of the unit table.
  public func storedFilePairs() throws -> Set<FilePair> {
    try read {
      let statement = try connection.prepare(
        """
        SELECT DISTINCT source_file, target_file FROM unit
        WHERE source_file IS NOT NULL AND target_file IS NOT NULL
        """)
      defer { statement.reset() }
      var pairs: Set<FilePair> = []
      while try statement.step() {
        pairs.insert(FilePair(source: statement.string(0), target: statement.string(1)))
      }
      return pairs
    }
  }

  /// The pairs ``add(_:aligningPair:contentHash:document:)`` stored, with the hash of their
  /// files' content then: a pair whose files still hash the same needs no aligning again.
  ///
  /// A pair whose document no stored unit has any more (`tm remove --document`) is left out: its
  /// units are gone, so it must be aligned again.
  public func alignedFilePairs() throws -> [FilePair: Int64] {
    try read {
      guard try connection.hasTables("aligned_pair") else { return [:] }
      let statement = try connection.prepare(
        """
        SELECT source_file, target_file, content_hash FROM aligned_pair
        WHERE unit_count = 0 OR document IS NULL OR document IN (SELECT document FROM unit)
        """)
      defer { statement.reset() }
      var pairs: [FilePair: Int64] = [:]
      while try statement.step() {
        pairs[FilePair(source: statement.string(0), target: statement.string(1))] = statement.int64(2)
      }
      return pairs
    }
  }

  /// Adds the units aligned from a pair of files and records the pair, in one transaction: the
  /// pair is stored whole, with its record, or not at all.
  ///
  /// The record is what lets a batch that was interrupted skip the pairs it finished, even when
  /// their units all merged into others. Its table is made here when missing (`IF NOT EXISTS`),
  /// not by a migration: memories that never align a batch don't have it, and nothing else
  /// reads it.
  ///
  /// - Parameters:
  ///   - contentHash: A hash of the two files' bytes, compared by the next batch.
  ///   - document: The units' document symbol (`x-document`), if any.
  @discardableResult
  public func add(
    _ units: [TranslationUnit], aligningPair pair: FilePair, contentHash: Int64, document: String?
  ) throws -> AddSummary {
    try write { memory in
      let summary = try memory.add(units)
      let record = try memory.connection.prepare(
        """
        INSERT INTO aligned_pair
          (source_file, target_file, content_hash, unit_count, document, aligned_date)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        ON CONFLICT (source_file, target_file) DO UPDATE SET content_hash = excluded.content_hash,
          unit_count = excluded.unit_count, document = excluded.document,
          aligned_date = excluded.aligned_date
        """)
      record.bind(1, pair.source)
      record.bind(2, pair.target)
      record.bind(3, contentHash)
      record.bind(4, Int64(units.count))
      record.bind(5, document)
      record.bind(6, Int64(Date().timeIntervalSince1970))
      try record.step()
      record.reset()
      return summary
    }
  }
}
