import Foundation
import TextSegmentation

/// A bead given by its sentences' texts rather than their ids, as in the UN gold (`gold.jsonl`).
public struct TextBead: Sendable, Hashable, Codable {
  public var source: [String]
  public var target: [String]

  public init(source: [String], target: [String]) {
    self.source = source
    self.target = target
  }
}

/// Compares beads by their text, so that an alignment made from raw documents can be scored against
/// gold beads without depending on sentence ids.
public enum BeadComparison {
  /// Turns gold and test beads into links over sentence ids.
  ///
  /// Ids follow the gold's order of sentences on each side; a test sentence takes the first unused
  /// id of a gold sentence with the same ``TextSegmentation/TextNormalizer/comparisonKey(_:)``, and
  /// a sentence the gold lacks (a segmentation error) gets an id of its own, so that a bead holding
  /// it matches no gold bead.
  public static func links(gold: [TextBead], test: [TextBead]) -> (gold: [Link], test: [Link]) {
    let key = TextNormalizer.comparisonKey
    var sourceIds = IdTable()
    var targetIds = IdTable()
    let goldLinks = gold.map { bead in
      Link(
        source: bead.source.map { sourceIds.register(key($0)) },
        target: bead.target.map { targetIds.register(key($0)) })
    }
    let testLinks = test.map { bead in
      Link(
        source: bead.source.map { sourceIds.claim(key($0)) },
        target: bead.target.map { targetIds.claim(key($0)) })
    }
    return (goldLinks, testLinks)
  }

  /// The share of the gold's sentences, both sides counted, whose folded text
  /// (``TextSegmentation/TextNormalizer/comparisonKey(_:)``) some sentence of the test has, each
  /// test sentence standing for one gold sentence at most; 1 for an empty gold.
  ///
  /// An alignment of the gold's own document covers nearly all of it (1.000 and 0.996 on
  /// `corpus/un/003` and `004`), one of another document next to nothing (0.015 and 0.004 between
  /// them, 0.03 with the gold's languages swapped), and then its score against the gold means
  /// nothing: below ``minimumCoverage``, say so.
  public static func coverage(gold: [TextBead], test: [TextBead]) -> Double {
    let key = TextNormalizer.comparisonKey
    func counts(_ sentences: [String]) -> [String: Int] {
      sentences.reduce(into: [:]) { $0[key($1), default: 0] += 1 }
    }
    var found = 0
    var total = 0
    for (goldSide, testSide) in [
      (gold.flatMap(\.source), test.flatMap(\.source)), (gold.flatMap(\.target), test.flatMap(\.target)),
    ] {
      let available = counts(testSide)
      for (sentence, count) in counts(goldSide) { found += min(count, available[sentence] ?? 0) }
      total += goldSide.count
    }
    return total == 0 ? 1 : Double(found) / Double(total)
  }

  /// Below this ``coverage(gold:test:)``, the test is not an alignment of the gold's document.
  public static let minimumCoverage = 0.5

  private struct IdTable {
    var next = 0
    var unclaimed: [String: [Int]] = [:]

    mutating func register(_ key: String) -> Int {
      defer { next += 1 }
      unclaimed[key, default: []].append(next)
      return next
    }

    mutating func claim(_ key: String) -> Int {
      if var ids = unclaimed[key], !ids.isEmpty {
        let id = ids.removeFirst()
        unclaimed[key] = ids
        return id
      }
      defer { next += 1 }
      return next
    }
  }
}
