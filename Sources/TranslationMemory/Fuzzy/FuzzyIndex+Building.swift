import Foundation
import TextSegmentation

extension FuzzyIndex {
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
    let oriented = Self.oriented(entries, from: source, to: target)
    let interned = InternedSources(oriented, analyzer: try FuzzyAnalyzer(language: source))
    let (keyIDs, surfaceIDs, markIDs) = (interned.keyIDs, interned.surfaceIDs, interned.markIDs)
    // Consumed, so that the unsorted tables are freed before the postings are allocated.
    let ranked = RankedUnits(consume interned)
    let inverted = InvertedIndex(ranked, vocabularySize: keyIDs.count)
    try self.init(
      entries: Entries(oriented), from: source, to: target, keyIDs: keyIDs,
      surfaceIDs: surfaceIDs, markIDs: markIDs, entryAtOrdinal: ranked.entryAtOrdinal,
      unitStart: ranked.unitStart, unitKeys: ranked.unitKeys, unitSurfaces: ranked.unitSurfaces,
      markStart: ranked.markStart, marks: ranked.marks, postingStart: inverted.postingStart,
      postings: inverted.postings, lengthStart: ranked.lengthStart)
  }

  /// The entries in `source`→`target`, those in `target`→`source` turned around.
  private static func oriented(
    _ entries: some Sequence<FuzzyEntry>, from source: Language, to target: Language
  ) -> [FuzzyEntry] {
    var oriented: [FuzzyEntry] = []
    for entry in entries {
      if entry.sourceLanguage == source, entry.targetLanguage == target {
        oriented.append(entry)
      } else if entry.sourceLanguage == target, entry.targetLanguage == source {
        oriented.append(entry.reversed)
      }
    }
    return oriented
  }
}

/// The sources cut into units and marks, as global ids, in the order of the sources.
private struct InternedSources {
  var keyIDs: [String: UInt32] = [:]
  var surfaceIDs: [String: UInt32] = [:]
  var markIDs: [String: UInt32] = [:]
  /// Source `p`'s units are `unitKeys[unitStart[p]..<unitStart[p + 1]]` (and `unitSurfaces`).
  var unitStart: [UInt32] = [0]
  var unitKeys: [UInt32] = []
  var unitSurfaces: [UInt32] = []
  /// Source `p`'s marks are `marks[markStart[p]..<markStart[p + 1]]`.
  var markStart: [UInt32] = [0]
  var marks: [UInt32] = []

  init(_ sources: [FuzzyEntry], analyzer: FuzzyAnalyzer) {
    for (offset, name) in FuzzyDistance.placeableClasses.enumerated() { keyIDs[name] = UInt32(offset) }
    unitStart.reserveCapacity(sources.count + 1)
    markStart.reserveCapacity(sources.count + 1)
    // Tokenizing is the cost: each core takes a share of the sources and also interns them
    // into its own tables, so that strings are hashed in parallel; the merge then only maps
    // each string a core has seen to its global id and copies integers.
    let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let share = (sources.count + workerCount - 1) / workerCount
    var shares = concurrentResults(count: workerCount) { worker in
      var interned = InternedShare()
      let low = min(sources.count, worker * share)
      for position in low..<min(sources.count, low + share) {
        interned.add(analyzer.analyse(sources[position].source))
      }
      return interned
    }
    for worker in shares.indices {
      let share = shares[worker]
      shares[worker] = InternedShare()  // freed after its merge
      merge(share)
    }
  }

  private mutating func merge(_ share: InternedShare) {
    let keyMap = share.keys.globalIDs(merging: &keyIDs)
    let surfaceMap = share.surfaces.globalIDs(merging: &surfaceIDs)
    let markMap = share.marks.globalIDs(merging: &markIDs)
    unitKeys.reserveCapacity(unitKeys.count + share.unitKeys.count)
    unitSurfaces.reserveCapacity(unitSurfaces.count + share.unitSurfaces.count)
    marks.reserveCapacity(marks.count + share.markItems.count)
    var unitOffset = 0
    var markOffset = 0
    for (unitCount, markCount) in zip(share.unitCounts, share.markCounts) {
      let unitCount = Int(unitCount)
      let markCount = Int(markCount)
      for offset in unitOffset..<(unitOffset + unitCount) {
        unitKeys.append(keyMap[Int(share.unitKeys[offset])])
        unitSurfaces.append(surfaceMap[Int(share.unitSurfaces[offset])])
      }
      for offset in markOffset..<(markOffset + markCount) {
        let local = share.markItems[offset]
        let id = markMap[Int(local & ~FuzzyDistance.inlineCodeBit)]
        marks.append(local & FuzzyDistance.inlineCodeBit != 0 ? id | FuzzyDistance.inlineCodeBit : id)
      }
      unitOffset += unitCount
      markOffset += markCount
      unitStart.append(UInt32(unitKeys.count))
      markStart.append(UInt32(marks.count))
    }
  }
}

/// The tables of ``InternedSources`` with the sources ranked by length (their ordinals), so
/// that postings filled in ordinal order are sorted by length.
private struct RankedUnits {
  /// Ordinal → position of the source.
  var entryAtOrdinal: [UInt32]
  /// `lengthStart[l]`: the first ordinal whose length is at least `l`.
  var lengthStart: [Int]
  var unitStart: [UInt32] = [0]
  var unitKeys: [UInt32] = []
  var unitSurfaces: [UInt32] = []
  var markStart: [UInt32] = [0]
  var marks: [UInt32] = []

  init(_ interned: consuming InternedSources) {
    let unitStart = interned.unitStart
    let count = unitStart.count - 1
    let lengths = (0..<count).map { Int(unitStart[$0 + 1] - unitStart[$0]) }
    let maximumLength = lengths.max() ?? 0
    var lengthCount = [Int](repeating: 0, count: maximumLength + 2)
    for length in lengths { lengthCount[length + 1] += 1 }
    lengthStart = [Int](repeating: 0, count: maximumLength + 2)
    for length in 0...maximumLength { lengthStart[length + 1] = lengthStart[length] + lengthCount[length + 1] }
    var nextOrdinal = lengthStart
    entryAtOrdinal = [UInt32](repeating: 0, count: count)
    for position in 0..<count {
      entryAtOrdinal[nextOrdinal[lengths[position]]] = UInt32(position)
      nextOrdinal[lengths[position]] += 1
    }
    self.unitStart.reserveCapacity(count + 1)
    unitKeys.reserveCapacity(interned.unitKeys.count)
    unitSurfaces.reserveCapacity(interned.unitKeys.count)
    markStart.reserveCapacity(count + 1)
    marks.reserveCapacity(interned.marks.count)
    let markStart = interned.markStart
    for position in entryAtOrdinal {
      let units = Int(unitStart[Int(position)])..<Int(unitStart[Int(position) + 1])
      unitKeys.append(contentsOf: interned.unitKeys[units])
      unitSurfaces.append(contentsOf: interned.unitSurfaces[units])
      self.unitStart.append(UInt32(unitKeys.count))
      let markRange = Int(markStart[Int(position)])..<Int(markStart[Int(position) + 1])
      marks.append(contentsOf: interned.marks[markRange])
      self.markStart.append(UInt32(marks.count))
    }
  }
}

/// Each key id → the ordinals holding it, once each, ascending.
private struct InvertedIndex {
  /// The ordinals holding key `k` are `postings[postingStart[k]..<postingStart[k + 1]]`.
  var postingStart: [UInt32]
  var postings: [UInt32]

  init(_ ranked: RankedUnits, vocabularySize: Int) {
    let count = ranked.entryAtOrdinal.count
    let unitStart = ranked.unitStart
    let unitKeys = ranked.unitKeys
    postingStart = [UInt32](repeating: 0, count: vocabularySize + 1)
    var seen = [UInt32](repeating: UInt32.max, count: vocabularySize)
    for ordinal in 0..<count {
      for offset in Int(unitStart[ordinal])..<Int(unitStart[ordinal + 1]) {
        let key = Int(unitKeys[offset])
        if seen[key] != UInt32(ordinal) {
          seen[key] = UInt32(ordinal)
          postingStart[key + 1] += 1
        }
      }
    }
    for key in 0..<vocabularySize { postingStart[key + 1] += postingStart[key] }
    var fill = Array(postingStart.dropLast())
    postings = [UInt32](repeating: 0, count: Int(postingStart[vocabularySize]))
    seen = [UInt32](repeating: UInt32.max, count: vocabularySize)
    for ordinal in 0..<count {
      for offset in Int(unitStart[ordinal])..<Int(unitStart[ordinal + 1]) {
        let key = Int(unitKeys[offset])
        if seen[key] != UInt32(ordinal) {
          seen[key] = UInt32(ordinal)
          postings[Int(fill[key])] = UInt32(ordinal)
          fill[key] += 1
        }
      }
    }
  }
}

/// Strings interned by one worker, in the order it first saw them.
private struct LocalTable {
  private var ids: [String: UInt32] = [:]
  private var names: [String] = []

  mutating func id(_ text: String) -> UInt32 {
    if let id = ids[text] { return id }
    let id = UInt32(names.count)
    ids[text] = id
    names.append(text)
    return id
  }

  /// Local id → global id; names `table` lacks get the next global ids.
  func globalIDs(merging table: inout [String: UInt32]) -> [UInt32] {
    var global: [UInt32] = []
    global.reserveCapacity(names.count)
    for name in names {
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

/// One worker's share of the analysed sources, as ids local to the worker.
private struct InternedShare: Sendable {
  var keys = LocalTable()
  var surfaces = LocalTable()
  var marks = LocalTable()
  var unitKeys: [UInt32] = []
  var unitSurfaces: [UInt32] = []
  var markItems: [UInt32] = []
  /// Units and marks per source.
  var unitCounts: [UInt32] = []
  var markCounts: [UInt32] = []

  mutating func add(_ analysed: AnalysedText) {
    for unit in analysed.units {
      unitKeys.append(keys.id(unit.key))
      unitSurfaces.append(surfaces.id(unit.surface))
    }
    for mark in analysed.marks {
      let id = marks.id(mark.text)
      markItems.append(mark.isInlineCode ? id | FuzzyDistance.inlineCodeBit : id)
    }
    unitCounts.append(UInt32(analysed.units.count))
    markCounts.append(UInt32(analysed.marks.count))
  }
}

/// `work(0)`, …, `work(count − 1)`, run on every core at once, in that order.
private func concurrentResults<Result: Sendable>(
  count: Int, _ work: @Sendable (Int) -> Result
) -> [Result] {
  let slots = ResultSlots<Result>(count: count)
  DispatchQueue.concurrentPerform(iterations: count) { slots.set(work($0), at: $0) }
  return slots.values
}

/// Where concurrent workers leave their results.
private final class ResultSlots<Result: Sendable>: @unchecked Sendable {  // Guarded by `lock`.
  private let lock = NSLock()
  private var slots: [Result?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ result: Result, at index: Int) {
    lock.lock()
    slots[index] = result
    lock.unlock()
  }

  var values: [Result] {
    lock.lock()
    defer { lock.unlock() }
    return slots.map { slot in
      guard let slot else { preconditionFailure("concurrentPerform returned before a worker") }
      return slot
    }
  }
}
