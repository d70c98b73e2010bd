import TextSegmentation
import TranslationMemory

/// Brings one language pair's fuzzy index up to date with the memory: the only place the
/// server (re)builds an index, so that the way it does can change in one spot.
///
/// Today this is a full rebuild through ``TranslationMemory/fuzzyIndex(from:to:notSaved:)``
/// (which also reuses the index saved beside the memory when it is still current): correct,
/// but its cost grows with the memory, so on a large memory a write is suggested only after the
/// rebuild. An incremental index (the units added and removed since a generation) slots in
/// here without the rest of the server changing.
struct IndexRefresher: Sendable {
  /// The memory the indexes are read from: a connection of its own, so that building never
  /// waits on the server's writes.
  let memory: TranslationMemory

  /// The index of `pair` as the memory is now. `current` is the index being replaced (nil for
  /// the first build) and `generation` the memory's generation it was built at.
  func refreshed(_ pair: LanguagePair, current: FuzzyIndex?, builtAt generation: Int64?) throws -> FuzzyIndex
  {
    try memory.fuzzyIndex(from: pair.source, to: pair.target)
  }
}
