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
/// The index lives in memory. Building it tokenises every source; ``save(to:signature:)``
/// writes it to a file that ``load(from:expectedSignature:)`` reads back in a fraction of the
/// build time (the benchmark gives both costs).
public final class FuzzyIndex: Sendable {
  /// The language of the queries and of the stored sources.
  public let sourceLanguage: Language
  /// The language of the suggestions.
  public let targetLanguage: Language
  /// The indexed entries, turned so that their source is in ``sourceLanguage``.
  public let entries: Entries

  let sourceAnalyzer: FuzzyAnalyzer
  let targetAnalyzer: FuzzyAnalyzer
  let keyIDs: [String: UInt32]
  let surfaceIDs: [String: UInt32]
  let markIDs: [String: UInt32]
  /// Ordinal (rank by length) → entry position.
  let entryAtOrdinal: [UInt32]
  let unitStart: [UInt32]
  let unitKeys: [UInt32]
  let unitSurfaces: [UInt32]
  let markStart: [UInt32]
  let marks: [UInt32]
  let postingStart: [UInt32]
  let postings: [UInt32]
  /// `lengthStart[l]`: the first ordinal whose length is at least `l`.
  let lengthStart: [Int]
  private let scratchPool = ScratchPool()

  /// Builds the index.
  ///
  /// Entries whose languages are `to`→`from` are turned around; entries in other languages
  /// are left out.
  ///
  /// - Throws: ``FuzzyError/unsupportedLanguage(_:)`` when ICU has no word rules.
  /// - Complexity: O(total length of the sources).
  public convenience init(
    entries: some Sequence<FuzzyEntry>, from source: Language, to target: Language
  ) throws {
    let sourceAnalyzer = try FuzzyAnalyzer(language: source)
    var oriented: [FuzzyEntry] = []
    for entry in entries {
      if entry.sourceLanguage == source, entry.targetLanguage == target {
        oriented.append(entry)
      } else if entry.sourceLanguage == target, entry.targetLanguage == source {
        oriented.append(entry.reversed)
      }
    }
    var keyIDs: [String: UInt32] = [:]
    for (offset, name) in FuzzyDistance.placeableClasses.enumerated() { keyIDs[name] = UInt32(offset) }
    var surfaceIDs: [String: UInt32] = [:]
    var markIDs: [String: UInt32] = [:]
    var unitStart: [UInt32] = [0]
    var unitKeys: [UInt32] = []
    var unitSurfaces: [UInt32] = []
    var markStart: [UInt32] = [0]
    var marks: [UInt32] = []
    unitStart.reserveCapacity(oriented.count + 1)
    markStart.reserveCapacity(oriented.count + 1)

    // Tokenizing is the cost: do it in blocks on every core. Each core also interns into
    // its own tables, so that strings are hashed in parallel; the merge then only maps the
    // strings a core had not seen before to global ids and copies integers.
    let analyzer = sourceAnalyzer
    let sources = oriented
    let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let interners = (0..<workerCount).map { _ in BlockInterner() }
    let blockSize = 4096 * workerCount
    var blockStart = 0
    while blockStart < oriented.count {
      let block = blockStart..<min(blockStart + blockSize, oriented.count)
      let chunk = (block.count + workerCount - 1) / workerCount
      DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
        let interner = interners[worker]
        interner.startBlock()
        let low = block.lowerBound + worker * chunk
        let high = min(block.upperBound, low + chunk)
        guard low < high else { return }
        for position in low..<high {
          interner.add(analyzer.analyse(sources[position].source))
        }
      }
      for interner in interners {
        let keyMap = interner.keys.globalIDs(merging: &keyIDs)
        let surfaceMap = interner.surfaces.globalIDs(merging: &surfaceIDs)
        let markMap = interner.marks.globalIDs(merging: &markIDs)
        var unitOffset = 0
        var markOffset = 0
        for (unitCount, markCount) in zip(interner.unitCounts, interner.markCounts) {
          for offset in unitOffset..<(unitOffset + unitCount) {
            unitKeys.append(keyMap[Int(interner.unitKeys[offset])])
            unitSurfaces.append(surfaceMap[Int(interner.unitSurfaces[offset])])
          }
          for offset in markOffset..<(markOffset + markCount) {
            let local = interner.markItems[offset]
            let id = markMap[Int(local & ~FuzzyDistance.inlineCodeBit)]
            marks.append(local & FuzzyDistance.inlineCodeBit != 0 ? id | FuzzyDistance.inlineCodeBit : id)
          }
          unitOffset += unitCount
          markOffset += markCount
          unitStart.append(UInt32(unitKeys.count))
          markStart.append(UInt32(marks.count))
        }
      }
      blockStart += blockSize
    }

    // Rank entries by length so that postings, filled in rank order, are sorted by length.
    let count = oriented.count
    let lengths = (0..<count).map { Int(unitStart[$0 + 1] - unitStart[$0]) }
    let maximumLength = lengths.max() ?? 0
    var lengthCount = [Int](repeating: 0, count: maximumLength + 2)
    for length in lengths { lengthCount[length + 1] += 1 }
    var lengthStart = [Int](repeating: 0, count: maximumLength + 2)
    for length in 0...maximumLength { lengthStart[length + 1] = lengthStart[length] + lengthCount[length + 1] }
    var nextOrdinal = lengthStart
    var entryAtOrdinal = [UInt32](repeating: 0, count: count)
    for position in 0..<count {
      entryAtOrdinal[nextOrdinal[lengths[position]]] = UInt32(position)
      nextOrdinal[lengths[position]] += 1
    }
    var sortedUnitStart: [UInt32] = [0]
    var sortedKeys: [UInt32] = []
    var sortedSurfaces: [UInt32] = []
    var sortedMarkStart: [UInt32] = [0]
    var sortedMarks: [UInt32] = []
    sortedUnitStart.reserveCapacity(count + 1)
    sortedKeys.reserveCapacity(unitKeys.count)
    sortedSurfaces.reserveCapacity(unitKeys.count)
    sortedMarkStart.reserveCapacity(count + 1)
    sortedMarks.reserveCapacity(marks.count)
    for position in entryAtOrdinal {
      let units = Int(unitStart[Int(position)])..<Int(unitStart[Int(position) + 1])
      sortedKeys.append(contentsOf: unitKeys[units])
      sortedSurfaces.append(contentsOf: unitSurfaces[units])
      sortedUnitStart.append(UInt32(sortedKeys.count))
      let markRange = Int(markStart[Int(position)])..<Int(markStart[Int(position) + 1])
      sortedMarks.append(contentsOf: marks[markRange])
      sortedMarkStart.append(UInt32(sortedMarks.count))
    }
    unitKeys = []
    unitSurfaces = []
    marks = []

    // Inverted index: each key id → the ordinals holding it, once each, ascending.
    let vocabularySize = keyIDs.count
    var postingStart = [UInt32](repeating: 0, count: vocabularySize + 1)
    var seen = [UInt32](repeating: UInt32.max, count: vocabularySize)
    for ordinal in 0..<count {
      for offset in Int(sortedUnitStart[ordinal])..<Int(sortedUnitStart[ordinal + 1]) {
        let key = Int(sortedKeys[offset])
        if seen[key] != UInt32(ordinal) {
          seen[key] = UInt32(ordinal)
          postingStart[key + 1] += 1
        }
      }
    }
    for key in 0..<vocabularySize { postingStart[key + 1] += postingStart[key] }
    var fill = Array(postingStart.dropLast())
    var postings = [UInt32](repeating: 0, count: Int(postingStart[vocabularySize]))
    seen = [UInt32](repeating: UInt32.max, count: vocabularySize)
    for ordinal in 0..<count {
      for offset in Int(sortedUnitStart[ordinal])..<Int(sortedUnitStart[ordinal + 1]) {
        let key = Int(sortedKeys[offset])
        if seen[key] != UInt32(ordinal) {
          seen[key] = UInt32(ordinal)
          postings[Int(fill[key])] = UInt32(ordinal)
          fill[key] += 1
        }
      }
    }

    try self.init(
      entries: Entries(oriented), from: source, to: target, keyIDs: keyIDs, surfaceIDs: surfaceIDs,
      markIDs: markIDs, entryAtOrdinal: entryAtOrdinal, unitStart: sortedUnitStart,
      unitKeys: sortedKeys, unitSurfaces: sortedSurfaces, markStart: sortedMarkStart,
      marks: sortedMarks, postingStart: postingStart, postings: postings, lengthStart: lengthStart)
  }

  /// An index from its tables, built or read from a file.
  init(
    entries: Entries, from source: Language, to target: Language, keyIDs: [String: UInt32],
    surfaceIDs: [String: UInt32], markIDs: [String: UInt32], entryAtOrdinal: [UInt32],
    unitStart: [UInt32], unitKeys: [UInt32], unitSurfaces: [UInt32], markStart: [UInt32],
    marks: [UInt32], postingStart: [UInt32], postings: [UInt32], lengthStart: [Int]
  ) throws {
    sourceLanguage = source
    targetLanguage = target
    sourceAnalyzer = try FuzzyAnalyzer(language: source)
    targetAnalyzer = try FuzzyAnalyzer(language: target)
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
  }

  /// The number of indexed entries.
  public var count: Int { entries.count }

  /// The best matches of `query`, best first.
  ///
  /// - Parameters:
  ///   - query: A sentence in ``sourceLanguage``.
  ///   - minimumScore: The least score kept, 0–100 (``FuzzyScore``).
  ///   - limit: How many matches to return at most.
  /// - Returns: Matches with their score, differences and placeable-substituted suggestion,
  ///   ordered by score, then similarity, then entry id.
  /// - Throws: ``FuzzyError`` for a score outside 0–100 or a limit below 1.
  public func matches(for query: String, minimumScore: Double = 70, limit: Int = 5) throws -> [FuzzyMatch] {
    let analysed = sourceAnalyzer.analyse(query)
    let scored = try scoredCandidates(for: analysed, minimumScore: minimumScore, limit: limit, bruteForce: false)
    return scored.map { makeMatch(query: analysed, position: $0.position, score: $0.score) }
  }

  /// Every entry whose score reaches `minimumScore`, found by scoring all of them: the
  /// reference the index is tested against. Ordered like ``matches(for:minimumScore:limit:)``.
  public func _bruteForceScores(for query: String, minimumScore: Double) throws -> [(id: Int64, score: FuzzyScore)] {
    try scoredCandidates(
      for: sourceAnalyzer.analyse(query), minimumScore: minimumScore, limit: Int.max, bruteForce: true)
      .map { (entries.id(at: $0.position), $0.score) }
  }

  /// Like ``matches(for:minimumScore:limit:)`` without building differences and suggestions.
  public func _indexedScores(
    for query: String, minimumScore: Double, limit: Int = Int.max
  ) throws -> [(id: Int64, score: FuzzyScore)] {
    try scoredCandidates(
      for: sourceAnalyzer.analyse(query), minimumScore: minimumScore, limit: limit, bruteForce: false)
      .map { (entries.id(at: $0.position), $0.score) }
  }

  /// The score of any source text against a query, without the index.
  public func score(of source: String, against query: String) -> FuzzyScore {
    var fresh: [String: UInt32] = [:]
    let queryIDs = interned(sourceAnalyzer.analyse(query), fresh: &fresh)
    let sourceIDs = interned(sourceAnalyzer.analyse(source), fresh: &fresh)
    return queryIDs.keys.withUnsafeBufferPointer { qk in
      queryIDs.surfaces.withUnsafeBufferPointer { qs in
        queryIDs.marks.withUnsafeBufferPointer { qm in
          sourceIDs.keys.withUnsafeBufferPointer { sk in
            sourceIDs.surfaces.withUnsafeBufferPointer { ss in
              sourceIDs.marks.withUnsafeBufferPointer { sm in
                FuzzyDistance.score(
                  queryKeys: qk, querySurfaces: qs, queryMarks: qm, sourceKeys: sk,
                  sourceSurfaces: ss, sourceMarks: sm)
              }
            }
          }
        }
      }
    }
  }

  struct InternedText {
    var keys: [UInt32]
    var surfaces: [UInt32]
    var marks: [UInt32]
  }

  /// The ids of an analysed text; strings the index has never seen get fresh ids.
  func interned(_ analysed: AnalysedText, fresh: inout [String: UInt32]) -> InternedText {
    func id(_ text: String, _ table: [String: UInt32], namespace: String) -> UInt32 {
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
  private func scoredCandidates(
    for analysed: AnalysedText, minimumScore: Double, limit: Int, bruteForce: Bool
  ) throws -> [(position: Int, score: FuzzyScore)] {
    guard minimumScore >= 0, minimumScore <= 100 else { throw FuzzyError.invalidMinimumScore(minimumScore) }
    guard limit >= 1 else { throw FuzzyError.invalidLimit(limit) }
    var fresh: [String: UInt32] = [:]
    let ids = interned(analysed, fresh: &fresh)
    let scratch = scratchPool.take(entryCount: entries.count)
    defer { scratchPool.give(back: scratch) }
    var best = TopResults(limit: limit, entries: entries)
    ids.keys.withUnsafeBufferPointer { queryKeys in
      ids.surfaces.withUnsafeBufferPointer { querySurfaces in
        ids.marks.withUnsafeBufferPointer { queryMarks in
          unitKeys.withUnsafeBufferPointer { allKeys in
            unitSurfaces.withUnsafeBufferPointer { allSurfaces in
              marks.withUnsafeBufferPointer { allMarks in
                func fullScore(_ ordinal: Int, distance: Int? = nil) -> FuzzyScore {
                  let units = Int(unitStart[ordinal])..<Int(unitStart[ordinal + 1])
                  let markRange = Int(markStart[ordinal])..<Int(markStart[ordinal + 1])
                  return FuzzyDistance.score(
                    queryKeys: queryKeys, querySurfaces: querySurfaces, queryMarks: queryMarks,
                    sourceKeys: UnsafeBufferPointer(rebasing: allKeys[units]),
                    sourceSurfaces: UnsafeBufferPointer(rebasing: allSurfaces[units]),
                    sourceMarks: UnsafeBufferPointer(rebasing: allMarks[markRange]),
                    knownDistance: distance)
                }
                let tau = minimumScore / 100
                if bruteForce || tau <= 0 {
                  for ordinal in 0..<entries.count {
                    let score = fullScore(ordinal)
                    if score.value >= minimumScore { best.insert(Int(entryAtOrdinal[ordinal]), score) }
                  }
                  return
                }
                // Passes at higher floors first: a pass finds every entry at or above its floor,
                // so when it finds `limit` of them they are the best `limit` overall. Short
                // queries of common words then read one short posting list instead of several
                // long ones.
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
                    let units = Int(unitStart[Int(ordinal)])..<Int(unitStart[Int(ordinal) + 1])
                    let longest = max(queryLength, units.count)
                    if longest == 0 {
                      bounded.append((100, ordinal))
                      continue
                    }
                    let sharedNeeded = Int((tau * Double(longest) - 1e-9).rounded(.up))
                    guard
                      let shared = scratch.sharedCount(
                        with: UnsafeBufferPointer(rebasing: allKeys[units]), atLeast: sharedNeeded)
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
                    let units = Int(unitStart[ordinal])..<Int(unitStart[ordinal + 1])
                    let sourceKeys = UnsafeBufferPointer(rebasing: allKeys[units])
                    let longest = max(queryLength, sourceKeys.count)
                    let distanceLimit = Int(((1 - threshold / 100) * Double(longest) + 1e-9).rounded(.down))
                    guard
                      let distance = FuzzyDistance.boundedDistance(
                        queryKeys, sourceKeys, limit: distanceLimit, rows: &scratch.rows)
                    else { continue }
                    let score = fullScore(ordinal, distance: distance)
                    if score.value >= threshold { best.insert(Int(entryAtOrdinal[ordinal]), score) }
                  }
                  if best.count >= limit { break }
                }
              }
            }
          }
        }
      }
    }
    return best.sorted()
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
    guard firstOrdinal < endOrdinal else { return [] }
    if queryLength == 0 { return (firstOrdinal..<endOrdinal).map { UInt32($0) } }
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
      let low = lowerBound(in: list, UInt32(firstOrdinal))
      let high = lowerBound(in: low..<list.upperBound, UInt32(endOrdinal))
      for offset in low..<high {
        let ordinal = postings[offset]
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

  func precedes(_ lhs: (position: Int, score: FuzzyScore), _ rhs: (position: Int, score: FuzzyScore)) -> Bool {
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

/// Strings interned by one core, with the ids the merge gave them so far.
final class LocalTable {
  private var ids: [String: UInt32] = [:]
  private var names: [String] = []
  /// Local id → global id, for the names merged already.
  private var global: [UInt32] = []

  func id(_ text: String) -> UInt32 {
    if let id = ids[text] { return id }
    let id = UInt32(names.count)
    ids[text] = id
    names.append(text)
    return id
  }

  /// Gives global ids to the names added since the last merge; returns local → global.
  func globalIDs(merging table: inout [String: UInt32]) -> [UInt32] {
    for name in names[global.count...] {
      if let id = table[name] {
        global.append(id)
      } else {
        let id = UInt32(table.count)
        table[name] = id
        global.append(id)
      }
    }
    return global
  }
}

/// One core's share of a block of analysed sources, as local ids.
private final class BlockInterner: @unchecked Sendable {
  let keys = LocalTable()
  let surfaces = LocalTable()
  let marks = LocalTable()
  var unitKeys: [UInt32] = []
  var unitSurfaces: [UInt32] = []
  var markItems: [UInt32] = []
  var unitCounts: [Int] = []
  var markCounts: [Int] = []

  func startBlock() {
    unitKeys.removeAll(keepingCapacity: true)
    unitSurfaces.removeAll(keepingCapacity: true)
    markItems.removeAll(keepingCapacity: true)
    unitCounts.removeAll(keepingCapacity: true)
    markCounts.removeAll(keepingCapacity: true)
  }

  func add(_ analysed: AnalysedText) {
    for unit in analysed.units {
      unitKeys.append(keys.id(unit.key))
      unitSurfaces.append(surfaces.id(unit.surface))
    }
    for mark in analysed.marks {
      let id = marks.id(mark.text)
      markItems.append(mark.isInlineCode ? id | FuzzyDistance.inlineCodeBit : id)
    }
    unitCounts.append(analysed.units.count)
    markCounts.append(analysed.marks.count)
  }
}

/// Per-query working memory, reused across queries.
final class Scratch: @unchecked Sendable {
  var stamps: [UInt32] = []
  private var stamp: UInt32 = 0
  var rows: [Int32] = []
  private var tableKeys: [UInt32] = []
  private var tableCounts: [Int32] = []
  private var tableUsed: [Int32] = []
  private var tableMask = 0

  func nextStamp() -> UInt32 {
    stamp &+= 1
    if stamp == 0 {
      for index in stamps.indices { stamps[index] = 0 }
      stamp = 1
    }
    return stamp
  }

  /// An open-addressing table of the query's key counts.
  func prepareTable(for keys: UnsafeBufferPointer<UInt32>) {
    var size = 16
    while size < keys.count * 2 { size *= 2 }
    tableMask = size - 1
    tableKeys = [UInt32](repeating: UInt32.max, count: size)
    tableCounts = [Int32](repeating: 0, count: size)
    tableUsed = [Int32](repeating: 0, count: size)
    for key in keys {
      var slot = Int(key &* 2_654_435_761) & tableMask
      while tableKeys[slot] != UInt32.max && tableKeys[slot] != key { slot = (slot + 1) & tableMask }
      tableKeys[slot] = key
      tableCounts[slot] += 1
    }
  }

  /// The size of the multiset intersection with the query, or `nil` when it is below `needed`.
  func sharedCount(with keys: UnsafeBufferPointer<UInt32>, atLeast needed: Int) -> Int? {
    for index in tableUsed.indices { tableUsed[index] = 0 }
    var shared = 0
    var remaining = keys.count
    for key in keys {
      remaining -= 1
      var slot = Int(key &* 2_654_435_761) & tableMask
      while true {
        let stored = tableKeys[slot]
        if stored == key {
          if tableUsed[slot] < tableCounts[slot] {
            tableUsed[slot] += 1
            shared += 1
          }
          break
        }
        if stored == UInt32.max { break }
        slot = (slot + 1) & tableMask
      }
      if shared + remaining < needed { return nil }
    }
    return shared >= needed ? shared : nil
  }
}

/// Scratch memory for concurrent queries.
private final class ScratchPool: @unchecked Sendable {
  private let lock = NSLock()
  private var free: [Scratch] = []

  func take(entryCount: Int) -> Scratch {
    lock.lock()
    let scratch = free.popLast() ?? Scratch()
    lock.unlock()
    if scratch.stamps.count < entryCount {
      scratch.stamps = [UInt32](repeating: 0, count: entryCount)
    }
    return scratch
  }

  func give(back scratch: Scratch) {
    lock.lock()
    free.append(scratch)
    lock.unlock()
  }
}
