import Foundation
import TextSegmentation

/// Where the TMX reader packs units for the import: straight into a ``_UnitBatch``'s arena, with
/// no ``TranslationUnit``, ``Variant`` or `String` per text in between.
///
/// The reader (``TMXReader/readPacked(skipBad:onSkip:onWarning:progressInterval:progress:into:)``)
/// copies each segment's and each column property's UTF-8 from its own buffer into the batch
/// once, and hands the batch on every ``batchSize`` units. What is rare stays as it was: other
/// properties, notes and the variants' own metadata are kept as values (``_UnitBatch/Extra``).
/// The batch it packs is the batch ``_UnitBatch/append(_:)`` makes of the same unit
/// (TMXPackingTests compares the two on every test file).
final class _TMXPacking {
  /// The batch being filled; skipped problems, warnings and progress go into it too.
  var batch: _UnitBatch
  let batchSize: Int
  private let deliver: (_UnitBatch) throws -> Void

  init(batchSize: Int, deliver: @escaping (_UnitBatch) throws -> Void) {
    self.batchSize = batchSize
    self.deliver = deliver
    batch = _UnitBatch(capacity: batchSize)
  }

  /// The batch so far, a new one started.
  func take() -> _UnitBatch {
    defer { batch = _UnitBatch(capacity: batchSize) }
    return batch
  }

  /// Hands the batch on once it is full.
  func unitPacked() throws {
    if batch.units.count >= batchSize { try deliver(take()) }
  }
}

/// The unit being packed: its texts' places in the arena until it ends.
struct _PackedUnitState {
  /// The arena's size when the unit started: a unit skipped is cut off there.
  var bytesStart = 0
  /// The six property columns' values (``UnitColumn/properties``), NULL until met.
  var columns: [_UnitBatch.Text] = Array(repeating: .null, count: 6)
  /// The column ranks in the order met, for `property_order`.
  var ranks: [Int] = []
  var sorted = true
  /// Properties met so far (columns and others), for the others' positions.
  var propertyCount = 0
  var others: [(position: Int, property: Property)] = []
  /// Per variant: language, text and codes in the arena.
  var variants: [(language: _UnitBatch.Text, text: _UnitBatch.Text, codes: _UnitBatch.Text)] = []
  var languages: [Language] = []
  /// Per variant, when one has metadata: the variant with it (nil for the others).
  var metadata: [Variant?] = []
  var hasMetadata = false
  var allBlank = true

  mutating func reset(bytesStart: Int) {
    self.bytesStart = bytesStart
    for index in columns.indices { columns[index] = .null }
    ranks.removeAll(keepingCapacity: true)
    sorted = true
    propertyCount = 0
    if !others.isEmpty { others = [] }
    variants.removeAll(keepingCapacity: true)
    languages.removeAll(keepingCapacity: true)
    if !metadata.isEmpty { metadata = [] }
    hasMetadata = false
    allBlank = true
  }
}

extension _UnitBatch {
  /// Appends bytes to the arena; their text.
  mutating func pack(_ source: UnsafeBufferPointer<UInt8>) -> Text {
    let offset = bytes.count
    bytes.append(contentsOf: source)
    return Text(offset: offset, count: source.count)
  }

  mutating func pack(_ text: String?) -> Text {
    guard var text else { return .null }
    let offset = bytes.count
    text.withUTF8 { bytes.append(contentsOf: $0) }
    return Text(offset: offset, count: bytes.count - offset)
  }

  /// Whether UTF-8 text is blank as ``Variant/isBlank`` says (no code assumed): white space
  /// only. A first byte that is ASCII and not white space answers at once.
  static func isBlank(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = text.first else { return true }
    if first < 0x80 && first != 0x20 && !(0x09...0x0D).contains(first) { return false }
    return String(decoding: text, as: UTF8.self).allSatisfy(\.isWhitespace)
  }

  /// The unit-level texts of a packed unit, in ``textColumns`` order.
  struct PackedHead {
    var tuid: String?
    var sourceLanguage: String
    var creationID: String?
    var changeID: String?
    var segmentType: String?
    var dataType: String?
    var creationTool: String?
    var creationToolVersion: String?
    var creationDate: Int64
    var changeDate: Int64?
    var usageCount: Int64
    var lastUsageDate: Int64?
  }

  /// Appends a unit whose variants and column properties are packed already (`state`), as
  /// ``append(_:)`` would append the same unit.
  mutating func appendPacked(_ head: PackedHead, notes: [String], state: _PackedUnitState) {
    let first = texts.count
    for column in Self.textColumns {
      switch column {
      case .tuid: texts.append(pack(head.tuid))
      case .sourceLanguage: texts.append(pack(head.sourceLanguage))
      case .creationID: texts.append(pack(head.creationID))
      case .changeID: texts.append(pack(head.changeID))
      case .segmentType: texts.append(pack(head.segmentType))
      case .dataType: texts.append(pack(head.dataType))
      case .creationTool: texts.append(pack(head.creationTool))
      case .creationToolVersion: texts.append(pack(head.creationToolVersion))
      default: texts.append(state.columns[Int(column.rawValue - UnitColumn.document.rawValue)])
      }
    }
    for variant in state.variants {
      texts.append(variant.language)
      texts.append(variant.text)
      texts.append(variant.codes)
    }
    var extra = -1
    if !state.others.isEmpty || !notes.isEmpty || state.hasMetadata {
      extra = extras.count
      extras.append(
        Extra(
          others: state.others, notes: notes, variants: state.hasMetadata ? state.metadata : [],
          context: state.others.map(\.property).filter { ContentKey.contextTypes.contains($0.type) }))
    }
    units.append(
      Unit(
        creationDate: head.creationDate, changeDate: head.changeDate, usageCount: head.usageCount,
        lastUsageDate: head.lastUsageDate,
        propertyOrder: state.sorted ? nil : PropertyColumns.encode(state.ranks), firstText: first,
        variantCount: state.variants.count, extra: extra))
  }
}

extension _UnitBatch {
  /// Computes every unit's duplicate key into ``keys``: on the packing thread, when the writing
  /// thread is the slower one.
  mutating func computeKeys() {
    let keys = withArena { arena in units.map { key(of: $0, in: arena.base) } }
    self.keys = keys
  }
}

extension TMXReader {
  /// Reads the file and packs its units as the import's parsing thread does, in batches of the
  /// import's size, and stores nothing: the parsing half of an import alone (`aligntm-bench
  /// tmx`'s ceiling lines).
  ///
  /// - Returns: The good units read.
  /// - Throws: The first problem, as ``read(skipBad:onSkip:onWarning:progressInterval:progress:_:)``.
  public func _packWithoutStoring() throws -> Int {
    var units = 0
    let packing = _TMXPacking(batchSize: TranslationMemory.importBatchSize) { units += $0.units.count }
    try readPacked(
      skipBad: false, onSkip: { _ in }, onWarning: { _ in }, progressInterval: 10_000, progress: nil,
      into: packing)
    return units + packing.take().units.count
  }
}
