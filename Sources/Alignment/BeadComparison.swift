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
