import Foundation

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

extension AlignmentProblem {
  /// The beads of a path, each with its confidence: the posterior probability of the bead.
  /// Beads of shapes the programme does not try take their confidence from `otherScores`.
  func beads(for path: [PathStep], lattice: Lattice? = nil, otherScores: [PathStep: Double] = [:]) -> [Bead] {
    let posterior = (lattice ?? self.lattice()).posteriors(of: path, shapes: shapes, band: band)
    return path.enumerated().map { offset, step in
      Bead(
        source: step.i - step.shape.source..<step.i, target: step.j - step.shape.target..<step.j,
        score: min(1, max(0, otherScores[step] ?? posterior[offset])))
    }
  }

  /// The posterior probability of each bead of a path among all paths of the band.
  func posteriors(of path: [PathStep]) -> [Double] {
    lattice().posteriors(of: path, shapes: shapes, band: band)
  }

  /// The sums over all paths of the band by the forward–backward algorithm, over the bead costs
  /// read as minus log probabilities.
  struct Lattice {
    /// Bead costs by the cell where the bead ends and the shape's position in `shapes`.
    var beadCosts: [Double]
    var forward: [Double]
    var backward: [Double]

    /// The posterior probability of each bead of a path.
    func posteriors(of path: [PathStep], shapes: [CandidateShape], band: BandLayout) -> [Double] {
      let total = forward[forward.count - 1]
      let shapeCount = shapes.count
      return path.map { step in
        guard let position = shapes.firstIndex(where: { $0.shape == step.shape }),
          let start = band.cellIfInside(step.i - step.shape.source, step.j - step.shape.target),
          let end = band.cellIfInside(step.i, step.j)
        else { return 0 }
        let logProbability = forward[start] - beadCosts[end * shapeCount + position] + backward[end] - total
        return exp(min(0, logProbability))
      }
    }
  }

  func lattice() -> Lattice {
    let band = self.band
    let shapeCount = shapes.count
    let cells = band.cellCount
    // Bead costs by the cell where the bead ends and the shape's position in `shapes`; infinity
    // where no bead of that shape fits.
    var beadCosts = [Double](repeating: .infinity, count: cells * shapeCount)
    var forward = [Double](repeating: -.infinity, count: cells)
    forward[0] = 0
    for i in 0...n {
      for j in band.firstColumn[i]...band.lastColumn[i] {
        let index = band.cell(i, j)
        if index == 0 { continue }
        var terms = LogSum()
        for (position, shape) in shapes.enumerated() {
          let (a, b) = (shape.shape.source, shape.shape.target)
          guard let previous = band.cellIfInside(i - a, j - b), forward[previous] > -.infinity else {
            continue
          }
          let cost = beadCost(i: i - a, j: j - b, shape: shape)
          beadCosts[index * shapeCount + position] = cost
          terms.add(forward[previous] - cost)
        }
        forward[index] = terms.value
      }
    }
    var backward = [Double](repeating: -.infinity, count: cells)
    backward[cells - 1] = 0
    for i in stride(from: n, through: 0, by: -1) {
      for j in stride(from: band.lastColumn[i], through: band.firstColumn[i], by: -1) {
        let index = band.cell(i, j)
        if index == cells - 1 { continue }
        var terms = LogSum()
        for (position, shape) in shapes.enumerated() {
          guard let next = band.cellIfInside(i + shape.shape.source, j + shape.shape.target) else {
            continue
          }
          let cost = beadCosts[next * shapeCount + position]
          if cost == .infinity || backward[next] == -.infinity { continue }
          terms.add(backward[next] - cost)
        }
        backward[index] = terms.value
      }
    }
    return Lattice(beadCosts: beadCosts, forward: forward, backward: backward)
  }
}

extension AlignmentProblem {
  /// Joins each 1-0 or 0-1 bead whose posterior is below `threshold` to the neighbouring bead it
  /// costs least to join, when the joined shape is one the programme tries; and so each null
  /// whose sentence the neighbourhood explains (``SentenceAligner/Configuration/supportedNullShare``),
  /// with the larger margin ``SentenceAligner/Configuration/supportedNullGlueMargin``.
  ///
  /// The programme weighs a null against every other path at once; most wrong nulls come out
  /// doubtful (a low posterior) and belong to the bead beside them (SentAlign and Gargantua take
  /// such decisions in a second step, once the confident beads are fixed).
  func glueDoubtfulNulls(_ path: [PathStep], below threshold: Double, lattice: Lattice? = nil)
    -> [PathStep]
  {
    guard threshold > 0, path.contains(where: { $0.shape.source == 0 || $0.shape.target == 0 }) else {
      return path
    }
    let margin = configuration.nullGlueMargin
    let posterior = (lattice ?? self.lattice()).posteriors(of: path, shapes: shapes, band: band)
    var steps = path
    let supported = configuration.supportedNullShare
    let supportMargin = max(margin, configuration.supportedNullGlueMargin)
    var doubtful = posterior.map { $0 < threshold }
    // The surer the programme is of a null, the less joining it may cost.
    let surerMargin = margin * configuration.surerNullGlueShare
    var margins = posterior.map { $0 < configuration.surerNullPosterior ? margin : surerMargin }
    // A sentence left out of the translation has no translation nearby; a null whose words find
    // translations in a window of neighbours is most likely part of the bead beside it, however
    // sure the programme is: it is re-checked too, with a larger margin.
    for (k, step) in path.enumerated() where step.shape.source == 0 || step.shape.target == 0 {
      let share: Double
      if step.shape.target == 0 {
        let s = step.i - 1
        share = sourceSentenceWeight[s] > 0 ? sourceAvailable[s] / sourceSentenceWeight[s] : 0
      } else {
        let t = step.j - 1
        share = targetSentenceWeight[t] > 0 ? targetAvailable[t] / targetSentenceWeight[t] : 0
      }
      if supported > 0 && share >= supported {
        doubtful[k] = true
        margins[k] = supportMargin
      }
    }
    func cost(_ step: PathStep) -> Double? {
      guard let candidate = shapes.first(where: { $0.shape == step.shape }) else { return nil }
      return beadCost(i: step.i - step.shape.source, j: step.j - step.shape.target, shape: candidate)
    }
    var k = 0
    while k < steps.count {
      let step = steps[k]
      let isNull = step.shape.source == 0 || step.shape.target == 0
      guard isNull && doubtful[k], let own = cost(step) else {
        k += 1
        continue
      }
      var best: (index: Int, merged: PathStep, delta: Double)?
      for neighbour in [k - 1, k + 1] where steps.indices.contains(neighbour) {
        let other = steps[neighbour]
        if other.shape.source == 0 || other.shape.target == 0 { continue }
        let last = max(k, neighbour)
        let merged = PathStep(
          i: steps[last].i, j: steps[last].j,
          shape: SentenceAligner.BeadShape(
            step.shape.source + other.shape.source, step.shape.target + other.shape.target))
        guard let joined = cost(merged), let alone = cost(other) else { continue }
        let delta = joined - alone - own
        if delta < (best?.delta ?? .infinity) { best = (neighbour, merged, delta) }
      }
      guard let chosen = best, chosen.delta < margins[k] else {
        k += 1
        continue
      }
      let first = min(k, chosen.index)
      steps.replaceSubrange(first...first + 1, with: [chosen.merged])
      doubtful.replaceSubrange(first...first + 1, with: [false])
      margins.replaceSubrange(first...first + 1, with: [margin])
      k = first + 1
    }
    return steps
  }
}
