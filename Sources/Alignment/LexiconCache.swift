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
  /// whole; nil otherwise (missing, stale, damaged).
  static func load(_ url: URL, fingerprint: [UInt8]) -> Lexicon? {
    guard let file = MappedFile(path: url.path) else { return nil }
    return file.withBytes { bytes -> Lexicon? in
      guard let layout = CompiledLexiconFile(bytes), layout.fingerprint.elementsEqual(fingerprint) else {
        return nil
      }
      return layout.decodeLexicon()
    }
  }

  /// Writes a compiled lexicon, replacing any older file at once (a reader sees the old file or
  /// the new one).
  static func store(_ lexicon: Lexicon, fingerprint: [UInt8], at url: URL) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let bytes = CompiledLexiconFile.encode(lexicon, fingerprint: fingerprint)
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
/// | 24 | 8 | checksum of the entries |
/// | 32 | 8 | checksum of bytes 0–31 and of the fingerprint |
/// | 40 | *f* | fingerprint of the dictionaries |
/// | 40 + *f* | *e* | entries: a count, then per source key its length and bytes, its number of targets and each target's length and bytes (32-bit lengths) |
///
/// The file is exactly 40 + *f* + *e* bytes long.
struct CompiledLexiconFile {
  static let magic: [UInt8] = Array("ATMLEXC".utf8) + [1]
  static let headerSize = 40

  let fingerprint: UnsafeRawBufferPointer
  let entries: UnsafeRawBufferPointer

  /// Checks a file's header, length and checksums; nil when any is wrong.
  init?(_ bytes: UnsafeRawBufferPointer) {
    let header = Self.headerSize
    guard bytes.count >= header, bytes.prefix(8).elementsEqual(Self.magic) else { return nil }
    let fingerprintLength = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
    let entriesLength = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian
    let entriesChecksum = bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian
    let headerChecksum = bytes.loadUnaligned(fromByteOffset: 32, as: UInt64.self).littleEndian
    let available = UInt64(bytes.count - header)
    guard fingerprintLength <= available, entriesLength == available - fingerprintLength else { return nil }
    let fingerprintEnd = header + Int(fingerprintLength)
    let fingerprint = UnsafeRawBufferPointer(rebasing: bytes[header..<fingerprintEnd])
    guard Self.headerChecksum(UnsafeRawBufferPointer(rebasing: bytes[0..<32]), fingerprint) == headerChecksum
    else { return nil }
    let entries = UnsafeRawBufferPointer(rebasing: bytes[fingerprintEnd...])
    guard Checksum.of(entries) == entriesChecksum else { return nil }
    self.fingerprint = fingerprint
    self.entries = entries
  }

  private static func headerChecksum(_ head: UnsafeRawBufferPointer, _ fingerprint: UnsafeRawBufferPointer)
    -> UInt64
  {
    Checksum.of(fingerprint, seed: Checksum.of(head))
  }

  static func encode(_ lexicon: Lexicon, fingerprint: [UInt8]) -> [UInt8] {
    var entries = ByteWriter()
    entries.u32(UInt32(lexicon.translations.count))
    // Sorted, so that the same dictionaries give the same file.
    for key in lexicon.translations.keys.sorted() {
      let targets = lexicon.translations[key] ?? []
      entries.string(key)
      entries.u32(UInt32(targets.count))
      for target in targets { entries.string(target) }
    }
    var file = ByteWriter()
    file.bytes += magic
    file.u64(UInt64(fingerprint.count))
    file.u64(UInt64(entries.bytes.count))
    file.u64(entries.bytes.withUnsafeBytes { Checksum.of($0) })
    let headerChecksum = file.bytes.withUnsafeBytes { head in
      fingerprint.withUnsafeBytes { Self.headerChecksum(head, $0) }
    }
    file.u64(headerChecksum)
    file.bytes += fingerprint
    file.bytes += entries.bytes
    return file.bytes
  }

  /// The lexicon of checked entries; nil when they do not parse (a file of a wrong writer).
  func decodeLexicon() -> Lexicon? {
    var reader = ByteReader(entries)
    guard let count = reader.u32(), Int(count) <= entries.count else { return nil }
    var translations: [String: [String]] = [:]
    translations.reserveCapacity(Int(count))
    for _ in 0..<count {
      guard let key = reader.string(), let targetCount = reader.u32(), Int(targetCount) <= reader.remaining
      else { return nil }
      var targets: [String] = []
      targets.reserveCapacity(Int(targetCount))
      for _ in 0..<targetCount {
        guard let target = reader.string() else { return nil }
        targets.append(target)
      }
      translations[key] = targets
    }
    guard reader.remaining == 0, translations.count == Int(count) else { return nil }
    return Lexicon(translations: translations)
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
    guard let length = u32().map(Int.init), length <= remaining else { return nil }
    defer { offset += length }
    return String(
      decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
  }
}
