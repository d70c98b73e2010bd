/// The cells of a band of the grid, laid out row after row in one array.
///
/// Row `i` holds columns `firstColumn[i]...lastColumn[i]`; the best path and the posteriors keep
/// one value per cell at ``cell(_:_:)``.
struct BandLayout {
  let firstColumn: [Int]
  let lastColumn: [Int]
  /// Where each row begins in the cell array; the last entry is the number of cells.
  let rowStart: [Int]

  init(firstColumn: [Int], lastColumn: [Int]) {
    self.firstColumn = firstColumn
    self.lastColumn = lastColumn
    var rowStart = [0]
    rowStart.reserveCapacity(firstColumn.count + 1)
    for row in firstColumn.indices {
      rowStart.append(rowStart[row] + lastColumn[row] - firstColumn[row] + 1)
    }
    self.rowStart = rowStart
  }

  /// The number of cells of the band.
  var cellCount: Int { rowStart[rowStart.count - 1] }

  /// Whether cell (`i`, `j`) lies in the band.
  @inline(__always)
  func contains(_ i: Int, _ j: Int) -> Bool {
    i >= 0 && i < firstColumn.count && j >= firstColumn[i] && j <= lastColumn[i]
  }

  /// The position of cell (`i`, `j`), which must lie in the band.
  @inline(__always)
  func cell(_ i: Int, _ j: Int) -> Int { rowStart[i] + j - firstColumn[i] }

  /// The position of cell (`i`, `j`), or `nil` outside the band.
  @inline(__always)
  func cellIfInside(_ i: Int, _ j: Int) -> Int? { contains(i, j) ? cell(i, j) : nil }
}

/// Lists of ids stored one after another, with the start of each list.
struct FlatLists {
  var offsets: [Int]
  var values: [Int32]

  init(_ lists: [[Int32]]) {
    offsets = [0]
    offsets.reserveCapacity(lists.count + 1)
    values = []
    values.reserveCapacity(lists.reduce(0) { $0 + $1.count })
    for list in lists {
      values.append(contentsOf: list)
      offsets.append(values.count)
    }
  }

  @inline(__always)
  subscript(index: Int) -> ArraySlice<Int32> { values[offsets[index]..<offsets[index + 1]] }
}

extension AlignmentProblem {
  /// Sets row `i` of the band to columns `low[i]...high[i]`, clamped to the grid and made monotone and
  /// connected, and computes the pairwise matches it needs.
  mutating func setBand(low: [Int], high: [Int]) {
    var first = low.map { min(max($0, 0), m) }
    var last = high.map { min(max($0, 0), m) }
    first[0] = 0
    last[n] = m
    for i in stride(from: n - 1, through: 0, by: -1) { first[i] = min(first[i], first[i + 1]) }
    for i in 1...n {
      last[i] = max(last[i], last[i - 1])
      first[i] = min(first[i], last[i - 1])
    }
    band = BandLayout(firstColumn: first, lastColumn: last)
    // Pairs of sentences that some bead of the band can join.
    pairTargetStart = [Int](repeating: 0, count: n)
    pairTargetEnd = [Int](repeating: 0, count: n)
    pairOffset = [Int](repeating: 0, count: n + 1)
    for s in 0..<n {
      pairTargetStart[s] = max(0, first[s + 1] - AlignmentProblem.maximumSpan)
      pairTargetEnd[s] = min(m, last[min(s + AlignmentProblem.maximumSpan, n)])
      pairOffset[s + 1] = pairOffset[s] + max(0, pairTargetEnd[s] - pairTargetStart[s])
    }
    computePairs()
  }

  /// Fills the pairwise match weights for the band.
  mutating func computePairs() {
    let total = pairOffset[n]
    var matchedSource = [Float](repeating: 0, count: total)
    var matchedTarget = [Float](repeating: 0, count: total)
    var sourceMask = [UInt64](repeating: 0, count: total)
    var targetMask = [UInt64](repeating: 0, count: total)
    var sourceOverflow = [Float](repeating: 0, count: total)
    var targetOverflow = [Float](repeating: 0, count: total)
    // Flat copies (offsets into one array) of the nested lists: the loop below runs over every
    // pair of the band and must not retain and release an inner array at each step.
    let sourceWords = FlatLists(sourceIds)
    let targetWords = FlatLists(targetIds)
    let forward = FlatLists(links)
    let backward = FlatLists(reverseLinks)
    var sourceStamp = [Int32](repeating: -1, count: links.count)
    var targetStamp = [Int32](repeating: -1, count: reverseLinks.count)
    var serial: Int32 = 0
    sourceWeight.withUnsafeBufferPointer { sourceWeight in
      targetWeight.withUnsafeBufferPointer { targetWeight in
        for s in 0..<n {
          for id in sourceWords[s] { sourceStamp[Int(id)] = Int32(s) }
          for t in pairTargetStart[s]..<max(pairTargetStart[s], pairTargetEnd[s]) {
            serial += 1
            for id in targetWords[t] { targetStamp[Int(id)] = serial }
            // The matched words among a sentence's first 64 are also kept as a bit mask, so that
            // a bead can count each word once however many sentences of the other side match it.
            var source = 0.0
            var sourceBits: UInt64 = 0
            var sourceRest = 0.0
            for (position, id) in sourceWords[s].enumerated() {
              for target in forward[Int(id)] where targetStamp[Int(target)] == serial {
                source += sourceWeight[Int(id)]
                if position < 64 {
                  sourceBits |= 1 << UInt64(position)
                } else {
                  sourceRest += sourceWeight[Int(id)]
                }
                break
              }
            }
            var target = 0.0
            var targetBits: UInt64 = 0
            var targetRest = 0.0
            for (position, id) in targetWords[t].enumerated() {
              for back in backward[Int(id)] where sourceStamp[Int(back)] == Int32(s) {
                target += targetWeight[Int(id)]
                if position < 64 {
                  targetBits |= 1 << UInt64(position)
                } else {
                  targetRest += targetWeight[Int(id)]
                }
                break
              }
            }
            let index = pairOffset[s] + t - pairTargetStart[s]
            matchedSource[index] = Float(source)
            matchedTarget[index] = Float(target)
            sourceMask[index] = sourceBits
            targetMask[index] = targetBits
            sourceOverflow[index] = Float(sourceRest)
            targetOverflow[index] = Float(targetRest)
          }
        }
      }
    }
    self.matchedSource = matchedSource
    self.matchedTarget = matchedTarget
    self.sourceMask = sourceMask
    self.targetMask = targetMask
    self.sourceOverflow = sourceOverflow
    self.targetOverflow = targetOverflow
    computeAvailableEvidence()
  }

  /// The most word weight of each sentence that a few neighbouring sentences of the other side
  /// explain (the best window of ``SentenceAligner/Configuration/evidenceWindow`` sentences in the
  /// band): how much evidence the sentence has at all, against which a bead's share is judged.
  mutating func computeAvailableEvidence() {
    let window = configuration.evidenceWindow
    var source = [Double](repeating: 0, count: n)
    var target = [Double](repeating: 0, count: m)
    if window > 0 {
      for s in 0..<n {
        var best = 0.0
        var j = pairTargetStart[s]
        while j < pairTargetEnd[s] {
          best = max(best, unionSource(s, j, min(window, pairTargetEnd[s] - j)))
          j += 1
        }
        source[s] = best
        for t in pairTargetStart[s]..<max(pairTargetStart[s], pairTargetEnd[s]) {
          target[t] = max(target[t], unionTarget(t, s, min(window, n - s)))
        }
      }
    }
    sourceAvailable = source
    targetAvailable = target
  }

  /// The word weight of source sentence `s` that finds a translation in target sentences
  /// `j..<j + b`, each word counted once (the union of its pairwise matches).
  @inline(__always)
  func unionSource(_ s: Int, _ j: Int, _ b: Int) -> Double {
    if b == 1 { return pair(s, j).source }
    let low = max(j, pairTargetStart[s])
    let high = min(j + b, pairTargetEnd[s])
    if low >= high { return 0 }
    var mask: UInt64 = 0
    var overflow = 0.0
    let base = pairOffset[s] - pairTargetStart[s]
    for t in low..<high {
      mask |= sourceMask[base + t]
      overflow += Double(sourceOverflow[base + t])
    }
    return maskWeight(mask, sourcePositionWeight, s) + overflow
  }

  /// The word weight of target sentence `t` that finds a translation in source sentences
  /// `i..<i + a`, each word counted once.
  @inline(__always)
  func unionTarget(_ t: Int, _ i: Int, _ a: Int) -> Double {
    if a == 1 { return pair(i, t).target }
    var mask: UInt64 = 0
    var overflow = 0.0
    for s in i..<i + a where t >= pairTargetStart[s] && t < pairTargetEnd[s] {
      let index = pairOffset[s] + t - pairTargetStart[s]
      mask |= targetMask[index]
      overflow += Double(targetOverflow[index])
    }
    return maskWeight(mask, targetPositionWeight, t) + overflow
  }

  @inline(__always)
  func maskWeight(_ mask: UInt64, _ weights: PositionWeights, _ sentence: Int) -> Double {
    var bits = mask
    var total = 0.0
    let start = weights.offsets[sentence]
    while bits != 0 {
      total += weights.values[start + bits.trailingZeroBitCount]
      bits &= bits - 1
    }
    return total
  }

  /// The word weight of source sentence `s` and of target sentence `t` that finds a translation
  /// on the other side; nothing for a pair outside the band.
  @inline(__always)
  func pair(_ s: Int, _ t: Int) -> (source: Double, target: Double) {
    guard t >= pairTargetStart[s], t < pairTargetEnd[s] else { return (0, 0) }
    let index = pairOffset[s] + t - pairTargetStart[s]
    return (Double(matchedSource[index]), Double(matchedTarget[index]))
  }
}
