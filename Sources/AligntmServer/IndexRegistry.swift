import Foundation
import TextSegmentation
import TranslationMemory

/// The fuzzy indexes the server holds, one per language pair asked for, and what the memory
/// holds (its pairs, its generation). Requests read the current index; the watcher replaces it
/// when the memory changes, so a request never waits for a rebuild once a pair is loaded.
final class IndexRegistry: Sendable {
  struct Loaded: Sendable {
    var index: FuzzyIndex
    var generation: Int64
  }
  struct State: Sendable {
    var loaded: [LanguagePair: Loaded] = [:]
    var building: [LanguagePair: Task<Loaded, any Error>] = [:]
    /// The base languages of each stored pair, both ways.
    var pairs: Set<LanguagePair> = []
    var languages: [Language] = []
    var generation: Int64 = -1
  }

  private let state = Locked(State())
  let refresher: IndexRefresher
  let maximumPairs: Int

  init(refresher: IndexRefresher, maximumPairs: Int) {
    self.refresher = refresher
    self.maximumPairs = maximumPairs
  }

  var generation: Int64 { state.withLock { $0.generation } }
  var languages: [Language] { state.withLock { $0.languages } }
  var loaded: [LanguagePair: Loaded] { state.withLock { $0.loaded } }

  /// Reads the memory's pairs (all of them, both ways) at `generation`.
  func updatePairs(generation: Int64) throws {
    let stored = try refresher.memory.languagePairs()
    var pairs: Set<LanguagePair> = []
    for pair in stored {
      let forward = LanguagePair(source: pair.source, target: pair.target)
      if forward.source == forward.target { continue }
      pairs.insert(forward)
      pairs.insert(LanguagePair(source: forward.target, target: forward.source))
    }
    let languages = Set(pairs.map(\.source)).sorted { $0.rawValue < $1.rawValue }
    state.withLock {
      $0.pairs = pairs
      $0.languages = languages
      $0.generation = generation
    }
  }

  /// The index for `pair`, built on first use; nil when the memory holds no unit of the pair.
  func index(for pair: LanguagePair) async throws -> FuzzyIndex? {
    enum Step {
      case ready(FuzzyIndex)
      case wait(Task<Loaded, any Error>)
      case none
      case tooMany
    }
    let step: Step = state.withLock { state in
      if let loaded = state.loaded[pair] { return .ready(loaded.index) }
      guard state.pairs.contains(pair) else { return .none }
      if let task = state.building[pair] { return .wait(task) }
      guard state.loaded.count + state.building.count < maximumPairs else { return .tooMany }
      let refresher = self.refresher
      let task = Task.detached {
        let generation = try refresher.memory.generation()
        let index = try refresher.refreshed(pair, current: nil, builtAt: nil)
        return Loaded(index: index, generation: generation)
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
        let loaded = try await task.value
        state.withLock {
          $0.building[pair] = nil
          if ($0.loaded[pair]?.generation ?? -1) < loaded.generation { $0.loaded[pair] = loaded }
        }
        return loaded.index
      } catch {
        state.withLock { $0.building[pair] = nil }
        throw error
      }
    }
  }

  /// Brings every loaded index up to the memory's current generation, when it changed. Returns
  /// whether it did anything.
  @discardableResult
  func refreshIfChanged() throws -> Bool {
    let generation = try refresher.memory.generation()
    if generation == self.generation { return false }
    try updatePairs(generation: generation)
    for (pair, loaded) in self.loaded where loaded.generation != generation {
      let index = try refresher.refreshed(pair, current: loaded.index, builtAt: loaded.generation)
      state.withLock {
        if ($0.loaded[pair]?.generation ?? -1) < generation {
          $0.loaded[pair] = Loaded(index: index, generation: generation)
        }
      }
    }
    return true
  }
}
