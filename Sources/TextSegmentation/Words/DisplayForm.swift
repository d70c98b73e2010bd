/// The characters the display form writes differently: the one table behind
/// ``TextNormalizer/displayForm(_:)`` and the translation memory's duplicate key.
///
/// The display form maps UTF-16 units through it after NFC; the store's duplicate key maps
/// UTF-8 scalars through it without ICU. Every mapped scalar lies below U+0300 or among the
/// General Punctuation, which NFC leaves alone, so mapping before or after NFC is the same.
package enum DisplayForm {
  /// The ASCII byte the display form writes for `scalar`, or `nil` when it keeps the scalar:
  /// typographic apostrophes and primes become `'`, curly double quotes and double primes `"`,
  /// no-break and thin spaces a space, non-breaking hyphens `-`. Guillemets (`«` `»`) are kept:
  /// they are French typography, not a variant.
  @inlinable @inline(__always)
  package static func replacement(for scalar: UInt32) -> UInt8? {
    switch scalar {
    case 0x2019, 0x2018, 0x02BC, 0x2032, 0x0060, 0x00B4, 0x201B: return 0x27  // '
    case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033: return 0x22  // "
    case 0x00A0, 0x202F, 0x2007, 0x2009: return 0x20
    case 0x2010, 0x2011: return 0x2D  // -
    default: return nil
    }
  }

  /// Every scalar ``replacement(for:)`` maps, for tests that must cover the whole table.
  package static var mappedScalars: [UInt32] {
    (0..<0x3000).filter { replacement(for: $0) != nil }
  }
}
