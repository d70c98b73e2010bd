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
  /// The file format's version; bump it when the layout below changes.
  static let fileFormatVersion: UInt64 = 1
  static let fileMagic: UInt64 = 0x5844_495A_5A55_4641  // "AFUZZIDX" little-endian

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
      try writer.writeStrings([sourceLanguage.rawValue, targetLanguage.rawValue, signature])
      for table in [keyIDs, surfaceIDs, markIDs] {
        var names = [String](repeating: "", count: table.count)
        for (name, id) in table { names[Int(id)] = name }
        try writer.writeStrings(names)
      }
      for array in [entryAtOrdinal, unitStart, unitKeys, unitSurfaces, markStart, marks, postingStart, postings] {
        try writer.write(array)
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

  /// ``load(from:expectedSignature:)`` that says why a file cannot be used.
  ///
  /// - Throws: ``FuzzyIndexFileError``, or ``FuzzyError/unsupportedLanguage(_:)``.
  public static func _load(from url: URL, expectedSignature: String) throws -> FuzzyIndex {
    let path = url.path
    let reader = try IndexFileReader(url: url)
    let meta = try reader.readStrings()
    guard meta.count == 3 else { throw FuzzyIndexFileError.corrupt(path: path, reason: "bad header strings") }
    let source = Language(meta[0])
    let target = Language(meta[1])
    let sourceAnalyzer = try FuzzyAnalyzer(language: source)
    guard reader.fingerprint == sourceAnalyzer.fingerprint else { throw FuzzyIndexFileError.analysisChanged(path: path) }
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
    try check(isOffsetTable(fieldStart, count: count * PackedEntries.fieldsPerEntry + 1, end: textBytes.count), "text offsets")
    try check(unitKeys.allSatisfy { Int($0) < keyIDs.count }, "unit key out of range")
    try check(unitSurfaces.allSatisfy { Int($0) < surfaceIDs.count }, "unit surface out of range")
    try check(marks.allSatisfy { Int($0 & ~FuzzyDistance.inlineCodeBit) < markIDs.count }, "mark out of range")
    try check(postings.allSatisfy { Int($0) < count }, "posting out of range")
    try check(
      !lengthStart.isEmpty && lengthStart.first == 0 && lengthStart.last == Int64(count)
        && zip(lengthStart, lengthStart.dropFirst()).allSatisfy { $0 <= $1 },
      "length offsets")
    for ordinal in 0..<count {
      let length = Int64(unitStart[ordinal + 1] - unitStart[ordinal])
      guard length + 1 < lengthStart.count, lengthStart[Int(length)] <= Int64(ordinal), Int64(ordinal) < lengthStart[Int(length) + 1]
      else { throw FuzzyIndexFileError.corrupt(path: path, reason: "entries not ranked by length") }
    }

    let packed = PackedEntries(
      ids: ids, presence: presence, fieldStart: fieldStart, textBytes: textBytes,
      sourceLanguage: source, targetLanguage: target)
    return try FuzzyIndex(
      entries: Entries(packed), from: source, to: target, keyIDs: keyIDs, surfaceIDs: surfaceIDs,
      markIDs: markIDs, entryAtOrdinal: entryAtOrdinal, unitStart: unitStart, unitKeys: unitKeys,
      unitSurfaces: unitSurfaces, markStart: markStart, marks: marks, postingStart: postingStart,
      postings: postings, lengthStart: lengthStart.map { Int($0) })
  }
}

/// `count` offsets from 0 to `end`, never decreasing.
private func isOffsetTable<T: BinaryInteger>(_ offsets: [T], count: Int, end: Int) -> Bool {
  guard offsets.count == count, offsets.first == 0, offsets.last == T(end) else { return false }
  return offsets.withUnsafeBufferPointer { buffer in
    var previous = buffer[0]
    for offset in buffer.dropFirst() {
      if offset < previous { return false }
      previous = offset
    }
    return true
  }
}

extension FuzzyAnalyzer {
  /// A hash of how this analyser cuts a text that exercises every rule (words, elision,
  /// accents, case, numbers, dates, symbols, resolution numbers, ordinals, footnote marks,
  /// punctuation, inline codes): an index file records it, so that a change in the rules
  /// makes old files unusable instead of silently wrong.
  var fingerprint: UInt64 {
    let probe =
      "On 23 November 2020, l’ONU’s General Assembly, at its seventy-fifth session (30th meeting), "
      + "adopted resolution 75/15 and **A/75/L.25/Add.1**¹² — 1,234.5 people; 2021–2025 « État » "
      + "<b>Déclaration</b> d’Istanbul, 1er janvier, soixante-quinzième, CAFÉ Œuvre straße."
    var hash = FNV1a()
    hash.add(language.rawValue)
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

/// A 64-bit checksum of 8-byte words, fast enough to run over a whole index on load.
private struct WordChecksum {
  var value: UInt64 = 0x9E37_79B9_7F4A_7C15
  mutating func add(_ bytes: UnsafeRawBufferPointer) {
    precondition(bytes.count % 8 == 0, "checksummed sections are padded to 8 bytes")
    var hash = value
    var offset = 0
    while offset < bytes.count {
      let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
      hash = ((hash ^ word) &* 0xFF51_AFD7_ED55_8CCD)
      hash ^= hash >> 29
      offset += 8
    }
    value = hash
  }
}

// MARK: - File layout
//
// A header of five little-endian UInt64: magic, format version, analysis fingerprint,
// payload length, payload checksum. The payload is a sequence of sections, each a UInt64
// byte length then the bytes, zero-padded to 8. A list of strings is two sections: the
// UInt64 offsets of each string's end in the UTF-8 bytes, then the bytes. Arrays are written
// in the machine's byte order, which the magic number checks.

private let headerWords = 5

// The file classes have `read` and `write` methods of their own.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

private func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(descriptor, bytes, count)
}

private final class IndexFileWriter {
  let url: URL
  let temporaryPath: String
  let descriptor: Int32
  var checksum = WordChecksum()
  var payloadLength: UInt64 = 0

  init(url: URL) throws {
    self.url = url
    temporaryPath = url.path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
    descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else {
      throw FuzzyIndexFileError.unreadable(path: url.path, reason: String(cString: strerror(errno)))
    }
    // Room for the header, written last.
    guard lseek(descriptor, off_t(headerWords * 8), SEEK_SET) >= 0 else {
      throw FuzzyIndexFileError.unreadable(path: url.path, reason: String(cString: strerror(errno)))
    }
  }

  func writeRaw(_ bytes: UnsafeRawBufferPointer) throws {
    var offset = 0
    while offset < bytes.count {
      let written = systemWrite(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
      guard written > 0 else {
        throw FuzzyIndexFileError.unreadable(path: url.path, reason: String(cString: strerror(errno)))
      }
      offset += written
    }
  }

  func write<T: BitwiseCopyable>(_ array: [T]) throws {
    try array.withUnsafeBytes { bytes in
      var length = UInt64(bytes.count).littleEndian
      try withUnsafeBytes(of: &length) { prefix in
        checksum.add(prefix)
        try writeRaw(prefix)
      }
      let whole = bytes.count / 8 * 8
      let head = UnsafeRawBufferPointer(rebasing: bytes[0..<whole])
      checksum.add(head)
      try writeRaw(head)
      if whole < bytes.count {
        var tail: UInt64 = 0
        withUnsafeMutableBytes(of: &tail) { tailBytes in
          tailBytes.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[whole...]))
        }
        try withUnsafeBytes(of: &tail) { tailBytes in
          checksum.add(tailBytes)
          try writeRaw(tailBytes)
        }
      }
      payloadLength += 8 + UInt64((bytes.count + 7) / 8 * 8)
    }
  }

  func writeStrings(_ strings: [String]) throws {
    var ends: [UInt64] = []
    var bytes: [UInt8] = []
    ends.reserveCapacity(strings.count)
    for string in strings {
      bytes.append(contentsOf: string.utf8)
      ends.append(UInt64(bytes.count))
    }
    try write(ends)
    try write(bytes)
  }

  func finish(fingerprint: UInt64) throws {
    let header: [UInt64] = [
      FuzzyIndex.fileMagic, FuzzyIndex.fileFormatVersion, fingerprint, payloadLength, checksum.value,
    ].map(\.littleEndian)
    guard lseek(descriptor, 0, SEEK_SET) == 0 else {
      throw FuzzyIndexFileError.unreadable(path: url.path, reason: String(cString: strerror(errno)))
    }
    try header.withUnsafeBytes { try writeRaw($0) }
    guard fsync(descriptor) == 0, close(descriptor) == 0 else {
      throw FuzzyIndexFileError.unreadable(path: url.path, reason: String(cString: strerror(errno)))
    }
    guard rename(temporaryPath, url.path) == 0 else {
      throw FuzzyIndexFileError.unreadable(path: url.path, reason: String(cString: strerror(errno)))
    }
  }

  func abandon() {
    close(descriptor)
    unlink(temporaryPath)
  }
}

private final class IndexFileReader {
  let path: String
  let descriptor: Int32
  let fingerprint: UInt64
  let payloadLength: UInt64
  let expectedChecksum: UInt64
  var checksum = WordChecksum()
  var consumed: UInt64 = 0

  init(url: URL) throws {
    path = url.path
    let descriptor = open(path, O_RDONLY)
    self.descriptor = descriptor
    guard descriptor >= 0 else {
      throw FuzzyIndexFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    var header = [UInt64](repeating: 0, count: headerWords)
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      close(descriptor)
      throw FuzzyIndexFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    let fileSize = UInt64(status.st_size)
    let headerRead = header.withUnsafeMutableBytes { Self.readFully(descriptor, $0) }
    header = header.map { UInt64(littleEndian: $0) }
    guard headerRead, header[0] == FuzzyIndex.fileMagic, header[1] == FuzzyIndex.fileFormatVersion else {
      close(descriptor)
      throw FuzzyIndexFileError.wrongFormat(path: path)
    }
    guard header[3] == fileSize - UInt64(headerWords * 8) else {
      close(descriptor)
      throw FuzzyIndexFileError.corrupt(path: path, reason: "\(fileSize) bytes, header says \(header[3] + 40)")
    }
    fingerprint = header[2]
    payloadLength = header[3]
    expectedChecksum = header[4]
  }

  deinit { close(descriptor) }

  static func readFully(_ descriptor: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Bool {
    var offset = 0
    while offset < buffer.count {
      let count = systemRead(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
      guard count > 0 else { return false }
      offset += count
    }
    return true
  }

  func read<T: BitwiseCopyable>(_ type: T.Type = T.self) throws -> [T] {
    var length: UInt64 = 0
    let lengthRead = withUnsafeMutableBytes(of: &length) { Self.readFully(descriptor, $0) }
    guard lengthRead else { throw FuzzyIndexFileError.corrupt(path: path, reason: "truncated") }
    withUnsafeBytes(of: &length) { checksum.add($0) }
    length = UInt64(littleEndian: length)
    let padded = (length + 7) / 8 * 8
    let stride = UInt64(MemoryLayout<T>.stride)
    guard length % stride == 0, consumed + 8 + padded <= payloadLength else {
      throw FuzzyIndexFileError.corrupt(path: path, reason: "section of \(length) bytes")
    }
    consumed += 8 + padded
    let count = Int(length / stride)
    let wholeWords = Int(length / 8 * 8)
    var failed = false
    let array = [T](unsafeUninitializedCapacity: count) { buffer, initialised in
      let bytes = UnsafeMutableRawBufferPointer(buffer)
      guard Self.readFully(descriptor, UnsafeMutableRawBufferPointer(rebasing: bytes[0..<Int(length)])) else {
        failed = true
        return
      }
      checksum.add(UnsafeRawBufferPointer(rebasing: bytes[0..<wholeWords]))
      initialised = count
    }
    guard !failed else { throw FuzzyIndexFileError.corrupt(path: path, reason: "truncated") }
    if padded > UInt64(wholeWords) {
      var tail: UInt64 = 0
      array.withUnsafeBytes { bytes in
        withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[wholeWords...])) }
      }
      // The padding was read past the section: skip it.
      let paddingCount = Int(padded) - Int(length)
      var padding: UInt64 = 0
      let paddingRead = withUnsafeMutableBytes(of: &padding) {
        Self.readFully(descriptor, UnsafeMutableRawBufferPointer(rebasing: $0[0..<paddingCount]))
      }
      guard paddingRead, padding == 0 else { throw FuzzyIndexFileError.corrupt(path: path, reason: "padding") }
      withUnsafeBytes(of: &tail) { checksum.add($0) }
    }
    return array
  }

  func readStrings() throws -> [String] {
    let ends: [UInt64] = try read()
    let bytes: [UInt8] = try read()
    var strings: [String] = []
    strings.reserveCapacity(ends.count)
    var start = 0
    try bytes.withUnsafeBufferPointer { buffer in
      for end in ends {
        guard end >= UInt64(start), end <= UInt64(buffer.count) else {
          throw FuzzyIndexFileError.corrupt(path: path, reason: "string offsets")
        }
        strings.append(String(decoding: buffer[start..<Int(end)], as: UTF8.self))
        start = Int(end)
      }
    }
    return strings
  }

  func finish() throws {
    guard consumed == payloadLength else {
      throw FuzzyIndexFileError.corrupt(path: path, reason: "\(payloadLength - consumed) bytes left over")
    }
    guard checksum.value == expectedChecksum else {
      throw FuzzyIndexFileError.corrupt(path: path, reason: "checksum")
    }
  }
}
