/// One step of a sentence alignment: some source sentences matched with some target sentences.
///
/// Either side may be empty (a sentence left out of the translation, or added by it), but not both.
/// Indices count sentences from 0 and are consecutive and increasing.
public struct Bead: Hashable, Sendable {
  /// The source sentences of the bead, in order.
  public var sourceIndices: [Int]
  /// The target sentences of the bead, in order.
  public var targetIndices: [Int]
  /// How sure the aligner is of this bead, from 0 (a guess) to 1 (certain).
  public var score: Double

  /// Creates a bead.
  public init(sourceIndices: [Int], targetIndices: [Int], score: Double = 1) {
    self.sourceIndices = sourceIndices
    self.targetIndices = targetIndices
    self.score = score
  }

  /// Creates a bead from index ranges.
  public init(source: Range<Int>, target: Range<Int>, score: Double = 1) {
    self.init(sourceIndices: Array(source), targetIndices: Array(target), score: score)
  }

  /// The bead's link (its indices without the score).
  public var link: Link { Link(source: sourceIndices, target: targetIndices) }
}

/// The sentence indices of a bead without its score, as the gold files write them: `[3, 4]:[5]`.
public struct Link: Hashable, Sendable, CustomStringConvertible {
  /// Source sentence indices.
  public var source: [Int]
  /// Target sentence indices.
  public var target: [Int]

  /// Creates a link.
  public init(source: [Int], target: [Int]) {
    self.source = source
    self.target = target
  }

  /// The link in the benchmark format: `[3, 4]:[5]`, `[]:[6]`.
  public var description: String {
    "[" + source.map(String.init).joined(separator: ", ") + "]:["
      + target.map(String.init).joined(separator: ", ") + "]"
  }
}
