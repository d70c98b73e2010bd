import Foundation

// MARK: - File layout
//
// A header of five little-endian UInt64: magic, format version, analysis fingerprint,
// payload length, payload checksum. The payload is a sequence of sections, each a UInt64
// byte length then the bytes, zero-padded to 8. A list of strings is two sections: the
// UInt64 offsets of each string's end in the UTF-8 bytes, then the bytes. Arrays are written
// in the machine's byte order, which the magic number checks.

extension FuzzyIndex {
  /// The file format's version; bump it when the layout above changes.
  /// 2: a fourth header string, ``FuzzyIndex/omittedCount``.
  static let fileFormatVersion: UInt64 = 2
  static let fileMagic: UInt64 = 0x5844_495A_5A55_4641  // "AFUZZIDX" little-endian
}

/// Writes an index file beside its place, then renames it over it.
final class IndexFileWriter {
  private let url: URL
  private let temporaryPath: String
  private let file: SectionFile

  init(url: URL) throws {
    self.url = url
    temporaryPath = url.path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
    file = try SectionFile(creating: temporaryPath, reportedAs: url.path)
  }

  func write<T: BitwiseCopyable>(_ array: [T]) throws { try file.writeSection(array) }

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
    try file.writeHeader([
      FuzzyIndex.fileMagic, FuzzyIndex.fileFormatVersion, fingerprint, file.payloadLength, file.checksum,
    ])
    try file.syncAndClose()
    guard rename(temporaryPath, url.path) == 0 else { throw file.systemError() }
  }

  func abandon() {
    file.close()
    unlink(temporaryPath)
  }
}

/// Reads an index file's sections in the order they were written, checking the header, the
/// section lengths and, at the end, the checksum.
final class IndexFileReader {
  let fingerprint: UInt64
  private let file: SectionFile
  private let payloadLength: UInt64
  private let expectedChecksum: UInt64

  init(url: URL) throws {
    file = try SectionFile(reading: url.path)
    let path = url.path
    let fileSize = try file.size()
    guard let header = file.readHeader(), header[0] == FuzzyIndex.fileMagic,
      header[1] == FuzzyIndex.fileFormatVersion
    else { throw FuzzyIndexFileError.wrongFormat(path: path) }
    guard header[3] == fileSize - UInt64(SectionFile.headerWords * 8) else {
      let reason = "\(fileSize) bytes, header says \(header[3] + 40)"
      throw FuzzyIndexFileError.corrupt(path: path, reason: reason)
    }
    fingerprint = header[2]
    payloadLength = header[3]
    expectedChecksum = header[4]
  }

  func read<T: BitwiseCopyable>(_ type: T.Type = T.self) throws -> [T] {
    try file.readSection(T.self, payloadLength: payloadLength)
  }

  func readStrings() throws -> [String] {
    let ends: [UInt64] = try read()
    let bytes: [UInt8] = try read()
    var strings: [String] = []
    strings.reserveCapacity(ends.count)
    var start = 0
    for end in ends {
      guard end >= UInt64(start), end <= UInt64(bytes.count) else {
        throw FuzzyIndexFileError.corrupt(path: file.path, reason: "string offsets")
      }
      strings.append(String(decoding: bytes[start..<Int(end)], as: UTF8.self))
      start = Int(end)
    }
    return strings
  }

  func finish() throws {
    guard file.payloadLength == payloadLength else {
      let reason = "\(payloadLength - file.payloadLength) bytes left over"
      throw FuzzyIndexFileError.corrupt(path: file.path, reason: reason)
    }
    guard file.checksum == expectedChecksum else {
      throw FuzzyIndexFileError.corrupt(path: file.path, reason: "checksum")
    }
  }
}

/// A file descriptor through which arrays of plain values pass as their bytes, in sections,
/// checksummed: the only raw memory and system calls of the index file.
private final class SectionFile {
  static let headerWords = 5

  /// The path that errors name.
  let path: String
  private let descriptor: Int32
  private var isOpen = true
  private var runningChecksum = WordChecksum()
  /// The bytes of the sections written or read so far.
  private(set) var payloadLength: UInt64 = 0

  /// The checksum of the sections written or read so far.
  var checksum: UInt64 { runningChecksum.value }

  /// A new file at `temporaryPath`, with room left for the header, written last.
  init(creating temporaryPath: String, reportedAs path: String) throws {
    self.path = path
    descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else {
      isOpen = false
      throw FuzzyIndexFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    guard lseek(descriptor, off_t(Self.headerWords * 8), SEEK_SET) >= 0 else { throw systemError() }
  }

  init(reading path: String) throws {
    self.path = path
    descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      isOpen = false
      throw FuzzyIndexFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
  }

  deinit { close() }

  /// ``FuzzyIndexFileError/unreadable(path:reason:)`` with the last system error.
  func systemError() -> FuzzyIndexFileError {
    .unreadable(path: path, reason: String(cString: strerror(errno)))
  }

  func close() {
    if isOpen { _ = systemClose(descriptor) }
    isOpen = false
  }

  func syncAndClose() throws {
    isOpen = false
    guard fsync(descriptor) == 0, systemClose(descriptor) == 0 else { throw systemError() }
  }

  func size() throws -> UInt64 {
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw systemError() }
    return UInt64(status.st_size)
  }

  // MARK: Writing

  /// Writes the header at the start of the file, in little-endian order.
  func writeHeader(_ words: [UInt64]) throws {
    guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw systemError() }
    try words.map(\.littleEndian).withUnsafeBytes { try writeFully($0) }
  }

  /// Writes `array` as a section: its byte length, its bytes, zeros up to a multiple of 8.
  func writeSection<T: BitwiseCopyable>(_ array: [T]) throws {
    try array.withUnsafeBytes { bytes in
      var length = UInt64(bytes.count).littleEndian
      try withUnsafeBytes(of: &length) { try writeChecksummed($0) }
      let whole = bytes.count / 8 * 8
      try writeChecksummed(UnsafeRawBufferPointer(rebasing: bytes[0..<whole]))
      if whole < bytes.count {
        var tail: UInt64 = 0
        let rest = UnsafeRawBufferPointer(rebasing: bytes[whole...])
        withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: rest) }
        try withUnsafeBytes(of: &tail) { try writeChecksummed($0) }
      }
    }
  }

  private func writeChecksummed(_ bytes: UnsafeRawBufferPointer) throws {
    runningChecksum.add(bytes)
    try writeFully(bytes)
    payloadLength += UInt64(bytes.count)
  }

  private func writeFully(_ bytes: UnsafeRawBufferPointer) throws {
    var offset = 0
    while offset < bytes.count {
      let written = systemWrite(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
      guard written > 0 else { throw systemError() }
      offset += written
    }
  }

  // MARK: Reading

  /// The header, or `nil` when the file is shorter than one.
  func readHeader() -> [UInt64]? {
    var header = [UInt64](repeating: 0, count: Self.headerWords)
    guard header.withUnsafeMutableBytes({ readFully($0) }) else { return nil }
    return header.map { UInt64(littleEndian: $0) }
  }

  /// Reads a section that ``writeSection(_:)`` wrote, which must end within `payloadLength`.
  func readSection<T: BitwiseCopyable>(_ type: T.Type, payloadLength limit: UInt64) throws -> [T] {
    var length: UInt64 = 0
    let lengthRead = withUnsafeMutableBytes(of: &length) { readFully($0) }
    guard lengthRead else { throw FuzzyIndexFileError.corrupt(path: path, reason: "truncated") }
    withUnsafeBytes(of: &length) { runningChecksum.add($0) }
    length = UInt64(littleEndian: length)
    let padded = (length + 7) / 8 * 8
    let stride = UInt64(MemoryLayout<T>.stride)
    guard length % stride == 0, payloadLength + 8 + padded <= limit else {
      throw FuzzyIndexFileError.corrupt(path: path, reason: "section of \(length) bytes")
    }
    payloadLength += 8 + padded
    let count = Int(length / stride)
    let wholeWords = Int(length / 8 * 8)
    var failed = false
    let array = [T](unsafeUninitializedCapacity: count) { buffer, initialised in
      let bytes = UnsafeMutableRawBufferPointer(buffer)
      guard readFully(UnsafeMutableRawBufferPointer(rebasing: bytes[0..<Int(length)])) else {
        failed = true
        return
      }
      runningChecksum.add(UnsafeRawBufferPointer(rebasing: bytes[0..<wholeWords]))
      initialised = count
    }
    guard !failed else { throw FuzzyIndexFileError.corrupt(path: path, reason: "truncated") }
    if padded > UInt64(wholeWords) {
      var tail: UInt64 = 0
      array.withUnsafeBytes { bytes in
        let rest = UnsafeRawBufferPointer(rebasing: bytes[wholeWords...])
        withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: rest) }
      }
      // The padding was read past the section: skip it.
      let paddingCount = Int(padded) - Int(length)
      var padding: UInt64 = 0
      let paddingRead = withUnsafeMutableBytes(of: &padding) {
        readFully(UnsafeMutableRawBufferPointer(rebasing: $0[0..<paddingCount]))
      }
      guard paddingRead, padding == 0 else {
        throw FuzzyIndexFileError.corrupt(path: path, reason: "padding")
      }
      withUnsafeBytes(of: &tail) { runningChecksum.add($0) }
    }
    return array
  }

  private func readFully(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
    var offset = 0
    while offset < buffer.count {
      let count = systemRead(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
      guard count > 0 else { return false }
      offset += count
    }
    return true
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

// `SectionFile` has `read`, `write` and `close` methods of its own.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

private func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(descriptor, bytes, count)
}

private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
