/// A Bloom filter of duplicate keys (``ContentKey``): "certainly not stored" or "maybe stored".
///
/// A large import asks it first and looks a key up in the `unit_by_content_key` index only on
/// "maybe", which saves one B-tree search per new unit. Its size is fixed, so memory stays flat
/// however many keys it takes; more keys only make "maybe" more frequent (at 10M keys, one new
/// unit in twenty still searches the index), never an answer wrong.
struct _ContentKeyFilter: Sendable {
  /// 2^26 bits: 8 MiB.
  static let bitCount = 1 << 26
  private var words: [UInt64]

  init() {
    words = Array(repeating: 0, count: Self.bitCount / 64)
  }

  mutating func insert(_ key: Int64) {
    let (a, b, c) = Self.bits(of: key)
    words[a >> 6] |= 1 << UInt64(a & 63)
    words[b >> 6] |= 1 << UInt64(b & 63)
    words[c >> 6] |= 1 << UInt64(c & 63)
  }

  func mightContain(_ key: Int64) -> Bool {
    let (a, b, c) = Self.bits(of: key)
    return words[a >> 6] & (1 << UInt64(a & 63)) != 0
      && words[b >> 6] & (1 << UInt64(b & 63)) != 0
      && words[c >> 6] & (1 << UInt64(c & 63)) != 0
  }

  /// Three positions from the key's two halves (double hashing). The key is already a hash, but
  /// FNV-1a's low bits are its weakest: they are mixed once more first.
  @inline(__always)
  private static func bits(of key: Int64) -> (Int, Int, Int) {
    var x = UInt64(bitPattern: key)
    x = (x ^ (x >> 33)) &* 0xFF51_AFD7_ED55_8CCD
    x = (x ^ (x >> 33)) &* 0xC4CE_B9FE_1A85_EC53
    x ^= x >> 33
    let low = x & 0xFFFF_FFFF
    let high = (x >> 32) | 1
    let mask = UInt64(bitCount - 1)
    return (Int(low & mask), Int((low &+ high) & mask), Int((low &+ 2 &* high) & mask))
  }
}
