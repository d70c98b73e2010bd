/// Precision, recall and F1 of one kind of match.
public struct PrecisionRecall: Sendable, Equatable, CustomStringConvertible {
  /// Test links that hit a gold link.
  public var precisionHits: Int
  /// All test links counted for precision.
  public var precisionTotal: Int
  /// Gold links (without 1-0 and 0-1) that hit a test link (without 1-0 and 0-1).
  public var recallHits: Int
  /// All gold links counted for recall.
  public var recallTotal: Int

  /// Creates counts.
  public init(precisionHits: Int = 0, precisionTotal: Int = 0, recallHits: Int = 0, recallTotal: Int = 0) {
    self.precisionHits = precisionHits
    self.precisionTotal = precisionTotal
    self.recallHits = recallHits
    self.recallTotal = recallTotal
  }

  /// Hits over test links; 0 when there is no test link.
  public var precision: Double { precisionTotal == 0 ? 0 : Double(precisionHits) / Double(precisionTotal) }
  /// Hits over gold links; 0 when there is no gold link.
  public var recall: Double { recallTotal == 0 ? 0 : Double(recallHits) / Double(recallTotal) }
  /// The harmonic mean of precision and recall; 0 when both are 0.
  public var f1: Double {
    let sum = precision + recall
    return sum == 0 ? 0 : 2 * precision * recall / sum
  }

  /// `P 0.900 R 0.800 F1 0.847`.
  public var description: String {
    func f(_ value: Double) -> String {
      let scaled = Int((value * 1000).rounded())
      let digits = String(scaled % 1000)
      return "\(scaled / 1000)." + String(repeating: "0", count: 3 - digits.count) + digits
    }
    return "P \(f(precision)) R \(f(recall)) F1 \(f(f1))"
  }

  static func + (lhs: Self, rhs: Self) -> Self {
    Self(
      precisionHits: lhs.precisionHits + rhs.precisionHits,
      precisionTotal: lhs.precisionTotal + rhs.precisionTotal,
      recallHits: lhs.recallHits + rhs.recallHits, recallTotal: lhs.recallTotal + rhs.recallTotal)
  }
}

/// Strict and lax scores of a sentence alignment against gold links.
public struct LinkScores: Sendable, Equatable {
  /// A hit is a link identical to a gold link.
  public var strict: PrecisionRecall
  /// A hit is a link sharing at least one source–target sentence pair with a gold link.
  public var lax: PrecisionRecall

  /// Creates scores.
  public init(strict: PrecisionRecall = .init(), lax: PrecisionRecall = .init()) {
    self.strict = strict
    self.lax = lax
  }

  /// Counts pooled over two sets of files.
  public static func + (lhs: Self, rhs: Self) -> Self {
    Self(strict: lhs.strict + rhs.strict, lax: lhs.lax + rhs.lax)
  }
}

/// Scores alignments against gold links as Sennrich and Volk (2011) do.
///
/// Precision counts over the test links: a strict hit is identical to a gold link; a lax hit shares
/// a source–target sentence pair with some gold link (a 1-0 or 0-1 link can only hit strictly).
/// Recall is the same with the roles swapped, after dropping 1-0 and 0-1 links from both sides.
/// Repeated links count once; empty links (`[]:[]`) are ignored. Counts are pooled over files.
public enum LinkScorer {
  /// Scores one file.
  public static func score(gold: [Link], test: [Link]) -> LinkScores {
    let precision = hits(reference: gold, candidates: test)
    let gold11 = gold.filter { !$0.source.isEmpty && !$0.target.isEmpty }
    let test11 = test.filter { !$0.source.isEmpty && !$0.target.isEmpty }
    let recall = hits(reference: test11, candidates: gold11)
    return LinkScores(
      strict: PrecisionRecall(
        precisionHits: precision.strict, precisionTotal: precision.total,
        recallHits: recall.strict, recallTotal: recall.total),
      lax: PrecisionRecall(
        precisionHits: precision.lax, precisionTotal: precision.total,
        recallHits: recall.lax, recallTotal: recall.total))
  }

  /// Scores several files, pooling the counts.
  public static func score(pairs: [(gold: [Link], test: [Link])]) -> LinkScores {
    pairs.reduce(LinkScores()) { $0 + score(gold: $1.gold, test: $1.test) }
  }

  /// How many distinct non-empty `candidates` hit `reference`, strictly and laxly.
  private static func hits(reference: [Link], candidates: [Link]) -> (strict: Int, lax: Int, total: Int) {
    let referenceSet = Set(reference.filter { !$0.source.isEmpty || !$0.target.isEmpty })
    var pairs = Set<SentencePair>()
    for link in referenceSet {
      for s in link.source {
        for t in link.target { pairs.insert(SentencePair(source: s, target: t)) }
      }
    }
    var strict = 0
    var lax = 0
    let candidateSet = Set(candidates.filter { !$0.source.isEmpty || !$0.target.isEmpty })
    for link in candidateSet {
      if referenceSet.contains(link) {
        strict += 1
        lax += 1
      } else if link.source.contains(where: { s in
        link.target.contains { pairs.contains(SentencePair(source: s, target: $0)) }
      }) {
        lax += 1
      }
    }
    return (strict, lax, candidateSet.count)
  }

  private struct SentencePair: Hashable {
    var source: Int
    var target: Int
  }
}
