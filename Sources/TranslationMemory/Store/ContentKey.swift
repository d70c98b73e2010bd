import TextSegmentation

/// The duplicate key of a unit: a 64-bit FNV-1a hash of its normalised variant texts, by language.
///
/// Texts are normalised to the display form (NFC, one apostrophe), with runs of white space made
/// one space and the ends trimmed. Equal keys are checked against the stored texts, so a hash
/// collision never merges two different units.
enum ContentKey {
  static func key(of variants: [Variant]) -> Int64 {
    // The variants' UTF-8 laid out as the import's batches hold it.
    var bytes: [UInt8] = []
    var ranges: [(language: Range<Int>, text: Range<Int>)] = []
    for variant in variants {
      let language = bytes.count
      bytes.append(contentsOf: variant.language.rawValue.utf8)
      let text = bytes.count
      bytes.append(contentsOf: variant.text.utf8)
      ranges.append((language..<text, text..<bytes.count))
    }
    return bytes.withUnsafeBufferPointer { buffer in
      key(count: variants.count) { index in
        (UnsafeBufferPointer(rebasing: buffer[ranges[index].language]),
         UnsafeBufferPointer(rebasing: buffer[ranges[index].text]))
      }
    }
  }

  /// The key of `count` variants given as UTF-8: `variant(i)` is the language code and the text
  /// of the i-th. The import's writing thread computes keys from its batches' bytes this way.
  static func key(
    count: Int,
    variant: (Int) -> (language: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>)
  ) -> Int64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    if count == 2 {
      let first = variant(0)
      let second = variant(1)
      let swap = precedes(second.language, first.language)
      mix(swap ? second : first, into: &hash)
      mix(swap ? first : second, into: &hash)
    } else {
      let order = (0..<count).sorted { precedes(variant($0).language, variant($1).language) }
      for index in order { mix(variant(index), into: &hash) }
    }
    return Int64(bitPattern: hash)
  }

  /// Language codes in the order of their `String`s: byte order for ASCII (and for any UTF-8,
  /// unless a code isn't in NFC, which `String` comparison looks through).
  private static func precedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    if a.allSatisfy({ $0 < 0x80 }) && b.allSatisfy({ $0 < 0x80 }) {
      return a.lexicographicallyPrecedes(b)
    }
    return String(decoding: a, as: UTF8.self) < String(decoding: b, as: UTF8.self)
  }

  /// Mixes a variant's language and normalised text into the hash, normalising and hashing in
  /// one pass when the fast path applies.
  private static func mix(
    _ variant: (language: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>),
    into hash: inout UInt64
  ) {
    for byte in variant.language { mix(byte, into: &hash) }
    mix(0, into: &hash)
    let before = hash
    if !fastNormalisedHash(variant.text, into: &hash) {
      hash = before
      var bytes: [UInt8] = []
      normalise(String(decoding: variant.text, as: UTF8.self), into: &bytes)
      for byte in bytes { mix(byte, into: &hash) }
    }
    mix(0xFF, into: &hash)
  }

  /// ``fastNormalise(_:_:)`` hashing each byte it would write instead of writing it; false
  /// (with `hash` partly mixed) when the text has a scalar NFC might change.
  private static func fastNormalisedHash(_ utf8: UnsafeBufferPointer<UInt8>, into hash: inout UInt64) -> Bool {
    guard let base = utf8.baseAddress else { return true }
    var h = hash
    var wroteAny = false
    var pendingSpace = false
    var index = 0
    let count = utf8.count
    while index < count {
      let lead = base[index]
      if lead > 0x20 && lead < 0x80 {
        // Most bytes: printable ASCII.
        if pendingSpace {
          h = (h ^ 0x20) &* 0x100_0000_01B3
          pendingSpace = false
        }
        h = (h ^ UInt64(lead == 0x60 ? UInt8(ascii: "'") : lead)) &* 0x100_0000_01B3
        wroteAny = true
        index += 1
        continue
      }
      if lead < 0x80 {
        index += 1
        if lead == 0x20 || (lead >= 0x09 && lead <= 0x0D) {
          pendingSpace = wroteAny
        } else {
          if pendingSpace {
            h = (h ^ 0x20) &* 0x100_0000_01B3
            pendingSpace = false
          }
          h = (h ^ UInt64(lead)) &* 0x100_0000_01B3
          wroteAny = true
        }
        continue
      }
      let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
      guard index + length <= count else { break }
      var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
      for offset in 1..<length { value = value << 6 | UInt32(base[index + offset] & 0x3F) }
      var replacement: UInt8 = 0
      switch value {
      case 0x85, 0xA0, 0x202F, 0x2007, 0x2009:
        pendingSpace = wroteAny
        index += length
        continue
      case 0x2019, 0x2018, 0x02BC, 0x2032, 0xB4: replacement = UInt8(ascii: "'")
      case 0x2010, 0x2011: replacement = UInt8(ascii: "-")
      case 0..<0x300, 0x2002..<0x20D0: break
      default: return false
      }
      if pendingSpace {
        h = (h ^ 0x20) &* 0x100_0000_01B3
        pendingSpace = false
      }
      if replacement != 0 {
        h = (h ^ UInt64(replacement)) &* 0x100_0000_01B3
      } else {
        for offset in 0..<length { h = (h ^ UInt64(base[index + offset])) &* 0x100_0000_01B3 }
      }
      wroteAny = true
      index += length
    }
    hash = h
    return true
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
  /// Text made only of scalars NFC leaves alone (below U+0300, general punctuation, super- and
  /// subscripts, currency signs) is mapped here, byte by byte, as the display form maps it;
  /// anything else goes through ``TextNormalizer/displayForm(_:)`` (ICU), which is much slower.
  static func normalise(_ text: String, into bytes: inout [UInt8]) {
    let done: Bool? = text.utf8.withContiguousStorageIfAvailable { utf8 in
      fastNormalise(utf8, into: &bytes)
    }
    if done == true { return }
    if done == nil {
      let copy = Array(text.utf8)
      if copy.withUnsafeBufferPointer({ fastNormalise($0, into: &bytes) }) { return }
    }
    // A scalar NFC may change: start again on ICU's display form.
    let start = bytes.count
    var pendingSpace = false
    for scalar in TextNormalizer.displayForm(text).unicodeScalars {
      switch scalar.value {
      case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85:
        pendingSpace = bytes.count > start
      default:
        if pendingSpace {
          bytes.append(0x20)
          pendingSpace = false
        }
        bytes.append(contentsOf: String(scalar).utf8)
      }
    }
  }

  /// The fast path of ``normalise(_:into:)``; false (with `bytes` as it was) when the text has a
  /// scalar NFC might change.
  private static func fastNormalise(_ utf8: UnsafeBufferPointer<UInt8>, into bytes: inout [UInt8]) -> Bool {
    // The output is never longer than the input: write it into scratch memory, then append once.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(utf8.count, 1)) { output in
      guard let written = fastNormalise(utf8, output) else { return false }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: output[..<written]))
      return true
    }
  }

  private static func fastNormalise(
    _ utf8: UnsafeBufferPointer<UInt8>, _ output: UnsafeMutableBufferPointer<UInt8>
  ) -> Int? {
    var written = 0
    var pendingSpace = false
    var index = 0
    let count = utf8.count
    while index < count {
      let lead = utf8[index]
      if lead < 0x80 {
        index += 1
        switch lead {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
          pendingSpace = written > 0
        default:
          if pendingSpace {
            output[written] = 0x20
            written += 1
            pendingSpace = false
          }
          output[written] = lead == 0x60 ? UInt8(ascii: "'") : lead
          written += 1
        }
        continue
      }
      // The input is valid UTF-8 (it comes from a String).
      let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
      guard index + length <= count else { break }
      var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
      for offset in 1..<length { value = value << 6 | UInt32(utf8[index + offset] & 0x3F) }
      var replacement: UInt8 = 0
      switch value {
      case 0x85, 0xA0, 0x202F, 0x2007, 0x2009:
        pendingSpace = written > 0
        index += length
        continue
      case 0x2019, 0x2018, 0x02BC, 0x2032, 0xB4: replacement = UInt8(ascii: "'")
      case 0x2010, 0x2011: replacement = UInt8(ascii: "-")
      case 0..<0x300, 0x2002..<0x20D0: break
      default: return nil
      }
      // A pending space and the scalar fit: the white space before took at least one byte.
      if pendingSpace {
        output[written] = 0x20
        written += 1
        pendingSpace = false
      }
      if replacement != 0 {
        output[written] = replacement
        written += 1
      } else {
        for offset in 0..<length { output[written + offset] = utf8[index + offset] }
        written += length
      }
      index += length
    }
    return written
  }

  @inline(__always)
  private static func mix(_ byte: UInt8, into hash: inout UInt64) {
    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
  }
}
