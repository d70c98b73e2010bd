import Foundation
import TextSegmentation

/// Why an index file could not be used. ``FuzzyIndex/load(from:expectedSignature:)`` turns
/// all of these into `nil` (the caller rebuilds); ``FuzzyIndex/_load(from:expectedSignature:)``
/// says which.
public enum FuzzyIndexFileError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened, read or written.
  case unreadable(path: String, reason: String)
  /// Not an index file, or one from another version of aligntm.
  case wrongFormat(path: String)
  /// Written by a tokeniser or placeable rules that cut text differently from this one.
  case analysisChanged(path: String)
  /// Built for other languages or for another state of the memory.
  case stale(path: String, languages: String, signature: String)
  /// Truncated, or its checksum or its tables do not add up.
  case corrupt(path: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): return "\(path): cannot use the fuzzy index file: \(reason)"
    case .wrongFormat(let path): return "\(path): not a fuzzy index file of this version"
    case .analysisChanged(let path): return "\(path): fuzzy index built with other tokenisation rules"
    case .stale(let path, let languages, let signature):
      return "\(path): fuzzy index is for \(languages), memory state '\(signature)'"
    case .corrupt(let path, let reason): return "\(path): fuzzy index file is corrupt: \(reason)"
    }
  }
}

extension FuzzyIndex {
  /// Where the index of a memory file is kept: beside it, named after the languages
  /// (`tm/memory.sqlite.fuzzy-en-fr`).
  public static func defaultURL(forMemory memory: URL, from source: Language, to target: Language) -> URL {
    memory.deletingLastPathComponent().appendingPathComponent(
      "\(memory.lastPathComponent).fuzzy-\(source.rawValue)-\(target.rawValue)")
  }

  /// Writes the index to a file that ``load(from:expectedSignature:)`` reads back.
  ///
  /// The file holds the tables, the vocabulary and the entries' texts, with a checksum, the
  /// languages, a fingerprint of the tokenisation rules and `signature`. The file is written
  /// beside `url` and renamed over it, so a reader never sees half a file.
  ///
  /// - Parameters:
  ///   - url: The file to write.
  ///   - signature: What says which state of the memory the index was built from, such as
  ///     the unit count, the largest id and the latest change date; a load with another
  ///     signature gives `nil`.
  /// - Throws: ``FuzzyIndexFileError/unreadable(path:reason:)`` when the file cannot be written.
  /// - Complexity: O(size of the index).
  public func save(to url: URL, signature: String) throws {
    let packed = PackedEntries(entries, from: sourceLanguage, to: targetLanguage)
    let writer = try IndexFileWriter(url: url)
    do {
      try writer.writeStrings([
        sourceLanguage.rawValue, targetLanguage.rawValue, signature, String(omittedCount),
      ])
      for table in [keyIDs, surfaceIDs, markIDs] { try writer.writeStrings(table.names) }
      for array in [
        entryAtOrdinal, unitStart, unitKeys, unitSurfaces, markStart, marks, postingStart, postings,
      ] {
        try writer.write(Array(array))
      }
      try writer.write(lengthStart.map { Int64($0) })
      try writer.write(packed.ids)
      try writer.write(packed.presence)
      try writer.write(packed.fieldStart)
      try writer.write(packed.textBytes)
      try writer.finish(fingerprint: sourceAnalyzer.fingerprint)
    } catch {
      writer.abandon()
      throw error
    }
  }

  /// Reads an index that ``save(to:signature:)`` wrote, or `nil` when there is no file or it
  /// cannot be used: corrupt, from another version, for other languages, or with another
  /// signature (the memory changed). The caller then builds the index and saves it again.
  ///
  /// - Complexity: O(size of the file): one pass to read, one to check the tables.
  public static func load(from url: URL, expectedSignature: String) -> FuzzyIndex? {
    try? _load(from: url, expectedSignature: expectedSignature)
  }

  /// The signature a file that ``save(to:signature:)`` wrote records (its header checked, the
  /// rest not read); `nil` when it is not such a file.
  static func savedSignature(at url: URL) -> String? {
    guard let reader = try? IndexFileReader(url: url), let meta = try? reader.readStrings(), meta.count == 4
    else { return nil }
    return meta[2]
  }

  /// ``load(from:expectedSignature:)`` that says why a file cannot be used.
  ///
  /// - Throws: ``FuzzyIndexFileError``, or ``FuzzyError/unsupportedLanguage(_:)``.
  public static func _load(from url: URL, expectedSignature: String) throws -> FuzzyIndex {
    let path = url.path
    let reader = try IndexFileReader(url: url)
    let meta = try reader.readStrings()
    guard meta.count == 4, let omittedCount = Int(meta[3]), omittedCount >= 0 else {
      throw FuzzyIndexFileError.corrupt(path: path, reason: "bad header strings")
    }
    let source = Language(meta[0])
    let target = Language(meta[1])
    let sourceAnalyzer = try FuzzyAnalyzer(language: source)
    guard reader.fingerprint == sourceAnalyzer.fingerprint else {
      throw FuzzyIndexFileError.analysisChanged(path: path)
    }
    guard meta[2] == expectedSignature else {
      throw FuzzyIndexFileError.stale(path: path, languages: "\(meta[0])→\(meta[1])", signature: meta[2])
    }
    func table(_ names: [String]) throws -> [String: UInt32] {
      var table: [String: UInt32] = [:]
      table.reserveCapacity(names.count)
      for (id, name) in names.enumerated() where table.updateValue(UInt32(id), forKey: name) != nil {
        throw FuzzyIndexFileError.corrupt(path: path, reason: "vocabulary repeats '\(name)'")
      }
      return table
    }
    let keyIDs = try table(reader.readStrings())
    let surfaceIDs = try table(reader.readStrings())
    let markIDs = try table(reader.readStrings())
    let entryAtOrdinal: [UInt32] = try reader.read()
    let unitStart: [UInt32] = try reader.read()
    let unitKeys: [UInt32] = try reader.read()
    let unitSurfaces: [UInt32] = try reader.read()
    let markStart: [UInt32] = try reader.read()
    let marks: [UInt32] = try reader.read()
    let postingStart: [UInt32] = try reader.read()
    let postings: [UInt32] = try reader.read()
    let lengthStart: [Int64] = try reader.read()
    let ids: [Int64] = try reader.read()
    let presence: [UInt8] = try reader.read()
    let fieldStart: [UInt64] = try reader.read()
    let textBytes: [UInt8] = try reader.read()
    try reader.finish()

    // The checksum catches damage; these checks keep a well-summed but inconsistent file
    // from crashing a query.
    let count = ids.count
    func check(_ condition: Bool, _ reason: String) throws {
      if !condition { throw FuzzyIndexFileError.corrupt(path: path, reason: reason) }
    }
    try check(entryAtOrdinal.count == count && presence.count == count, "entry tables differ in size")
    try check(entryAtOrdinal.allSatisfy { Int($0) < count }, "entry position out of range")
    try check(isOffsetTable(unitStart, count: count + 1, end: unitKeys.count), "unit offsets")
    try check(unitSurfaces.count == unitKeys.count, "unit tables differ in size")
    try check(isOffsetTable(markStart, count: count + 1, end: marks.count), "mark offsets")
    try check(isOffsetTable(postingStart, count: keyIDs.count + 1, end: postings.count), "posting offsets")
    try check(
      isOffsetTable(fieldStart, count: count * PackedEntries.fieldsPerEntry + 1, end: textBytes.count),
      "text offsets")
    // No source or target longer than the index takes: only a text of more bytes than that
    // many UTF-16 code units needs decoding to tell, and one of more than 3 bytes a code unit
    // is too long.
    try check(
      (0..<count).allSatisfy { entry in
        (0..<2).allSatisfy { field in
          let slot = entry * PackedEntries.fieldsPerEntry + field
          let bytes = Int(fieldStart[slot])..<Int(fieldStart[slot + 1])
          return bytes.count <= maximumTextLength
            || (bytes.count <= 3 * maximumTextLength
              && isShortEnough(String(decoding: textBytes[bytes], as: UTF8.self)))
        }
      }, "a text longer than \(maximumTextLength) UTF-16 code units")
    try check(unitKeys.allSatisfy { Int($0) < keyIDs.count }, "unit key out of range")
    try check(unitSurfaces.allSatisfy { Int($0) < surfaceIDs.count }, "unit surface out of range")
    try check(
      marks.allSatisfy { Int($0 & ~FuzzyDistance.inlineCodeBit) < markIDs.count }, "mark out of range")
    try check(postings.allSatisfy { Int($0) < count }, "posting out of range")
    try check(
      !lengthStart.isEmpty && lengthStart.first == 0 && lengthStart.last == Int64(count)
        && zip(lengthStart, lengthStart.dropFirst()).allSatisfy { $0 <= $1 },
      "length offsets")
    for ordinal in 0..<count {
      let length = Int64(unitStart[ordinal + 1] - unitStart[ordinal])
      guard length + 1 < lengthStart.count, lengthStart[Int(length)] <= Int64(ordinal),
        Int64(ordinal) < lengthStart[Int(length) + 1]
      else { throw FuzzyIndexFileError.corrupt(path: path, reason: "entries not ranked by length") }
    }

    let packed = PackedEntries(
      ids: ids, presence: presence, fieldStart: fieldStart, textBytes: textBytes,
      sourceLanguage: source, targetLanguage: target)
    return try FuzzyIndex(
      entries: Entries(packed), from: source, to: target, keyIDs: keyIDs, surfaceIDs: surfaceIDs,
      markIDs: markIDs, entryAtOrdinal: entryAtOrdinal, unitStart: unitStart, unitKeys: unitKeys,
      unitSurfaces: unitSurfaces, markStart: markStart, marks: marks, postingStart: postingStart,
      postings: postings, lengthStart: lengthStart.map { Int($0) }, omittedCount: omittedCount)
  }
}

/// `count` offsets from 0 to `end`, never decreasing.
private func isOffsetTable<T: BinaryInteger>(_ offsets: [T], count: Int, end: Int) -> Bool {
  guard offsets.count == count, offsets.first == 0, offsets.last == T(end) else { return false }
  for index in 1..<count where offsets[index] < offsets[index - 1] { return false }
  return true
}

extension FuzzyAnalyzer {
  /// A hash of how this analyser cuts a text that exercises every rule (words, elision,
  /// accents, case, numbers, dates, symbols, resolution numbers, ordinals, footnote marks,
  /// punctuation, inline codes), and of the longest text it indexes: an index file records
  /// it, so that a change in the rules makes old files unusable instead of silently wrong.
  var fingerprint: UInt64 {
    let probe =
      "On 23 November 2020, l’ONU’s General Assembly, at its seventy-fifth session (30th meeting), "
      + "adopted resolution 75/15 and **A/75/L.25/Add.1**¹² — 1,234.5 people; 2021–2025 « État » "
      + "<b>Déclaration</b> d’Istanbul, 1er janvier, soixante-quinzième, CAFÉ Œuvre straße."
    var hash = FNV1a()
    hash.add(language.rawValue)
    hash.add("at most \(FuzzyIndex.maximumTextLength)")
    let analysed = analyse(probe)
    for unit in analysed.units {
      hash.add(unit.key)
      hash.add(unit.surface)
      hash.add("\(unit.utf16Range)")
    }
    for mark in analysed.marks {
      hash.add(mark.text)
      hash.add(mark.isInlineCode ? "code" : "punctuation")
    }
    return hash.value
  }
}

/// FNV-1a, 64 bits: stable across runs, unlike `Hasher`.
private struct FNV1a {
  var value: UInt64 = 0xCBF2_9CE4_8422_2325
  mutating func add(_ text: String) {
    for byte in text.utf8 {
      value = (value ^ UInt64(byte)) &* 0x100_0000_01B3
    }
    value = (value ^ 0xFF) &* 0x100_0000_01B3
  }
}
