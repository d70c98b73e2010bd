import TextSegmentation

/// The duplicate key of a unit: a 64-bit FNV-1a hash of its normalised variant texts, by language.
///
/// Texts are normalised to the display form (NFC, one apostrophe), with runs of white space made
/// one space and the ends trimmed. Equal keys are checked against the stored texts, so a hash
/// collision never merges two different units.
enum ContentKey {
  static func key(of variants: [Variant]) -> Int64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for (language, text) in normalisedTexts(of: variants) {
      for byte in language.utf8 { mix(byte, into: &hash) }
      mix(0, into: &hash)
      for byte in text.utf8 { mix(byte, into: &hash) }
      mix(0xFF, into: &hash)
    }
    return Int64(bitPattern: hash)
  }

  /// (language, normalised text) sorted by language.
  static func normalisedTexts(of variants: [Variant]) -> [(String, String)] {
    variants.map { ($0.language.rawValue, normalise($0.text)) }.sorted { $0.0 < $1.0 }
  }

  static func normalise(_ text: String) -> String {
    // Below U+0300 no scalar combines or is remapped by the display form: skip ICU for speed.
    let needsICU = text.unicodeScalars.contains { $0.value >= 0x300 || $0.value == 0x60 || $0.value == 0xA0 || $0.value == 0xB4 }
    let base = needsICU ? TextNormalizer.displayForm(text) : text
    var result = String.UnicodeScalarView()
    var pendingSpace = false
    for scalar in base.unicodeScalars {
      if scalar.properties.isWhitespace {
        pendingSpace = !result.isEmpty
        continue
      }
      if pendingSpace {
        result.append(" ")
        pendingSpace = false
      }
      result.append(scalar)
    }
    return String(result)
  }

  @inline(__always)
  private static func mix(_ byte: UInt8, into hash: inout UInt64) {
    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
  }
}
