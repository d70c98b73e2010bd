extension AlignmentProblem {
  /// The cheapest path through the current band (Viterbi), from the corner (0, 0) to (n, m).
  func bestPath() -> [PathStep] {
    let band = self.band
    let cells = band.cellCount
    var cost = [Double](repeating: .infinity, count: cells)
    // The bead ending at each cell: its position in `shapes`.
    var back = [UInt8](repeating: .max, count: cells)
    cost[0] = 0
    for i in 0...n {
      for j in band.firstColumn[i]...band.lastColumn[i] {
        if i == 0 && j == 0 { continue }
        var best = Double.infinity
        var bestShape = UInt8.max
        for (position, shape) in shapes.enumerated() {
          let previousRow = i - shape.shape.source
          let previousColumn = j - shape.shape.target
          if previousRow < 0 || !band.contains(previousRow, previousColumn) { continue }
          let previous = cost[band.cell(previousRow, previousColumn)]
          if previous == .infinity || previous >= best { continue }
          // The lexical cost is never negative: skip it when shape and length already lose.
          var total = previous + baseCost(i: previousRow, j: previousColumn, shape: shape)
          if total >= best { continue }
          if shape.shape.source > 0 && shape.shape.target > 0 {
            total += lexicalCost(
              i: previousRow, j: previousColumn, a: shape.shape.source, b: shape.shape.target)
            total += punctuation.cost(
              i: previousRow, j: previousColumn, a: shape.shape.source, b: shape.shape.target)
          }
          if total < best {
            best = total
            bestShape = UInt8(position)
          }
        }
        let index = band.cell(i, j)
        cost[index] = best
        back[index] = bestShape
      }
    }
    var path: [PathStep] = []
    var i = n
    var j = m
    while i > 0 || j > 0 {
      let position = Int(back[band.cell(i, j)])
      precondition(position < shapes.count, "the band must connect the corners")
      let shape = shapes[position].shape
      path.append(PathStep(i: i, j: j, shape: shape))
      i -= shape.source
      j -= shape.target
    }
    return path.reversed()
  }

  /// Whether the path runs along an edge of the band that is not an edge of the grid.
  func touchesBandEdge(_ path: [PathStep]) -> Bool {
    path.contains {
      ($0.j == band.firstColumn[$0.i] && band.firstColumn[$0.i] > 0)
        || ($0.j == band.lastColumn[$0.i] && band.lastColumn[$0.i] < m)
    }
  }

  /// Aligns in a band around the proportional diagonal, or around a previous path, widening the
  /// band until the best path keeps off its edges or the band is
  /// ``SentenceAligner/Configuration/maximumBandWidth`` wide.
  mutating func solve(around previous: [PathStep]?) -> [PathStep] {
    // The columns each row of the band is centred on: first and last.
    var center: [(first: Int, last: Int)]
    var width: Int
    if let previous {
      center = [(Int, Int)](repeating: (Int.max, Int.min), count: n + 1)
      center[0] = (0, 0)
      for step in previous {
        center[step.i] = (min(center[step.i].first, step.j), max(center[step.i].last, step.j))
      }
      // Rows the path jumps over (inside 2-1 and 3-1 beads) take the previous row's columns.
      for i in 1...n where center[i].first == Int.max { center[i] = center[i - 1] }
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
      width = min(
        max(configuration.minimumBandWidth, Int(Double(max(n, m)).squareRoot())),
        max(configuration.minimumBandWidth, configuration.maximumBandWidth))
    }
    let widest = max(width, configuration.maximumBandWidth)
    while true {
      setBand(low: center.map { $0.first - width }, high: center.map { $0.last + width })
      let path = bestPath()
      if !touchesBandEdge(path) || width >= max(n, m) || width >= widest { return path }
      width = min(2 * width, widest)
    }
  }
}
