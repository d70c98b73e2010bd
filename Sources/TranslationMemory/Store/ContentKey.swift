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
        (
          UnsafeBufferPointer(rebasing: buffer[ranges[index].language]),
          UnsafeBufferPointer(rebasing: buffer[ranges[index].text])
        )
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
    var output = HashOutput(hash: hash)
    if fastNormalise(variant.text, into: &output) {
      hash = output.hash
    } else {
      var bytes: [UInt8] = []
      normalise(String(decoding: variant.text, as: UTF8.self), into: &bytes)
      for byte in bytes { mix(byte, into: &hash) }
    }
    mix(0xFF, into: &hash)
  }

  /// Computes every stored unit's key again from its variants, and writes those that changed:
  /// migration 4, for memories whose keys an older normalisation computed.
  ///
  /// - Complexity: one read of every variant; an update per changed key.
  static func recomputeStoredKeys(_ connection: SQLiteConnection) throws {
    let read = try connection.prepare(
      """
      SELECT unit.id, unit.content_key, variant.language, variant.text
      FROM unit JOIN variant ON variant.unit_id = unit.id
      ORDER BY unit.id
      """)
    // Changes are collected first: updating rows the read is still walking is not safe.
    var changed: [(id: Int64, key: Int64)] = []
    var unit: (id: Int64, key: Int64)?
    var variants: [Variant] = []
    func finishUnit() {
      guard let unit else { return }
      let key = key(of: variants)
      if key != unit.key { changed.append((unit.id, key)) }
      variants.removeAll(keepingCapacity: true)
    }
    while try read.step() {
      let id = read.int64(0)
      if id != unit?.id {
        finishUnit()
        unit = (id, read.int64(1))
      }
      variants.append(Variant(language: Language(read.string(2)), text: read.string(3)))
    }
    finishUnit()
    let update = try connection.prepare("UPDATE unit SET content_key = ?1 WHERE id = ?2")
    for (id, key) in changed {
      update.reset()
      update.bind(1, key)
      update.bind(2, id)
      try update.step()
    }
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
  /// subscripts, currency signs) is mapped here, byte by byte, through ``DisplayForm``; anything
  /// else goes through ``TextNormalizer/displayForm(_:)`` (ICU), which is much slower.
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
      if isWhiteSpace(scalar.value) {
        pendingSpace = bytes.count > start
      } else {
        if pendingSpace {
          bytes.append(0x20)
          pendingSpace = false
        }
        bytes.append(contentsOf: String(scalar).utf8)
      }
    }
  }

  /// The white space the key makes one space of (after the display form).
  @inline(__always)
  private static func isWhiteSpace(_ scalar: UInt32) -> Bool {
    scalar == 0x20 || (scalar >= 0x09 && scalar <= 0x0D) || scalar == 0x85
  }

  /// The fast path of ``normalise(_:into:)``; false (with `bytes` as it was) when the text has a
  /// scalar NFC might change.
  private static func fastNormalise(_ utf8: UnsafeBufferPointer<UInt8>, into bytes: inout [UInt8]) -> Bool {
    // The output is never longer than the input: write it into scratch memory, then append once.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(utf8.count, 1)) { buffer in
      var output = BufferOutput(buffer: buffer)
      guard fastNormalise(utf8, into: &output) else { return false }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<output.count]))
      return true
    }
  }

  /// Where the fast path writes the normalised bytes: a hash or a buffer.
  private protocol NormalisedOutput {
    mutating func write(_ byte: UInt8)
  }

  /// Mixes each byte into an FNV-1a hash instead of writing it.
  private struct HashOutput: NormalisedOutput {
    var hash: UInt64
    @inline(__always)
    mutating func write(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
  }

  /// Writes into a buffer at least as long as the input: the output is never longer.
  private struct BufferOutput: NormalisedOutput {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    var count = 0
    @inline(__always)
    mutating func write(_ byte: UInt8) {
      buffer[count] = byte
      count += 1
    }
  }

  /// Normalises valid UTF-8 (it comes from a `String`) byte by byte into `output`; false (with
  /// `output` partly written) when the text has a scalar NFC might change.
  @inline(__always)
  private static func fastNormalise<Output: NormalisedOutput>(
    _ utf8: UnsafeBufferPointer<UInt8>, into output: inout Output
  ) -> Bool {
    guard let base = utf8.baseAddress else { return true }
    return asciiForms.withUnsafeBufferPointer { asciiForms in
      fastNormalise(base: base, count: utf8.count, asciiForms: asciiForms, into: &output)
    }
  }

  /// ``DisplayForm/replacement(for:)`` of each ASCII byte (itself when none), looked up in the
  /// fast path's loop instead of calling across modules for every byte: that call was a fifth of
  /// the key's cost.
  private static let asciiForms: [UInt8] = (0..<128).map { DisplayForm.replacement(for: $0) ?? UInt8($0) }

  @inline(__always)
  private static func fastNormalise<Output: NormalisedOutput>(
    base: UnsafePointer<UInt8>, count: Int, asciiForms: UnsafeBufferPointer<UInt8>, into output: inout Output
  ) -> Bool {
    var wroteAny = false
    var pendingSpace = false
    var index = 0
    while index < count {
      let lead = base[index]
      if lead < 0x80 {
        index += 1
        if isWhiteSpace(UInt32(lead)) {
          pendingSpace = wroteAny
          continue
        }
        // A pending space fits: the white space before took at least one byte.
        if pendingSpace {
          output.write(0x20)
          pendingSpace = false
        }
        output.write(asciiForms[Int(lead)])
        wroteAny = true
        continue
      }
      let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
      guard index + length <= count else { break }
      var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
      for offset in 1..<length { value = value << 6 | UInt32(base[index + offset] & 0x3F) }
      let replacement = DisplayForm.replacement(for: value)
      if replacement == 0x20 || isWhiteSpace(value) {
        pendingSpace = wroteAny
        index += length
        continue
      }
      guard replacement != nil || value < 0x300 || (value >= 0x2002 && value < 0x20D0) else {
        return false
      }
      if pendingSpace {
        output.write(0x20)
        pendingSpace = false
      }
      if let replacement {
        output.write(replacement)
      } else {
        for offset in 0..<length { output.write(base[index + offset]) }
      }
      wroteAny = true
      index += length
    }
    return true
  }

  @inline(__always)
  private static func mix(_ byte: UInt8, into hash: inout UInt64) {
    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
  }
}
