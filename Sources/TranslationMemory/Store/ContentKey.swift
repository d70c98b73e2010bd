import TextSegmentation

/// The duplicate key of a unit: a 64-bit FNV-1a hash of its normalised variant texts, by language.
///
/// Texts are normalised to the display form (NFC, one apostrophe), with runs of white space made
/// one space and the ends trimmed. Equal keys are checked against the stored texts, so a hash
/// collision never merges two different units.
enum ContentKey {
  static func key(of variants: [Variant]) -> Int64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    var bytes: [UInt8] = []
    let sorted = variants.count == 2 && variants[0].language.rawValue > variants[1].language.rawValue
      ? [variants[1], variants[0]] : variants.sorted { $0.language.rawValue < $1.language.rawValue }
    for variant in sorted {
      for byte in variant.language.rawValue.utf8 { mix(byte, into: &hash) }
      mix(0, into: &hash)
      bytes.removeAll(keepingCapacity: true)
      normalise(variant.text, into: &bytes)
      for byte in bytes { mix(byte, into: &hash) }
      mix(0xFF, into: &hash)
    }
    return Int64(bitPattern: hash)
  }

  /// (language, normalised text) sorted by language.
  static func normalisedTexts(of variants: [Variant]) -> [(String, String)] {
    variants.map { ($0.language.rawValue, normalise($0.text)) }.sorted { $0.0 < $1.0 }
  }

  static func normalise(_ text: String) -> String {
    var bytes: [UInt8] = []
    normalise(text, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the normalised UTF-8 of `text`: the display form, with runs of white space made one
  /// space and the ends trimmed.
  ///
  /// Text made only of scalars NFC leaves alone (below U+0300, and general punctuation) is mapped
  /// here as the display form maps it; anything else goes through
  /// ``TextNormalizer/displayForm(_:)`` (ICU), which is much slower.
  static func normalise(_ text: String, into bytes: inout [UInt8]) {
    let start = bytes.count
    var pendingSpace = false
    func space() { pendingSpace = bytes.count > start }
    func append(_ scalar: Unicode.Scalar) {
      if pendingSpace {
        bytes.append(0x20)
        pendingSpace = false
      }
      bytes.append(contentsOf: String(scalar).utf8)
    }
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0xA0, 0x202F, 0x2007, 0x2009: space()
      case 0x2019, 0x2018, 0x02BC, 0x2032, 0x60, 0xB4: append("'")
      case 0x2010, 0x2011: append("-")
      case 0..<0x300, 0x2002..<0x2070:
        if pendingSpace {
          bytes.append(0x20)
          pendingSpace = false
        }
        if scalar.isASCII {
          bytes.append(UInt8(scalar.value))
        } else {
          bytes.append(contentsOf: String(scalar).utf8)
        }
      default:
        // A scalar NFC may change: start again on ICU's display form.
        bytes.removeSubrange(start...)
        pendingSpace = false
        for scalar in TextNormalizer.displayForm(text).unicodeScalars {
          switch scalar.value {
          case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85: space()
          default: append(scalar)
          }
        }
        return
      }
    }
  }

  @inline(__always)
  private static func mix(_ byte: UInt8, into hash: inout UInt64) {
    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
  }
}
