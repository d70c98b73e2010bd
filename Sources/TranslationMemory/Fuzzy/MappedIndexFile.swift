import Foundation

// MARK: - Mapped file layout
//
// Blocks of 4,096 bytes. Block 0 is the header: eight little-endian UInt64 (magic, format
// version, analysis fingerprint, file length, block size, section count, checksum of the block
// table, checksum of the header), then per section its offset and byte length. Each section
// starts on a block boundary and is zero-padded to the next one; the last section is the block
// table: the checksum of every block from 1 up to it. Arrays are in the machine's byte order,
// which the magic number checks.
//
// Opening checks the header, the length and the block table, and reads the small sections
// (metadata, vocabularies, posting and length offsets) whole; the large ones are checked a
// block at a time, the first time a query reads the block (``MappedIndexFile/check(_:_:_:)``).
// So a query maps and checks only the pages it reads, and any damage it reads is found.

/// An index file mapped into memory, checked as it is read.
///
/// `@unchecked Sendable`: the mapping is read-only and lives as long as this object.
final class MappedIndexFile: @unchecked Sendable {
  static let magic: UInt64 = 0x3150_414D_5A5A_5546  // "FUZZMAP1" little-endian
  static let formatVersion: UInt64 = 1
  static let blockSize = 4096
  static let headerWords = 8

  /// The sections, in file order.
  enum Section: Int, CaseIterable {
    case meta
    case keyEnds, keyBytes, keySlots
    case surfaceEnds, surfaceBytes, surfaceSlots
    case markEnds, markBytes, markSlots
    case postingStart, lengthStart
    // Checked block by block as they are read:
    case entryAtOrdinal, unitStart, unitKeys, unitSurfaces, markStart, marks, postings, ids
    case blockTable

    /// Whether opening the file reads and checks the section whole.
    var isCheckedOnOpen: Bool { rawValue < Section.entryAtOrdinal.rawValue }
  }

  let path: String
  let fingerprint: UInt64
  private let base: UnsafeRawPointer
  private let length: Int
  private let sections: [Range<Int>]
  private let blockTable: UnsafeBufferPointer<UInt64>
  /// Blocks from here on (the block table) were checked on open.
  private let firstTableBlock: Int

  /// Maps the file and checks its header, its length, its block table and its small sections.
  ///
  /// - Throws: ``FuzzyIndexFileError``: `unreadable` when the file cannot be opened or mapped,
  ///   `wrongFormat` when it is not a mapped index of this version, `corrupt` when it is cut or
  ///   a checksum fails.
  init(path: String) throws {
    self.path = path
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw FuzzyIndexFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw FuzzyIndexFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    let size = Int(status.st_size)
    guard size >= Self.blockSize else { throw FuzzyIndexFileError.wrongFormat(path: path) }
    guard let mapped = mmap(nil, size, PROT_READ, MAP_SHARED, descriptor, 0), mapped != MAP_FAILED else {
      throw FuzzyIndexFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    let start = UnsafeRawPointer(mapped)
    base = start
    length = size
    do {
      func word(_ index: Int) -> UInt64 {
        UInt64(littleEndian: start.load(fromByteOffset: index * 8, as: UInt64.self))
      }
      guard word(0) == Self.magic, word(1) == Self.formatVersion else {
        throw FuzzyIndexFileError.wrongFormat(path: path)
      }
      let sectionCount = Int(truncatingIfNeeded: word(5))
      guard sectionCount == Section.allCases.count, word(4) == UInt64(Self.blockSize) else {
        throw FuzzyIndexFileError.wrongFormat(path: path)
      }
      let headerLength = (Self.headerWords + 2 * sectionCount) * 8
      var header = Self.checksum(UnsafeRawBufferPointer(start: start, count: 7 * 8), seed: 0)
      header = Self.checksum(
        UnsafeRawBufferPointer(
          start: start + Self.headerWords * 8, count: headerLength - Self.headerWords * 8),
        seed: header)
      guard header == word(7) else {
        throw FuzzyIndexFileError.corrupt(path: path, reason: "header checksum")
      }
      guard word(3) == UInt64(size) else {
        throw FuzzyIndexFileError.corrupt(path: path, reason: "\(size) bytes, header says \(word(3))")
      }
      fingerprint = word(2)
      var sections: [Range<Int>] = []
      for index in 0..<sectionCount {
        let offset = word(Self.headerWords + 2 * index)
        let count = word(Self.headerWords + 2 * index + 1)
        guard offset % UInt64(Self.blockSize) == 0, offset >= UInt64(Self.blockSize), offset <= UInt64(size),
          count <= UInt64(size) - offset
        else { throw FuzzyIndexFileError.corrupt(path: path, reason: "section \(index) out of the file") }
        sections.append(Int(offset)..<Int(offset + count))
      }
      self.sections = sections
      let table = sections[Section.blockTable.rawValue]
      firstTableBlock = table.lowerBound / Self.blockSize
      guard table.count == (firstTableBlock - 1) * 8 else {
        throw FuzzyIndexFileError.corrupt(path: path, reason: "block table of \(table.count) bytes")
      }
      let tableBytes = UnsafeRawBufferPointer(start: start + table.lowerBound, count: table.count)
      guard Self.checksum(tableBytes, seed: 1) == word(6) else {
        throw FuzzyIndexFileError.corrupt(path: path, reason: "block table checksum")
      }
      blockTable = tableBytes.bindMemory(to: UInt64.self)
      for section in Section.allCases where section.isCheckedOnOpen {
        let range = sections[section.rawValue]
        for block
          in (range.lowerBound / Self.blockSize)..<((range.upperBound + Self.blockSize - 1) / Self.blockSize)
        where !isIntact(block: block) {
          throw FuzzyIndexFileError.corrupt(path: path, reason: "checksum of block \(block)")
        }
      }
    } catch {
      munmap(mapped, size)
      throw error
    }
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

  /// The bytes of a section.
  func bytes(_ section: Section) -> UnsafeRawBufferPointer {
    let range = sections[section.rawValue]
    return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
  }

  /// A section as a table of `Element`s.
  func table<Element: BitwiseCopyable>(_ section: Section, _ type: Element.Type = Element.self) throws
    -> IndexTable<Element>
  {
    let bytes = bytes(section)
    guard bytes.count % MemoryLayout<Element>.stride == 0 else {
      throw FuzzyIndexFileError.corrupt(path: path, reason: "section \(section) of \(bytes.count) bytes")
    }
    return IndexTable(mapped: bytes.bindMemory(to: Element.self), owner: self)
  }

  /// Whether block `block` (1 ..< the block table) has its checksum.
  private func isIntact(block: Int) -> Bool {
    guard block >= 1, block < firstTableBlock else { return block >= firstTableBlock }
    let bytes = UnsafeRawBufferPointer(start: base + block * Self.blockSize, count: Self.blockSize)
    return Self.checksum(bytes, seed: UInt64(block)) == UInt64(littleEndian: blockTable[block - 1])
  }

  /// Checks the blocks that hold `range` of `buffer` (a table of this file) unless `scratch`
  /// has seen them intact; a damaged block is written to `scratch.damage`.
  func check<Element>(_ buffer: UnsafeBufferPointer<Element>, _ range: Range<Int>, _ scratch: Scratch) {
    guard !range.isEmpty, let start = buffer.baseAddress else { return }
    let stride = MemoryLayout<Element>.stride
    let offset = UnsafeRawPointer(start) - base
    let first = (offset + range.lowerBound * stride) / Self.blockSize
    let last = (offset + range.upperBound * stride - 1) / Self.blockSize
    if scratch.verified.count < firstTableBlock {
      scratch.verified = [UInt8](repeating: 0, count: firstTableBlock)
    }
    for block in first...last where block < firstTableBlock && scratch.verified[block] == 0 {
      if isIntact(block: block) {
        scratch.verified[block] = 1
      } else {
        scratch.damage = "checksum of block \(block)"
      }
    }
  }

  /// Checks every block.
  ///
  /// - Throws: ``FuzzyIndexFileError/corrupt(path:reason:)`` for the first damaged block.
  func verifyAll() throws {
    for block in 1..<max(1, firstTableBlock) where !isIntact(block: block) {
      throw FuzzyIndexFileError.corrupt(path: path, reason: "checksum of block \(block)")
    }
  }

  /// A 64-bit checksum of 8-byte words in four lanes, so that it runs at memory speed; `seed`
  /// (the block number) makes a block moved elsewhere fail.
  static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
    let prime: UInt64 = 0xFF51_AFD7_ED55_8CCD
    var lanes: (UInt64, UInt64, UInt64, UInt64) = (
      seed ^ 0x9E37_79B9_7F4A_7C15, seed &+ 0xC2B2_AE3D_27D4_EB4F, seed ^ 0x1656_67B1_9E37_79F9,
      seed &+ 0x27D4_EB2F_1656_67C5
    )
    func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
      let mixed = (hash ^ word) &* prime
      return mixed ^ (mixed >> 29)
    }
    func load(_ offset: Int) -> UInt64 {
      UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    var offset = 0
    while offset + 32 <= bytes.count {
      lanes.0 = mix(lanes.0, load(offset))
      lanes.1 = mix(lanes.1, load(offset + 8))
      lanes.2 = mix(lanes.2, load(offset + 16))
      lanes.3 = mix(lanes.3, load(offset + 24))
      offset += 32
    }
    while offset + 8 <= bytes.count {
      lanes.0 = mix(lanes.0, load(offset))
      offset += 8
    }
    if offset < bytes.count {
      var tail: UInt64 = 0
      withUnsafeMutableBytes(of: &tail) {
        $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
      }
      lanes.0 = mix(lanes.0, UInt64(littleEndian: tail) ^ UInt64(bytes.count - offset) << 56)
    }
    return mix(mix(mix(lanes.0, lanes.1), lanes.2), lanes.3) ^ UInt64(bytes.count)
  }
}

/// Writes a mapped index file beside its place, then renames it over it.
final class MappedIndexWriter {
  private let url: URL
  private let temporaryPath: String
  private let descriptor: Int32
  private var offset = MappedIndexFile.blockSize
  private var sections: [(offset: Int, count: Int)] = []
  private var blockChecksums: [UInt64] = []
  private var isOpen = true

  init(url: URL) throws {
    self.url = url
    temporaryPath = url.path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
    descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else {
      isOpen = false
      throw FuzzyIndexFileError.unreadable(path: url.path, reason: String(cString: strerror(errno)))
    }
    // Block 0, the header, is written last.
    guard lseek(descriptor, off_t(MappedIndexFile.blockSize), SEEK_SET) >= 0 else {
      defer { abandon() }
      throw systemError()
    }
  }

  deinit { abandon() }

  private func systemError() -> FuzzyIndexFileError {
    .unreadable(path: url.path, reason: String(cString: strerror(errno)))
  }

  /// Writes the next section (in ``MappedIndexFile/Section`` order).
  func write<Element: BitwiseCopyable>(_ array: some Collection<Element>) throws {
    let values = Array(array)
    try values.withUnsafeBytes { try write(bytes: $0) }
  }

  private func write(bytes: UnsafeRawBufferPointer) throws {
    let blockSize = MappedIndexFile.blockSize
    sections.append((offset, bytes.count))
    var position = 0
    var block = [UInt8](repeating: 0, count: blockSize)
    while position < bytes.count {
      let count = min(blockSize, bytes.count - position)
      if count < blockSize { block = [UInt8](repeating: 0, count: blockSize) }
      block.withUnsafeMutableBytes { target in
        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)]))
      }
      try block.withUnsafeBytes { block in
        if sections.count <= MappedIndexFile.Section.blockTable.rawValue {
          blockChecksums.append(MappedIndexFile.checksum(block, seed: UInt64(offset / blockSize)))
        }
        try writeFully(block)
      }
      offset += blockSize
      position += count
    }
  }

  private func writeFully(_ bytes: UnsafeRawBufferPointer) throws {
    guard let start = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
      let written = Foundation.write(descriptor, start + done, bytes.count - done)
      guard written > 0 else { throw systemError() }
      done += written
    }
  }

  /// Writes the block table and the header, syncs, and renames the file into place.
  func finish(fingerprint: UInt64) throws {
    precondition(sections.count == MappedIndexFile.Section.blockTable.rawValue, "every section written")
    let table = blockChecksums.map(\.littleEndian)
    try table.withUnsafeBytes { try write(bytes: $0) }
    let tableChecksum = table.withUnsafeBytes { MappedIndexFile.checksum($0, seed: 1) }
    var header: [UInt64] = [
      MappedIndexFile.magic, MappedIndexFile.formatVersion, fingerprint, UInt64(offset),
      UInt64(MappedIndexFile.blockSize), UInt64(sections.count), tableChecksum, 0,
    ]
    for section in sections { header += [UInt64(section.offset), UInt64(section.count)] }
    header = header.map(\.littleEndian)
    let checksum = header.withUnsafeBytes { bytes in
      let first = MappedIndexFile.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<56]), seed: 0)
      return MappedIndexFile.checksum(UnsafeRawBufferPointer(rebasing: bytes[64...]), seed: first)
    }
    header[7] = checksum.littleEndian
    guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw systemError() }
    try header.withUnsafeBytes { try writeFully($0) }
    isOpen = false
    guard fsync(descriptor) == 0, close(descriptor) == 0 else { throw systemError() }
    guard rename(temporaryPath, url.path) == 0 else {
      let error = systemError()
      unlink(temporaryPath)
      throw error
    }
  }

  /// Removes the half-written file.
  func abandon() {
    guard isOpen else { return }
    isOpen = false
    close(descriptor)
    unlink(temporaryPath)
  }
}
