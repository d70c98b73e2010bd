import Foundation
import TextSegmentation

/// A group of source paragraphs aligned with a group of target paragraphs.
public struct ParagraphBead: Sendable, Hashable {
  /// Indices into the source document's paragraphs, in order (empty for a 0-1 bead).
  public var source: [Int]
  /// Indices into the target document's paragraphs, in order (empty for a 1-0 bead).
  public var target: [Int]
  /// Confidence in 0…1.
  public var score: Double

  public init(source: [Int], target: [Int], score: Double) {
    self.source = source
    self.target = target
    self.score = score
  }
}

/// Aligns the paragraphs of a document with those of its translation, using the structure of
/// UN documents as anchors.
///
/// Footnotes are aligned with footnotes and running text with running text, each as its own
/// stream, because layouts put footnotes in different places (at page bottoms in one language,
/// gathered under "Notes" in the other). Within a stream, a dynamic programme over beads
/// 1-1, 1-0, 0-1, 1-2 and 2-1 scores each candidate by
/// - paragraph numbers (`12.` against `12.`: a strong anchor; different numbers: a strong veto),
/// - anchors shared after folding: numbers, document symbols, acronyms, URLs, footnote markers,
/// - cognates (words sharing a folded four-letter prefix),
/// - length, as Gale and Church model it, with the ratio taken from the two documents,
/// - the paragraph kinds (a title against a body paragraph costs more).
public struct ParagraphAligner: Sendable {
  /// The knobs of the paragraph aligner: the costs of a bead's parts, in the units of minus a log
  /// probability. The defaults were tuned on the UN pairs.
  public struct Configuration: Sendable, Equatable {
    /// Cost of leaving a paragraph of running text unaligned, at most.
    public var skipCost: Double = 6.0
    /// Cost of leaving unaligned a paragraph with no word of three letters or more (OCR junk).
    public var junkSkipCost: Double = 0.5
    /// Cost of leaving unaligned a paragraph of no length; a longer one costs one more per
    /// ``skipCharactersPerCost`` characters, up to ``skipCost``. Short lines (a language name in
    /// the masthead, a stray heading) go untranslated more often than whole paragraphs.
    public var shortSkipCost: Double = 2
    /// Characters per unit of skip cost above ``shortSkipCost``.
    public var skipCharactersPerCost: Double = 15
    /// Extra cost of a 1-2 or 2-1 bead. A merge happens only when a page break or the reader split
    /// what the other side holds as one, so it costs a little more than a 1-1 and needs the
    /// evidence to pay for it.
    public var mergeCost: Double = 5
    /// Gain of a bead whose two sides carry the same paragraph number: a strong anchor.
    public var sameNumberGain: Double = 4
    /// Cost of a bead whose two sides carry different paragraph numbers: a strong veto.
    public var differentNumberCost: Double = 12
    /// Cost of a bead of which one side only carries a paragraph number.
    public var oneNumberCost: Double = 3
    /// Cost of a bead joining paragraphs of different kinds (a title with body text).
    public var kindMismatchCost: Double = 1.5
    /// Cost of a bead joining paragraphs of different kinds, one of them junk.
    public var junkKindMismatchCost: Double = 4
    /// Weight of the Gale–Church length cost.
    public var lengthWeight: Double = 0.5
    /// Largest length cost before its weight (minus the log of the smallest probability counted).
    public var maximumLengthCost: Double = 25
    /// Gale–Church variance of the target length per source character.
    public var lengthVariance: Double = GaleChurch.variance
    /// Weight of the anchors' Dice coefficient, for beads where either side has anchors.
    public var anchorWeight: Double = 6
    /// Anchor Dice coefficient at which anchors neither help nor hurt a bead.
    public var neutralAnchorDice: Double = 0.5
    /// Weight of the cognates' Dice coefficient.
    public var cognateWeight: Double = 4
    /// Cognate Dice coefficient at which cognates neither help nor hurt a bead.
    public var neutralCognateDice: Double = 0.35

    /// The default configuration.
    public init() {}
  }

  /// The settings.
  public var configuration: Configuration

  /// Creates a paragraph aligner.
  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
  }

  /// Aligns two documents' paragraphs.
  ///
  /// - Returns: Beads covering every paragraph of both documents once. Running-text beads come in
  ///   document order; footnote beads follow them, in the target document's order.
  /// - Complexity: O(*n* × *m*) in the paragraph counts of each stream.
  public func align(source: Document, target: Document) -> [ParagraphBead] {
    let sourceFeatures = source.paragraphs.map { ParagraphFeatures($0, language: source.language) }
    let targetFeatures = target.paragraphs.map { ParagraphFeatures($0, language: target.language) }
    let sourceChars = sourceFeatures.reduce(0) { $0 + $1.length }
    let targetChars = targetFeatures.reduce(0) { $0 + $1.length }
    let ratio = sourceChars > 0 && targetChars > 0 ? Double(targetChars) / Double(sourceChars) : 1
    let isFootnote: (ParagraphFeatures) -> Bool = { $0.kind == .footnote }
    let sourceBody = sourceFeatures.indices.filter { !isFootnote(sourceFeatures[$0]) }
    let targetBody = targetFeatures.indices.filter { !isFootnote(targetFeatures[$0]) }
    let sourceNotes = sourceFeatures.indices.filter { isFootnote(sourceFeatures[$0]) }
    let targetNotes = targetFeatures.indices.filter { isFootnote(targetFeatures[$0]) }
    let body = alignStream(
      sourceBody, targetBody, sourceFeatures, targetFeatures, ratio: ratio)
    let notes = alignStream(
      sourceNotes, targetNotes, sourceFeatures, targetFeatures, ratio: ratio)
    return body + notes
  }

  // MARK: - Dynamic programme

  private static let shapes: [(Int, Int)] = [(1, 1), (1, 0), (0, 1), (1, 2), (2, 1)]

  private func alignStream(
    _ sourceIndices: [Int], _ targetIndices: [Int],
    _ sourceFeatures: [ParagraphFeatures], _ targetFeatures: [ParagraphFeatures], ratio: Double
  ) -> [ParagraphBead] {
    let n = sourceIndices.count
    let m = targetIndices.count
    if n == 0 && m == 0 { return [] }
    let width = m + 1
    var cost = [Double](repeating: .infinity, count: (n + 1) * width)
    var back = [UInt8](repeating: 0, count: (n + 1) * width)
    cost[0] = 0
    for i in 0...n {
      for j in 0...m {
        let here = cost[i * width + j]
        if here == .infinity { continue }
        for (shapeIndex, shape) in Self.shapes.enumerated() {
          let (di, dj) = shape
          guard i + di <= n, j + dj <= m else { continue }
          let s = sourceIndices[i..<(i + di)].map { sourceFeatures[$0] }
          let t = targetIndices[j..<(j + dj)].map { targetFeatures[$0] }
          let c = here + beadCost(s, t, ratio: ratio)
          let k = (i + di) * width + j + dj
          if c < cost[k] {
            cost[k] = c
            back[k] = UInt8(shapeIndex)
          }
        }
      }
    }
    var beads: [ParagraphBead] = []
    var i = n
    var j = m
    while i > 0 || j > 0 {
      let (di, dj) = Self.shapes[Int(back[i * width + j])]
      let s = Array(sourceIndices[(i - di)..<i])
      let t = Array(targetIndices[(j - dj)..<j])
      let beadCost = cost[i * width + j] - cost[(i - di) * width + j - dj]
      beads.append(ParagraphBead(source: s, target: t, score: confidence(beadCost, shape: (di, dj))))
      i -= di
      j -= dj
    }
    return beads.reversed()
  }

  /// Maps a bead's cost to a confidence in 0…1: a 1-1 bead that costs nothing is certain, one that
  /// costs as much as skipping both paragraphs is a coin toss.
  private func confidence(_ cost: Double, shape: (Int, Int)) -> Double {
    let reference = configuration.skipCost * Double(max(1, shape.0 + shape.1))
    if shape.0 == 0 || shape.1 == 0 { return 1 / (1 + exp(-(reference - cost) / 2)) }
    return 1 / (1 + exp((cost - reference / 2) / (reference / 4)))
  }

  private func beadCost(
    _ source: [ParagraphFeatures], _ target: [ParagraphFeatures], ratio: Double
  ) -> Double {
    if source.isEmpty || target.isEmpty { return skipCost(source + target) }
    // A numbered paragraph never continues another one.
    if source.dropFirst().contains(where: { $0.number != nil })
      || target.dropFirst().contains(where: { $0.number != nil })
    {
      return .infinity
    }
    let s = ParagraphFeatures(merging: source)
    let t = ParagraphFeatures(merging: target)
    let mergeCost = source.count + target.count > 2 ? configuration.mergeCost : 0
    return mergeCost + numberCost(s, t) + kindCost(s, t) + lengthCost(s.length, t.length, ratio: ratio)
      + anchorCost(s, t) + cognateCost(s, t)
  }

  /// The cost of leaving paragraphs unaligned.
  private func skipCost(_ paragraphs: [ParagraphFeatures]) -> Double {
    paragraphs.reduce(0) {
      $0
        + ($1.isJunk
          ? configuration.junkSkipCost
          : min(
            configuration.skipCost,
            configuration.shortSkipCost + Double($1.length) / configuration.skipCharactersPerCost))
    }
  }

  /// Paragraph numbers: the same number is a strong anchor, different ones a strong veto.
  private func numberCost(_ source: ParagraphFeatures, _ target: ParagraphFeatures) -> Double {
    if let a = source.number, let b = target.number {
      return a == b ? -configuration.sameNumberGain : configuration.differentNumberCost
    }
    return (source.number == nil) != (target.number == nil) ? configuration.oneNumberCost : 0
  }

  /// Paragraph kinds: a title against a body paragraph costs more, against junk more still.
  private func kindCost(_ source: ParagraphFeatures, _ target: ParagraphFeatures) -> Double {
    if source.kind == target.kind { return 0 }
    return source.isJunk || target.isJunk
      ? configuration.junkKindMismatchCost : configuration.kindMismatchCost
  }

  /// Gale and Church's length cost, with the ratio of the two documents' lengths.
  private func lengthCost(_ sourceLength: Int, _ targetLength: Int, ratio: Double) -> Double {
    let ls = Double(max(sourceLength, 1))
    let lt = Double(max(targetLength, 1))
    let delta = (lt - ls * ratio) / sqrt(ls * configuration.lengthVariance)
    let p = max(2 * (1 - standardNormalCDF(abs(delta))), 1e-12)
    return min(-log(p), configuration.maximumLengthCost) * configuration.lengthWeight
  }

  /// Anchors shared after folding (numbers, symbols, acronyms, URLs, footnote markers), when
  /// either side has some.
  private func anchorCost(_ source: ParagraphFeatures, _ target: ParagraphFeatures) -> Double {
    if source.anchors.isEmpty && target.anchors.isEmpty { return 0 }
    let shared = dice(source.anchors, target.anchors)
    return configuration.anchorWeight * (configuration.neutralAnchorDice - shared)
  }

  /// Cognates: words sharing a folded four-letter prefix.
  private func cognateCost(_ source: ParagraphFeatures, _ target: ParagraphFeatures) -> Double {
    let shared = dice(source.cognates, target.cognates)
    return configuration.cognateWeight * (configuration.neutralCognateDice - shared)
  }

  private func dice(_ a: [String: Int], _ b: [String: Int]) -> Double {
    let sizeA = a.values.reduce(0, +)
    let sizeB = b.values.reduce(0, +)
    if sizeA + sizeB == 0 { return 0 }
    var shared = 0
    for (key, count) in a { shared += min(count, b[key] ?? 0) }
    return 2 * Double(shared) / Double(sizeA + sizeB)
  }
}

func standardNormalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// What the paragraph and the sentence aligners share of Gale and Church's length model.
enum GaleChurch {
  /// The variance of the target length per source character (Gale and Church, 1993).
  static let variance = 6.8
}

/// What the paragraph aligner looks at in a paragraph.
struct ParagraphFeatures: Sendable {
  var kind: ParagraphKind
  var number: String?
  var length: Int
  var anchors: [String: Int]
  var cognates: [String: Int]
  var isJunk: Bool

  init(_ paragraph: Paragraph, language: Language) {
    kind = paragraph.kind
    number = paragraph.number
    length = paragraph.text.count
    var anchors: [String: Int] = [:]
    var cognates: [String: Int] = [:]
    var longWords = 0
    for word in AnchorExtractor.words(in: paragraph.text) {
      switch word.kind {
      case .anchor: anchors[word.key, default: 0] += 1
      case .word:
        if word.key.count >= 3 { longWords += 1 }
        if word.key.count >= 5 { cognates[String(word.key.prefix(4)), default: 0] += 1 }
      }
    }
    self.anchors = anchors
    self.cognates = cognates
    isJunk =
      longWords == 0 && paragraph.kind != .footnote && paragraph.number == nil
      || paragraph.kind == .other
  }

  init(merging parts: [ParagraphFeatures]) {
    precondition(!parts.isEmpty, "a bead side to merge has at least one paragraph")
    if parts.count == 1 {
      self = parts[0]
      return
    }
    kind = parts[0].kind
    number = parts.lazy.compactMap(\.number).first
    length = parts.reduce(0) { $0 + $1.length }
    anchors = parts.reduce(into: [:]) { result, part in result.merge(part.anchors, uniquingKeysWith: +) }
    cognates = parts.reduce(into: [:]) { result, part in result.merge(part.cognates, uniquingKeysWith: +) }
    isJunk = parts.allSatisfy(\.isJunk)
  }
}

/// Finds the language-independent tokens of a text: numbers, document symbols, acronyms, URLs and
/// footnote markers (anchors), and plain words, all as folded keys.
enum AnchorExtractor {
  enum Kind { case anchor, word }
  struct Word {
    var key: String
    var kind: Kind
  }

  static func words(in text: String) -> [Word] {
    var result: [Word] = []
    for chunk in text.split(whereSeparator: { $0.isWhitespace }) {
      var piece = Substring(chunk)
      if piece.hasPrefix("http") || piece.hasPrefix("www.") || piece.hasPrefix("file:") {
        let url = piece.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:()"))
        result.append(Word(key: url.lowercased(), kind: .anchor))
        continue
      }
      // Footnote markers: superscript digits and a trailing asterisk.
      var markers = ""
      while let last = piece.last, CodeUnit.superscriptValue(last) != nil || last == "*" {
        let marker = CodeUnit.superscriptValue(last).map { Character(String($0)) } ?? "*"
        markers.insert(marker, at: markers.startIndex)
        piece = piece.dropLast()
      }
      if !markers.isEmpty { result.append(Word(key: "^" + markers, kind: .anchor)) }
      let trimmed = piece.trimmingCharacters(
        in: CharacterSet.punctuationCharacters.subtracting(CharacterSet(charactersIn: "/-")))
      if trimmed.isEmpty { continue }
      if trimmed.contains(where: \.isNumber) {
        // Numbers and symbols: keep digits, letters and slashes; `1 234` is split by the chunking,
        // which both languages share, so it still matches.
        let key = trimmed.filter { $0.isLetter || $0.isNumber || $0 == "/" || $0 == "." }
        let cleaned = key.hasSuffix(".") ? String(key.dropLast()) : key
        result.append(Word(key: cleaned.lowercased(), kind: .anchor))
        continue
      }
      let letters = trimmed.filter(\.isLetter)
      if letters.count >= 2 && letters.allSatisfy(\.isUppercase) {
        result.append(Word(key: letters.lowercased(), kind: .anchor))
        continue
      }
      // Words: fold case and accents; cut French elision (`l'Organisation` → `organisation`).
      var word = Substring(TextNormalizer.matchKey(trimmed))
      if let apostrophe = word.firstIndex(of: "'"), word.distance(from: word.startIndex, to: apostrophe) <= 5
      {
        word = word[word.index(after: apostrophe)...]
      }
      result.append(Word(key: String(word), kind: .word))
    }
    return result
  }
}
