import Foundation
import TextSegmentation
import TranslationMemory

/// The fuzzy indexes the server holds, one ``LiveFuzzyIndex`` per language pair asked for, and
/// what the memory holds (its pairs, its generation). Requests read the current snapshot of an
/// index and never wait for an update once a pair is loaded.
///
/// Keeping current costs what changed, not the memory's size: a write-back is laid over the
/// indexes at once (``applyWritten(_:)``); another process's writes are found by the watcher
/// (``refreshIfChanged()``), which reads the generation number and, when it moved, the units the
/// change log names (``LiveFuzzyIndex/refresh(from:)``, which builds the base again only when
/// the changes are many) and the language pairs of those units.
final class IndexRegistry: Sendable {
  struct State: Sendable {
    var loaded: [LanguagePair: LiveFuzzyIndex] = [:]
    var building: [LanguagePair: Task<LiveFuzzyIndex, any Error>] = [:]
    /// The pairs as stored (unit's source language, other variant's language).
    var stored: Set<TranslationMemory.LanguagePairKey> = []
    /// The base languages of each stored pair, both ways.
    var pairs: Set<LanguagePair> = []
    var languages: [Language] = []
    /// The generation `stored` and the loaded indexes were last brought up to.
    var generation: Int64 = -1
    /// How many times the watcher read every variant for the pairs (the start included).
    var fullPairReads = 0
    /// False from the watcher's loss of the store's connection until it reconnects.
    var storeReachable = true
    /// The generation the change log was last pruned at (by this server).
    var prunedAt: Int64?
  }

  private let state = Locked(State())
  /// The memory the indexes are made from; a mapped index reads the texts of its matches
  /// through it. A connection of its own, so that a query never waits on the watcher's reads.
  let texts: TranslationMemory
  /// The memory the watcher reads (generation, change log, rebuilds).
  let watcher: TranslationMemory
  let maximumPairs: Int
  let compaction: LiveFuzzyIndex.CompactionPolicy
  /// The connection that prunes the change log, and how many generations apart.
  let pruner: (memory: TranslationMemory, every: Int64)?

  init(
    texts: TranslationMemory, watcher: TranslationMemory, maximumPairs: Int,
    compaction: LiveFuzzyIndex.CompactionPolicy = LiveFuzzyIndex.CompactionPolicy(),
    pruner: (memory: TranslationMemory, every: Int64)? = nil
  ) {
    self.texts = texts
    self.watcher = watcher
    self.maximumPairs = maximumPairs
    self.compaction = compaction
    self.pruner = pruner
  }

  var generation: Int64 { state.withLock { $0.generation } }
  var languages: [Language] { state.withLock { $0.languages } }
  var loaded: [LanguagePair: LiveFuzzyIndex] { state.withLock { $0.loaded } }
  var fullPairReads: Int { state.withLock { $0.fullPairReads } }
  /// Whether the store answers, as the watcher last found (``Watcher``).
  var storeReachable: Bool {
    get { state.withLock { $0.storeReachable } }
    set { state.withLock { $0.storeReachable = newValue } }
  }

  /// Reads every pair the memory holds (every variant: the start, and after a removal), the
  /// largest first.
  @discardableResult
  func readAllPairs() throws -> [TranslationMemory.LanguagePairCount] {
    // The generation first: the pairs read after it hold at least its units.
    let generation = try watcher.generation()
    let counts = try watcher.languagePairs()
    let stored = Set(counts.map { TranslationMemory.LanguagePairKey(source: $0.source, target: $0.target) })
    state.withLock {
      $0.fullPairReads += 1
      Self.setPairs(stored, in: &$0)
      $0.generation = max($0.generation, generation)
    }
    return counts
  }

  private static func setPairs(_ stored: Set<TranslationMemory.LanguagePairKey>, in state: inout State) {
    var pairs: Set<LanguagePair> = []
    for pair in stored {
      let forward = LanguagePair(source: pair.source, target: pair.target)
      if forward.source == forward.target { continue }
      pairs.insert(forward)
      pairs.insert(LanguagePair(source: forward.target, target: forward.source))
    }
    state.stored = stored
    state.pairs = pairs
    state.languages = Set(pairs.map(\.source)).sorted { $0.rawValue < $1.rawValue }
  }

  /// The current index of `pair`, made on first use (mapped from its saved file when that is
  /// current); nil when the memory holds no unit of the pair.
  func index(for pair: LanguagePair) async throws -> FuzzyIndex? {
    enum Step {
      case ready(FuzzyIndex)
      case wait(Task<LiveFuzzyIndex, any Error>)
      case none
      case tooMany
    }
    let step: Step = state.withLock { state in
      if let live = state.loaded[pair] { return .ready(live.index) }
      guard state.pairs.contains(pair) else { return .none }
      if let task = state.building[pair] { return .wait(task) }
      guard state.loaded.count + state.building.count < maximumPairs else { return .tooMany }
      let texts = self.texts
      let task = Task.detached {
        // On PostgreSQL the texts stay in the process, so that lookups go on answering while
        // the database is unreachable (a restart, the network); a file's index is mapped.
        if case .postgresql = texts.address {
          return try texts.liveFuzzyIndexInMemory(from: pair.source, to: pair.target)
        }
        return try texts.liveFuzzyIndex(from: pair.source, to: pair.target)
      }
      state.building[pair] = task
      return .wait(task)
    }
    switch step {
    case .ready(let index): return index
    case .none: return nil
    case .tooMany:
      throw APIError(.serviceUnavailable, "the server holds the indexes of \(maximumPairs) pairs already")
    case .wait(let task):
      do {
        let made = try await task.value
        let live = state.withLock { state in
          state.building[pair] = nil
          if let loaded = state.loaded[pair] { return loaded }
          state.loaded[pair] = made
          return made
        }
        live.enableCompaction(compaction)
        // Writes between the making and now (a write-back laid over nothing yet).
        try live.refresh(from: watcher)
        return live.index
      } catch {
        state.withLock { $0.building[pair] = nil }
        throw error
      }
    }
  }

  /// Lays a unit just written (by this server) over the loaded indexes of its pair, both ways,
  /// so that it is suggested at once; the watcher's next refresh finds it in the change log
  /// too, and replaces it with itself.
  func applyWritten(_ entry: FuzzyEntry) throws {
    let pair = LanguagePair(source: entry.sourceLanguage, target: entry.targetLanguage)
    let (forward, backward) = state.withLock { state in
      let key = TranslationMemory.LanguagePairKey(source: entry.sourceLanguage, target: entry.targetLanguage)
      if !state.stored.contains(key) {
        var stored = state.stored
        stored.insert(key)
        Self.setPairs(stored, in: &state)
      }
      return (state.loaded[pair], state.loaded[LanguagePair(source: pair.target, target: pair.source)])
    }
    let oriented = FuzzyEntry(
      id: entry.id, source: entry.source, target: entry.target, sourceLanguage: pair.source,
      targetLanguage: pair.target, document: entry.document, paragraph: entry.paragraph)
    try forward?.add([oriented])
    try backward?.add([oriented.reversed])
  }

  /// Brings the pairs and every loaded index up to the memory's current generation, when it
  /// changed: O(units changed) unless they are many (see ``LiveFuzzyIndex/refresh(from:)``).
  /// Returns whether the generation had moved.
  @discardableResult
  func refreshIfChanged() throws -> Bool {
    let generation = try watcher.generation()
    let since = self.generation
    if generation == since { return false }
    if let changed = try watcher.languagePairs(changedSince: since), !changed.mayHaveRemoved {
      state.withLock {
        if !changed.pairs.isSubset(of: $0.stored) { Self.setPairs($0.stored.union(changed.pairs), in: &$0) }
      }
    } else {
      try readAllPairs()
    }
    var failure: (any Error)?
    for live in loaded.values {
      do {
        try live.refresh(from: watcher)
      } catch {
        failure = failure ?? error
      }
    }
    if let failure { throw failure }
    state.withLock { $0.generation = max($0.generation, generation) }
    pruneChangeLogIfDue(at: generation)
    return true
  }

  /// Prunes the change log once the memory has moved ``pruner``'s number of generations since
  /// the last pruning (or since the start): through what every loaded index and every index
  /// saved beside the memory has consumed. A failure (a read-only memory, the store busy) is
  /// tried again at the next interval.
  func pruneChangeLogIfDue(at generation: Int64) {
    guard let pruner else { return }
    let due: Bool = state.withLock { state in
      guard let last = state.prunedAt else {
        state.prunedAt = generation
        return false
      }
      guard generation - last >= pruner.every else { return false }
      state.prunedAt = generation
      return true
    }
    guard due else { return }
    let keeping = loaded.values.map { $0.generation ?? -1 }
    _ = try? pruner.memory.pruneChangeLog(keeping: keeping)
  }
}
