/// A sentence alignment of two texts: beads in order that use every sentence exactly once.
public struct Alignment: Sendable, Equatable {
  /// The beads, in text order.
  public var beads: [Bead]
  /// The number of source sentences the alignment covers.
  public var sourceCount: Int
  /// The number of target sentences the alignment covers.
  public var targetCount: Int

  /// Creates an alignment. Debug builds check that the beads use every sentence once, in order.
  public init(beads: [Bead], sourceCount: Int, targetCount: Int) {
    self.beads = beads
    self.sourceCount = sourceCount
    self.targetCount = targetCount
    #if DEBUG
    _checkInvariants()
    #endif
  }

  /// The links of the beads, in order.
  public var links: [Link] { beads.map(\.link) }

  /// Whether the beads use every sentence of both sides exactly once, in order, with no empty bead,
  /// and every score lies in 0…1.
  public var isValid: Bool {
    var nextSource = 0
    var nextTarget = 0
    for bead in beads {
      if bead.sourceIndices.isEmpty && bead.targetIndices.isEmpty { return false }
      for index in bead.sourceIndices {
        if index != nextSource { return false }
        nextSource += 1
      }
      for index in bead.targetIndices {
        if index != nextTarget { return false }
        nextTarget += 1
      }
      if !(bead.score >= 0 && bead.score <= 1) { return false }
    }
    return nextSource == sourceCount && nextTarget == targetCount
  }

  /// Stops the program when the beads break the alignment's invariants (a programmer error).
  public func _checkInvariants() {
    precondition(isValid, "alignment beads must use every sentence once, in order, with scores in 0…1")
  }

  /// The beads with every source index moved by `source` and every target index by `target`.
  ///
  /// Use it to put together alignments made inside aligned paragraphs.
  public func beadsOffsetBy(source: Int, target: Int) -> [Bead] {
    beads.map {
      Bead(
        sourceIndices: $0.sourceIndices.map { $0 + source },
        targetIndices: $0.targetIndices.map { $0 + target }, score: $0.score)
    }
  }

  /// The alignment in the links format: one bead a line, `[3, 4]:[5]`, with a final newline.
  public var linksText: String {
    beads.map { $0.link.description + "\n" }.joined()
  }
}
