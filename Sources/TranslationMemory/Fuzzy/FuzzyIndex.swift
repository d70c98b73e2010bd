import Foundation
import TextSegmentation

/// An index over translation units that finds the fuzzy matches of a sentence fast, and never
/// misses one.
///
/// Each source is cut into units (words and placeables, see ``FuzzyScore``), interned as
/// integer ids. Units are sorted by length, and an inverted index maps each id to the units
/// holding it. A query of `q` units at threshold `t` (τ = t/100) looks only at units that pass
/// two filters that follow from the score formula:
///
/// - **Length**: `d ≥ |q − s|`, so a unit of `s` units can reach τ only if
///   `τ·q ≤ s ≤ q/τ`. Postings are sorted by length, so this is a binary search.
/// - **Shared tokens**: `d ≥ max(q, s) − c`, where `c` is the size of the multiset
///   intersection, so a match needs `c ≥ τ·max(q, s) ≥ τ·q`. Any unit sharing that many
///   tokens with the query shares at least one of any `q − ⌈τ·q⌉ + 1` query tokens; the
///   index reads the postings of the rarest ones only (prefix filtering).
///
/// Each candidate then has its exact `c` counted against `τ·max(q, s)`, which also bounds
/// its score by `100·c / max(q, s)`. Candidates are verified best bound first: the distance
/// in a band of width `⌊(1 − τ)·max(q, s)⌋` (stopping early), then the full score in a band
/// as wide as that distance. Once `limit` results are held, the least of them becomes the
/// threshold, which narrows the band, and the scan stops at the first bound below it (a
/// bound equal to it is still verified, so ties break by entry id as in a full scan).
/// Penalties only lower a score, so nothing that reaches the threshold is filtered out; the
/// test suite checks this, and the top `limit`, against a brute-force scan.
///
/// What is matched is bounded, whatever the memory holds: a text (a query, or a stored source
/// or target) longer than ``maximumTextLength`` UTF-16 code units is never tokenised or
/// compared. Such entries are left out of the index (``omittedCount`` says how many), and such a
/// query has no match. So one candidate costs at most `maximumTextLength²` steps of edit
/// distance, and one match as much to mark its differences. Texts without a word or placeable
/// (empty, white space, punctuation alone) are never matched either: an empty query has no
/// match, and a stored unit without words is no match for any query.
///
/// Building the index tokenises every source. A memory's index
/// (``TranslationMemory/fuzzyIndex(from:to:notSaved:)``) is kept in a file of fixed-width tables
/// that the process maps rather than reads, checked block by block as queries read it, its texts
/// read from the memory by id; the units written since the file are laid over it (an overlay,
/// see ``LiveFuzzyIndex``). ``save(to:signature:)`` and ``load(from:expectedSignature:)`` keep
/// the older, copying format (tables and texts, read back whole) for indexes without a memory.
public final class FuzzyIndex: Sendable {
  /// The language of the queries and of the stored sources.
  public let sourceLanguage: Language
  /// The language of the suggestions.
  public let targetLanguage: Language
  /// The indexed entries, turned so that their source is in ``sourceLanguage``.
  public let entries: Entries

  let sourceAnalyzer: FuzzyAnalyzer
  let targetAnalyzer: FuzzyAnalyzer
  let keyIDs: Vocabulary
  let surfaceIDs: Vocabulary
  let markIDs: Vocabulary
  /// Ordinal (rank by length) → entry position.
  let entryAtOrdinal: IndexTable<UInt32>
  let unitStart: IndexTable<UInt32>
  let unitKeys: IndexTable<UInt32>
  let unitSurfaces: IndexTable<UInt32>
  let markStart: IndexTable<UInt32>
  let marks: IndexTable<UInt32>
  let postingStart: IndexTable<UInt32>
  let postings: IndexTable<UInt32>
  /// `lengthStart[l]`: the first ordinal whose length is at least `l`.
  let lengthStart: [Int]
  /// How many entries in the index's languages were left out for a text longer than
  /// ``maximumTextLength``.
  public let omittedCount: Int
  /// The file the tables are mapped from, whose blocks are checked when first read; `nil` for a
  /// built or read index.
  let mapping: MappedIndexFile?
  /// Entries added, changed or removed since the tables were made (see ``LiveFuzzyIndex``).
  let overlay: Overlay?
  /// What builds the index again when its mapped file turns out damaged.
  let recovery: Recovery?
  /// Shared by the indexes made over the same tables (``init(_:overlay:recovery:)``), so that a
  /// new snapshot of a live index does not allocate its queries' working memory again.
  private let scratchPool: ScratchPool

  /// The longest text, in UTF-16 code units, that the index tokenises and compares: about 600
  /// words, well above the longest paragraph of the UN corpus (1,642). Longer stored texts are
  /// left out of the index, and a longer query has no match, so that the work of a query is
  /// bounded whatever the memory holds.
  public static let maximumTextLength = 4_000

  /// Whether `text` is short enough to be matched (at most ``maximumTextLength`` UTF-16 code
  /// units), found without walking a long text: its UTF-8 length is known at once, and a UTF-16
  /// code unit takes 1 to 3 UTF-8 bytes.
  public static func isShortEnough(_ text: String) -> Bool {
    let bytes = text.utf8.count
    if bytes <= maximumTextLength { return true }
    if bytes > 3 * maximumTextLength { return false }
    return text.utf16.count <= maximumTextLength
  }

  /// An index from its tables, built or read from a file.
  init(
    entries: Entries, from source: Language, to target: Language, keyIDs: Vocabulary,
    surfaceIDs: Vocabulary, markIDs: Vocabulary, entryAtOrdinal: IndexTable<UInt32>,
    unitStart: IndexTable<UInt32>, unitKeys: IndexTable<UInt32>, unitSurfaces: IndexTable<UInt32>,
    markStart: IndexTable<UInt32>, marks: IndexTable<UInt32>, postingStart: IndexTable<UInt32>,
    postings: IndexTable<UInt32>, lengthStart: [Int], omittedCount: Int, mapping: MappedIndexFile? = nil,
    analyzers: (FuzzyAnalyzer, FuzzyAnalyzer)? = nil
  ) throws {
    sourceLanguage = source
    targetLanguage = target
    sourceAnalyzer = try analyzers?.0 ?? FuzzyAnalyzer(language: source)
    targetAnalyzer = try analyzers?.1 ?? FuzzyAnalyzer(language: target)
    self.entries = entries
    self.keyIDs = keyIDs
    self.surfaceIDs = surfaceIDs
    self.markIDs = markIDs
    self.entryAtOrdinal = entryAtOrdinal
    self.unitStart = unitStart
    self.unitKeys = unitKeys
    self.unitSurfaces = unitSurfaces
    self.markStart = markStart
    self.marks = marks
    self.postingStart = postingStart
    self.postings = postings
    self.lengthStart = lengthStart
    self.omittedCount = omittedCount
    self.mapping = mapping
    overlay = nil
    recovery = nil
    scratchPool = ScratchPool()
  }

  /// An index from tables held in arrays and dictionaries.
  convenience init(
    entries: Entries, from source: Language, to target: Language, keyIDs: [String: UInt32],
    surfaceIDs: [String: UInt32], markIDs: [String: UInt32], entryAtOrdinal: [UInt32],
    unitStart: [UInt32], unitKeys: [UInt32], unitSurfaces: [UInt32], markStart: [UInt32],
    marks: [UInt32], postingStart: [UInt32], postings: [UInt32], lengthStart: [Int], omittedCount: Int
  ) throws {
    try self.init(
      entries: entries, from: source, to: target, keyIDs: Vocabulary(keyIDs),
      surfaceIDs: Vocabulary(surfaceIDs),
      markIDs: Vocabulary(markIDs), entryAtOrdinal: IndexTable(entryAtOrdinal),
      unitStart: IndexTable(unitStart),
      unitKeys: IndexTable(unitKeys), unitSurfaces: IndexTable(unitSurfaces),
      markStart: IndexTable(markStart),
      marks: IndexTable(marks), postingStart: IndexTable(postingStart), postings: IndexTable(postings),
      lengthStart: lengthStart, omittedCount: omittedCount)
  }

  /// `base`'s tables with another overlay or recovery.
  init(_ base: FuzzyIndex, overlay: Overlay?, recovery: Recovery?) {
    sourceLanguage = base.sourceLanguage
    targetLanguage = base.targetLanguage
    sourceAnalyzer = base.sourceAnalyzer
    targetAnalyzer = base.targetAnalyzer
    entries = base.entries
    keyIDs = base.keyIDs
    surfaceIDs = base.surfaceIDs
    markIDs = base.markIDs
    entryAtOrdinal = base.entryAtOrdinal
    unitStart = base.unitStart
    unitKeys = base.unitKeys
    unitSurfaces = base.unitSurfaces
    markStart = base.markStart
    marks = base.marks
    postingStart = base.postingStart
    postings = base.postings
    lengthStart = base.lengthStart
    omittedCount = base.omittedCount
    mapping = base.mapping
    scratchPool = base.scratchPool
    self.overlay = overlay
    self.recovery = recovery
  }

  /// The number of indexed entries: those of the tables, less those the overlay hides, plus its
  /// own.
  public var count: Int {
    guard let overlay else { return entries.count }
    return entries.count - overlay.hiddenCount + overlay.delta.count
  }

  /// The best matches of `query`, best first.
  ///
  /// - Parameters:
  ///   - query: A sentence in ``sourceLanguage``.
  ///   - minimumScore: The least score kept, 0–100 (``FuzzyScore``).
  ///   - limit: How many matches to return at most.
  /// - Returns: Matches with their score, differences and placeable-substituted suggestion,
  ///   ordered by score, then similarity, then entry id. None for a query without a word or
  ///   placeable, or longer than ``maximumTextLength``.
  /// - Throws: ``FuzzyError`` for a score outside 0–100 or a limit below 1.
  public func matches(for query: String, minimumScore: Double = 70, limit: Int = 5) throws -> [FuzzyMatch] {
    try recovering { index in
      let analysed = index.analysedQuery(query)
      let scored = try index.scoredEntries(
        for: analysed, minimumScore: minimumScore, limit: limit, bruteForce: false)
      guard let analysed else { return [] }
      return scored.compactMap { $0.index.makeMatch(query: analysed, position: $0.position, score: $0.score) }
    }
  }

  /// `body(self)`, or `body` of the index built again when the mapped file turns out damaged.
  func recovering<Result>(_ body: (FuzzyIndex) throws -> Result) throws -> Result {
    guard let recovery else { return try body(self) }
    if let replacement = recovery.replacement { return try body(replacement) }
    do {
      return try body(self)
    } catch let error as FuzzyIndexFileError {
      return try body(try recovery.rebuild(after: error))
    }
  }

  /// A scored entry of this index or of its overlay.
  struct ScoredEntry {
    let index: FuzzyIndex
    let position: Int
    let score: FuzzyScore
    var id: Int64 { index.entries.id(at: position) }
  }

  /// ``scoredCandidates(for:minimumScore:limit:bruteForce:)`` of the tables and of the overlay,
  /// merged: the best `limit`, ordered like ``TopResults``.
  func scoredEntries(
    for analysed: AnalysedText?, minimumScore: Double, limit: Int, bruteForce: Bool
  ) throws -> [ScoredEntry] {
    let own = try scoredCandidates(
      for: analysed, minimumScore: minimumScore, limit: limit, bruteForce: bruteForce
    ).map { ScoredEntry(index: self, position: $0.position, score: $0.score) }
    guard let overlay else { return own }
    let added = try overlay.delta.scoredEntries(
      for: analysed, minimumScore: minimumScore, limit: limit, bruteForce: bruteForce)
    if added.isEmpty { return own }
    let merged = (own + added).sorted { lhs, rhs in
      if lhs.score.value != rhs.score.value { return lhs.score.value > rhs.score.value }
      if lhs.score.similarity != rhs.score.similarity { return lhs.score.similarity > rhs.score.similarity }
      return lhs.id < rhs.id
    }
    return Array(merged.prefix(limit))
  }

  /// The query cut into units, or `nil` when it is too long to be matched.
  func analysedQuery(_ query: String) -> AnalysedText? {
    Self.isShortEnough(query) ? sourceAnalyzer.analyse(query) : nil
  }

  /// The score of any source text against a query, without the index.
  ///
  /// Unlike ``matches(for:minimumScore:limit:)``, this compares the two texts whole, whatever
  /// their length: O(n × m) for texts of n and m words.
  public func score(of source: String, against query: String) -> FuzzyScore {
    var fresh: [String: UInt32] = [:]
    let queryIDs = interned(sourceAnalyzer.analyse(query), fresh: &fresh)
    let sourceIDs = interned(sourceAnalyzer.analyse(source), fresh: &fresh)
    return Self.withTables(query: queryIDs, sources: sourceIDs) { tables in
      tables.score(units: 0..<tables.unitKeys.count, marks: 0..<tables.marks.count)
    }
  }

  /// The ids of a text's units (keys and surfaces) and marks, or of many texts end to end.
  struct InternedText {
    var keys: [UInt32]
    var surfaces: [UInt32]
    var marks: [UInt32]
  }

  /// A query's ids and those of the texts it is scored against, as buffers for the arithmetic
  /// of ``FuzzyDistance``; they are valid inside ``withTables(query:sources:_:)`` only.
  struct Tables {
    let queryKeys: UnsafeBufferPointer<UInt32>
    let querySurfaces: UnsafeBufferPointer<UInt32>
    let queryMarks: UnsafeBufferPointer<UInt32>
    /// The units of the texts, end to end.
    let unitKeys: UnsafeBufferPointer<UInt32>
    let unitSurfaces: UnsafeBufferPointer<UInt32>
    /// The marks of the texts, end to end.
    let marks: UnsafeBufferPointer<UInt32>

    /// The keys of the text whose units are `units`.
    func keys(_ units: Range<Int>) -> UnsafeBufferPointer<UInt32> {
      UnsafeBufferPointer(rebasing: unitKeys[units])
    }

    /// The score against the query of the text whose units are `units` and marks `markRange`.
    func score(units: Range<Int>, marks markRange: Range<Int>, knownDistance: Int? = nil) -> FuzzyScore {
      FuzzyDistance.score(
        queryKeys: queryKeys, querySurfaces: querySurfaces, queryMarks: queryMarks,
        sourceKeys: keys(units), sourceSurfaces: UnsafeBufferPointer(rebasing: unitSurfaces[units]),
        sourceMarks: UnsafeBufferPointer(rebasing: marks[markRange]), knownDistance: knownDistance)
    }
  }

  /// Calls `body` with the ids of `query` and `sources` as buffers.
  static func withTables<Result>(
    query: InternedText, sources: InternedText, _ body: (Tables) -> Result
  ) -> Result {
    sources.keys.withUnsafeBufferPointer { unitKeys in
      sources.surfaces.withUnsafeBufferPointer { unitSurfaces in
        sources.marks.withUnsafeBufferPointer { marks in
          withTables(query: query, unitKeys: unitKeys, unitSurfaces: unitSurfaces, marks: marks, body)
        }
      }
    }
  }

  /// Calls `body` with the ids of `query` and the indexed texts' tables as buffers.
  static func withTables<Result>(
    query: InternedText, unitKeys: UnsafeBufferPointer<UInt32>, unitSurfaces: UnsafeBufferPointer<UInt32>,
    marks: UnsafeBufferPointer<UInt32>, _ body: (Tables) -> Result
  ) -> Result {
    query.keys.withUnsafeBufferPointer { queryKeys in
      query.surfaces.withUnsafeBufferPointer { querySurfaces in
        query.marks.withUnsafeBufferPointer { queryMarks in
          body(
            Tables(
              queryKeys: queryKeys, querySurfaces: querySurfaces, queryMarks: queryMarks,
              unitKeys: unitKeys, unitSurfaces: unitSurfaces, marks: marks))
        }
      }
    }
  }

  /// The ids of an analysed text; strings the index has never seen get fresh ids.
  func interned(_ analysed: AnalysedText, fresh: inout [String: UInt32]) -> InternedText {
    func id(_ text: String, _ table: Vocabulary, namespace: String) -> UInt32 {
      if let id = table[text] { return id }
      let name = namespace + text
      if let id = fresh[name] { return id }
      let id = UInt32(table.count + fresh.count + 1) & ~FuzzyDistance.inlineCodeBit
      fresh[name] = id
      return id
    }
    var result = InternedText(keys: [], surfaces: [], marks: [])
    for unit in analysed.units {
      result.keys.append(id(unit.key, keyIDs, namespace: "k"))
      result.surfaces.append(id(unit.surface, surfaceIDs, namespace: "s"))
    }
    for mark in analysed.marks {
      let markID = id(mark.text, markIDs, namespace: "m")
      result.marks.append(mark.isInlineCode ? markID | FuzzyDistance.inlineCodeBit : markID)
    }
    return result
  }

  /// The best `limit` entries whose score reaches `minimumScore`, best first.
  ///
  /// Candidates are verified in decreasing order of an upper bound on their score,
  /// `100 × c / max(q, s)` (`c`: shared tokens; the distance is at least `max(q, s) − c`).
  /// Once `limit` results are held, the least of them becomes the threshold: the band of the
  /// distance narrows, and the scan stops at the first candidate whose bound is below it.
  /// Candidates whose bound equals it are still verified, so ties break as in a full scan.
  ///
  /// A query that is `nil` (too long) or without units matches nothing; nor does an entry
  /// without units (the ordinals below `lengthStart[1]`).
  func scoredCandidates(
    for analysed: AnalysedText?, minimumScore: Double, limit: Int, bruteForce: Bool
  ) throws -> [(position: Int, score: FuzzyScore)] {
    guard minimumScore >= 0, minimumScore <= 100 else { throw FuzzyError.invalidMinimumScore(minimumScore) }
    guard limit >= 1 else { throw FuzzyError.invalidLimit(limit) }
    guard let analysed, !analysed.units.isEmpty else { return [] }
    if bruteForce { try mapping?.verifyAll() }
    var fresh: [String: UInt32] = [:]
    let ids = interned(analysed, fresh: &fresh)
    let scratch = scratchPool.take(entryCount: entries.count)
    defer { scratchPool.give(back: scratch) }
    scratch.damage = nil
    var best = TopResults(limit: limit, entries: entries)
    let hidden = overlay?.hidden
    let count = entries.count
    // A mapped file is checked block by block as it is read; these bounds keep a file that is
    // well-summed but wrong from sending a read outside its tables.
    func unitRange(_ ordinal: Int) -> Range<Int>? {
      check(unitStart, ordinal..<(ordinal + 2), scratch)
      let start = Int(unitStart[ordinal])
      let end = Int(unitStart[ordinal + 1])
      guard start <= end, end <= unitKeys.count else {
        scratch.damage = "unit offsets"
        return nil
      }
      check(unitKeys, start..<end, scratch)
      return start..<end
    }
    func markRange(_ ordinal: Int) -> Range<Int>? {
      check(markStart, ordinal..<(ordinal + 2), scratch)
      let start = Int(markStart[ordinal])
      let end = Int(markStart[ordinal + 1])
      guard start <= end, end <= marks.count else {
        scratch.damage = "mark offsets"
        return nil
      }
      check(marks, start..<end, scratch)
      return start..<end
    }
    func position(_ ordinal: Int) -> Int? {
      check(entryAtOrdinal, ordinal..<(ordinal + 1), scratch)
      let position = Int(entryAtOrdinal[ordinal])
      guard position < count else {
        scratch.damage = "entry position"
        return nil
      }
      entries.check(position, scratch)
      if let hidden, hidden.contains(position) { return nil }
      return position
    }
    Self.withTables(
      query: ids, unitKeys: unitKeys.buffer, unitSurfaces: unitSurfaces.buffer, marks: marks.buffer
    ) { tables in
      let queryKeys = tables.queryKeys
      func fullScore(_ ordinal: Int, units: Range<Int>, distance: Int? = nil) -> FuzzyScore? {
        guard let markRange = markRange(ordinal) else { return nil }
        check(unitSurfaces, units, scratch)
        return tables.score(units: units, marks: markRange, knownDistance: distance)
      }
      let tau = minimumScore / 100
      if bruteForce || tau <= 0 {
        for ordinal in lengthStart[min(1, lengthStart.count - 1)]..<count {
          guard let units = unitRange(ordinal), let score = fullScore(ordinal, units: units),
            score.value >= minimumScore, let position = position(ordinal)
          else { continue }
          best.insert(position, score)
        }
        return
      }
      // Passes at higher floors first: a pass finds every entry at or above its floor, so
      // when it finds `limit` of them they are the best `limit` overall. Short queries of
      // common words then read one short posting list instead of several long ones.
      let floors =
        limit <= TopResults.smallLimit
        ? Self.probeFloors.filter { $0 > minimumScore } + [minimumScore] : [minimumScore]
      scratch.prepareTable(for: queryKeys)
      for floor in floors {
        best = TopResults(limit: limit, entries: entries)
        let tau = floor / 100
        let candidates = candidateOrdinals(queryKeys: queryKeys, tau: tau, scratch: scratch)
        let queryLength = queryKeys.count
        var bounded: [(bound: Double, ordinal: UInt32)] = []
        bounded.reserveCapacity(candidates.count)
        for ordinal in candidates {
          guard let units = unitRange(Int(ordinal)) else { continue }
          let longest = max(queryLength, units.count)
          let sharedNeeded = Int((tau * Double(longest) - 1e-9).rounded(.up))
          guard let shared = scratch.sharedCount(with: tables.keys(units), atLeast: sharedNeeded)
          else { continue }
          // The same expression as the similarity, so that equal ratios compare equal.
          bounded.append((100 * Double(shared) / Double(longest), ordinal))
        }
        if limit < bounded.count {
          bounded.sort { $0.bound != $1.bound ? $0.bound > $1.bound : $0.ordinal < $1.ordinal }
        }
        for (bound, ordinal) in bounded {
          let threshold = max(floor, best.cutoff ?? floor)
          if bound < threshold { break }
          let ordinal = Int(ordinal)
          guard let units = unitRange(ordinal) else { continue }
          let sourceKeys = tables.keys(units)
          let longest = max(queryLength, sourceKeys.count)
          let distanceLimit = Int(((1 - threshold / 100) * Double(longest) + 1e-9).rounded(.down))
          guard
            let distance = FuzzyDistance.boundedDistance(
              queryKeys, sourceKeys, limit: distanceLimit, rows: &scratch.rows),
            let score = fullScore(ordinal, units: units, distance: distance), score.value >= threshold,
            let position = position(ordinal)
          else { continue }
          best.insert(position, score)
        }
        if best.count >= limit { break }
      }
    }
    if let damage = scratch.damage, let mapping {
      throw FuzzyIndexFileError.corrupt(path: mapping.path, reason: damage)
    }
    return best.sorted()
  }

  /// Checks the blocks of a mapped table that hold `range`, once per scratch memory.
  @inline(__always)
  func check<Element>(_ table: IndexTable<Element>, _ range: Range<Int>, _ scratch: Scratch) {
    mapping?.check(table.buffer, range, scratch)
  }

  /// The floors tried before the caller's least score, highest first.
  static let probeFloors: [Double] = [100, 90, 80]

  /// The ordinals that pass the length filter and share a token with the query's prefix.
  private func candidateOrdinals(
    queryKeys: UnsafeBufferPointer<UInt32>, tau: Double, scratch: Scratch
  ) -> [UInt32] {
    let queryLength = queryKeys.count
    let shortest = Int((tau * Double(queryLength) - 1e-9).rounded(.up))
    let longest = Int((Double(queryLength) / tau + 1e-9).rounded(.down))
    let firstOrdinal = lengthStart[min(max(shortest, 0), lengthStart.count - 1)]
    let endOrdinal = lengthStart[min(longest + 1, lengthStart.count - 1)]
    guard firstOrdinal < endOrdinal, queryLength > 0 else { return [] }
    // Multiset items of the query, rarest first; any `q − c + 1` of them will do.
    let vocabularySize = postingStart.count - 1
    func frequency(_ key: UInt32) -> Int {
      Int(key) < vocabularySize ? Int(postingStart[Int(key) + 1] - postingStart[Int(key)]) : 0
    }
    let sorted = queryKeys.sorted { (frequency($0), $0) < (frequency($1), $1) }
    let prefixLength = queryLength - shortest + 1
    var probed: Set<UInt32> = []
    var candidates: [UInt32] = []
    let stamp = scratch.nextStamp()
    for key in sorted.prefix(prefixLength) where Int(key) < vocabularySize {
      guard probed.insert(key).inserted else { continue }
      let list = Int(postingStart[Int(key)])..<Int(postingStart[Int(key) + 1])
      check(postings, list, scratch)
      let low = lowerBound(in: list, UInt32(firstOrdinal))
      let high = lowerBound(in: low..<list.upperBound, UInt32(endOrdinal))
      for offset in low..<high {
        let ordinal = postings[offset]
        guard Int(ordinal) < entries.count else {
          scratch.damage = "posting out of range"
          continue
        }
        if scratch.stamps[Int(ordinal)] != stamp {
          scratch.stamps[Int(ordinal)] = stamp
          candidates.append(ordinal)
        }
      }
    }
    return candidates
  }

  private func lowerBound(in range: Range<Int>, _ value: UInt32) -> Int {
    var low = range.lowerBound
    var high = range.upperBound
    while low < high {
      let middle = (low + high) / 2
      if postings[middle] < value { low = middle + 1 } else { high = middle }
    }
    return low
  }
}

/// The best results so far, kept in order: score, then similarity, then entry id.
struct TopResults {
  let limit: Int
  let entries: FuzzyIndex.Entries
  private var items: [(position: Int, score: FuzzyScore)] = []
  private var isSorted = true

  init(limit: Int, entries: FuzzyIndex.Entries) {
    self.limit = limit
    self.entries = entries
  }

  /// The least score a new result needs once `limit` results are held, else `nil`.
  var cutoff: Double? {
    guard limit <= Self.smallLimit, items.count == limit else { return nil }
    return items.last?.score.value
  }

  /// How many results are held.
  var count: Int { items.count }

  /// Limits up to this keep a sorted array; larger ones sort once at the end.
  static let smallLimit = 256

  func precedes(_ lhs: (position: Int, score: FuzzyScore), _ rhs: (position: Int, score: FuzzyScore)) -> Bool
  {
    if lhs.score.value != rhs.score.value { return lhs.score.value > rhs.score.value }
    if lhs.score.similarity != rhs.score.similarity { return lhs.score.similarity > rhs.score.similarity }
    return entries.id(at: lhs.position) < entries.id(at: rhs.position)
  }

  mutating func insert(_ position: Int, _ score: FuzzyScore) {
    let item = (position: position, score: score)
    guard limit <= Self.smallLimit else {
      items.append(item)
      isSorted = false
      return
    }
    if items.count == limit, let last = items.last, !precedes(item, last) { return }
    var low = 0
    var high = items.count
    while low < high {
      let middle = (low + high) / 2
      if precedes(items[middle], item) { low = middle + 1 } else { high = middle }
    }
    items.insert(item, at: low)
    if items.count > limit { items.removeLast() }
  }

  func sorted() -> [(position: Int, score: FuzzyScore)] {
    if isSorted { return items }
    var result = items.sorted(by: precedes)
    if result.count > limit { result.removeSubrange(limit...) }
    return result
  }
}
