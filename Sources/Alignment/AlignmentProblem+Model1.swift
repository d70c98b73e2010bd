/// Word pairs that IBM Model 1 finds likely translations of each other, learned by EM on the
/// confident 1-1 beads of a first pass (Moore 2002), in each direction: they count as soft evidence
/// (``SentenceAligner/Configuration/softEvidenceWeight`` of a word's weight) in the union score.
struct SoftLexicon {
  /// For each source key, the target keys likely to translate it: t(target | source) high.
  var forward: [String: [String]] = [:]
  /// For each target key, the source keys likely to translate it: t(source | target) high.
  var backward: [String: [String]] = [:]

  var isEmpty: Bool { forward.isEmpty && backward.isEmpty }
}

extension AlignmentProblem {
  /// The soft lexicon the configuration asks for from first-pass evidence (empty when soft
  /// evidence is off).
  func softLexicon(from evidence: [LearningEvidence]) -> SoftLexicon {
    AlignmentProblem.softLexicon(from: evidence, configuration: configuration)
  }

  static func softLexicon(from evidence: [LearningEvidence], configuration: SentenceAligner.Configuration)
    -> SoftLexicon
  {
    guard configuration.softEvidenceWeight > 0 else { return SoftLexicon() }
    return learnSoftLexicon(from: evidence, threshold: configuration.softEvidenceThreshold)
  }

  /// Trains IBM Model 1 in both directions on the confident 1-1 beads of one or more first passes
  /// (those ``learnLexicon(from:)`` learns from), with the words the problems already link
  /// (dictionary, cognates, shared tokens) as a prior: each linked pair seen in a bead starts with
  /// `prior` extra counts. A pair is kept when its translation probability reaches `threshold`, the
  /// two words met in at least two beads and the problem did not link them already.
  static func learnSoftLexicon(
    from evidence: [LearningEvidence], iterations: Int = 4, threshold: Double, prior: Double = 2
  ) -> SoftLexicon {
    let scores = evidence.flatMap { $0.candidates.map(\.lexicalScore) }
    guard scores.count >= 10, threshold > 0, threshold <= 1 else { return SoftLexicon() }
    let median = scores.sorted()[scores.count / 2]
    var sourceKeys: [String] = [""]  // Id 0 is the empty word (NULL) of each side.
    var targetKeys: [String] = [""]
    var sourceIds: [String: Int32] = [:]
    var targetIds: [String: Int32] = [:]
    // Pairs of words met in a bead: their ids, how often, whether the problem linked them.
    var pairIndex: [Int64: Int32] = [:]
    var pairSource: [Int32] = []
    var pairTarget: [Int32] = []
    var pairCount: [Int32] = []
    var pairLinked: [Bool] = []
    // Each bead: its source ids (NULL first), target ids (NULL first) and the pair of each cell.
    var beadSource: [[Int32]] = []
    var beadTarget: [[Int32]] = []
    var beadPairs: [[Int32]] = []
    for part in evidence {
      var sourceMap = [Int32](repeating: -1, count: part.sourceKeys.count)
      var targetMap = [Int32](repeating: -1, count: part.targetKeys.count)
      func shared(
        _ id: Int32, _ map: inout [Int32], _ keys: [String], _ all: inout [String],
        _ ids: inout [String: Int32]
      )
        -> Int32
      {
        if map[Int(id)] >= 0 { return map[Int(id)] }
        let key = keys[Int(id)]
        let value: Int32
        if let known = ids[key] {
          value = known
        } else {
          value = Int32(all.count)
          ids[key] = value
          all.append(key)
        }
        map[Int(id)] = value
        return value
      }
      for candidate in part.candidates where candidate.lexicalScore >= median * 0.75 {
        let localSource = part.sourceIds[candidate.source]
        let localTarget = part.targetIds[candidate.target]
        let s = [0] + localSource.map { shared($0, &sourceMap, part.sourceKeys, &sourceKeys, &sourceIds) }
        let t = [0] + localTarget.map { shared($0, &targetMap, part.targetKeys, &targetKeys, &targetIds) }
        var cells: [Int32] = []
        cells.reserveCapacity(s.count * t.count)
        for (x, source) in s.enumerated() {
          for (y, target) in t.enumerated() {
            let key = Int64(source) << 32 | Int64(target)
            let index: Int32
            if let known = pairIndex[key] {
              index = known
            } else {
              index = Int32(pairSource.count)
              pairIndex[key] = index
              pairSource.append(source)
              pairTarget.append(target)
              pairCount.append(0)
              pairLinked.append(false)
            }
            pairCount[Int(index)] += 1
            if x > 0, y > 0, !pairLinked[Int(index)], part.links.indices.contains(Int(localSource[x - 1])),
              part.links[Int(localSource[x - 1])].contains(localTarget[y - 1])
            {
              pairLinked[Int(index)] = true
            }
            cells.append(index)
          }
        }
        beadSource.append(s)
        beadTarget.append(t)
        beadPairs.append(cells)
      }
    }
    let pairs = pairSource.count
    if pairs == 0 { return SoftLexicon() }
    // forward[p] = t(target | source), backward[p] = t(source | target); uniform to start.
    var forward = [Double](repeating: 1, count: pairs)
    var backward = [Double](repeating: 1, count: pairs)
    var forwardCount = [Double](repeating: 0, count: pairs)
    var backwardCount = [Double](repeating: 0, count: pairs)
    var sourceTotal = [Double](repeating: 0, count: sourceKeys.count)
    var targetTotal = [Double](repeating: 0, count: targetKeys.count)
    for _ in 0..<iterations {
      for p in 0..<pairs {
        let extra = pairLinked[p] ? prior : 0
        forwardCount[p] = extra
        backwardCount[p] = extra
      }
      for bead in beadPairs.indices {
        let cells = beadPairs[bead]
        let rows = beadSource[bead].count
        let columns = beadTarget[bead].count
        // Each real target word is generated by one source word (NULL included), and back.
        for y in 1..<max(1, columns) {
          var sum = 0.0
          for x in 0..<rows { sum += forward[Int(cells[x * columns + y])] }
          if sum <= 0 { continue }
          for x in 0..<rows {
            let p = Int(cells[x * columns + y])
            forwardCount[p] += forward[p] / sum
          }
        }
        for x in 1..<max(1, rows) {
          var sum = 0.0
          for y in 0..<columns { sum += backward[Int(cells[x * columns + y])] }
          if sum <= 0 { continue }
          for y in 0..<columns {
            let p = Int(cells[x * columns + y])
            backwardCount[p] += backward[p] / sum
          }
        }
      }
      for index in sourceTotal.indices { sourceTotal[index] = 0 }
      for index in targetTotal.indices { targetTotal[index] = 0 }
      for p in 0..<pairs {
        sourceTotal[Int(pairSource[p])] += forwardCount[p]
        targetTotal[Int(pairTarget[p])] += backwardCount[p]
      }
      for p in 0..<pairs {
        let s = sourceTotal[Int(pairSource[p])]
        let t = targetTotal[Int(pairTarget[p])]
        forward[p] = s > 0 ? forwardCount[p] / s : 0
        backward[p] = t > 0 ? backwardCount[p] / t : 0
      }
    }
    var result = SoftLexicon()
    for p in 0..<pairs where pairCount[p] >= 2 && !pairLinked[p] {
      let s = Int(pairSource[p])
      let t = Int(pairTarget[p])
      if s == 0 || t == 0 { continue }
      if forward[p] >= threshold { result.forward[sourceKeys[s], default: []].append(targetKeys[t]) }
      if backward[p] >= threshold { result.backward[targetKeys[t], default: []].append(sourceKeys[s]) }
    }
    return result
  }

  /// Sets the soft links of the problem from a soft lexicon (keys as ``learnSoftLexicon(from:threshold:prior:)``
  /// gives them). The pairwise matches follow when ``solve(around:)`` next sets the band.
  ///
  /// - Returns: Whether any soft link was set.
  mutating func addSoftLinks(_ soft: SoftLexicon) -> Bool {
    var forward = [[Int32]](repeating: [], count: sourceKeys.count)
    var backward = [[Int32]](repeating: [], count: targetKeys.count)
    var added = 0
    for (sourceKey, targets) in soft.forward {
      guard let source = sourceVocabulary[sourceKey] else { continue }
      for key in targets {
        if let target = targetVocabulary[key], !links[Int(source)].contains(target) {
          forward[Int(source)].append(target)
          added += 1
        }
      }
    }
    for (targetKey, sources) in soft.backward {
      guard let target = targetVocabulary[targetKey] else { continue }
      for key in sources {
        if let source = sourceVocabulary[key], !reverseLinks[Int(target)].contains(source) {
          backward[Int(target)].append(source)
          added += 1
        }
      }
    }
    softLinks = forward
    softReverseLinks = backward
    return added > 0
  }
}
