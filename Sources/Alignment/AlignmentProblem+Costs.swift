import Foundation

extension AlignmentProblem {
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
    if index >= AlignmentProblem.lengthCostTable.count - 1 {
      return AlignmentProblem.lengthCostTable[AlignmentProblem.lengthCostTable.count - 1]
    }
    let fraction = position - Double(index)
    let low = AlignmentProblem.lengthCostTable[index]
    return low + (AlignmentProblem.lengthCostTable[index + 1] - low) * fraction
  }

  static let lengthCostStepsPerUnit = 64.0
  /// `-log(max(erfc(d / √2), 1e-12))` for deviations d = 0, 1/64, … 8.
  static let lengthCostTable: [Double] = (0...512).map {
    -log(max(erfc(Double($0) / lengthCostStepsPerUnit / 2.0.squareRoot()), 1e-12))
  }

  /// The cost of a bead of `shape` whose first sentences are source `i` and target `j`.
  func beadCost(i: Int, j: Int, shape: CandidateShape) -> Double {
    let (a, b) = (shape.shape.source, shape.shape.target)
    if a == 0 || b == 0 { return baseCost(i: i, j: j, shape: shape) }
    return baseCost(i: i, j: j, shape: shape) + lexicalCost(i: i, j: j, a: a, b: b)
      + punctuation.cost(i: i, j: j, a: a, b: b)
  }

  /// The cost of a bead's shape and length (and a null's punctuation): a lower bound of its whole
  /// cost.
  @inline(__always)
  func baseCost(i: Int, j: Int, shape: CandidateShape) -> Double {
    let (a, b) = (shape.shape.source, shape.shape.target)
    if a == 0 || b == 0 { return nullCost(i: i, j: j, a: a, b: b) + punctuation.cost(i: i, j: j, a: a, b: b) }
    return shape.cost + configuration.lengthWeight * lengthCost(i: i, j: j, a: a, b: b)
  }

  /// The cost of a 1-0 or 0-1 bead: ``SentenceAligner/Configuration/skipCost``, or
  /// ``SentenceAligner/Configuration/wordlessSkipCost`` for a sentence with no word, number or
  /// symbol at all (`.....`, `- _-`: scanning debris), which no bead can explain.
  @inline(__always)
  func nullCost(i: Int, j: Int, a: Int, b: Int) -> Double {
    let weight = a == 1 ? sourceSentenceWeight[i] : b == 1 ? targetSentenceWeight[j] : 1
    return weight > 0 ? configuration.skipCost : configuration.wordlessSkipCost
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
      let sum = unionSource(s, j, b)
      cost += half * (1 - coverage(sum, evidenceWeight(sourceSentenceWeight[s], sourceAvailable, s)))
      // Whether a merged sentence is explained is judged on the whole sentence.
      let c = coverage(sum, sourceSentenceWeight[s])
      if a >= 2 && c < floor {
        cost += merge * (1 - c / floor) * min(1, sourceSentenceWeight[s] / medianSentenceWeight)
      }
    }
    for t in j..<j + b {
      let sum = unionTarget(t, i, a)
      cost += half * (1 - coverage(sum, evidenceWeight(targetSentenceWeight[t], targetAvailable, t)))
      // Whether a merged sentence is explained is judged on the whole sentence.
      let c = coverage(sum, targetSentenceWeight[t])
      if b >= 2 && c < floor {
        cost += merge * (1 - c / floor) * min(1, targetSentenceWeight[t] / medianSentenceWeight)
      }
    }
    return cost
  }

  /// The word weight a sentence's coverage is measured against: the weight its neighbours can
  /// explain at most, but no less than ``SentenceAligner/Configuration/leastEvidence`` of it.
  @inline(__always)
  func evidenceWeight(_ weight: Double, _ available: [Double], _ sentence: Int) -> Double {
    if configuration.evidenceWindow == 0 { return weight }
    return min(weight, max(available[sentence], configuration.leastEvidence * weight))
  }

  /// The share of a sentence's word weight that finds a translation; 0 for a sentence without words.
  @inline(__always)
  func coverage(_ matched: Double, _ weight: Double) -> Double {
    weight > 0 ? min(1, matched / weight) : 0
  }
}
