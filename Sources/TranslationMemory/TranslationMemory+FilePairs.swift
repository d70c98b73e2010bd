import Foundation

extension TranslationMemory {
  /// The files a unit was aligned from, as its provenance records them (`x-source-file`,
  /// `x-target-file`).
  public struct FilePair: Sendable, Hashable {
    public var source: String
    public var target: String

    public init(source: String, target: String) {
      self.source = source
      self.target = target
    }
  }

  /// Every pair of files some stored unit was aligned from: what `align --pairs` skips when it
  /// runs again. A pair is stored in one transaction, so one unit of it means all of it.
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
}
