import Foundation
import TextSegmentation

extension FuzzyIndex {
  /// Builds the index.
  ///
  /// Entries whose languages are `to`→`from` are turned around; entries in other languages
  /// are left out, and so are those whose source or target is longer than
  /// ``maximumTextLength`` (counted in ``omittedCount``).
  ///
  /// - Throws: ``FuzzyError/unsupportedLanguage(_:)`` when ICU has no word rules.
  /// - Complexity: O(total length of the sources kept), each at most ``maximumTextLength``.
  public convenience init(
    entries: some Sequence<FuzzyEntry>, from source: Language, to target: Language
  ) throws {
    let (oriented, omittedCount) = Self.oriented(entries, from: source, to: target)
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
      postings: inverted.postings, lengthStart: ranked.lengthStart, omittedCount: omittedCount)
  }

  /// The entries in `source`→`target`, those in `target`→`source` turned around, without
  /// those with a text too long to match; and how many of these there were.
  private static func oriented(
    _ entries: some Sequence<FuzzyEntry>, from source: Language, to target: Language
  ) -> (entries: [FuzzyEntry], omitted: Int) {
    var oriented: [FuzzyEntry] = []
    var omitted = 0
    for entry in entries {
      let forward = entry.sourceLanguage == source && entry.targetLanguage == target
      guard forward || (entry.sourceLanguage == target && entry.targetLanguage == source) else { continue }
      guard isShortEnough(entry.source), isShortEnough(entry.target) else {
        omitted += 1
        continue
      }
      oriented.append(forward ? entry : entry.reversed)
    }
    return (oriented, omitted)
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
    // Tokenizing is the cost: do it in blocks on every core. Each core also interns into
    // its own tables, kept from block to block, so that strings are hashed in parallel; the
    // merge then only maps the strings a core had not seen before to global ids and copies
    // integers.
    let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
    var interners = [Interner](repeating: Interner(), count: workerCount)
    let blockSize = 4096 * workerCount
    var blockStart = 0
    while blockStart < sources.count {
      let block = blockStart..<min(blockStart + blockSize, sources.count)
      let chunk = (block.count + workerCount - 1) / workerCount
      interners = concurrentMap(consume interners) { worker, interner in
        var interner = interner
        interner.startBlock()
        let low = block.lowerBound + worker * chunk
        for position in low..<max(low, min(block.upperBound, low + chunk)) {
          interner.add(analyzer.analyse(sources[position].source))
        }
        return interner
      }
      for worker in interners.indices { merge(&interners[worker]) }
      blockStart += blockSize
    }
  }

  private mutating func merge(_ interner: inout Interner) {
    let block = interner.block
    let keyMap = interner.keys.globalIDs(merging: &keyIDs)
    let surfaceMap = interner.surfaces.globalIDs(merging: &surfaceIDs)
    let markMap = interner.marks.globalIDs(merging: &markIDs)
    var unitOffset = 0
    var markOffset = 0
    for (unitCount, markCount) in zip(block.unitCounts, block.markCounts) {
      let unitCount = Int(unitCount)
      let markCount = Int(markCount)
      for offset in unitOffset..<(unitOffset + unitCount) {
        unitKeys.append(keyMap[Int(block.unitKeys[offset])])
        unitSurfaces.append(surfaceMap[Int(block.unitSurfaces[offset])])
      }
      for offset in markOffset..<(markOffset + markCount) {
        let local = block.markItems[offset]
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
    for length in 0...maximumLength {
      lengthStart[length + 1] = lengthStart[length] + lengthCount[length + 1]
    }
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

/// Strings interned by one worker, with the global ids the merge gave them so far.
private struct LocalTable {
  private var ids: [String: UInt32] = [:]
  private var names: [String] = []
  /// Local id → global id, for the names merged already.
  private var global: [UInt32] = []

  mutating func id(_ text: String) -> UInt32 {
    if let id = ids[text] { return id }
    let id = UInt32(names.count)
    ids[text] = id
    names.append(text)
    return id
  }

  /// Gives global ids to the names added since the last merge; returns local → global.
  mutating func globalIDs(merging table: inout [String: UInt32]) -> [UInt32] {
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

/// One worker's tables, kept from block to block, and its part of the current block.
private struct Interner: Sendable {
  var keys = LocalTable()
  var surfaces = LocalTable()
  var marks = LocalTable()
  var block = InternedBlock()

  mutating func startBlock() {
    block.unitKeys.removeAll(keepingCapacity: true)
    block.unitSurfaces.removeAll(keepingCapacity: true)
    block.markItems.removeAll(keepingCapacity: true)
    block.unitCounts.removeAll(keepingCapacity: true)
    block.markCounts.removeAll(keepingCapacity: true)
  }

  mutating func add(_ analysed: AnalysedText) {
    for unit in analysed.units {
      block.unitKeys.append(keys.id(unit.key))
      block.unitSurfaces.append(surfaces.id(unit.surface))
    }
    for mark in analysed.marks {
      let id = marks.id(mark.text)
      block.markItems.append(mark.isInlineCode ? id | FuzzyDistance.inlineCodeBit : id)
    }
    block.unitCounts.append(UInt32(analysed.units.count))
    block.markCounts.append(UInt32(analysed.marks.count))
  }
}

/// One worker's part of a block of analysed sources, as ids local to the worker.
private struct InternedBlock: Sendable {
  var unitKeys: [UInt32] = []
  var unitSurfaces: [UInt32] = []
  var markItems: [UInt32] = []
  /// Units and marks per source.
  var unitCounts: [UInt32] = []
  var markCounts: [UInt32] = []
}

/// `transform(i, inputs[i])` for every `i`, run on every core at once; the outputs in order.
///
/// Each input is moved to its worker, so that the worker changes it without a copy.
private func concurrentMap<Input: Sendable, Output: Sendable>(
  _ inputs: consuming [Input], _ transform: @Sendable (Int, consuming Input) -> Output
) -> [Output] {
  let slots = WorkerSlots<Input, Output>(inputs)
  DispatchQueue.concurrentPerform(iterations: slots.count) { worker in
    slots.setOutput(transform(worker, slots.takeInput(worker)), worker)
  }
  return slots.takeOutputs()
}

/// The inputs and outputs of concurrent workers, one slot each.
///
/// `@unchecked`: every access to the slots holds `lock`.
private final class WorkerSlots<Input: Sendable, Output: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var inputs: [Input?]
  private var outputs: [Output?]
  let count: Int

  init(_ inputs: consuming [Input]) {
    count = inputs.count
    self.inputs = inputs.map { $0 }
    outputs = Array(repeating: nil, count: count)
  }

  func takeInput(_ worker: Int) -> Input {
    lock.lock()
    defer { lock.unlock() }
    guard let input = inputs[worker] else { preconditionFailure("input \(worker) taken twice") }
    inputs[worker] = nil
    return input
  }

  func setOutput(_ output: Output, _ worker: Int) {
    lock.lock()
    outputs[worker] = output
    lock.unlock()
  }

  func takeOutputs() -> [Output] {
    lock.lock()
    defer { lock.unlock() }
    let result = outputs.map { output in
      guard let output else { preconditionFailure("concurrentPerform returned before a worker") }
      return output
    }
    outputs = []
    return result
  }
}
