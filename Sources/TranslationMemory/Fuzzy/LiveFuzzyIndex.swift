import Foundation
import TextSegmentation

/// A fuzzy index kept current while the memory changes, for a long-running process (the server):
/// a base index (mapped from its file, or built) and an overlay of the units added, changed or
/// removed since, folded in without building the base again.
///
/// Queries read a snapshot (``index``) and never wait for an update; an update makes a new
/// snapshot and swaps it in. The overlay has two layers: the recent writes, built again at each
/// write (at most ``CompactionPolicy/recentLimit`` of them once compaction is on), and the older
/// ones, as tables made in the background. So a write costs what the recent layer holds, not the
/// memory's size.
///
/// With compaction on (``enableCompaction(_:)``), the overlay is folded into a new base in the
/// background once it passes a share of the base (``CompactionPolicy/share``): the base's entries
/// that are left and the overlay's, as a new index (for a memory file's index, a new mapped file
/// written beside the old one and renamed over it). Queries go on reading the old snapshot
/// meanwhile, and the writes that arrive during the compaction are laid over the new base when
/// it is swapped in.
///
/// ```swift
/// let live = try memory.liveFuzzyIndex(from: .english, to: .french)
/// live.enableCompaction()
/// // … after each write, or on a timer:
/// try live.refresh(from: memory)   // cheap when nothing changed: one read of the generation
/// let best = try live.index.matches(for: sentence, minimumScore: 70, limit: 5)
/// ```
public final class LiveFuzzyIndex: @unchecked Sendable {  // Every access to the state holds `lock`.
  /// When the overlay is folded, in the background, into tables of its own or into a new base.
  public struct CompactionPolicy: Sendable, Hashable {
    /// The overlay's size (units laid over the base and base units hidden), as a share of the
    /// base, past which it is folded into a new base.
    public var share: Double
    /// The overlay size below which it is never folded into a new base, whatever the share
    /// (a small base would otherwise be made again at each write).
    public var minimumOverlay: Int
    /// How many recent writes the layer built again at each write holds before they are made
    /// into tables in the background.
    public var recentLimit: Int

    public init(share: Double = 1.0 / 16, minimumOverlay: Int = 2_000, recentLimit: Int = 256) {
      self.share = share
      self.minimumOverlay = minimumOverlay
      self.recentLimit = recentLimit
    }
  }

  /// The language of the queries and of the stored sources.
  public let sourceLanguage: Language
  /// The language of the suggestions.
  public let targetLanguage: Language
  private let lock = NSLock()
  private var base: FuzzyIndex
  /// Bumped each time the base is replaced: a compaction begun over an older base is dropped.
  private var baseEpoch = 0
  /// Base position of each id, when the base's ids are not in ascending order; found on the
  /// first change, so that an index that never changes never reads its ids.
  private var basePositions: [Int64: Int]??
  /// Every entry laid over the base, as last written (added, or changed since the base).
  private var added: [Int64: FuzzyEntry] = [:]
  /// The base's ids that the overlay hides (changed or removed), and their positions.
  private var hiddenIDs: Set<Int64> = []
  private var baseHidden: PositionSet
  /// The overlay's older layer: tables of entries of `added` as they were when it was made.
  private var middle: FuzzyIndex?
  private var middlePositions: [Int64: Int] = [:]
  /// The positions of `middle` written again (or removed) since.
  private var middleHidden = PositionSet(count: 0)
  /// The ids written since `middle` was made; their entries (those in `added`) are the recent
  /// layer, built again at each write.
  private var recentIDs: Set<Int64> = []
  private var snapshot: FuzzyIndex
  private var appliedGeneration: Int64?
  private var policy: CompactionPolicy?
  /// While a compaction runs: the ids written since it began, laid over its result.
  private var touchedDuringCompaction: Set<Int64>?
  private var retryCompactionAfter: ContinuousClock.Instant?
  private var compactions = 0
  private var compactionFailure: String?
  private let saving: MappedSaving?
  /// Where an index that keeps its texts (the server's on PostgreSQL) is saved with them.
  let textsSaving: TextsSaving?
  /// Called by a compaction between making its result and swapping it in (tests write then).
  var _compactionWillSwap: (@Sendable () -> Void)?

  /// An index over `base` and nothing else yet.
  ///
  /// - Parameters:
  ///   - base: The index to start from (its own overlay, if any, is kept under the new one).
  ///   - generation: The memory's generation `base` is current with, if it comes from a memory:
  ///     ``refresh(from:)`` reads the changes since.
  public convenience init(_ base: FuzzyIndex, generation: Int64? = nil) {
    self.init(base, generation: generation, saving: nil)
  }

  /// An index over `base`, whose compactions write a mapped file as `saving` says.
  init(_ base: FuzzyIndex, generation: Int64?, saving: MappedSaving?, textsSaving: TextsSaving? = nil) {
    sourceLanguage = base.sourceLanguage
    targetLanguage = base.targetLanguage
    self.base = base
    baseHidden = PositionSet(count: base.entries.count)
    snapshot = base
    appliedGeneration = generation
    self.saving = saving
    self.textsSaving = textsSaving
  }

  /// The current snapshot: query it as a ``FuzzyIndex``.
  public var index: FuzzyIndex { lock.withLock { snapshot } }

  /// The memory generation the index is current with, if it was made from a memory.
  public var generation: Int64? { lock.withLock { appliedGeneration } }

  /// How many units the overlay holds (added or changed since the base), and how many base
  /// units it hides.
  public var overlayCounts: (added: Int, hidden: Int) { lock.withLock { (added.count, hiddenIDs.count) } }

  /// How many units the recent layer holds: the writes since the overlay's tables were made,
  /// which each write builds again.
  public var recentCount: Int { lock.withLock { recentIDs.count } }

  /// How many compactions into a new base have been swapped in, whether one is running, and
  /// why the last one failed, if it did (it is tried again half a minute later).
  public var compactionState: (completed: Int, running: Bool, lastFailure: String?) {
    lock.withLock { (compactions, touchedDuringCompaction != nil, compactionFailure) }
  }

  /// Turns on the background folding of the overlay (see ``CompactionPolicy``); it starts, when
  /// due, after a write.
  public func enableCompaction(_ policy: CompactionPolicy = CompactionPolicy()) {
    lock.withLock { self.policy = policy }
    try? lock.withLock { try scheduleCompactionIfDue() }
  }

  /// The best matches of `query` in the current snapshot (``FuzzyIndex/matches(for:minimumScore:limit:)``).
  public func matches(for query: String, minimumScore: Double = 70, limit: Int = 5) throws -> [FuzzyMatch] {
    try index.matches(for: query, minimumScore: minimumScore, limit: limit)
  }

  /// Adds entries, or replaces those with the same id. Entries in other languages are ignored,
  /// like those of a built index.
  ///
  /// - Complexity: O(size of the recent layer + entries given).
  public func add(_ entries: some Sequence<FuzzyEntry>) throws {
    try lock.withLock {
      for entry in entries {
        touch(entry.id)
        added[entry.id] = entry
      }
      try rebuildSnapshot()
      try scheduleCompactionIfDue()
    }
  }

  /// Removes the entries with these ids (ids the index does not hold are ignored).
  ///
  /// - Complexity: O(size of the recent layer + ids given).
  public func remove(ids: some Sequence<Int64>) throws {
    try lock.withLock {
      for id in ids { touch(id) }
      try rebuildSnapshot()
      try scheduleCompactionIfDue()
    }
  }

  /// Brings the index up to date with `memory`: the units written since ``generation``, by
  /// this process or any other, are added, replaced or removed. Nothing is read but the
  /// generation when the memory has not changed. When the memory cannot say what changed (a
  /// memory without a change log, one the index was not made from, or a log pruned past the
  /// index's generation: ``TranslationMemory/pruneChangeLog(through:)``), or the changes are
  /// many, the base is built again from the memory.
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
      textsSaving?.saveInBackground(rebuilt, generation: current)
      try lock.withLock {
        replaceBase(with: rebuilt, keeping: [])
        appliedGeneration = current
        try rebuildSnapshot()
      }
      return true
    }
    try lock.withLock {
      guard appliedGeneration == since else { return }  // another refresh got there first
      for id in update.changes { touch(id) }
      for entry in update.entries { added[entry.id] = entry }
      try rebuildSnapshot()
      appliedGeneration = update.generation
      try scheduleCompactionIfDue()
    }
    return true
  }

  /// Whether `changes` units are few enough, next to a base of `baseCount`, to be laid over it
  /// rather than build the base again: at most an eighth of it, and 20,000.
  static func isSmallChange(_ changes: Int, baseCount: Int) -> Bool {
    changes <= 20_000 && changes * 8 <= baseCount
  }

  /// Folds the overlay into a new base now, on this thread (a compaction already running is
  /// waited for first). Queries go on reading the current snapshot meanwhile.
  ///
  /// - Throws: ``FuzzyError`` or ``TranslationMemoryError`` when the entries cannot be read or
  ///   indexed; the index is then left as it was.
  public func compact() throws {
    while true {
      let job: CompactionJob? = lock.withLock {
        guard touchedDuringCompaction == nil else { return nil }
        return startCompaction(.base)
      }
      if let job { return try run(job) }
      Thread.sleep(forTimeInterval: 0.01)
    }
  }

  // MARK: Writes

  /// Marks `id` as written: hidden wherever an older version of it lies, and in the recent layer.
  private func touch(_ id: Int64) {
    if let position = basePosition(of: id), hiddenIDs.insert(id).inserted { baseHidden.insert(position) }
    if let position = middlePositions[id] { middleHidden.insert(position) }
    recentIDs.insert(id)
    touchedDuringCompaction?.insert(id)
    added[id] = nil
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

  /// The snapshot: the base, less what is hidden, under the older layer, less what is hidden,
  /// under the recent layer (built here: O(its size)).
  private func rebuildSnapshot() throws {
    let recentEntries = recentIDs.compactMap { added[$0] }.sorted { $0.id < $1.id }
    let recent = try FuzzyIndex(entries: recentEntries, from: sourceLanguage, to: targetLanguage)
    let top: FuzzyIndex
    if let middle {
      top =
        middleHidden.count == 0 && recent.count == 0
        ? middle : FuzzyIndex(middle, overlay: Overlay(delta: recent, hidden: middleHidden), recovery: nil)
    } else {
      top = recent
    }
    snapshot =
      baseHidden.count == 0 && top.count == 0
      ? base : FuzzyIndex(base, overlay: Overlay(delta: top, hidden: baseHidden), recovery: base.recovery)
  }

  /// A new base; the overlay keeps the entries of `kept` only (the ids written since a
  /// compaction began).
  private func replaceBase(with newBase: FuzzyIndex, keeping kept: Set<Int64>) {
    base = newBase
    baseEpoch += 1
    basePositions = nil
    hiddenIDs = []
    baseHidden = PositionSet(count: newBase.entries.count)
    middle = nil
    middlePositions = [:]
    middleHidden = PositionSet(count: 0)
    let previous = added
    added = [:]
    recentIDs = []
    for id in kept {
      touch(id)
      added[id] = previous[id]
    }
  }

  // MARK: Compaction

  enum CompactionKind { case base, recentLayer }

  /// What a compaction works on: the state when it began.
  struct CompactionJob {
    let kind: CompactionKind
    let epoch: Int
    let base: FuzzyIndex
    let hidden: PositionSet
    let added: [FuzzyEntry]
    let generation: Int64?
  }

  /// Starts a compaction in the background when the policy says one is due and none runs.
  private func scheduleCompactionIfDue() throws {
    guard let policy, touchedDuringCompaction == nil else { return }
    if let retry = retryCompactionAfter, ContinuousClock.now < retry { return }
    let overlay = added.count + hiddenIDs.count
    let kind: CompactionKind
    if overlay > policy.minimumOverlay, Double(overlay) > policy.share * Double(base.entries.count) {
      kind = .base
    } else if recentIDs.count > policy.recentLimit {
      kind = .recentLayer
    } else {
      return
    }
    let job = startCompaction(kind)
    Thread.detachNewThread { [self] in
      try? run(job)
    }
  }

  /// The job of a compaction beginning now. Inside the lock.
  private func startCompaction(_ kind: CompactionKind) -> CompactionJob {
    touchedDuringCompaction = []
    return CompactionJob(
      kind: kind, epoch: baseEpoch, base: base, hidden: baseHidden,
      added: added.values.sorted { $0.id < $1.id }, generation: appliedGeneration)
  }

  /// Makes the job's result (outside the lock: queries and writes go on) and swaps it in.
  private func run(_ job: CompactionJob) throws {
    do {
      switch job.kind {
      case .recentLayer:
        let made = try FuzzyIndex(entries: job.added, from: sourceLanguage, to: targetLanguage)
        _compactionWillSwap?()
        try lock.withLock {
          guard job.epoch == baseEpoch, let touched = touchedDuringCompaction else {
            touchedDuringCompaction = nil  // the base was built again meanwhile
            return
          }
          middle = made
          middlePositions = [:]
          for position in made.entries.indices { middlePositions[made.entries.id(at: position)] = position }
          middleHidden = PositionSet(count: made.entries.count)
          recentIDs = []
          for id in touched {
            if let position = middlePositions[id] { middleHidden.insert(position) }
            recentIDs.insert(id)
          }
          try rebuildSnapshot()
          touchedDuringCompaction = nil
          try scheduleCompactionIfDue()
        }
      case .base:
        let made = try newBase(job)
        _compactionWillSwap?()
        try lock.withLock {
          guard job.epoch == baseEpoch, let touched = touchedDuringCompaction else {
            touchedDuringCompaction = nil  // the base was built again meanwhile
            return
          }
          replaceBase(with: made, keeping: touched)
          compactions += 1
          compactionFailure = nil
          retryCompactionAfter = nil
          try rebuildSnapshot()
          touchedDuringCompaction = nil
          try scheduleCompactionIfDue()
        }
      }
    } catch {
      lock.withLock {
        touchedDuringCompaction = nil
        compactionFailure = "\(error)"
        retryCompactionAfter = ContinuousClock.now.advanced(by: .seconds(30))
      }
      throw error
    }
  }

  /// The base the job makes: the old base's entries that are left and the overlay's, built,
  /// and for a memory file's index written to a new mapped file (renamed over the old one)
  /// and mapped. The entries of a mapped base are read again from the memory, in one
  /// snapshot, rather than one by one: the writes after the job began are laid over the result
  /// anyway, and those the memory holds that the index has not applied yet are applied again by
  /// the next ``refresh(from:)`` (an entry laid over itself).
  private func newBase(_ job: CompactionJob) throws -> FuzzyIndex {
    let entries: [FuzzyEntry]
    var generation = job.generation
    if case .fetched = job.base.entries.storage {
      guard let saving else { throw FuzzyIndexFileError.unreadable(path: "", reason: "no memory to read") }
      let read = try saving.readAll()
      entries = read.entries
      generation = read.generation
    } else {
      var merged: [FuzzyEntry] = []
      merged.reserveCapacity(job.base.entries.count - job.hidden.count + job.added.count)
      for position in job.base.entries.indices where !job.hidden.contains(position) {
        merged.append(job.base.entries[position])
      }
      merged += job.added
      merged.sort { $0.id < $1.id }
      entries = merged
    }
    let built = try FuzzyIndex(entries: entries, from: sourceLanguage, to: targetLanguage)
    if let textsSaving, let generation { try? textsSaving.save(built, generation: generation) }
    guard let saving, let generation else { return built }
    do {
      try built.writeMapped(to: saving.url, signature: saving.signature, generation: generation)
      let mapped = try FuzzyIndex.openMapped(
        at: saving.url, expectedSignature: saving.signature, fetch: saving.fetch)
      return FuzzyIndex(mapped.index, overlay: nil, recovery: saving.recovery())
    } catch {
      return built  // not saved: the index is used all the same, from memory
    }
  }
}

/// Where an index that keeps its texts in the process (the server's on a PostgreSQL memory) is
/// saved with them, in the format of ``FuzzyIndex/save(to:signature:)``: when it is built and
/// after each compaction, so that the next start loads it and catches up from the change log.
struct TextsSaving: Sendable {
  let url: URL
  /// `memory IDENTITY SOURCE-TARGET at ` (the generation follows).
  let signaturePrefix: String

  func signature(_ generation: Int64) -> String { signaturePrefix + String(generation) }

  /// The generation a signature records, when it is this index's.
  func generation(of signature: String) -> Int64? {
    signature.hasPrefix(signaturePrefix) ? Int64(signature.dropFirst(signaturePrefix.count)) : nil
  }

  func save(_ index: FuzzyIndex, generation: Int64) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try index.save(to: url, signature: signature(generation))
  }

  /// ``save(_:generation:)`` on a thread of its own (a failure leaves the file as it was: the
  /// next start builds the index).
  func saveInBackground(_ index: FuzzyIndex, generation: Int64) {
    Thread.detachNewThread { try? save(index, generation: generation) }
  }
}

/// Where a memory file's live index writes the mapped file a compaction makes, and how it reads
/// the memory.
struct MappedSaving: Sendable {
  let url: URL
  let signature: String
  /// The entry of an id, read from the memory (a mapped index's texts).
  let fetch: @Sendable (Int64) -> FuzzyEntry?
  /// What builds the index again when the mapped file turns out damaged.
  let recovery: @Sendable () -> Recovery
  /// Every entry of the pair, and the generation they were read at, in one snapshot.
  let readAll: @Sendable () throws -> (entries: [FuzzyEntry], generation: Int64)
}

/// What lies over an index's tables: entries added or changed since, and the positions of the
/// tables' entries that are gone or changed.
struct Overlay: Sendable {
  let delta: FuzzyIndex
  let hidden: PositionSet
  var hiddenCount: Int { hidden.count }
}

/// A set of positions 0 ..< capacity, as bits in chunks of 65,536 positions, allocated when first
/// written: a copy that then inserts copies one chunk, not the whole set, so that a live index's
/// write costs what it changes, not the size of its base.
struct PositionSet: Sendable {
  private static let chunkShift = 16
  private static let wordsPerChunk = (1 << chunkShift) / 64
  private var chunks: [[UInt64]]
  private(set) var count = 0

  init(count capacity: Int) {
    chunks = [[UInt64]](repeating: [], count: (capacity + (1 << Self.chunkShift) - 1) >> Self.chunkShift)
  }

  /// Read in place (no copy of the chunk's reference: queries ask once per candidate).
  func contains(_ position: Int) -> Bool {
    let chunk = position >> Self.chunkShift
    guard !chunks[chunk].isEmpty else { return false }
    return chunks[chunk][(position & ((1 << Self.chunkShift) - 1)) >> 6] & (1 << UInt64(position & 63)) != 0
  }

  mutating func insert(_ position: Int) {
    if contains(position) { return }
    let chunk = position >> Self.chunkShift
    if chunks[chunk].isEmpty { chunks[chunk] = [UInt64](repeating: 0, count: Self.wordsPerChunk) }
    chunks[chunk][(position & ((1 << Self.chunkShift) - 1)) >> 6] |= 1 << UInt64(position & 63)
    count += 1
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
