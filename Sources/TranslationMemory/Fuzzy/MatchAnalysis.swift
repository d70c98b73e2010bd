import Foundation
import TextSegmentation

/// The analysis translators expect of a pre-translated document: sentences and words per match
/// band, with context matches counted apart, above plain 100 % matches.
public struct MatchAnalysis: Sendable, Hashable {
  /// A match band. Bands are closed ranges of the rounded-down score.
  public enum Band: String, Sendable, Hashable, CaseIterable {
    /// A 100 % match whose neighbouring sentences match 100 % too, from the same document.
    case context = "context"
    case exact = "100%"
    case high = "95-99%"
    case good = "85-94%"
    case fair = "75-84%"
    case low = "50-74%"
    case none = "no match"

    /// The band of a score (0…100), for a sentence that is not a context match.
    public init(score: Double?) {
      guard let score else {
        self = .none
        return
      }
      switch score {
      case 100...: self = .exact
      case 95..<100: self = .high
      case 85..<95: self = .good
      case 75..<85: self = .fair
      case 50..<75: self = .low
      default: self = .none
      }
    }
  }

  public struct Count: Sendable, Hashable {
    public var sentences = 0
    public var words = 0
  }

  public private(set) var counts: [Band: Count] = [:]

  public init() {}

  /// Adds one sentence.
  public mutating func add(band: Band, words: Int) {
    counts[band, default: Count()].sentences += 1
    counts[band, default: Count()].words += words
  }

  public var totalSentences: Int { counts.values.reduce(0) { $0 + $1.sentences } }
  public var totalWords: Int { counts.values.reduce(0) { $0 + $1.words } }

  /// Which sentences are context matches: a 100 % match whose previous and next sentences (those
  /// that exist) are 100 % matches from the same stored document.
  ///
  /// - Parameter matches: For each sentence in document order, its best score and the document
  ///   symbol of the unit matched (nil when nothing matched).
  public static func contextMatches(_ matches: [(score: Double?, document: String?)]) -> [Bool] {
    matches.indices.map { index in
      guard let score = matches[index].score, score >= 100 else { return false }
      let neighbours = [index - 1, index + 1].filter { matches.indices.contains($0) }
      if neighbours.isEmpty { return false }
      return neighbours.allSatisfy {
        (matches[$0].score ?? 0) >= 100 && matches[$0].document == matches[index].document
      }
    }
  }

  /// The analysis as a table, one band a line.
  public func table() -> String {
    var lines = ["band        sentences    words"]
    for band in Band.allCases {
      let count = counts[band] ?? Count()
      lines.append(
        band.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
          + String(count.sentences).leftPadded(11) + String(count.words).leftPadded(9))
    }
    lines.append("total     " + String(totalSentences).leftPadded(11) + String(totalWords).leftPadded(9))
    return lines.joined(separator: "\n")
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
