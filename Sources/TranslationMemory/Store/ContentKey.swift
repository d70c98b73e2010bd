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

  // MARK: The exact key (schema 6 on)

  /// Property types that say where a unit is used (po2tmx's `x-context`, OmegaT's `file` and
  /// `id` of an alternative translation): units that differ in them are never the same unit.
  static let contextTypes: Set<String> = ["x-context", "file", "id"]

  /// What of a variant the duplicate rule compares: its language, its exact text (white space
  /// included) and its inline codes by kind, pairing and position, never their native content.
  struct VariantIdentity: Hashable, Comparable {
    var language: String
    var text: String
    var codes: [UInt8]

    init(language: String, text: String, codes: [InlineCode]) {
      self.language = language
      self.text = text
      self.codes = Self.signature(of: codes)
    }

    init(_ variant: Variant) {
      self.init(language: variant.language.rawValue, text: variant.text, codes: variant.codes)
    }

    /// Kind, position, pair id and `<it>` position of each code, as bytes.
    static func signature(of codes: [InlineCode]) -> [UInt8] {
      var bytes: [UInt8] = []
      for code in codes {
        bytes.append(UInt8(InlineCode.Kind.allCases.firstIndex(of: code.kind) ?? 0))
        bytes.append(contentsOf: String(code.position).utf8)
        bytes.append(0x2C)
        bytes.append(contentsOf: (code.pairID.map(String.init) ?? "-").utf8)
        bytes.append(0x2C)
        bytes.append(contentsOf: (code.isolatedPosition?.rawValue ?? "-").utf8)
        bytes.append(0x3B)
      }
      return bytes
    }

    static func < (a: Self, b: Self) -> Bool {
      if a.language != b.language { return a.language < b.language }
      if a.text != b.text { return a.text < b.text }
      return a.codes.lexicographicallyPrecedes(b.codes)
    }
  }

  /// What makes two units the same unit: every variant identical (``VariantIdentity``), in any
  /// order, and the same context properties.
  struct UnitIdentity: Hashable {
    var variants: [VariantIdentity]
    var context: [Property]

    init(variants: [VariantIdentity], context: [Property]) {
      self.variants = variants.sorted()
      self.context = context.sorted { ($0.type, $0.value) < ($1.type, $1.value) }
    }

    init(_ unit: TranslationUnit) {
      self.init(
        variants: unit.variants.map(VariantIdentity.init),
        context: unit.properties.filter { contextTypes.contains($0.type) })
    }

    /// The 64-bit FNV-1a hash of the identity: the `content_key` column.
    var key: Int64 {
      var hash: UInt64 = 0xCBF2_9CE4_8422_2325
      for variant in variants {
        Array(variant.language.utf8).withUnsafeBufferPointer { language in
          Array(variant.text.utf8).withUnsafeBufferPointer { text in
            mixExact(language: language, text: text, codes: variant.codes, into: &hash)
          }
        }
      }
      for property in context {
        mix(0xFE, into: &hash)
        for byte in property.type.utf8 { mix(byte, into: &hash) }
        mix(0, into: &hash)
        for byte in property.value.utf8 { mix(byte, into: &hash) }
      }
      return Int64(bitPattern: hash)
    }
  }

  /// Mixes one variant of an identity into the hash.
  @inline(__always)
  static func mixExact(
    language: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>, codes: [UInt8],
    into hash: inout UInt64
  ) {
    for byte in language { mix(byte, into: &hash) }
    mix(0, into: &hash)
    for byte in text { mix(byte, into: &hash) }
    mix(0, into: &hash)
    for byte in codes { mix(byte, into: &hash) }
    mix(0xFF, into: &hash)
  }

  /// ``UnitIdentity/key`` of two variants without codes in two different ASCII languages and no
  /// context, straight from their UTF-8: the import's common case, with no `String` made.
  static func exactKey(
    _ first: (language: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>),
    _ second: (language: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>)
  ) -> Int64? {
    guard first.language.allSatisfy({ $0 < 0x80 }), second.language.allSatisfy({ $0 < 0x80 }),
      !first.language.elementsEqual(second.language)
    else { return nil }
    let swap = second.language.lexicographicallyPrecedes(first.language)
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    let (a, b) = swap ? (second, first) : (first, second)
    mixExact(language: a.language, text: a.text, codes: [], into: &hash)
    mixExact(language: b.language, text: b.text, codes: [], into: &hash)
    return Int64(bitPattern: hash)
  }

  /// The identity of a stored unit, read from its rows.
  static func storedIdentity(of id: Int64, _ connection: any StoreConnection) throws -> UnitIdentity {
    let variants = try connection.cached(
      "SELECT language, text, codes FROM variant WHERE unit_id = ?1 ORDER BY position")
    variants.reset()
    variants.bind(1, id)
    var identities: [VariantIdentity] = []
    while try variants.step() {
      let codes = variants.isNull(2) ? [] : InlineCodeCoding.decode(variants.blob(2))
      identities.append(VariantIdentity(language: variants.string(0), text: variants.string(1), codes: codes))
    }
    let properties = try connection.cached(
      "SELECT type, value FROM property WHERE unit_id = ?1 AND type IN ('x-context', 'file', 'id')")
    properties.reset()
    properties.bind(1, id)
    var context: [Property] = []
    while try properties.step() {
      context.append(Property(type: properties.string(0), value: properties.string(1)))
    }
    return UnitIdentity(variants: identities, context: context)
  }

  /// Migration 6: every stored unit's key computed again by the exact rule, in one pass over
  /// the units (a merge join: ``UnitCursor``).
  static func recomputeExactKeys(_ connection: SQLiteConnection) throws {
    var cursor = try UnitCursor(connection, filter: .all)
    // Changes are collected first: updating rows the read is still walking is not safe.
    var changed: [(id: Int64, key: Int64)] = []
    while try cursor.next() {
      let stored = cursor.unit.int64(.contentKey)
      let variants = try cursor.variantsWithMetadata().map(VariantIdentity.init)
      let context = try cursor.otherProperties().map(\.property).filter { contextTypes.contains($0.type) }
      let key = UnitIdentity(variants: variants, context: context).key
      if key != stored { changed.append((cursor.id, key)) }
    }
    let update = try connection.prepare("UPDATE unit SET content_key = ?1 WHERE id = ?2")
    for (id, key) in changed {
      update.reset()
      update.bind(1, key)
      update.bind(2, id)
      try update.step()
    }
  }
}
