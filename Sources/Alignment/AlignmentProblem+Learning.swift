/// What a first pass offers for learning word pairs: its 1-1 beads whose lengths agree, each with
/// the words of its two sentences and its lexical score.
struct LearningEvidence {
  struct Candidate {
    var source: Int
    var target: Int
    var lexicalScore: Double
  }

  /// The words of the problem the beads come from, by id.
  var sourceKeys: [String]
  var targetKeys: [String]
  var sourceIds: [[Int32]]
  var targetIds: [[Int32]]
  /// The 1-1 beads, by sentence.
  var candidates: [Candidate]
}

extension AlignmentProblem {
  /// The 1-1 beads of a path whose lengths make them likely, as evidence to learn from.
  func learningEvidence(from path: [PathStep]) -> LearningEvidence {
    var candidates: [LearningEvidence.Candidate] = []
    for step in path where step.shape == SentenceAligner.BeadShape(1, 1) {
      let s = step.i - 1
      let t = step.j - 1
      if lengthProbability(i: s, j: t, a: 1, b: 1) < 0.1 { continue }
      candidates.append(.init(source: s, target: t, lexicalScore: lexicalScore(i: s, j: t, a: 1, b: 1)))
    }
    return LearningEvidence(
      sourceKeys: sourceKeys, targetKeys: targetKeys, sourceIds: sourceIds, targetIds: targetIds,
      candidates: candidates)
  }

  /// Learns word pairs from the confident 1-1 beads of one or more first passes: the pairs seen
  /// together in at least two of them whose Dice coefficient shows they go together.
  ///
  /// A bead is confident when its lexical score reaches three quarters of the median one. With
  /// fewer than ten candidate beads in all, nothing is learned.
  ///
  /// - Returns: Pairs of the problems' keys (stems, numbers, symbols), for ``addLinks(_:)``.
  static func learnLexicon(from evidence: [LearningEvidence]) -> Lexicon {
    let scores = evidence.flatMap { $0.candidates.map(\.lexicalScore) }
    guard scores.count >= 10 else { return Lexicon() }
    let median = scores.sorted()[scores.count / 2]
    // Words get ids shared by all the evidence; each problem's ids are mapped on first use.
    var sourceKeys = KeyTable()
    var targetKeys = KeyTable()
    var sourceCount: [Int32] = []
    var targetCount: [Int32] = []
    var together: [Int64: Int32] = [:]
    for part in evidence {
      var sourceMap = [Int32](repeating: -1, count: part.sourceKeys.count)
      var targetMap = [Int32](repeating: -1, count: part.targetKeys.count)
      for candidate in part.candidates where candidate.lexicalScore >= median * 0.75 {
        let s = part.sourceIds[candidate.source].map {
          sourceKeys.id(of: $0, in: part.sourceKeys, map: &sourceMap, counts: &sourceCount)
        }
        let t = part.targetIds[candidate.target].map {
          targetKeys.id(of: $0, in: part.targetKeys, map: &targetMap, counts: &targetCount)
        }
        for id in s { sourceCount[Int(id)] += 1 }
        for id in t { targetCount[Int(id)] += 1 }
        for source in s {
          for target in t { together[Int64(source) << 32 | Int64(target), default: 0] += 1 }
        }
      }
    }
    var learned = Lexicon()
    for (key, count) in together where count >= 2 {
      let s = Int(key >> 32)
      let t = Int(key & 0xFFFF_FFFF)
      let dice = 2 * Double(count) / Double(sourceCount[s] + targetCount[t])
      if dice >= 0.6 { learned.addFolded(source: sourceKeys.keys[s], target: targetKeys.keys[t]) }
    }
    return learned
  }

  /// Links the words of the problem that a learned lexicon pairs (keys as ``learnLexicon(from:)``
  /// gives them). The pairwise matches follow when ``solve(around:)`` next sets the band.
  ///
  /// - Returns: Whether any link was added.
  mutating func addLinks(_ learned: Lexicon) -> Bool {
    var added = 0
    for (sourceKey, targetKeys) in learned.translations {
      guard let source = sourceVocabulary[sourceKey] else { continue }
      for targetKey in targetKeys {
        if let target = targetVocabulary[targetKey], !links[Int(source)].contains(target) {
          links[Int(source)].append(target)
          added += 1
        }
      }
    }
    if added > 0 { reverseLinks = AlignmentProblem.reverse(links, targetCount: reverseLinks.count) }
    return added > 0
  }
}

/// Ids for the keys of several problems, with one count per id.
private struct KeyTable {
  var keys: [String] = []
  var ids: [String: Int32] = [:]

  /// The shared id of a problem's word `id`, given the problem's keys and its map to shared ids.
  mutating func id(of id: Int32, in problemKeys: [String], map: inout [Int32], counts: inout [Int32])
    -> Int32
  {
    if map[Int(id)] >= 0 { return map[Int(id)] }
    let key = problemKeys[Int(id)]
    let shared: Int32
    if let known = ids[key] {
      shared = known
    } else {
      shared = Int32(keys.count)
      ids[key] = shared
      keys.append(key)
      counts.append(0)
    }
    map[Int(id)] = shared
    return shared
  }
}
