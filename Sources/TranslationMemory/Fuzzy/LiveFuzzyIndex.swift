import Foundation
import TextSegmentation

/// A fuzzy index kept current while the memory changes, for a long-running process (the server):
/// a base index (mapped from its file, or built) and an overlay of the units added, changed or
/// removed since, folded in without building the base again.
///
/// Queries read a snapshot (``index``) and never wait for an update; an update makes a new
/// snapshot in O(size of the overlay) and swaps it in.
///
/// ```swift
/// let live = try memory.liveFuzzyIndex(from: .english, to: .french)
/// // … after each write, or on a timer:
/// try live.refresh(from: memory)   // cheap when nothing changed: one read of the generation
/// let best = try live.index.matches(for: sentence, minimumScore: 70, limit: 5)
/// ```
public final class LiveFuzzyIndex: @unchecked Sendable {  // Every access to the state holds `lock`.
  /// The language of the queries and of the stored sources.
  public let sourceLanguage: Language
  /// The language of the suggestions.
  public let targetLanguage: Language
  private let lock = NSLock()
  private var base: FuzzyIndex
  /// Base position of each id, when the base's ids are not in ascending order; found on the
  /// first change, so that an index that never changes never reads its ids.
  private var basePositions: [Int64: Int]??
  private var added: [Int64: FuzzyEntry] = [:]
  private var hiddenIDs: Set<Int64> = []
  private var snapshot: FuzzyIndex
  private var appliedGeneration: Int64?

  /// An index over `base` and nothing else yet.
  ///
  /// - Parameters:
  ///   - base: The index to start from (its own overlay, if any, is kept under the new one).
  ///   - generation: The memory's generation `base` is current with, if it comes from a memory:
  ///     ``refresh(from:)`` reads the changes since.
  public init(_ base: FuzzyIndex, generation: Int64? = nil) {
    sourceLanguage = base.sourceLanguage
    targetLanguage = base.targetLanguage
    self.base = base
    snapshot = base
    appliedGeneration = generation
  }

  /// The current snapshot: query it as a ``FuzzyIndex``.
  public var index: FuzzyIndex { lock.withLock { snapshot } }

  /// The memory generation the index is current with, if it was made from a memory.
  public var generation: Int64? { lock.withLock { appliedGeneration } }

  /// How many units the overlay holds (added or changed since the base), and how many base
  /// units it hides.
  public var overlayCounts: (added: Int, hidden: Int) { lock.withLock { (added.count, hiddenIDs.count) } }

  /// The best matches of `query` in the current snapshot (``FuzzyIndex/matches(for:minimumScore:limit:)``).
  public func matches(for query: String, minimumScore: Double = 70, limit: Int = 5) throws -> [FuzzyMatch] {
    try index.matches(for: query, minimumScore: minimumScore, limit: limit)
  }

  /// Adds entries, or replaces those with the same id. Entries in other languages are ignored,
  /// like those of a built index.
  ///
  /// - Complexity: O(size of the overlay).
  public func add(_ entries: some Sequence<FuzzyEntry>) throws {
    try lock.withLock {
      for entry in entries {
        hide(entry.id)
        added[entry.id] = entry
      }
      try rebuildSnapshot()
    }
  }

  /// Removes the entries with these ids (ids the index does not hold are ignored).
  ///
  /// - Complexity: O(size of the overlay).
  public func remove(ids: some Sequence<Int64>) throws {
    try lock.withLock {
      for id in ids {
        hide(id)
        added[id] = nil
      }
      try rebuildSnapshot()
    }
  }

  /// Brings the index up to date with `memory`: the units written since ``generation``, by
  /// this process or any other, are added, replaced or removed. Nothing is read but the
  /// generation when the memory has not changed. When the memory cannot say what changed (a
  /// memory without a change log, or one the index was not made from), or the changes are many,
  /// the base is built again from the memory.
  ///
  /// - Returns: Whether the index changed.
  /// - Throws: ``TranslationMemoryError`` when the memory cannot be read.
  @discardableResult
  public func refresh(from memory: TranslationMemory) throws -> Bool {
    let since = generation
    if let since, try memory.generation() == since { return false }
    let (source, target) = (sourceLanguage, targetLanguage)
    let baseCount = lock.withLock { base.entries.count }
    let update: (generation: Int64, changes: [Int64], entries: [FuzzyEntry])? = try memory.read {
      let current = try memory.generation()
      guard let since, let changes = try memory.changedUnitIDs(since: since),
        Self.isSmallChange(changes.count, baseCount: baseCount)
      else { return nil }
      return (current, changes, try memory.fuzzyEntries(ids: changes, from: source, to: target))
    }
    guard let update else {
      let (rebuilt, current) = try memory.builtFuzzyIndex(from: source, to: target)
      lock.withLock {
        base = rebuilt
        basePositions = nil
        added = [:]
        hiddenIDs = []
        snapshot = rebuilt
        appliedGeneration = current
      }
      return true
    }
    try lock.withLock {
      guard appliedGeneration == since else { return }  // another refresh got there first
      for id in update.changes {
        hide(id)
        added[id] = nil
      }
      for entry in update.entries { added[entry.id] = entry }
      try rebuildSnapshot()
      appliedGeneration = update.generation
    }
    return true
  }

  /// Whether `changes` units are few enough, next to a base of `baseCount`, to be laid over it
  /// rather than build the base again: at most an eighth of it, and 20,000.
  static func isSmallChange(_ changes: Int, baseCount: Int) -> Bool {
    changes <= 20_000 && changes * 8 <= baseCount
  }

  private func hide(_ id: Int64) {
    if basePosition(of: id) != nil { hiddenIDs.insert(id) }
  }

  private func basePosition(of id: Int64) -> Int? {
    if basePositions == nil { basePositions = .some(Self.positions(of: base)) }
    if let positions = basePositions ?? nil { return positions[id] }
    let entries = base.entries
    var low = 0
    var high = entries.count
    while low < high {
      let middle = (low + high) / 2
      if entries.id(at: middle) < id { low = middle + 1 } else { high = middle }
    }
    return low < entries.count && entries.id(at: low) == id ? low : nil
  }

  /// `nil` when the ids ascend (a binary search finds them), else a dictionary.
  private static func positions(of index: FuzzyIndex) -> [Int64: Int]? {
    let entries = index.entries
    var ascending = true
    for position in entries.indices.dropFirst() where entries.id(at: position - 1) >= entries.id(at: position)
    {
      ascending = false
      break
    }
    if ascending { return nil }
    var positions: [Int64: Int] = [:]
    for position in entries.indices { positions[entries.id(at: position)] = position }
    return positions
  }

  private func rebuildSnapshot() throws {
    var hidden = PositionSet(count: base.entries.count)
    for id in hiddenIDs {
      if let position = basePosition(of: id) { hidden.insert(position) }
    }
    let delta = try FuzzyIndex(
      entries: added.values.sorted { $0.id < $1.id }, from: sourceLanguage, to: targetLanguage)
    snapshot =
      hidden.count == 0 && delta.count == 0
      ? base : FuzzyIndex(base, overlay: Overlay(delta: delta, hidden: hidden), recovery: base.recovery)
  }
}

/// What lies over an index's tables: entries added or changed since, and the positions of the
/// tables' entries that are gone or changed.
struct Overlay: Sendable {
  let delta: FuzzyIndex
  let hidden: PositionSet
  var hiddenCount: Int { hidden.count }
}

/// A set of positions 0 ..< capacity, as bits.
struct PositionSet: Sendable {
  private var words: [UInt64]
  private(set) var count = 0

  init(count capacity: Int) { words = [UInt64](repeating: 0, count: (capacity + 63) / 64) }

  func contains(_ position: Int) -> Bool { words[position >> 6] & (1 << UInt64(position & 63)) != 0 }

  mutating func insert(_ position: Int) {
    if !contains(position) {
      words[position >> 6] |= 1 << UInt64(position & 63)
      count += 1
    }
  }
}

/// Builds an index again, once, when its mapped file turns out damaged.
final class Recovery: @unchecked Sendable {  // Every access to `rebuilt` holds `lock`.
  private let lock = NSLock()
  private var rebuilt: FuzzyIndex?
  private let build: @Sendable (FuzzyIndexFileError) throws -> FuzzyIndex

  init(_ build: @escaping @Sendable (FuzzyIndexFileError) throws -> FuzzyIndex) { self.build = build }

  var replacement: FuzzyIndex? { lock.withLock { rebuilt } }

  func rebuild(after error: FuzzyIndexFileError) throws -> FuzzyIndex {
    try lock.withLock {
      if let rebuilt { return rebuilt }
      let index = try build(error)
      rebuilt = index
      return index
    }
  }
}
