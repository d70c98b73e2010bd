import Foundation

extension AlignmentProblem {
  /// The larger bead shapes a re-check of a doubtful span may choose, besides ``shapesTried``,
  /// with their prior probabilities: too rare to try everywhere, too frequent in free translation
  /// (a long sentence rendered as five to seven short ones, a paragraph summed up in one) to forbid. (3-3, 2-4 and 4-2 were measured too:
  /// they create more wrong merges than they mend.)
  static let recheckShapes: [(shape: SentenceAligner.BeadShape, probability: Double)] = [
    (.init(1, 5), 0.0001), (.init(5, 1), 0.0001), (.init(1, 6), 0.00003), (.init(6, 1), 0.00003),
    (.init(1, 7), 0.00001), (.init(7, 1), 0.00001),
  ]

  /// Aligns again each doubtful stretch of a path: a run of beads whose posterior is below
  /// `threshold`, between two confident beads (or an end of the texts). The stretch's sentences are
  /// segmented anew by the cheapest sequence of beads, by the same union score as the programme,
  /// with larger shapes allowed (``recheckShapes``) inside the stretch only.
  ///
  /// SentAlign and Gargantua take grouping decisions in such a second step, once the confident
  /// beads are fixed. A stretch of more than `longest` sentences on a side is left as it is.
  ///
  /// - Returns: The new path, and the confidence of its beads of shapes the programme does not
  ///   try (which have no posterior): the least posterior of the stretch they come from.
  func recheckDoubtfulSpans(
    _ path: [PathStep], posteriors: [Double], below threshold: Double, longest: Int
  ) -> (path: [PathStep], scores: [PathStep: Double]) {
    guard threshold > 0 else { return (path, [:]) }
    var candidates = shapes
    for extra in AlignmentProblem.recheckShapes {
      candidates.append(CandidateShape(shape: extra.shape, cost: -log(extra.probability)))
    }
    var result: [PathStep] = []
    var scores: [PathStep: Double] = [:]
    var k = 0
    while k < path.count {
      guard posteriors[k] < threshold else {
        result.append(path[k])
        k += 1
        continue
      }
      var end = k
      while end < path.count && posteriors[end] < threshold { end += 1 }
      let startStep = path[k]
      let i0 = startStep.i - startStep.shape.source
      let j0 = startStep.j - startStep.shape.target
      let i1 = path[end - 1].i
      let j1 = path[end - 1].j
      if i1 - i0 > longest || j1 - j0 > longest || end - k < 1 {
        result.append(contentsOf: path[k..<end])
        k = end
        continue
      }
      let evidence =
        (configuration.crossEvidenceWeight > 0 || configuration.crossEvidenceDisorderWeight > 0)
          && max(i1 - i0, j1 - j0) <= configuration.crossEvidenceLongestSpan
        ? exclusiveEvidence(i0: i0, j0: j0, i1: i1, j1: j1, path: path[k..<end]) : nil
      let segment = cheapestSegmentation(
        i0: i0, j0: j0, i1: i1, j1: j1, shapes: candidates, evidence: evidence)
      let least = posteriors[k..<end].min() ?? 0
      for step in segment where !shapes.contains(where: { $0.shape == step.shape }) { scores[step] = least }
      result.append(contentsOf: segment)
      k = end
    }
    return (result, scores)
  }

  /// The cheapest sequence of beads from cell (`i0`, `j0`) to cell (`i1`, `j1`).
  ///
  /// With `evidence`, each bead also pays ``SentenceAligner/Configuration/crossEvidenceWeight``
  /// for each unit of exclusive evidence it cuts (``ExclusiveEvidence/cut(i:j:a:b:)``).
  func cheapestSegmentation(
    i0: Int, j0: Int, i1: Int, j1: Int, shapes candidates: [CandidateShape],
    evidence: ExclusiveEvidence? = nil
  ) -> [PathStep] {
    let crossWeight = configuration.crossEvidenceWeight
    let disorderWeight = configuration.crossEvidenceDisorderWeight
    let rows = i1 - i0 + 1
    let columns = j1 - j0 + 1
    var cost = [Double](repeating: .infinity, count: rows * columns)
    var back = [Int](repeating: -1, count: rows * columns)
    cost[0] = 0
    for i in 0..<rows {
      for j in 0..<columns where i > 0 || j > 0 {
        var best = Double.infinity
        var bestShape = -1
        for (position, shape) in candidates.enumerated() {
          let (a, b) = (shape.shape.source, shape.shape.target)
          if a > i || b > j { continue }
          let previous = cost[(i - a) * columns + j - b]
          if previous == .infinity { continue }
          var total = previous + beadCost(i: i0 + i - a, j: j0 + j - b, shape: shape)
          if let evidence {
            total += crossWeight * evidence.cut(i: i0 + i - a, j: j0 + j - b, a: a, b: b)
            if disorderWeight > 0 {
              total += disorderWeight * disorder(of: evidence, i: i0 + i - a, j: j0 + j - b, a: a, b: b)
            }
          }
          if total < best {
            best = total
            bestShape = position
          }
        }
        cost[i * columns + j] = best
        back[i * columns + j] = bestShape
      }
    }
    var steps: [PathStep] = []
    var i = rows - 1
    var j = columns - 1
    while i > 0 || j > 0 {
      let shape = candidates[back[i * columns + j]].shape
      steps.append(PathStep(i: i0 + i, j: j0 + j, shape: shape))
      i -= shape.source
      j -= shape.target
    }
    return steps.reversed()
  }
}
