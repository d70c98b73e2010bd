import Foundation

/// A read-only array of plain values, owned or inside a mapped index file: the tables of a
/// ``FuzzyIndex`` are these, so that a built index and a mapped one run the same code.
///
/// `@unchecked Sendable`: the values never change once made, and `owner` keeps them alive.
struct IndexTable<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
  let buffer: UnsafeBufferPointer<Element>
  private let owner: AnyObject?

  /// A copy of `array`.
  init(_ array: [Element]) {
    let storage = OwnedTable(array)
    buffer = storage.buffer
    owner = storage
  }

  /// Values that `owner` (a mapped file) keeps alive.
  init(mapped buffer: UnsafeBufferPointer<Element>, owner: AnyObject) {
    self.buffer = buffer
    self.owner = owner
  }

  var startIndex: Int { 0 }
  var endIndex: Int { buffer.count }
  subscript(position: Int) -> Element { buffer[position] }

  /// The values in `range`, without a copy.
  func slice(_ range: Range<Int>) -> UnsafeBufferPointer<Element> {
    UnsafeBufferPointer(rebasing: buffer[range])
  }
}

/// The memory of an owned ``IndexTable``.
private final class OwnedTable<Element: BitwiseCopyable>: @unchecked Sendable {
  let base: UnsafeMutablePointer<Element>
  let count: Int

  init(_ array: [Element]) {
    count = array.count
    base = .allocate(capacity: max(1, array.count))
    array.withUnsafeBufferPointer { source in
      if let address = source.baseAddress { base.initialize(from: address, count: source.count) }
    }
  }

  deinit { base.deallocate() }

  var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }
}

/// Strings and their ids (0 ..< count): a dictionary for a built index, a hash table inside the
/// file for a mapped one, so that opening a mapped index makes no string.
struct Vocabulary: Sendable {
  enum Storage: Sendable {
    case dictionary([String: UInt32])
    case mapped(MappedVocabulary)
  }
  let storage: Storage

  init(_ dictionary: [String: UInt32]) { storage = .dictionary(dictionary) }
  init(_ mapped: MappedVocabulary) { storage = .mapped(mapped) }

  /// The id of `text`, or `nil` when the index has never seen it.
  subscript(text: String) -> UInt32? {
    switch storage {
    case .dictionary(let table): return table[text]
    case .mapped(let mapped): return mapped.id(of: text)
    }
  }

  var count: Int {
    switch storage {
    case .dictionary(let table): return table.count
    case .mapped(let mapped): return mapped.count
    }
  }

  /// The strings, by id.
  var names: [String] {
    switch storage {
    case .dictionary(let table):
      var names = [String](repeating: "", count: table.count)
      for (name, id) in table { names[Int(id)] = name }
      return names
    case .mapped(let mapped): return (0..<mapped.count).map(mapped.name)
    }
  }
}

/// A vocabulary in a mapped file: the UTF-8 bytes of the strings end to end (`ends[i]`: the end
/// of string `i`), and an open-addressing table of `id + 1` by ``MappedVocabulary/hash(_:)``,
/// 0 for an empty slot, its size a power of two at least twice the count.
struct MappedVocabulary: Sendable {
  let ends: IndexTable<UInt64>
  let bytes: IndexTable<UInt8>
  let slots: IndexTable<UInt32>

  var count: Int { ends.count }

  func range(of id: Int) -> Range<Int> {
    (id == 0 ? 0 : Int(ends[id - 1]))..<Int(ends[id])
  }

  func name(_ id: Int) -> String { String(decoding: bytes.slice(range(of: id)), as: UTF8.self) }

  func id(of text: String) -> UInt32? {
    var text = text
    return text.withUTF8 { utf8 -> UInt32? in
      let mask = slots.count - 1
      var slot = Int(truncatingIfNeeded: Self.hash(UnsafeRawBufferPointer(utf8))) & mask
      // At most one pass over the table, whatever a damaged file holds.
      for _ in 0..<slots.count {
        let stored = Int(slots[slot])
        if stored == 0 { return nil }
        let id = stored - 1
        if id < count {
          let range = range(of: id)
          if range.count == utf8.count
            && bytes.slice(range).elementsEqual(utf8)
          {
            return UInt32(id)
          }
        }
        slot = (slot + 1) & mask
      }
      return nil
    }
  }

  /// FNV-1a over the bytes, 64 bits: stable across runs and machines.
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var value: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01B3 }
    return value
  }

  /// The tables of `names` (by id) for the file: ends, bytes, slots.
  static func tables(_ names: [String]) -> (ends: [UInt64], bytes: [UInt8], slots: [UInt32]) {
    var ends: [UInt64] = []
    var bytes: [UInt8] = []
    ends.reserveCapacity(names.count)
    for name in names {
      bytes.append(contentsOf: name.utf8)
      ends.append(UInt64(bytes.count))
    }
    var size = 16
    while size < names.count * 2 { size *= 2 }
    var slots = [UInt32](repeating: 0, count: size)
    bytes.withUnsafeBytes { all in
      for id in names.indices {
        let range = (id == 0 ? 0 : Int(ends[id - 1]))..<Int(ends[id])
        var slot = Int(truncatingIfNeeded: hash(UnsafeRawBufferPointer(rebasing: all[range]))) & (size - 1)
        while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
        slots[slot] = UInt32(id + 1)
      }
    }
    return (ends, bytes, slots)
  }
}
