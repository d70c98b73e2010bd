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
  func beads(for path: [PathStep]) -> [Bead] {
    let posterior = posteriors(of: path)
    return path.enumerated().map { offset, step in
      Bead(
        source: step.i - step.shape.source..<step.i, target: step.j - step.shape.target..<step.j,
        score: min(1, max(0, posterior[offset])))
    }
  }

  /// The posterior probability of each bead of a path among all paths of the band, by the
  /// forward–backward algorithm over the bead costs read as minus log probabilities.
  func posteriors(of path: [PathStep]) -> [Double] {
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
    let total = forward[cells - 1]
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
