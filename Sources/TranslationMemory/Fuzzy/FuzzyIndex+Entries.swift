import TextSegmentation

extension FuzzyIndex {
  /// The entries of an index, by position.
  ///
  /// A built index keeps the entries it was given; a loaded one keeps their texts in one UTF-8
  /// buffer and makes a ``FuzzyEntry`` only when asked for one, so that loading a large index
  /// allocates no string per unit.
  public struct Entries: RandomAccessCollection, Sendable {
    enum Storage: Sendable {
      case array([FuzzyEntry])
      case packed(PackedEntries)
      case fetched(FetchedEntries)
    }
    let storage: Storage

    init(_ entries: [FuzzyEntry]) { storage = .array(entries) }
    init(_ packed: PackedEntries) { storage = .packed(packed) }
    init(_ fetched: FetchedEntries) { storage = .fetched(fetched) }

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of entries.
    public var endIndex: Int {
      switch storage {
      case .array(let entries): return entries.count
      case .packed(let packed): return packed.ids.count
      case .fetched(let fetched): return fetched.ids.count
      }
    }

    /// The entry at `position` (0 ..< count). The entries of an index mapped from a file are read
    /// from the memory by id; one the memory no longer holds comes with empty texts.
    public subscript(position: Int) -> FuzzyEntry {
      switch storage {
      case .array(let entries): return entries[position]
      case .packed(let packed): return packed.entry(at: position)
      case .fetched(let fetched):
        let id = fetched.ids[position]
        return fetched.fetch(id)
          ?? FuzzyEntry(
            id: id, source: "", target: "", sourceLanguage: fetched.sourceLanguage,
            targetLanguage: fetched.targetLanguage)
      }
    }

    /// The entry at `position`, or `nil` when it is read from a memory that no longer holds it.
    func entry(at position: Int) -> FuzzyEntry? {
      switch storage {
      case .fetched(let fetched): return fetched.fetch(fetched.ids[position])
      default: return self[position]
      }
    }

    /// Checks the block of a mapped file that holds the id at `position`.
    func check(_ position: Int, _ scratch: Scratch) {
      if case .fetched(let fetched) = storage, let mapping = fetched.mapping {
        mapping.check(fetched.ids.buffer, position..<(position + 1), scratch)
      }
    }

    /// The id of the entry at `position`, without making the entry.
    func id(at position: Int) -> Int64 {
      switch storage {
      case .array(let entries): return entries[position].id
      case .packed(let packed): return packed.ids[position]
      case .fetched(let fetched): return fetched.ids[position]
      }
    }
  }
}

/// Entries whose texts sit in one UTF-8 buffer: four fields per entry (source, target,
/// document, paragraph), field `f` of entry `e` at `textBytes[fieldStart[4e+f]..<fieldStart[4e+f+1]]`.
struct PackedEntries: Sendable {
  static let fieldsPerEntry = 4
  /// Bit 0: the entry has a document; bit 1: it has a paragraph.
  static let hasDocument: UInt8 = 1
  static let hasParagraph: UInt8 = 2

  var ids: [Int64]
  var presence: [UInt8]
  var fieldStart: [UInt64]
  var textBytes: [UInt8]
  var sourceLanguage: Language
  var targetLanguage: Language

  func field(_ entry: Int, _ field: Int) -> String {
    let slot = entry * Self.fieldsPerEntry + field
    let range = Int(fieldStart[slot])..<Int(fieldStart[slot + 1])
    return String(decoding: textBytes[range], as: UTF8.self)
  }

  func entry(at position: Int) -> FuzzyEntry {
    let flags = presence[position]
    return FuzzyEntry(
      id: ids[position], source: field(position, 0), target: field(position, 1),
      sourceLanguage: sourceLanguage, targetLanguage: targetLanguage,
      document: flags & Self.hasDocument != 0 ? field(position, 2) : nil,
      paragraph: flags & Self.hasParagraph != 0 ? field(position, 3) : nil)
  }

  /// Packs entries (all in `source` → `target`).
  init(_ entries: FuzzyIndex.Entries, from source: Language, to target: Language) {
    if case .packed(let packed) = entries.storage {
      self = packed
      return
    }
    sourceLanguage = source
    targetLanguage = target
    ids = []
    presence = []
    fieldStart = [0]
    textBytes = []
    ids.reserveCapacity(entries.count)
    presence.reserveCapacity(entries.count)
    fieldStart.reserveCapacity(entries.count * Self.fieldsPerEntry + 1)
    for entry in entries {
      ids.append(entry.id)
      presence.append(
        (entry.document == nil ? 0 : Self.hasDocument) | (entry.paragraph == nil ? 0 : Self.hasParagraph))
      for text in [entry.source, entry.target, entry.document ?? "", entry.paragraph ?? ""] {
        textBytes.append(contentsOf: text.utf8)
        fieldStart.append(UInt64(textBytes.count))
      }
    }
  }

  init(
    ids: [Int64], presence: [UInt8], fieldStart: [UInt64], textBytes: [UInt8],
    sourceLanguage: Language, targetLanguage: Language
  ) {
    self.ids = ids
    self.presence = presence
    self.fieldStart = fieldStart
    self.textBytes = textBytes
    self.sourceLanguage = sourceLanguage
    self.targetLanguage = targetLanguage
  }
}

/// Entries known by id only, their texts read from the store when a match needs them: those of
/// an index mapped from a file.
struct FetchedEntries: Sendable {
  var ids: IndexTable<Int64>
  var sourceLanguage: Language
  var targetLanguage: Language
  /// The entry of an id, oriented `sourceLanguage` → `targetLanguage`; `nil` when it is gone.
  var fetch: @Sendable (Int64) -> FuzzyEntry?
  /// The file `ids` is mapped from, if any.
  var mapping: MappedIndexFile?
}
