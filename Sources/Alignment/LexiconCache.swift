import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder of compiled lexicons, so that a process that aligns one pair does not parse the
/// FreeDict dictionaries again (0.3–0.4 s for de-fr).
///
/// A compiled lexicon is one file per language pair and dictionary folder. It names the
/// dictionaries it was built from (path, size, modification time and a hash of their bytes) and
/// is used only when all of them are unchanged; otherwise it is built again and replaced (written
/// to a temporary file, then renamed). The file is mapped and checked before it is read: a header
/// with its own checksum, the exact length, a checksum of the entries. A damaged, truncated or
/// foreign file is never trusted, only rebuilt.
///
/// The folder is `$ALIGNTM_CACHE_DIR`, else `$XDG_CACHE_HOME/aligntm`, else
/// `~/.cache/aligntm`; `ALIGNTM_CACHE_DIR=off` turns the cache off.
public struct LexiconCache: Sendable, Equatable {
  /// Where the compiled lexicons are kept.
  public var folder: URL

  /// A cache kept in `folder` (created when first written).
  public init(folder: URL) {
    self.folder = folder
  }

  /// The cache of this process's environment, or nil when it is turned off or no home is known.
  public static var standard: LexiconCache? {
    standard(environment: ProcessInfo.processInfo.environment)
  }

  /// The cache an environment names: `ALIGNTM_CACHE_DIR` (`off` for none), else
  /// `XDG_CACHE_HOME/aligntm`, else `HOME/.cache/aligntm`.
  public static func standard(environment: [String: String]) -> LexiconCache? {
    if let path = environment["ALIGNTM_CACHE_DIR"], !path.isEmpty {
      if path == "off" { return nil }
      return LexiconCache(folder: URL(fileURLWithPath: path, isDirectory: true))
    }
    if let path = environment["XDG_CACHE_HOME"], path.hasPrefix("/") {
      return LexiconCache(
        folder: URL(fileURLWithPath: path, isDirectory: true).appendingPathComponent("aligntm"))
    }
    if let home = environment["HOME"], !home.isEmpty {
      return LexiconCache(
        folder: URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/aligntm"))
    }
    return nil
  }

  /// One dictionary a lexicon is built from: its files and whether it is read the other way round.
  struct Source {
    var index: URL
    var data: URL
    var reversed: Bool
  }

  /// The cache file for a pair of languages and a dictionary folder.
  func file(name: String, directory: URL) -> URL {
    let path = Array(directory.standardizedFileURL.path.utf8)
    let tag = String(Checksum.of(path), radix: 16)
    return folder.appendingPathComponent("\(name)-\(tag).lexicon")
  }

  /// What identifies the dictionaries: per file its path, size, modification time and a hash of
  /// its bytes. Nil when a file cannot be read.
  static func fingerprint(_ sources: [Source]) -> [UInt8]? {
    var writer = ByteWriter()
    writer.u32(UInt32(sources.count))
    for source in sources {
      writer.u8(source.reversed ? 1 : 0)
      for url in [source.index, source.data] {
        guard let file = MappedFile(path: url.path) else { return nil }
        writer.string(url.standardizedFileURL.path)
        writer.u64(UInt64(file.size))
        writer.u64(UInt64(bitPattern: file.modificationNanoseconds))
        writer.u64(file.withBytes { Checksum.of($0) })
      }
    }
    return writer.bytes
  }

  /// The lexicon stored in `url` when it was built from dictionaries with this fingerprint and is
  /// whole; nil otherwise (missing, stale, damaged). Its word lists are decoded when first asked
  /// for; its stems are read in place.
  static func load(_ url: URL, fingerprint: [UInt8]) -> Lexicon? {
    guard let file = MappedFile(path: url.path),
      let compiled = CompiledLexicon(file, fingerprint: fingerprint)
    else { return nil }
    return Lexicon(compiled: compiled)
  }

  /// Writes a compiled lexicon, with its stems for stems of `stemLength` characters, replacing
  /// any older file at once (a reader sees the old file or the new one).
  static func store(_ lexicon: Lexicon, stemLength: Int, fingerprint: [UInt8], at url: URL) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let bytes = CompiledLexiconFile.encode(lexicon, stemLength: stemLength, fingerprint: fingerprint)
    try Data(bytes).write(to: url, options: .atomic)
  }
}

/// The layout of a compiled lexicon file, little-endian:
///
/// | offset | bytes | field |
/// |---|---|---|
/// | 0 | 8 | magic `ATMLEXC` and a format version byte |
/// | 8 | 8 | fingerprint length *f* |
/// | 16 | 8 | entries length *e* |
/// | 24 | 8 | stems length *s* |
/// | 32 | 8 | checksum of the entries and the stems |
/// | 40 | 8 | checksum of bytes 0–39 and of the fingerprint |
/// | 48 | *f* | fingerprint of the dictionaries |
/// | 48 + *f* | *e* | entries: a count, then per source key its length and bytes, its number of targets and each target's length and bytes (32-bit lengths) |
/// | 48 + *f* + *e* | *s* | stems: the stem length, the number of slots *n* (a power of two) and of stems, *n* 32-bit slots, then the records |
///
/// The stems are a hash table of the lexicon's ``StemIndex``: a source stem's slot is its
/// ``Checksum`` modulo *n*, probed linearly to the first empty slot (0); a slot holds 1 + the
/// offset of its record in the records: the stem, its number of target stems and each of them,
/// written like the entries. The file is exactly 48 + *f* + *e* + *s* bytes long.
struct CompiledLexiconFile {
  static let magic: [UInt8] = Array("ATMLEXC".utf8) + [2]
  static let headerSize = 48

  let fingerprint: UnsafeRawBufferPointer
  let entries: UnsafeRawBufferPointer
  let stems: UnsafeRawBufferPointer

  /// Checks a file's header, length and checksums; nil when any is wrong.
  init?(_ bytes: UnsafeRawBufferPointer) {
    let header = Self.headerSize
    guard bytes.count >= header, bytes.prefix(8).elementsEqual(Self.magic) else { return nil }
    func field(_ offset: Int) -> UInt64 {
      bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
    }
    let (fingerprintLength, entriesLength, stemsLength) = (field(8), field(16), field(24))
    let (bodyChecksum, headerChecksum) = (field(32), field(40))
    let available = UInt64(bytes.count - header)
    guard fingerprintLength <= available, entriesLength <= available - fingerprintLength,
      stemsLength == available - fingerprintLength - entriesLength
    else { return nil }
    let fingerprintEnd = header + Int(fingerprintLength)
    let entriesEnd = fingerprintEnd + Int(entriesLength)
    let fingerprint = UnsafeRawBufferPointer(rebasing: bytes[header..<fingerprintEnd])
    guard Self.headerChecksum(UnsafeRawBufferPointer(rebasing: bytes[0..<40]), fingerprint) == headerChecksum
    else { return nil }
    guard Checksum.of(UnsafeRawBufferPointer(rebasing: bytes[fingerprintEnd...])) == bodyChecksum else {
      return nil
    }
    self.fingerprint = fingerprint
    self.entries = UnsafeRawBufferPointer(rebasing: bytes[fingerprintEnd..<entriesEnd])
    self.stems = UnsafeRawBufferPointer(rebasing: bytes[entriesEnd...])
  }

  private static func headerChecksum(_ head: UnsafeRawBufferPointer, _ fingerprint: UnsafeRawBufferPointer)
    -> UInt64
  {
    Checksum.of(fingerprint, seed: Checksum.of(head))
  }

  static func encode(_ lexicon: Lexicon, stemLength: Int, fingerprint: [UInt8]) -> [UInt8] {
    let translations = lexicon.translations
    var body = ByteWriter()
    body.u32(UInt32(translations.count))
    // Sorted, so that the same dictionaries give the same file.
    for key in translations.keys.sorted() {
      let targets = translations[key] ?? []
      body.string(key)
      body.u32(UInt32(targets.count))
      for target in targets { body.string(target) }
    }
    let entriesLength = body.bytes.count
    encodeStems(StemIndex.sortedTable(translations, length: stemLength), length: stemLength, into: &body)
    var file = ByteWriter()
    file.bytes += magic
    file.u64(UInt64(fingerprint.count))
    file.u64(UInt64(entriesLength))
    file.u64(UInt64(body.bytes.count - entriesLength))
    file.u64(body.bytes.withUnsafeBytes { Checksum.of($0) })
    let headerChecksum = file.bytes.withUnsafeBytes { head in
      fingerprint.withUnsafeBytes { Self.headerChecksum(head, $0) }
    }
    file.u64(headerChecksum)
    file.bytes += fingerprint
    file.bytes += body.bytes
    return file.bytes
  }

  /// The stem table, as ``CompiledLexicon/stems(for:)`` reads it.
  private static func encodeStems(_ stems: [String: [String]], length: Int, into writer: inout ByteWriter) {
    var slotCount = 1
    while slotCount < stems.count * 2 { slotCount *= 2 }
    var slots = [UInt32](repeating: 0, count: slotCount)
    var records = ByteWriter()
    for key in stems.keys.sorted() {
      var slot = Int(Checksum.of(Array(key.utf8)) & UInt64(slotCount - 1))
      while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
      slots[slot] = UInt32(records.bytes.count + 1)
      let targets = stems[key] ?? []
      records.string(key)
      records.u32(UInt32(targets.count))
      for target in targets { records.string(target) }
    }
    writer.u32(UInt32(length))
    writer.u32(UInt32(slotCount))
    writer.u32(UInt32(stems.count))
    for slot in slots { writer.u32(slot) }
    writer.bytes += records.bytes
  }
}

/// A compiled lexicon file, mapped, checked and kept open: its word lists decoded once when first
/// asked for, its stems looked up in place.
final class CompiledLexicon: @unchecked Sendable {
  // Immutable after init but for `decoded`, which `lock` guards.
  private let file: MappedFile
  private let layout: CompiledLexiconFile
  /// The number of source words.
  let count: Int
  /// The stem length of the stem table.
  let stemLength: Int
  private let slotCount: Int
  private let slots: UnsafeRawBufferPointer
  private let records: UnsafeRawBufferPointer
  private let lock = NSLock()
  private var decoded: [String: [String]]?

  /// Nil when the file is damaged, of another format, or built from other dictionaries.
  ///
  /// Besides the checksums, every length of the entries and the stems is checked to lie inside
  /// the file (a walk that reads no text), so that no later read can fail.
  init?(_ file: MappedFile, fingerprint: [UInt8]) {
    guard let layout = file.withBytes({ CompiledLexiconFile($0) }),
      layout.fingerprint.elementsEqual(fingerprint)
    else { return nil }
    var entries = ByteReader(layout.entries)
    guard let count = entries.u32(), Int(count) <= layout.entries.count,
      entries.skipLists(Int(count)), entries.remaining == 0
    else { return nil }
    var stems = ByteReader(layout.stems)
    guard let stemLength = stems.u32(), let slotCount = stems.u32().map(Int.init),
      let stemCount = stems.u32(),
      slotCount > 0, slotCount & (slotCount - 1) == 0, Int(stemCount) < slotCount || stemCount == 0,
      slotCount * 4 <= stems.remaining
    else { return nil }
    let slotsStart = stems.offset
    let recordsStart = slotsStart + slotCount * 4
    let records = UnsafeRawBufferPointer(rebasing: layout.stems[recordsStart...])
    var walk = ByteReader(records)
    guard walk.skipLists(Int(stemCount)), walk.remaining == 0 else { return nil }
    for slot in 0..<slotCount {
      let value = layout.stems.loadUnaligned(fromByteOffset: slotsStart + slot * 4, as: UInt32.self)
        .littleEndian
      guard Int(value) <= records.count else { return nil }
    }
    self.file = file
    self.layout = layout
    self.count = Int(count)
    self.stemLength = Int(stemLength)
    self.slotCount = slotCount
    self.slots = UnsafeRawBufferPointer(rebasing: layout.stems[slotsStart..<recordsStart])
    self.records = records
  }

  /// The word lists, decoded on first use.
  var translations: [String: [String]] {
    lock.lock()
    defer { lock.unlock() }
    if let decoded { return decoded }
    var reader = ByteReader(layout.entries)
    let count = Int(reader.u32() ?? 0)
    var translations: [String: [String]] = [:]
    translations.reserveCapacity(count)
    for _ in 0..<count {
      guard let (key, targets) = reader.list() else { break }
      translations[key] = targets
    }
    decoded = translations
    return translations
  }

  /// The target stems of a source stem, read from the stem table; nil when it holds none.
  func stems(for stem: String) -> [String]? {
    var key = stem
    return key.withUTF8 { bytes -> [String]? in
      let raw = UnsafeRawBufferPointer(bytes)
      let mask = slotCount - 1
      var slot = Int(Checksum.of(raw) & UInt64(mask))
      for _ in 0..<slotCount {
        let value = Int(slots.loadUnaligned(fromByteOffset: slot * 4, as: UInt32.self).littleEndian)
        if value == 0 { return nil }
        var reader = ByteReader(records)
        reader.offset = value - 1
        if reader.bytesOfString()?.elementsEqual(raw) == true {
          return reader.list(afterKey: true)?.targets
        }
        slot = (slot + 1) & mask
      }
      return nil
    }
  }
}

/// A 64-bit hash of bytes, eight at a time, to notice a changed or damaged file (not a defence
/// against someone forging one).
enum Checksum {
  static func of(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { of($0) } }

  static func of(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
    let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    var hash = seed ^ (UInt64(bytes.count) &* prime1)
    var offset = 0
    let count = bytes.count
    while offset + 8 <= count {
      let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
      hash = (hash ^ (word &* prime2)).rotated(31) &* prime1
      offset += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while offset < count {
      tail |= UInt64(bytes[offset]) << shift
      shift += 8
      offset += 1
    }
    hash = (hash ^ (tail &* prime2)).rotated(31) &* prime1
    hash ^= hash >> 33
    hash &*= prime2
    hash ^= hash >> 29
    return hash
  }
}

extension UInt64 {
  fileprivate func rotated(_ count: UInt64) -> UInt64 { self << count | self >> (64 - count) }
}

/// A file mapped read-only into memory.
final class MappedFile {
  let size: Int
  let modificationNanoseconds: Int64
  private let address: UnsafeMutableRawPointer?

  /// Nil when the file cannot be opened, is not a regular file or cannot be mapped.
  init?(path: String) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
    size = Int(status.st_size)
    #if canImport(Darwin)
    modificationNanoseconds =
      Int64(status.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(status.st_mtimespec.tv_nsec)
    #else
    modificationNanoseconds = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
    #endif
    if size == 0 {
      address = nil
      return
    }
    guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
      return nil
    }
    address = mapped
  }

  deinit {
    if let address { munmap(address, size) }
  }

  func withBytes<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
    body(UnsafeRawBufferPointer(start: address, count: address == nil ? 0 : size))
  }
}

struct ByteWriter {
  var bytes: [UInt8] = []

  mutating func u8(_ value: UInt8) { bytes.append(value) }

  mutating func u32(_ value: UInt32) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
  }

  mutating func u64(_ value: UInt64) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
  }

  mutating func string(_ text: String) {
    u32(UInt32(text.utf8.count))
    bytes += text.utf8
  }
}

struct ByteReader {
  let bytes: UnsafeRawBufferPointer
  var offset = 0

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  var remaining: Int { bytes.count - offset }

  mutating func u32() -> UInt32? {
    guard remaining >= 4 else { return nil }
    defer { offset += 4 }
    return bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian
  }

  mutating func string() -> String? {
    bytesOfString().map { String(decoding: $0, as: UTF8.self) }
  }

  /// The bytes of a string (its 32-bit length, then its bytes).
  mutating func bytesOfString() -> UnsafeRawBufferPointer? {
    guard let length = u32().map(Int.init), length <= remaining else { return nil }
    defer { offset += length }
    return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
  }

  /// A key and its list of strings; with `afterKey`, only the list (the key already read, "").
  mutating func list(afterKey: Bool = false) -> (key: String, targets: [String])? {
    var key = ""
    if !afterKey {
      guard let read = string() else { return nil }
      key = read
    }
    guard let count = u32(), Int(count) <= remaining else { return nil }
    var targets: [String] = []
    targets.reserveCapacity(Int(count))
    for _ in 0..<count {
      guard let target = string() else { return nil }
      targets.append(target)
    }
    return (key, targets)
  }

  /// Skips `count` keys with their lists; false when one does not lie inside the bytes.
  mutating func skipLists(_ count: Int) -> Bool {
    for _ in 0..<count {
      guard bytesOfString() != nil, let targets = u32(), Int(targets) <= remaining else { return false }
      for _ in 0..<targets where bytesOfString() == nil { return false }
    }
    return true
  }
}
