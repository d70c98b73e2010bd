import Foundation
import TextSegmentation


/// One step of a path through the alignment grid: a bead ending at source row `i`, target column `j`.
struct PathStep: Equatable {
  var i: Int
  var j: Int
  var shape: Int
}

/// A sum of probabilities given by their logarithms, kept as a logarithm.
struct LogSum {
  private var maximum = -Double.infinity
  private var sum = 0.0

  @inline(__always)
  mutating func add(_ logValue: Double) {
    if logValue <= maximum {
      sum += exp(logValue - maximum)
    } else {
      sum = sum * exp(maximum - logValue) + 1
      maximum = logValue
    }
  }

  var value: Double { maximum == -.infinity ? -.infinity : maximum + log(sum) }
}

/// Lists of ids stored one after another, with the start of each list.
struct Flat {
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

/// The working state of one alignment: sentence features, word links and the banded programme.
struct AlignmentProblem {
  static let shapes: [(a: Int, b: Int)] = [(1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1)]
  static let maximumSpan = 4

  let n: Int
  let m: Int
  let configuration: SentenceAligner.Configuration
  let shapeCost: [Double]

  // Sentence features: unique word ids (stems, numbers, symbols) and their weights.
  var sourceIds: [[Int32]] = []
  var targetIds: [[Int32]] = []
  var sourceWeight: [Double] = []
  var targetWeight: [Double] = []
  var sourceSentenceWeight: [Double] = []
  var targetSentenceWeight: [Double] = []
  let sourceCumulative: [Double]
  let targetCumulative: [Double]
  let lengthRatio: Double

  // Word links from source ids to target ids, and back.
  var links: [[Int32]] = []
  var reverseLinks: [[Int32]] = []

  // The band: row i of the grid holds columns lo[i]...hi[i].
  var lo: [Int] = []
  var hi: [Int] = []

  // Pairwise lexical matches inside the band: source sentence s, target sentence t in pairLo[s]..<pairHi[s].
  var pairLo: [Int] = []
  var pairHi: [Int] = []
  var pairStart: [Int] = []
  var matchedSource: [Float] = []
  var matchedTarget: [Float] = []

  /// The median word weight of the sentences of both sides.
  var medianSentenceWeight: Double = 1

  init(
    source: [[(key: String, kind: WordFeatures.Kind)]], sourceLengths: [Double],
    target: [[(key: String, kind: WordFeatures.Kind)]], targetLengths: [Double],
    stemLexicon: [String: [String]], configuration: SentenceAligner.Configuration
  ) {
    n = source.count
    m = target.count
    self.configuration = configuration
    shapeCost = AlignmentProblem.shapes.map {
      configuration.shapeCosts[SentenceAligner.BeadShape($0.a, $0.b)] ?? 10
    }
    var cumulative = [0.0]
    for length in sourceLengths { cumulative.append((cumulative.last ?? 0) + length) }
    sourceCumulative = cumulative
    cumulative = [0.0]
    for length in targetLengths { cumulative.append((cumulative.last ?? 0) + length) }
    targetCumulative = cumulative
    let sourceTotal = sourceCumulative[n]
    let targetTotal = targetCumulative[m]
    lengthRatio = sourceTotal > 0 && targetTotal > 0 ? targetTotal / sourceTotal : 1

    let stemLength = configuration.stemLength
    var sourceVocabulary: [String: Int32] = [:]
    var targetVocabulary: [String: Int32] = [:]
    var sourceKeys: [String] = []
    var targetKeys: [String] = []
    var sourceExact: [Bool] = []
    var targetExact: [Bool] = []
    var sourceWords: [String: Int32] = [:]
    var targetWords: [String: Int32] = [:]
    func ids(
      _ tokens: [(key: String, kind: WordFeatures.Kind)], _ vocabulary: inout [String: Int32], _ keys: inout [String], _ exact: inout [Bool],
      _ words: inout [String: Int32]
    ) -> [Int32] {
      var result: [Int32] = []
      for token in tokens {
        let key: String
        let isExact: Bool
        switch token.kind {
        case .word:
          key = SentenceAligner.stem(token.key, length: stemLength)
          isExact = false
        case .exact:
          key = token.key
          isExact = true
        }
        if key.isEmpty { continue }
        let id: Int32
        if let known = vocabulary[key] {
          id = known
        } else {
          id = Int32(keys.count)
          vocabulary[key] = id
          keys.append(key)
          exact.append(isExact)
        }
        if !isExact && words[token.key] == nil { words[token.key] = id }
        if !result.contains(id) { result.append(id) }
      }
      return result
    }
    sourceIds = source.map { ids($0, &sourceVocabulary, &sourceKeys, &sourceExact, &sourceWords) }
    targetIds = target.map { ids($0, &targetVocabulary, &targetKeys, &targetExact, &targetWords) }

    func weights(_ sentences: [[Int32]], vocabularySize: Int) -> [Double] {
      var frequency = [Int](repeating: 0, count: vocabularySize)
      for sentence in sentences { for id in sentence { frequency[Int(id)] += 1 } }
      let count = Double(sentences.count)
      // Squared inverse document frequency: rare words (names, content words) carry the evidence,
      // words found in most sentences almost none, so chance matches do not favour merged beads.
      return frequency.map {
        let idf = log(1 + count / Double(max(1, $0)))
        return idf * idf
      }
    }
    sourceWeight = weights(sourceIds, vocabularySize: sourceKeys.count)
    targetWeight = weights(targetIds, vocabularySize: targetKeys.count)

    // Links: the same key on both sides (names, numbers, cognates sharing a stem), then the lexicon.
    var links = [[Int32]](repeating: [], count: sourceKeys.count)
    for (id, key) in sourceKeys.enumerated() {
      if key.unicodeScalars.count >= 3 || sourceExact[id], let target = targetVocabulary[key] {
        links[id].append(target)
      }
      if !sourceExact[id], let translations = stemLexicon[key] {
        for translation in translations {
          if let target = targetVocabulary[translation], !links[id].contains(target) {
            links[id].append(target)
          }
        }
      }
    }
    if configuration.cognateThreshold <= 1 {
      AlignmentProblem.addCognates(
        from: sourceWords, to: targetWords, threshold: configuration.cognateThreshold,
        minimumLength: configuration.cognateMinimumLength, into: &links)
    }
    self.links = links
    reverseLinks = AlignmentProblem.reverse(links, targetCount: targetKeys.count)
    sourceSentenceWeight = sourceIds.map { sentence in sentence.reduce(0) { $0 + sourceWeight[Int($1)] } }
    targetSentenceWeight = targetIds.map { sentence in sentence.reduce(0) { $0 + targetWeight[Int($1)] } }
    let allWeights = (sourceSentenceWeight + targetSentenceWeight).sorted()
    medianSentenceWeight = max(1e-9, allWeights.isEmpty ? 1 : allWeights[allWeights.count / 2])
  }

  /// Links words whose longest common subsequence covers at least `threshold` of the longer word
  /// (Melamed's LCSR), for words of `minimumLength` letters or more that start with the same letter.
  static func addCognates(
    from sourceWords: [String: Int32], to targetWords: [String: Int32], threshold: Double, minimumLength: Int,
    into links: inout [[Int32]]
  ) {
    var buckets = [[(bytes: [UInt8], id: Int32)]](repeating: [], count: 256)
    for (word, id) in targetWords {
      let bytes = Array(word.utf8)
      guard bytes.count >= minimumLength, bytes.count <= 64 else { continue }
      buckets[Int(bytes[0])].append((bytes, id))
    }
    var masks = [UInt64](repeating: 0, count: 256)
    for (word, sourceId) in sourceWords {
      let a = Array(word.utf8)
      guard a.count >= minimumLength, a.count <= 64 else { continue }
      let candidates = buckets[Int(a[0])]
      if candidates.isEmpty { continue }
      for (position, byte) in a.enumerated() { masks[Int(byte)] |= 1 << UInt64(position) }
      let full: UInt64 = a.count == 64 ? ~0 : (1 << UInt64(a.count)) - 1
      for candidate in candidates {
        let b = candidate.bytes
        let longer = Double(max(a.count, b.count))
        if Double(min(a.count, b.count)) < threshold * longer { continue }
        // Hyyrö's bit-parallel LCS length.
        var v = full
        for byte in b {
          let u = v & masks[Int(byte)]
          v = ((v &+ u) | (v &- u)) & full
        }
        let lcs = a.count - v.nonzeroBitCount
        if Double(lcs) >= threshold * longer, !links[Int(sourceId)].contains(candidate.id) {
          links[Int(sourceId)].append(candidate.id)
        }
      }
      for byte in a { masks[Int(byte)] = 0 }
    }
  }

  static func reverse(_ links: [[Int32]], targetCount: Int) -> [[Int32]] {
    var reverse = [[Int32]](repeating: [], count: targetCount)
    for (source, targets) in links.enumerated() {
      for target in targets { reverse[Int(target)].append(Int32(source)) }
    }
    return reverse
  }

  // MARK: - Band

  /// Sets the band to `center[i] - width ... center[i] + width`, made monotone and connected.
  mutating func setBand(low: [Int], high: [Int]) {
    lo = low.map { min(max($0, 0), m) }
    hi = high.map { min(max($0, 0), m) }
    lo[0] = 0
    hi[n] = m
    for i in stride(from: n - 1, through: 0, by: -1) { lo[i] = min(lo[i], lo[i + 1]) }
    for i in 1...n {
      hi[i] = max(hi[i], hi[i - 1])
      lo[i] = min(lo[i], hi[i - 1])
    }
    // Pairs of sentences that some bead of the band can join.
    pairLo = [Int](repeating: 0, count: n)
    pairHi = [Int](repeating: 0, count: n)
    pairStart = [Int](repeating: 0, count: n + 1)
    for s in 0..<n {
      pairLo[s] = max(0, lo[s + 1] - AlignmentProblem.maximumSpan)
      pairHi[s] = min(m, hi[min(s + AlignmentProblem.maximumSpan, n)])
      pairStart[s + 1] = pairStart[s] + max(0, pairHi[s] - pairLo[s])
    }
    computePairs()
  }

  /// Fills the pairwise match weights for the band.
  mutating func computePairs() {
    let total = pairStart[n]
    var matchedSource = [Float](repeating: 0, count: total)
    var matchedTarget = [Float](repeating: 0, count: total)
    // Flat copies (offsets into one array) of the nested lists: the loop below runs over every
    // pair of the band and must not retain and release an inner array at each step.
    let sourceWords = Flat(sourceIds)
    let targetWords = Flat(targetIds)
    let forward = Flat(links)
    let backward = Flat(reverseLinks)
    var sourceStamp = [Int32](repeating: -1, count: links.count)
    var targetStamp = [Int32](repeating: -1, count: reverseLinks.count)
    var serial: Int32 = 0
    sourceWeight.withUnsafeBufferPointer { sourceWeight in
      targetWeight.withUnsafeBufferPointer { targetWeight in
        for s in 0..<n {
          for id in sourceWords[s] { sourceStamp[Int(id)] = Int32(s) }
          for t in pairLo[s]..<max(pairLo[s], pairHi[s]) {
            serial += 1
            for id in targetWords[t] { targetStamp[Int(id)] = serial }
            var source = 0.0
            for id in sourceWords[s] {
              for target in forward[Int(id)] where targetStamp[Int(target)] == serial {
                source += sourceWeight[Int(id)]
                break
              }
            }
            var target = 0.0
            for id in targetWords[t] {
              for back in backward[Int(id)] where sourceStamp[Int(back)] == Int32(s) {
                target += targetWeight[Int(id)]
                break
              }
            }
            let index = pairStart[s] + t - pairLo[s]
            matchedSource[index] = Float(source)
            matchedTarget[index] = Float(target)
          }
        }
      }
    }
    self.matchedSource = matchedSource
    self.matchedTarget = matchedTarget
  }

  @inline(__always)
  func pair(_ s: Int, _ t: Int) -> (source: Double, target: Double) {
    guard t >= pairLo[s], t < pairHi[s] else { return (0, 0) }
    let index = pairStart[s] + t - pairLo[s]
    return (Double(matchedSource[index]), Double(matchedTarget[index]))
  }

  // MARK: - Bead costs

  /// The lexical score of a bead in 0…1: the weighted share of words that find a translation.
  func lexicalScore(i: Int, j: Int, a: Int, b: Int) -> Double {
    if a == 0 || b == 0 { return 0 }
    var matched = 0.0
    var total = 0.0
    for s in i..<i + a {
      var sum = 0.0
      for t in j..<j + b { sum += pair(s, t).source }
      matched += min(sum, sourceSentenceWeight[s])
      total += sourceSentenceWeight[s]
    }
    for t in j..<j + b {
      var sum = 0.0
      for s in i..<i + a { sum += pair(s, t).target }
      matched += min(sum, targetSentenceWeight[t])
      total += targetSentenceWeight[t]
    }
    return total > 0 ? matched / total : 0
  }

  /// Gale and Church's length probability of a bead (two-tailed).
  func lengthProbability(i: Int, j: Int, a: Int, b: Int) -> Double {
    max(erfc(lengthDeviation(i: i, j: j, a: a, b: b) / 2.0.squareRoot()), 1e-12)
  }

  /// How many standard deviations the target length of a bead lies from the expected one.
  @inline(__always)
  func lengthDeviation(i: Int, j: Int, a: Int, b: Int) -> Double {
    let sourceLength = sourceCumulative[i + a] - sourceCumulative[i]
    let targetLength = targetCumulative[j + b] - targetCumulative[j]
    let mean = sourceLength * lengthRatio
    let variance = configuration.lengthVariance * max(1, (mean + targetLength) / 2)
    return abs(targetLength - mean) / variance.squareRoot()
  }

  /// `-log(lengthProbability)`, read from a table: the programme asks for it millions of times.
  @inline(__always)
  func lengthCost(i: Int, j: Int, a: Int, b: Int) -> Double {
    let position = lengthDeviation(i: i, j: j, a: a, b: b) * AlignmentProblem.lengthCostStepsPerUnit
    let index = Int(position)
    if index >= AlignmentProblem.lengthCostTable.count - 1 { return AlignmentProblem.lengthCostTable[AlignmentProblem.lengthCostTable.count - 1] }
    let fraction = position - Double(index)
    let low = AlignmentProblem.lengthCostTable[index]
    return low + (AlignmentProblem.lengthCostTable[index + 1] - low) * fraction
  }

  static let lengthCostStepsPerUnit = 64.0
  /// `-log(max(erfc(d / √2), 1e-12))` for deviations d = 0, 1/64, … 8.
  static let lengthCostTable: [Double] = (0...512).map {
    -log(max(erfc(Double($0) / lengthCostStepsPerUnit / 2.0.squareRoot()), 1e-12))
  }

  /// The sum over the sentences of a bead of the share of their word weight left without translation.
  func uncoveredSentences(i: Int, j: Int, a: Int, b: Int) -> Double {
    var uncovered = 0.0
    for s in i..<i + a {
      var sum = 0.0
      for t in j..<j + b { sum += pair(s, t).source }
      let weight = sourceSentenceWeight[s]
      uncovered += weight > 0 ? max(0, 1 - sum / weight) : 1
    }
    for t in j..<j + b {
      var sum = 0.0
      for s in i..<i + a { sum += pair(s, t).target }
      let weight = targetSentenceWeight[t]
      uncovered += weight > 0 ? max(0, 1 - sum / weight) : 1
    }
    return uncovered
  }

  func beadCost(i: Int, j: Int, shape: Int) -> Double {
    let (a, b) = AlignmentProblem.shapes[shape]
    if a == 0 || b == 0 { return configuration.skipCost }
    return baseCost(i: i, j: j, shape: shape) + lexicalCost(i: i, j: j, a: a, b: b)
  }

  /// The cost of a bead's shape and length: a lower bound of its whole cost.
  @inline(__always)
  func baseCost(i: Int, j: Int, shape: Int) -> Double {
    let (a, b) = AlignmentProblem.shapes[shape]
    if a == 0 || b == 0 { return configuration.skipCost }
    return shapeCost[shape] + configuration.lengthWeight * lengthCost(i: i, j: j, a: a, b: b)
  }

  /// The lexical part of a bead's cost (never negative).
  func lexicalCost(i: Int, j: Int, a: Int, b: Int) -> Double {
    var cost = 0.0
    let half = configuration.lexicalWeight / 2
    let merge = configuration.unexplainedSentenceCost
    let floor = configuration.explainedCoverage
    // Each sentence pays for the share of its words left without a translation. A sentence on the
    // merged side of a bead that the other side hardly explains pays again, in proportion to how
    // much it has to say (its word weight), so a left-out sentence is not glued to its neighbour.
    for s in i..<i + a {
      var sum = 0.0
      for t in j..<j + b { sum += pair(s, t).source }
      let c = coverage(sum, sourceSentenceWeight[s])
      cost += half * (1 - c)
      if a >= 2 && c < floor {
        cost += merge * (1 - c / floor) * min(1, sourceSentenceWeight[s] / medianSentenceWeight)
      }
    }
    for t in j..<j + b {
      var sum = 0.0
      for s in i..<i + a { sum += pair(s, t).target }
      let c = coverage(sum, targetSentenceWeight[t])
      cost += half * (1 - c)
      if b >= 2 && c < floor {
        cost += merge * (1 - c / floor) * min(1, targetSentenceWeight[t] / medianSentenceWeight)
      }
    }
    return cost
  }

  /// The share of a sentence's word weight that finds a translation; 0 for a sentence without words.
  @inline(__always)
  func coverage(_ matched: Double, _ weight: Double) -> Double {
    weight > 0 ? min(1, matched / weight) : 0
  }

  // MARK: - Dynamic programme

  /// Runs the programme once in the current band.
  func run() -> [PathStep] {
    var rowStart = [Int](repeating: 0, count: n + 2)
    for i in 0...n { rowStart[i + 1] = rowStart[i] + (hi[i] - lo[i] + 1) }
    let cells = rowStart[n + 1]
    var cost = [Double](repeating: .infinity, count: cells)
    var back = [UInt8](repeating: 255, count: cells)
    cost[0] = 0
    for i in 0...n {
      for j in lo[i]...hi[i] {
        if i == 0 && j == 0 { continue }
        var best = Double.infinity
        var bestShape: UInt8 = 255
        for (shape, (a, b)) in AlignmentProblem.shapes.enumerated() {
          let pi = i - a
          let pj = j - b
          if pi < 0 || pj < 0 || pj < lo[pi] || pj > hi[pi] { continue }
          let previous = cost[rowStart[pi] + pj - lo[pi]]
          if previous == .infinity || previous >= best { continue }
          // The lexical cost is never negative: skip it when shape and length already lose.
          var total = previous + baseCost(i: pi, j: pj, shape: shape)
          if total >= best { continue }
          if a > 0 && b > 0 { total += lexicalCost(i: pi, j: pj, a: a, b: b) }
          if total < best {
            best = total
            bestShape = UInt8(shape)
          }
        }
        let index = rowStart[i] + j - lo[i]
        cost[index] = best
        back[index] = bestShape
      }
    }
    var path: [PathStep] = []
    var i = n
    var j = m
    while i > 0 || j > 0 {
      let shape = Int(back[rowStart[i] + j - lo[i]])
      precondition(shape < AlignmentProblem.shapes.count, "the band must connect the corners")
      path.append(PathStep(i: i, j: j, shape: shape))
      i -= AlignmentProblem.shapes[shape].a
      j -= AlignmentProblem.shapes[shape].b
    }
    return path.reversed()
  }

  /// Whether the path runs along an edge of the band that is not an edge of the grid.
  func touchesBandEdge(_ path: [PathStep]) -> Bool {
    path.contains { ($0.j == lo[$0.i] && lo[$0.i] > 0) || ($0.j == hi[$0.i] && hi[$0.i] < m) }
  }

  /// Aligns in a band around the proportional diagonal, or around a previous path, widening the
  /// band until the best path keeps off its edges.
  mutating func solve(around previous: [PathStep]?) -> [PathStep] {
    var center: [(Int, Int)]
    var width: Int
    if let previous {
      center = [(Int, Int)](repeating: (Int.max, Int.min), count: n + 1)
      center[0] = (0, 0)
      for step in previous {
        center[step.i] = (min(center[step.i].0, step.j), max(center[step.i].1, step.j))
      }
      // Rows the path jumps over (inside 2-1 and 3-1 beads) take the previous row's columns.
      for i in 1...n where center[i].0 == Int.max { center[i] = center[i - 1] }
      width = max(4, configuration.minimumBandWidth / 3)
    } else {
      center = []
      var j = 0
      let sourceTotal = max(sourceCumulative[n], 1)
      let targetTotal = max(targetCumulative[m], 1)
      for i in 0...n {
        let goal = sourceCumulative[i] / sourceTotal * targetTotal
        while j < m && targetCumulative[j + 1] <= goal { j += 1 }
        center.append((j, j))
      }
      width = max(configuration.minimumBandWidth, Int(Double(max(n, m)).squareRoot()))
    }
    while true {
      setBand(low: center.map { $0.0 - width }, high: center.map { $0.1 + width })
      let path = run()
      if !touchesBandEdge(path) || width >= max(n, m) { return path }
      width *= 2
    }
  }

  // MARK: - Learning a lexicon

  /// Learns word pairs from the confident 1-1 beads of a path; returns whether any link was added.
  mutating func learnLexicon(from path: [PathStep]) -> Bool {
    var scored: [(s: Int, t: Int, lexical: Double)] = []
    for step in path where step.shape == 0 {
      let s = step.i - 1
      let t = step.j - 1
      let probability = lengthProbability(i: s, j: t, a: 1, b: 1)
      if probability < 0.1 { continue }
      scored.append((s, t, lexicalScore(i: s, j: t, a: 1, b: 1)))
    }
    guard scored.count >= 10 else { return false }
    let sortedScores = scored.map(\.lexical).sorted()
    let median = sortedScores[sortedScores.count / 2]
    let confident = scored.filter { $0.lexical >= median * 0.75 }
    var sourceCount = [Int32](repeating: 0, count: links.count)
    var targetCount = [Int32](repeating: 0, count: reverseLinks.count)
    var together: [Int64: Int32] = [:]
    for pair in confident {
      for s in sourceIds[pair.s] { sourceCount[Int(s)] += 1 }
      for t in targetIds[pair.t] { targetCount[Int(t)] += 1 }
      for s in sourceIds[pair.s] {
        for t in targetIds[pair.t] { together[Int64(s) << 32 | Int64(t), default: 0] += 1 }
      }
    }
    var added = 0
    // Pairs seen together at least twice whose Dice coefficient shows they go together.
    for (key, count) in together where count >= 2 {
      let s = Int(key >> 32)
      let t = Int(key & 0xFFFF_FFFF)
      let dice = 2 * Double(count) / Double(sourceCount[s] + targetCount[t])
      if dice >= 0.6 && !links[s].contains(Int32(t)) {
        links[s].append(Int32(t))
        added += 1
      }
    }
    if added > 0 { reverseLinks = AlignmentProblem.reverse(links, targetCount: reverseLinks.count) }
    return added > 0
  }

  // MARK: - Beads

  /// The beads of a path, each with its confidence: the posterior probability of the bead.
  func beads(for path: [PathStep]) -> [Bead] {
    let posterior = posteriors(of: path)
    return path.enumerated().map { offset, step in
      let (a, b) = AlignmentProblem.shapes[step.shape]
      return Bead(
        source: step.i - a..<step.i, target: step.j - b..<step.j, score: min(1, max(0, posterior[offset])))
    }
  }

  /// The posterior probability of each bead of a path among all paths of the band, by the
  /// forward–backward algorithm over the bead costs read as minus log probabilities.
  func posteriors(of path: [PathStep]) -> [Double] {
    let shapeCount = AlignmentProblem.shapes.count
    var rowStart = [Int](repeating: 0, count: n + 2)
    for i in 0...n { rowStart[i + 1] = rowStart[i] + (hi[i] - lo[i] + 1) }
    let cells = rowStart[n + 1]
    @inline(__always) func cell(_ i: Int, _ j: Int) -> Int? {
      i >= 0 && i <= n && j >= lo[i] && j <= hi[i] ? rowStart[i] + j - lo[i] : nil
    }
    // Bead costs by the cell where the bead ends; infinity where no bead of that shape fits.
    var beadCosts = [Double](repeating: .infinity, count: cells * shapeCount)
    var forward = [Double](repeating: -.infinity, count: cells)
    forward[0] = 0
    for i in 0...n {
      for j in lo[i]...hi[i] {
        let index = rowStart[i] + j - lo[i]
        if index == 0 { continue }
        var terms = LogSum()
        for (shape, (a, b)) in AlignmentProblem.shapes.enumerated() {
          guard let previous = cell(i - a, j - b), forward[previous] > -.infinity else { continue }
          let cost = beadCost(i: i - a, j: j - b, shape: shape)
          beadCosts[index * shapeCount + shape] = cost
          terms.add(forward[previous] - cost)
        }
        forward[index] = terms.value
      }
    }
    var backward = [Double](repeating: -.infinity, count: cells)
    backward[cells - 1] = 0
    for i in stride(from: n, through: 0, by: -1) {
      for j in stride(from: hi[i], through: lo[i], by: -1) {
        let index = rowStart[i] + j - lo[i]
        if index == cells - 1 { continue }
        var terms = LogSum()
        for (shape, (a, b)) in AlignmentProblem.shapes.enumerated() {
          guard let next = cell(i + a, j + b) else { continue }
          let cost = beadCosts[next * shapeCount + shape]
          if cost == .infinity || backward[next] == -.infinity { continue }
          terms.add(backward[next] - cost)
        }
        backward[index] = terms.value
      }
    }
    let total = forward[cells - 1]
    return path.map { step in
      let (a, b) = AlignmentProblem.shapes[step.shape]
      guard let start = cell(step.i - a, step.j - b), let end = cell(step.i, step.j) else { return 0 }
      let logProbability = forward[start] - beadCosts[end * shapeCount + step.shape] + backward[end] - total
      return exp(min(0, logProbability))
    }
  }
}
