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
  /// - Complexity: O((*n* + *m*) · *w*) in the paragraph counts of each stream, for a band of
  ///   half-width *w* at most ``maximumBandWidth``.
  public func align(source: Document, target: Document) -> [ParagraphBead] {
    var statistics = BandStatistics()
    return align(source: source, target: target, statistics: &statistics)
  }

  /// Aligns two documents' paragraphs and counts the cells of the grid the programme evaluated.
  func align(source: Document, target: Document, statistics: inout BandStatistics) -> [ParagraphBead] {
    // One table of ids for both documents, so that the same folded key has the same id on each side.
    var keys = KeyIds()
    let sourceFeatures = source.paragraphs.map { ParagraphFeatures($0, keys: &keys) }
    let targetFeatures = target.paragraphs.map { ParagraphFeatures($0, keys: &keys) }
    let sourceChars = sourceFeatures.reduce(0) { $0 + $1.length }
    let targetChars = targetFeatures.reduce(0) { $0 + $1.length }
    let ratio = sourceChars > 0 && targetChars > 0 ? Double(targetChars) / Double(sourceChars) : 1
    let isFootnote: (ParagraphFeatures) -> Bool = { $0.kind == .footnote }
    let sourceBody = sourceFeatures.indices.filter { !isFootnote(sourceFeatures[$0]) }
    let targetBody = targetFeatures.indices.filter { !isFootnote(targetFeatures[$0]) }
    let sourceNotes = sourceFeatures.indices.filter { isFootnote(sourceFeatures[$0]) }
    let targetNotes = targetFeatures.indices.filter { isFootnote(targetFeatures[$0]) }
    let body = alignStream(
      ParagraphStream(sourceBody, sourceFeatures), ParagraphStream(targetBody, targetFeatures), ratio: ratio,
      statistics: &statistics)
    let notes = alignStream(
      ParagraphStream(sourceNotes, sourceFeatures), ParagraphStream(targetNotes, targetFeatures),
      ratio: ratio, statistics: &statistics)
    return body + notes
  }

  // MARK: - Dynamic programme

  private static let shapes: [(Int, Int)] = [(1, 1), (1, 0), (0, 1), (1, 2), (2, 1)]

  /// Half-width, in paragraphs, of the first band around the proportional diagonal.
  static let minimumBandWidth = 64
  /// Largest half-width the band widens to, around any row: time and memory stay linear in the
  /// paragraph counts whatever the documents.
  static let maximumBandWidth = 1024

  private func alignStream(
    _ source: ParagraphStream, _ target: ParagraphStream, ratio: Double, statistics: inout BandStatistics
  ) -> [ParagraphBead] {
    let n = source.count
    let m = target.count
    if n == 0 && m == 0 { return [] }
    // The band follows the diagonal of the streams' cumulative lengths; each row widens on
    // the side where the best path comes near its edge, up to the maximum width.
    var center: [Int] = []
    center.reserveCapacity(n + 1)
    let sourceTotal = Double(max(source.cumulative[n], 1))
    let targetTotal = Double(max(target.cumulative[m], 1))
    var column = 0
    for i in 0...n {
      let goal = Double(source.cumulative[i]) / sourceTotal * targetTotal
      while column < m && Double(target.cumulative[column + 1]) <= goal { column += 1 }
      center.append(column)
    }
    var below = [Int](repeating: Self.minimumBandWidth, count: n + 1)
    var above = below
    while true {
      let band = Self.band(center: center, below: below, above: above, m: m)
      statistics.cells += band.cellCount
      statistics.largestRow = max(
        statistics.largestRow, zip(band.firstColumn, band.lastColumn).map { $1 - $0 + 1 }.max() ?? 0)
      let (cost, back) = bestPaths(source, target, band: band, ratio: ratio)
      let path = Self.path(back: back, band: band, n: n, m: m)
      // Rows where the path comes within a few cells of an edge that is not the grid's widen on
      // that side, with their neighbours, to twice their width (from the widths of this round).
      var widened = false
      var newBelow = below
      var newAbove = above
      for (i, j) in path {
        let nearLow = band.firstColumn[i] > 0 && j - band.firstColumn[i] < Self.edgeMargin
        let nearHigh = band.lastColumn[i] < m && band.lastColumn[i] - j < Self.edgeMargin
        if !nearLow && !nearHigh { continue }
        let reach = max(below[i], above[i])
        let wideBelow = min(Self.maximumBandWidth, 2 * below[i])
        let wideAbove = min(Self.maximumBandWidth, 2 * above[i])
        for row in max(0, i - reach)...min(n, i + reach) {
          if nearLow && newBelow[row] < wideBelow {
            newBelow[row] = wideBelow
            widened = true
          }
          if nearHigh && newAbove[row] < wideAbove {
            newAbove[row] = wideAbove
            widened = true
          }
        }
      }
      below = newBelow
      above = newAbove
      if !widened { return beads(path: path, cost: cost, band: band, source, target) }
      statistics.widenings += 1
    }
  }

  /// How near, in cells, the path may come to an edge of the band before the band widens there.
  private static let edgeMargin = 3

  /// The band of rows `center[i] - below[i] ... center[i] + above[i]`, clamped to the grid and
  /// made monotone and connected.
  private static func band(center: [Int], below: [Int], above: [Int], m: Int) -> BandLayout {
    let n = center.count - 1
    var first = center.indices.map { min(max(center[$0] - below[$0], 0), m) }
    var last = center.indices.map { min(max(center[$0] + above[$0], 0), m) }
    first[0] = 0
    last[n] = m
    if n > 0 {
      for i in stride(from: n - 1, through: 0, by: -1) { first[i] = min(first[i], first[i + 1]) }
      for i in 1...n {
        last[i] = max(last[i], last[i - 1])
        first[i] = min(first[i], last[i - 1])
      }
    }
    return BandLayout(firstColumn: first, lastColumn: last)
  }

  /// The cheapest cost of reaching each cell of the band, and the shape of its last bead.
  private func bestPaths(
    _ source: ParagraphStream, _ target: ParagraphStream, band: BandLayout, ratio: Double
  ) -> (cost: [Double], back: [UInt8]) {
    let n = source.count
    let m = target.count
    var cost = [Double](repeating: .infinity, count: band.cellCount)
    var back = [UInt8](repeating: 0, count: band.cellCount)
    cost[0] = 0
    let sourceSkip = source.single.map { skipCost($0) }
    let targetSkip = target.single.map { skipCost($0) }
    source.single.withUnsafeBufferPointer { sourceSingle in
      source.pairs.withUnsafeBufferPointer { sourcePairs in
        target.single.withUnsafeBufferPointer { targetSingle in
          target.pairs.withUnsafeBufferPointer { targetPairs in
            // Relaxes cell (i + di, j + dj) from cell (i, j) with a bead of the given shape.
            @inline(__always)
            func relax(_ here: Double, _ i: Int, _ j: Int, _ shape: Int, _ beadCost: () -> Double) {
              let (di, dj) = Self.shapes[shape]
              guard i + di <= n, j + dj <= m, let k = band.cellIfInside(i + di, j + dj) else { return }
              let c = here + beadCost()
              if c < cost[k] {
                cost[k] = c
                back[k] = UInt8(shape)
              }
            }
            for i in 0...n {
              for j in band.firstColumn[i]...band.lastColumn[i] {
                let here = cost[band.cell(i, j)]
                if here == .infinity { continue }
                // The order of `shapes`: 1-1, 1-0, 0-1, 1-2, 2-1.
                relax(here, i, j, 0) {
                  matchCost(sourceSingle[i], targetSingle[j], merged: false, ratio: ratio)
                }
                relax(here, i, j, 1) { sourceSkip[i] }
                relax(here, i, j, 2) { targetSkip[j] }
                relax(here, i, j, 3) {
                  matchCost(sourceSingle[i], targetPairs[j], merged: true, ratio: ratio)
                }
                relax(here, i, j, 4) {
                  matchCost(sourcePairs[i], targetSingle[j], merged: true, ratio: ratio)
                }
              }
            }
          }
        }
      }
    }
    return (cost, back)
  }

  /// The cells of the best path from (n, m) back to (0, 0), corner included, last first.
  private static func path(back: [UInt8], band: BandLayout, n: Int, m: Int) -> [(Int, Int)] {
    var cells = [(n, m)]
    var i = n
    var j = m
    while i > 0 || j > 0 {
      let (di, dj) = shapes[Int(back[band.cell(i, j)])]
      i -= di
      j -= dj
      cells.append((i, j))
    }
    return cells
  }

  private func beads(
    path: [(Int, Int)], cost: [Double], band: BandLayout, _ source: ParagraphStream,
    _ target: ParagraphStream
  ) -> [ParagraphBead] {
    var beads: [ParagraphBead] = []
    beads.reserveCapacity(path.count)
    for step in stride(from: path.count - 1, to: 0, by: -1) {
      let (i0, j0) = path[step]
      let (i, j) = path[step - 1]
      let beadCost = cost[band.cell(i, j)] - cost[band.cell(i0, j0)]
      beads.append(
        ParagraphBead(
          source: Array(source.indices[i0..<i]), target: Array(target.indices[j0..<j]),
          score: confidence(beadCost, shape: (i - i0, j - j0))))
    }
    return beads
  }

  /// Maps a bead's cost to a confidence in 0…1: a 1-1 bead that costs nothing is certain, one that
  /// costs as much as skipping both paragraphs is a coin toss.
  private func confidence(_ cost: Double, shape: (Int, Int)) -> Double {
    let reference = configuration.skipCost * Double(max(1, shape.0 + shape.1))
    if shape.0 == 0 || shape.1 == 0 { return 1 / (1 + exp(-(reference - cost) / 2)) }
    return 1 / (1 + exp((cost - reference / 2) / (reference / 4)))
  }

  /// The cost of a bead joining paragraphs on both sides (a 1-1, or a 1-2 or 2-1 when `merged`).
  private func matchCost(
    _ s: borrowing ParagraphFeatures, _ t: borrowing ParagraphFeatures, merged: Bool, ratio: Double
  ) -> Double {
    // A numbered paragraph never continues another one.
    if s.continuesWithNumber || t.continuesWithNumber { return .infinity }
    let mergeCost = merged ? configuration.mergeCost : 0
    return mergeCost + numberCost(s, t) + kindCost(s, t) + lengthCost(s.length, t.length, ratio: ratio)
      + anchorCost(s, t) + cognateCost(s, t)
  }

  /// The cost of leaving a paragraph unaligned.
  private func skipCost(_ paragraph: ParagraphFeatures) -> Double {
    paragraph.isJunk
      ? configuration.junkSkipCost
      : min(
        configuration.skipCost,
        configuration.shortSkipCost + Double(paragraph.length) / configuration.skipCharactersPerCost)
  }

  /// Paragraph numbers: the same number is a strong anchor, different ones a strong veto.
  private func numberCost(_ source: borrowing ParagraphFeatures, _ target: borrowing ParagraphFeatures)
    -> Double
  {
    if let a = source.number, let b = target.number {
      return a == b ? -configuration.sameNumberGain : configuration.differentNumberCost
    }
    return (source.number == nil) != (target.number == nil) ? configuration.oneNumberCost : 0
  }

  /// Paragraph kinds: a title against a body paragraph costs more, against junk more still.
  private func kindCost(_ source: borrowing ParagraphFeatures, _ target: borrowing ParagraphFeatures)
    -> Double
  {
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
  private func anchorCost(_ source: borrowing ParagraphFeatures, _ target: borrowing ParagraphFeatures)
    -> Double
  {
    if source.anchors.isEmpty && target.anchors.isEmpty { return 0 }
    let shared = dice(source.anchors, target.anchors)
    return configuration.anchorWeight * (configuration.neutralAnchorDice - shared)
  }

  /// Cognates: words sharing a folded four-letter prefix.
  private func cognateCost(_ source: borrowing ParagraphFeatures, _ target: borrowing ParagraphFeatures)
    -> Double
  {
    let shared = dice(source.cognates, target.cognates)
    return configuration.cognateWeight * (configuration.neutralCognateDice - shared)
  }

  private func dice(_ a: KeyBag, _ b: KeyBag) -> Double {
    if a.total + b.total == 0 { return 0 }
    return 2 * Double(a.shared(with: b)) / Double(a.total + b.total)
  }
}

func standardNormalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// What the paragraph and the sentence aligners share of Gale and Church's length model.
enum GaleChurch {
  /// The variance of the target length per source character (Gale and Church, 1993).
  static let variance = 6.8
}

/// What the paragraph aligner looks at in a paragraph, or in two paragraphs taken as one.
struct ParagraphFeatures: Sendable {
  var kind: ParagraphKind
  var number: String?
  var length: Int
  var anchors: KeyBag
  var cognates: KeyBag
  var isJunk: Bool
  /// Whether a paragraph after the first carries a number (two paragraphs taken as one).
  var continuesWithNumber = false

  init(_ paragraph: Paragraph, keys: inout KeyIds) {
    kind = paragraph.kind
    number = paragraph.number
    length = paragraph.text.count
    var anchors: [Int32: Int32] = [:]
    var cognates: [Int32: Int32] = [:]
    var longWords = 0
    for word in AnchorExtractor.words(in: paragraph.text) {
      switch word.kind {
      case .anchor: anchors[keys.id(word.key), default: 0] += 1
      case .word:
        if word.key.count >= 3 { longWords += 1 }
        if word.key.count >= 5 { cognates[keys.id(String(word.key.prefix(4))), default: 0] += 1 }
      }
    }
    self.anchors = KeyBag(anchors)
    self.cognates = KeyBag(cognates)
    isJunk =
      longWords == 0 && paragraph.kind != .footnote && paragraph.number == nil
      || paragraph.kind == .other
  }

  /// Two consecutive paragraphs taken as one.
  init(merging first: ParagraphFeatures, _ second: ParagraphFeatures) {
    kind = first.kind
    number = first.number ?? second.number
    length = first.length + second.length
    anchors = first.anchors.adding(second.anchors)
    cognates = first.cognates.adding(second.cognates)
    isJunk = first.isJunk && second.isJunk
    continuesWithNumber = first.continuesWithNumber || second.number != nil || second.continuesWithNumber
  }
}

/// Ids for the folded keys of both documents.
struct KeyIds {
  private var ids: [String: Int32] = [:]

  mutating func id(_ key: String) -> Int32 {
    if let known = ids[key] { return known }
    let id = Int32(ids.count)
    ids[key] = id
    return id
  }
}

/// A multiset of key ids: the ids in increasing order, each with its count.
struct KeyBag: Sendable {
  private(set) var ids: [Int32] = []
  private(set) var counts: [Int32] = []
  /// The sum of the counts.
  private(set) var total = 0

  init(_ counts: [Int32: Int32]) {
    for (id, count) in counts.sorted(by: { $0.key < $1.key }) {
      ids.append(id)
      self.counts.append(count)
      total += Int(count)
    }
  }

  private init() {}

  var isEmpty: Bool { ids.isEmpty }

  /// The sum of the smaller of the two counts of each id.
  func shared(with other: KeyBag) -> Int {
    var a = 0
    var b = 0
    var shared = 0
    while a < ids.count && b < other.ids.count {
      if ids[a] == other.ids[b] {
        shared += Int(min(counts[a], other.counts[b]))
        a += 1
        b += 1
      } else if ids[a] < other.ids[b] {
        a += 1
      } else {
        b += 1
      }
    }
    return shared
  }

  /// The union of two bags, counts added.
  func adding(_ other: KeyBag) -> KeyBag {
    var result = KeyBag()
    result.total = total + other.total
    var a = 0
    var b = 0
    while a < ids.count || b < other.ids.count {
      if b == other.ids.count || a < ids.count && ids[a] < other.ids[b] {
        result.ids.append(ids[a])
        result.counts.append(counts[a])
        a += 1
      } else if a == ids.count || other.ids[b] < ids[a] {
        result.ids.append(other.ids[b])
        result.counts.append(other.counts[b])
        b += 1
      } else {
        result.ids.append(ids[a])
        result.counts.append(counts[a] + other.counts[b])
        a += 1
        b += 1
      }
    }
    return result
  }
}

/// The paragraphs of one stream (running text or footnotes) of a document, with each pair of
/// consecutive paragraphs taken as one, for 1-2 and 2-1 beads.
struct ParagraphStream {
  /// The stream's paragraphs, as indices into the document's paragraphs.
  let indices: [Int]
  let single: [ParagraphFeatures]
  /// `pairs[k]` takes paragraphs `k` and `k + 1` as one.
  let pairs: [ParagraphFeatures]
  /// The characters of the first `k` paragraphs.
  let cumulative: [Int]

  init(_ indices: [Int], _ features: [ParagraphFeatures]) {
    self.indices = indices
    single = indices.map { features[$0] }
    pairs = zip(single, single.dropFirst()).map { ParagraphFeatures(merging: $0, $1) }
    var cumulative = [0]
    cumulative.reserveCapacity(indices.count + 1)
    for paragraph in single { cumulative.append(cumulative[cumulative.count - 1] + paragraph.length) }
    self.cumulative = cumulative
  }

  var count: Int { indices.count }
}

/// What the banded programme of the paragraph aligner evaluated, for tests.
struct BandStatistics {
  /// Cells evaluated, over every round of widening and both streams.
  var cells = 0
  /// The widest row of any band.
  var largestRow = 0
  /// Rounds in which the band widened.
  var widenings = 0
}

/// Finds the language-independent tokens of a text: numbers, document symbols, acronyms, URLs and
/// footnote markers (anchors), and plain words, all as folded keys.
enum AnchorExtractor {
  enum Kind { case anchor, word }
  struct Word {
    var key: String
    var kind: Kind
  }

  /// What is trimmed off a URL.
  private static let urlPunctuation = CharacterSet(charactersIn: ".,;:()")
  /// What is trimmed off a word or a symbol: punctuation but slashes and hyphens.
  private static let wordPunctuation = CharacterSet.punctuationCharacters.subtracting(
    CharacterSet(charactersIn: "/-"))

  /// `text` without the scalars of `set` at either end (as `trimmingCharacters(in:)`, without its
  /// round trip through `NSString`).
  private static func trimming(_ text: Substring, _ set: CharacterSet) -> Substring {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !set.contains($0) }),
      let last = scalars.lastIndex(where: { !set.contains($0) })
    else { return "" }
    return Substring(scalars[first...last])
  }

  static func words(in text: String) -> [Word] {
    var result: [Word] = []
    for chunk in text.split(whereSeparator: { $0.isWhitespace }) {
      var piece = Substring(chunk)
      if piece.hasPrefix("http") || piece.hasPrefix("www.") || piece.hasPrefix("file:") {
        let url = trimming(piece, urlPunctuation)
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
      let trimmed = trimming(piece, wordPunctuation)
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
      var word = Substring(TextNormalizer.matchKey(String(trimmed)))
      if let apostrophe = word.firstIndex(of: "'"), word.distance(from: word.startIndex, to: apostrophe) <= 5
      {
        word = word[word.index(after: apostrophe)...]
      }
      result.append(Word(key: String(word), kind: .word))
    }
    return result
  }
}
