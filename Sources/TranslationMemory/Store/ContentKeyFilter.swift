/// A Bloom filter of duplicate keys (``ContentKey``): "certainly not stored" or "maybe stored".
///
/// A large import asks it first and looks a key up in the `unit_by_content_key` index only on
/// "maybe", which saves one B-tree search per new unit. Its size is fixed, so memory stays flat
/// however many keys it takes; more keys only make "maybe" more frequent (at 10M keys, one new
/// unit in twenty still searches the index), never an answer wrong.
///
/// Blocked: a key's three bits are in one 64-bit word, so that asking and adding cost one cache
/// miss in the 8 MiB rather than three (a fifth of the import's writing thread went to them),
/// for about as many false "maybe"s.
struct _ContentKeyFilter: Sendable {
  /// 2^26 bits: 8 MiB.
  static let bitCount = 1 << 26
  private var words: [UInt64]

  init() {
    words = Array(repeating: 0, count: Self.bitCount / 64)
  }

  mutating func insert(_ key: Int64) {
    let (word, mask) = Self.bits(of: key)
    words[word] |= mask
  }

  func mightContain(_ key: Int64) -> Bool {
    let (word, mask) = Self.bits(of: key)
    return words[word] & mask == mask
  }

  /// The word and the three bits of a key. The key is already a hash, but FNV-1a's low bits are
  /// its weakest: it is mixed once more first; the word comes from the high bits, the three bit
  /// positions from three 6-bit fields of the low ones.
  @inline(__always)
  private static func bits(of key: Int64) -> (word: Int, mask: UInt64) {
    var x = UInt64(bitPattern: key)
    x = (x ^ (x >> 33)) &* 0xFF51_AFD7_ED55_8CCD
    x = (x ^ (x >> 33)) &* 0xC4CE_B9FE_1A85_EC53
    x ^= x >> 33
    let wordBits = UInt64((bitCount / 64).trailingZeroBitCount)
    let word = Int(x >> (64 - wordBits))
    let mask: UInt64 = 1 << (x & 63) | 1 << ((x >> 6) & 63) | 1 << ((x >> 12) & 63)
    return (word, mask)
  }
}
