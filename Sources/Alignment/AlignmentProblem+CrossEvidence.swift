import Foundation

/// The exclusive word links of a doubtful span, as evidence for where its bead boundaries go.
///
/// A link between a source word and a target word counts only when the source word occurs in one
/// source sentence of the span alone, the target word in one target sentence alone, and neither
/// links to a word of another sentence of the span: it then says which two sentences belong to one
/// bead. A name repeated in two neighbouring sentences says nothing of the boundary between them
/// and is left out (a bonus for 2-2 beads on all cross matches made spurious 2-2s in novels, whose
/// adjacent sentences share names and topic words).
struct ExclusiveEvidence {
  /// The first source and target sentences of the span.
  let i0: Int
  let j0: Int
  /// The sentences of the span on each side.
  let rows: Int
  let columns: Int
  /// Evidence that source sentence `i0 + r` and target sentence `j0 + c` share a bead, at
  /// `r * columns + c`, summed over the exclusive links between them: each word adds its weight,
  /// as a share of its sentence's word weight (``AlignmentProblem/crossEvidenceShare(_:of:)``).
  private(set) var weights: [Double]
  /// `rowTotal[r]`: all the evidence of source sentence `i0 + r`; `columnTotal[c]` likewise.
  private(set) var rowTotal: [Double]
  private(set) var columnTotal: [Double]
  /// Two-dimensional prefix sums of `weights`, `(rows + 1) * (columns + 1)`.
  private var prefix: [Double]

  /// One exclusive link: its sentences, where its words lie (in characters from the start of the
  /// texts) and its evidence.
  struct Link {
    var source: Int
    var target: Int
    var sourceOffset: Double
    var targetOffset: Double
    var weight: Double
  }
  /// The links, in no order.
  var links: [Link] = []

  init(i0: Int, j0: Int, rows: Int, columns: Int, weights: [Double]) {
    self.i0 = i0
    self.j0 = j0
    self.rows = rows
    self.columns = columns
    self.weights = weights
    rowTotal = (0..<rows).map { r in (0..<columns).reduce(0) { $0 + weights[r * columns + $1] } }
    columnTotal = (0..<columns).map { c in (0..<rows).reduce(0) { $0 + weights[$1 * columns + c] } }
    let width = columns + 1
    var prefix = [Double](repeating: 0, count: (rows + 1) * width)
    for r in 0..<rows {
      for c in 0..<columns {
        prefix[(r + 1) * width + c + 1] =
          weights[r * columns + c] + prefix[r * width + c + 1] + prefix[(r + 1) * width + c]
          - prefix[r * width + c]
      }
    }
    self.prefix = prefix
  }

  /// The evidence a bead keeps inside it: the links between its source sentences `i..<i + a` and
  /// its target sentences `j..<j + b` (absolute indices).
  func kept(i: Int, j: Int, a: Int, b: Int) -> Double {
    if a == 0 || b == 0 { return 0 }
    let width = columns + 1
    let r0 = i - i0
    let c0 = j - j0
    let r1 = r0 + a
    let c1 = c0 + b
    return prefix[r1 * width + c1] - prefix[r0 * width + c1] - prefix[r1 * width + c0]
      + prefix[r0 * width + c0]
  }

  /// The evidence a bead cuts: the links from its sentences to sentences of other beads, half
  /// from each end, so that over a segmentation every cut link is counted once.
  func cut(i: Int, j: Int, a: Int, b: Int) -> Double {
    var total = 0.0
    for r in (i - i0)..<(i - i0 + a) { total += rowTotal[r] }
    for c in (j - j0)..<(j - j0 + b) { total += columnTotal[c] }
    return max(0, (total - 2 * kept(i: i, j: j, a: a, b: b)) / 2)
  }
}

extension AlignmentProblem {
  /// The exclusive links of the span of source sentences `i0..<i1` and target sentences
  /// `j0..<j1` (see ``ExclusiveEvidence``).
  ///
  /// - Complexity: O(*w* · *l*) for the *w* words of the span and *l* links a word.
  /// - Parameter path: The programme's beads over the span, the frame of
  ///   ``SentenceAligner/Configuration/CrossEvidenceFrame/path``.
  func exclusiveEvidence(i0: Int, j0: Int, i1: Int, j1: Int, path: ArraySlice<PathStep> = [])
    -> ExclusiveEvidence
  {
    let rows = i1 - i0
    let columns = j1 - j0
    var weights = [Double](repeating: 0, count: rows * columns)
    // The one sentence of the span each word occurs in, or -1 for a word found in several.
    var sourceOwner: [Int32: Int] = [:]
    var targetOwner: [Int32: Int] = [:]
    for s in i0..<i1 {
      for id in sourceIds[s] { sourceOwner[id] = sourceOwner[id] == nil ? s : -1 }
    }
    for t in j0..<j1 {
      for id in targetIds[t] { targetOwner[id] = targetOwner[id] == nil ? t : -1 }
    }
    // Where each word lies in the span, as a share of the span's length: its rank among its
    // sentence's words, spread over the sentence's characters.
    let sourceStart = sourceCumulative[i0]
    let sourceLength = max(1, sourceCumulative[i1] - sourceStart)
    let targetStart = targetCumulative[j0]
    let targetLength = max(1, targetCumulative[j1] - targetStart)
    func sourcePlace(_ s: Int, _ id: Int32) -> Double {
      let words = sourceIds[s]
      let rank = Double(words.firstIndex(of: id) ?? 0) + 0.5
      let length = sourceCumulative[s + 1] - sourceCumulative[s]
      return (sourceCumulative[s] - sourceStart + rank / Double(words.count) * length) / sourceLength
    }
    func targetPlace(_ t: Int, _ id: Int32) -> Double {
      let words = targetIds[t]
      let rank = Double(words.firstIndex(of: id) ?? 0) + 0.5
      let length = targetCumulative[t + 1] - targetCumulative[t]
      return (targetCumulative[t] - targetStart + rank / Double(words.count) * length) / targetLength
    }
    // A link far from the diagonal of the span (its ends are fixed by confident beads, so the
    // translation runs from corner to corner) is a topic word met again, not a translation: with
    // a band, a link counts less the farther it lies from the diagonal, and nothing past the band
    // (measured in mean sentences of the span).
    let band = configuration.crossEvidenceBand
    let sentences = Double(rows + columns) / 2
    // The programme's path over the span, in sentences of each side, from corner to corner.
    var corners: [(x: Double, y: Double)] = [(0, 0)]
    if configuration.crossEvidenceFrame == .path {
      for step in path {
        corners.append(
          (
            (sourceCumulative[step.i] - sourceStart) / sourceLength * Double(rows),
            (targetCumulative[step.j] - targetStart) / targetLength * Double(columns)
          ))
      }
    }
    corners.append((Double(rows), Double(columns)))
    func nearness(_ x: Double, _ y: Double) -> Double {
      guard band > 0 else { return 1 }
      switch configuration.crossEvidenceFrame {
      case .diagonal:
        return max(0, 1 - abs(x - y) * sentences / band)
      case .path:
        let px = x * Double(rows)
        let py = y * Double(columns)
        var distance = Double.infinity
        for k in 1..<corners.count {
          let (ax, ay) = corners[k - 1]
          let (dx, dy) = (corners[k].x - ax, corners[k].y - ay)
          let squared = dx * dx + dy * dy
          let along = squared > 0 ? min(1, max(0, ((px - ax) * dx + (py - ay) * dy) / squared)) : 0
          let (ex, ey) = (ax + along * dx - px, ay + along * dy - py)
          distance = min(distance, (ex * ex + ey * ey).squareRoot())
        }
        return max(0, 1 - distance / band)
      }
    }
    var found: [ExclusiveEvidence.Link] = []
    // One exclusive link between source sentence s and target sentence t, at places x and y.
    func record(_ s: Int, _ t: Int, _ x: Double, _ y: Double, _ weight: Double) {
      weights[(s - i0) * columns + t - j0] += (band > 0 ? nearness(x, y) : 1) * weight
      found.append(
        .init(
          source: s, target: t, sourceOffset: sourceStart + x * sourceLength,
          targetOffset: targetStart + y * targetLength, weight: weight))
    }
    for s in i0..<i1 {
      for id in sourceIds[s] where sourceOwner[id] == s {
        guard let (partner, word) = onlyPartner(links[Int(id)], owners: targetOwner) else { continue }
        record(
          s, partner, sourcePlace(s, id), targetPlace(partner, word),
          crossEvidenceShare(sourceWeight[Int(id)], of: sourceSentenceWeight[s]))
      }
    }
    for t in j0..<j1 {
      for id in targetIds[t] where targetOwner[id] == t {
        guard let (partner, word) = onlyPartner(reverseLinks[Int(id)], owners: sourceOwner) else { continue }
        record(
          partner, t, sourcePlace(partner, word), targetPlace(t, id),
          crossEvidenceShare(targetWeight[Int(id)], of: targetSentenceWeight[t]))
      }
    }
    var evidence = ExclusiveEvidence(i0: i0, j0: j0, rows: rows, columns: columns, weights: weights)
    evidence.links = found
    return evidence
  }

  /// The evidence of the exclusive links inside a group bead (source `i..<i + a`, target
  /// `j..<j + b`) that lie out of order: more than
  /// ``SentenceAligner/Configuration/crossEvidenceDisorderTolerance`` sentences (the bead's mean)
  /// from the bead's diagonal, fully from twice that. In a true 2-2 the words of the first source
  /// sentence open the target sentences and those of the second close them; a link from the end
  /// of one to the start of the other is a topic word met again, and says the bead is two.
  func disorder(of evidence: ExclusiveEvidence, i: Int, j: Int, a: Int, b: Int) -> Double {
    if a < 2 && b < 2 { return 0 }
    let sourceStart = sourceCumulative[i]
    let sourceLength = max(1, sourceCumulative[i + a] - sourceStart)
    let targetStart = targetCumulative[j]
    let targetLength = max(1, targetCumulative[j + b] - targetStart)
    let sentences = Double(a + b) / 2
    let tolerance = configuration.crossEvidenceDisorderTolerance
    var total = 0.0
    for link in evidence.links
    where link.source >= i && link.source < i + a && link.target >= j && link.target < j + b {
      let x = (link.sourceOffset - sourceStart) / sourceLength
      let y = (link.targetOffset - targetStart) / targetLength
      let distance = abs(x - y) * sentences
      total += link.weight * min(1, max(0, (distance - tolerance) / tolerance))
    }
    return total
  }

  /// The one sentence of the other side whose exclusive words a word links to, if there is one,
  /// with the first such word.
  private func onlyPartner(_ linked: [Int32], owners: [Int32: Int]) -> (sentence: Int, word: Int32)? {
    var partner: (sentence: Int, word: Int32)?
    for id in linked {
      guard let owner = owners[id] else { continue }
      // A word linked to a word found in several sentences of the span, or to exclusive words
      // of two sentences, does not say where it belongs.
      if owner < 0 { return nil }
      if let known = partner, known.sentence != owner { return nil }
      if partner == nil { partner = (owner, id) }
    }
    return partner
  }

  /// A word's evidence: its weight as a share of its sentence's, the unit of the lexical cost's
  /// coverage, so every sentence has at most 1 of evidence.
  @inline(__always)
  func crossEvidenceShare(_ weight: Double, of sentenceWeight: Double) -> Double {
    sentenceWeight > 0 ? weight / sentenceWeight : 0
  }
}

extension SentenceAligner.Configuration {
  /// The line an exclusive link must lie near to count as evidence.
  public enum CrossEvidenceFrame: Sendable, Equatable {
    /// The diagonal of the doubtful span, from its first sentences to its last.
    case diagonal
    /// The programme's own path over the span, bead corner to bead corner: a translation that
    /// drifts inside a long span stays near it.
    case path
  }
}
