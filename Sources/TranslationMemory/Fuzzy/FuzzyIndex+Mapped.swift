import Foundation
import TextSegmentation

/// What a mapped index file says about itself.
struct MappedIndexMeta: Codable, Equatable {
  var source: String
  var target: String
  /// Which memory and pair the tables were made from (not which state: see `generation`).
  var signature: String
  /// The memory's generation the tables were made at.
  var generation: Int64
  var count: Int
  var omittedCount: Int
}

extension FuzzyIndex {
  /// Writes the tables to a file that ``openMapped(at:expectedSignature:fetch:)`` maps: the
  /// fixed-width arrays and the vocabularies, without the texts (the memory holds them).
  ///
  /// The index must have no overlay. The file is written beside `url` and renamed over it.
  ///
  /// - Throws: ``FuzzyIndexFileError/unreadable(path:reason:)`` when it cannot be written.
  /// - Complexity: O(size of the tables).
  func writeMapped(to url: URL, signature: String, generation: Int64) throws {
    precondition(overlay == nil, "the tables only")
    let writer = try MappedIndexWriter(url: url)
    let meta = MappedIndexMeta(
      source: sourceLanguage.rawValue, target: targetLanguage.rawValue, signature: signature,
      generation: generation, count: entries.count, omittedCount: omittedCount)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    try writer.write(Array(try encoder.encode(meta)))
    for vocabulary in [keyIDs, surfaceIDs, markIDs] {
      let tables = MappedVocabulary.tables(vocabulary.names)
      try writer.write(tables.ends)
      try writer.write(tables.bytes)
      try writer.write(tables.slots)
    }
    try writer.write(postingStart)
    try writer.write(lengthStart.map { Int64($0) })
    for table in [entryAtOrdinal, unitStart, unitKeys, unitSurfaces, markStart, marks, postings] {
      try writer.write(table)
    }
    try writer.write((0..<entries.count).map { entries.id(at: $0) })
    try writer.finish(fingerprint: sourceAnalyzer.fingerprint)
  }

  /// What the mapped index file at `url` says about itself (its header, block table and
  /// metadata checked); `nil` when it is not one that can be read.
  static func mappedMeta(at url: URL) -> MappedIndexMeta? {
    guard let file = try? MappedIndexFile(path: url.path) else { return nil }
    return try? JSONDecoder().decode(MappedIndexMeta.self, from: Data(file.bytes(.meta)))
  }

  /// Maps an index file that ``writeMapped(to:signature:generation:)`` wrote; its entries' texts
  /// come from `fetch`.
  ///
  /// Opening checks the header, the length, the block table and the small tables; the large
  /// ones are checked block by block as queries read them, and a query that reads a damaged block
  /// throws ``FuzzyIndexFileError/corrupt(path:reason:)``.
  ///
  /// - Throws: ``FuzzyIndexFileError`` when the file cannot be used (missing, another format,
  ///   damaged, other tokenisation rules, another signature).
  /// - Complexity: O(size of the vocabularies), whatever the number of entries.
  static func openMapped(
    at url: URL, expectedSignature: String?, fetch: @escaping @Sendable (Int64) -> FuzzyEntry?
  ) throws -> (index: FuzzyIndex, meta: MappedIndexMeta) {
    let path = url.path
    let file = try MappedIndexFile(path: path)
    func check(_ condition: Bool, _ reason: String) throws {
      if !condition { throw FuzzyIndexFileError.corrupt(path: path, reason: reason) }
    }
    guard let meta = try? JSONDecoder().decode(MappedIndexMeta.self, from: Data(file.bytes(.meta))) else {
      throw FuzzyIndexFileError.corrupt(path: path, reason: "metadata")
    }
    let source = Language(meta.source)
    let target = Language(meta.target)
    let sourceAnalyzer = try FuzzyAnalyzer(language: source)
    guard file.fingerprint == sourceAnalyzer.fingerprint else {
      throw FuzzyIndexFileError.analysisChanged(path: path)
    }
    if let expectedSignature, meta.signature != expectedSignature {
      throw FuzzyIndexFileError.stale(
        path: path, languages: "\(meta.source)→\(meta.target)", signature: meta.signature)
    }
    func vocabulary(
      _ ends: MappedIndexFile.Section, _ bytes: MappedIndexFile.Section, _ slots: MappedIndexFile.Section
    )
      throws -> Vocabulary
    {
      let mapped = MappedVocabulary(
        ends: try file.table(ends), bytes: try file.table(bytes), slots: try file.table(slots))
      try check(
        mapped.slots.count >= 2 * mapped.count && mapped.slots.count.nonzeroBitCount == 1
          && isOffsetTable(mapped.ends.buffer, end: mapped.bytes.count), "vocabulary")
      return Vocabulary(mapped)
    }
    let keyIDs = try vocabulary(.keyEnds, .keyBytes, .keySlots)
    let surfaceIDs = try vocabulary(.surfaceEnds, .surfaceBytes, .surfaceSlots)
    let markIDs = try vocabulary(.markEnds, .markBytes, .markSlots)
    let postingStart: IndexTable<UInt32> = try file.table(.postingStart)
    let postings: IndexTable<UInt32> = try file.table(.postings)
    try check(
      postingStart.count == keyIDs.count + 1 && postingStart.first == 0
        && isOffsetTable(UnsafeBufferPointer(rebasing: postingStart.buffer.dropFirst()), end: postings.count),
      "posting offsets")
    let count = meta.count
    let lengthStart = try file.table(.lengthStart, Int64.self).map { Int($0) }
    try check(
      !lengthStart.isEmpty && lengthStart.first == 0 && lengthStart.last == count
        && zip(lengthStart, lengthStart.dropFirst()).allSatisfy { $0 <= $1 }, "length offsets")
    let entryAtOrdinal: IndexTable<UInt32> = try file.table(.entryAtOrdinal)
    let unitStart: IndexTable<UInt32> = try file.table(.unitStart)
    let unitKeys: IndexTable<UInt32> = try file.table(.unitKeys)
    let unitSurfaces: IndexTable<UInt32> = try file.table(.unitSurfaces)
    let markStart: IndexTable<UInt32> = try file.table(.markStart)
    let marks: IndexTable<UInt32> = try file.table(.marks)
    let ids: IndexTable<Int64> = try file.table(.ids)
    try check(
      entryAtOrdinal.count == count && ids.count == count && unitStart.count == count + 1
        && markStart.count == count + 1 && unitSurfaces.count == unitKeys.count && meta.omittedCount >= 0,
      "tables differ in size")
    let entries = FetchedEntries(
      ids: ids, sourceLanguage: source, targetLanguage: target, fetch: fetch, mapping: file)
    let index = try FuzzyIndex(
      entries: Entries(entries), from: source, to: target, keyIDs: keyIDs, surfaceIDs: surfaceIDs,
      markIDs: markIDs, entryAtOrdinal: entryAtOrdinal, unitStart: unitStart, unitKeys: unitKeys,
      unitSurfaces: unitSurfaces, markStart: markStart, marks: marks, postingStart: postingStart,
      postings: postings, lengthStart: lengthStart, omittedCount: meta.omittedCount, mapping: file,
      analyzers: (sourceAnalyzer, try FuzzyAnalyzer(language: target)))
    return (index, meta)
  }
}

/// Offsets that never decrease and end at or before `end`.
private func isOffsetTable(_ offsets: UnsafeBufferPointer<UInt64>, end: Int) -> Bool {
  var previous: UInt64 = 0
  for offset in offsets {
    if offset < previous { return false }
    previous = offset
  }
  return previous <= UInt64(end)
}

/// Offsets that never decrease and end exactly at `end`.
private func isOffsetTable(_ offsets: UnsafeBufferPointer<UInt32>, end: Int) -> Bool {
  var previous: UInt32 = 0
  for offset in offsets {
    if offset < previous { return false }
    previous = offset
  }
  return Int(previous) == end
}
