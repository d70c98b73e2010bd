import Foundation
import TextSegmentation

/// Cuts and tags the memory's units the way OmegaT segments a project's documents, so that
/// OmegaT's `tm/auto/` (which fills a segment only when a unit's source is the segment's text,
/// tags included) finds them.
///
/// OmegaT 3.6 splits what aligntm keeps together (a paragraph number such as `1.` or `75/15.`,
/// text after `vol.`, `sect.`, `No.`, a line or page break) and writes every run boundary of a
/// Word document, formatting or not, as a tag such as `<t0/>`, which no text-derived memory can
/// know. So the map starts from the segments OmegaT itself made (its pseudo-translation TMX), and
/// for each memory unit:
///
/// 1. finds the OmegaT segments whose text without tags is the unit's source, or a run of them
///    that together make the source (footnote markers such as `¹`, which Word draws as
///    references, are left out of the comparison);
/// 2. cuts the target into as many pieces: a piece of the source holding no lower-case letter
///    (`1.`, `II.`, `23`) is found as such in the target; other cuts go after the same closing
///    word (`vol.`, `sect.`, `:`) or after a punctuation mark and a space, where the position in
///    the target is nearest the position in the source;
/// 3. gives each piece the segment's tags where the unit had a footnote marker: the target's
///    markers become those tags, in order. Other tags (run boundaries) are left out of the
///    target, which OmegaT accepts: the formatting of the translated segment is the first run's.
public struct OmegaTSegmentMap {
  /// One unit for OmegaT: an OmegaT segment (with its tags) and its translation.
  public struct Entry: Sendable, Hashable {
    public var source: String
    public var target: String
    /// The memory unit it comes from.
    public var unitID: Int64?
  }

  /// The OmegaT segments, as OmegaT wrote them (with tags).
  public let segments: [String]
  private var byText: [String: [String]] = [:]
  private var firstWords: [String: [String]] = [:]

  public init(segments: [String]) {
    self.segments = segments
    for segment in segments {
      let text = Self.withoutTags(segment)
      guard !text.isEmpty else { continue }
      if byText[text]?.contains(segment) != true { byText[text, default: []].append(segment) }
      let first = String(text.prefix { $0 != " " })
      if firstWords[first]?.contains(text) != true { firstWords[first, default: []].append(text) }
    }
  }

  /// The entries for a memory unit's source and target texts (without inline codes).
  public func entries(source: String, target: String, unitID: Int64? = nil) -> [Entry] {
    let normalized = Self.normalized(source)
    let pieces: [String]
    if byText[normalized] != nil {
      pieces = [normalized]
    } else if let tiling = tiling(of: normalized), tiling.count > 1 {
      pieces = tiling
    } else {
      return []
    }
    let targets =
      pieces.count == 1 ? [Self.collapsed(target)] : Self.cut(Self.collapsed(target), like: pieces) ?? []
    guard targets.count == pieces.count else { return [] }
    var result: [Entry] = []
    let sources = Self.rawPieces(of: source, pieces: pieces)
    for (index, (piece, translation)) in zip(pieces, targets).enumerated() {
      for segment in byText[piece] ?? [] {
        let target = Self.tagged(translation, segment: segment, source: sources?[index])
        result.append(Entry(source: segment, target: target, unitID: unitID))
      }
    }
    return result
  }

  /// The source as OmegaT segments cut it, when a run of segments makes it exactly.
  private func tiling(of text: String) -> [String]? {
    var pieces: [String] = []
    var rest = Substring(text)
    while !rest.isEmpty {
      let first = String(rest.prefix { $0 != " " })
      // The longest segment the rest starts with, ending at a word boundary.
      let candidates = (firstWords[first] ?? []).filter {
        rest.hasPrefix($0) && (rest.count == $0.count || rest.dropFirst($0.count).first == " ")
      }
      guard let best = candidates.max(by: { $0.count < $1.count }) else { return nil }
      pieces.append(best)
      rest = rest.dropFirst(best.count).drop { $0 == " " }
    }
    return pieces
  }

  // MARK: Cutting the target

  /// Cuts the target into one piece per source piece, or nil when no cut fits.
  static func cut(_ target: String, like pieces: [String]) -> [String]? {
    let characters = Array(target)
    let total = Double(pieces.reduce(0) { $0 + $1.count + 1 } - 1)
    var cuts: [Int] = []
    var sourcePosition = 0
    var start = 0
    for index in 0..<(pieces.count - 1) {
      let piece = pieces[index]
      sourcePosition += piece.count + 1
      let relative = Double(sourcePosition) / total
      let next = pieces[index + 1]
      let candidates = cutCandidates(characters, from: start, closing: piece, opening: next)
      let remaining = pieces.count - index - 1
      // Leave room for the pieces still to cut.
      let usable = candidates.filter { $0.position < characters.count - remaining + 1 }
      guard
        let best = usable.min(by: {
          cost($0, relative: relative, length: characters.count)
            < cost($1, relative: relative, length: characters.count)
        }), cost(best, relative: relative, length: characters.count) < 0.2
      else { return nil }
      cuts.append(best.position)
      start = best.position
    }
    var result: [String] = []
    var from = 0
    for cut in cuts + [characters.count] {
      let piece = String(characters[from..<cut]).trimmingCharacters(in: .whitespaces)
      guard !piece.isEmpty else { return nil }
      result.append(piece)
      from = cut
    }
    return result
  }

  struct Candidate {
    var position: Int
    /// 0 for a cut the words themselves give (a neutral piece found as such, the same closing
    /// word); more for a punctuation mark alone.
    var penalty: Double
  }

  private static func cost(_ candidate: Candidate, relative: Double, length: Int) -> Double {
    abs(Double(candidate.position) / Double(max(length, 1)) - relative) + candidate.penalty
  }

  /// Where the target may be cut after `start`: before a neutral next piece found as a word,
  /// after a neutral piece found as a word, after the piece's closing word, or after any
  /// punctuation mark followed by a space.
  private static func cutCandidates(
    _ characters: [Character], from start: Int, closing piece: String, opening next: String
  ) -> [Candidate] {
    var result: [Candidate] = []
    let text = String(characters[start...])
    func positions(of word: String) -> [Int] {
      var found: [Int] = []
      var searchStart = text.startIndex
      while let range = text.range(of: word, range: searchStart..<text.endIndex) {
        let before = range.lowerBound == text.startIndex || text[text.index(before: range.lowerBound)] == " "
        let after = range.upperBound == text.endIndex || text[range.upperBound] == " "
        if before && after {
          found.append(start + text.distance(from: text.startIndex, to: range.lowerBound))
        }
        searchStart = text.index(after: range.lowerBound)
      }
      return found
    }
    if isNeutral(piece) {
      for position in positions(of: piece) {
        result.append(Candidate(position: position + piece.count, penalty: 0))
      }
    }
    if isNeutral(next) {
      for position in positions(of: next) where position > start {
        result.append(Candidate(position: position, penalty: 0))
      }
    }
    if let closing = piece.split(separator: " ").last, closing.count > 1, closing.last?.isPunctuation == true
    {
      for position in positions(of: String(closing)) {
        result.append(Candidate(position: position + closing.count, penalty: 0.02))
      }
    }
    for index in start..<max(start, characters.count - 1)
    where characters[index].isPunctuation && characters[index + 1] == " " {
      result.append(Candidate(position: index + 1, penalty: 0.05))
    }
    return result.filter { $0.position > start }
  }

  /// A piece with no lower-case letter (`1.`, `75/15.`, `II.`, `23`) reads the same in both
  /// languages.
  static func isNeutral(_ piece: String) -> Bool {
    !piece.contains { $0.isLowercase } && piece.contains { $0.isNumber || $0.isUppercase }
      && piece.count <= 12
  }

  // MARK: Text and tags

  /// An OmegaT tag: `<t0/>`, `<f1>`, `</f1>`.
  private static var tagPattern: Regex<Substring> { #/</?[a-zA-Z]+[0-9]+/?>/# }

  static func withoutTags(_ segment: String) -> String {
    collapsed(segment.replacing(tagPattern, with: ""))
  }

  /// The text as matched: footnote markers out, white space collapsed.
  static func normalized(_ text: String) -> String {
    collapsed(String(text.filter { !footnoteMarkers.contains($0) }))
  }

  static func collapsed(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }

  static let footnoteMarkers: Set<Character> = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]

  /// The source cut as `pieces` (its normalized text), each piece with its footnote markers;
  /// nil if the pieces don't make the source.
  static func rawPieces(of source: String, pieces: [String]) -> [String]? {
    let raw = Array(collapsed(source))
    var index = 0
    var result: [String] = []
    for piece in pieces {
      var current = ""
      for character in piece {
        while index < raw.count, raw[index] != character,
          footnoteMarkers.contains(raw[index]) || raw[index] == " "
        {
          current.append(raw[index])
          index += 1
        }
        guard index < raw.count, raw[index] == character else { return nil }
        current.append(character)
        index += 1
      }
      while index < raw.count, footnoteMarkers.contains(raw[index]) {
        current.append(raw[index])
        index += 1
      }
      while index < raw.count, raw[index] == " " { index += 1 }
      result.append(current)
    }
    return index == raw.count ? result : nil
  }

  /// The translation with its footnote markers replaced by the tags of the segment that stand
  /// where the source had them; markers with no tag are left out, and so are the segment's other
  /// tags (run boundaries).
  ///
  /// The source's and the translation's markers are paired in order; when their numbers differ,
  /// or the source does not follow the segment, every marker is left out.
  static func tagged(_ translation: String, segment: String, source: String?) -> String {
    let markerPattern = #/[⁰¹²³⁴⁵⁶⁷⁸⁹]+/#
    let withoutMarkers = collapsed(String(translation.filter { !footnoteMarkers.contains($0) }))
    guard let source, let tags = referenceTags(segment: segment, source: source) else {
      return withoutMarkers
    }
    let runs = translation.matches(of: markerPattern)
    guard runs.count == tags.count else { return withoutMarkers }
    var result = ""
    var rest = translation[...]
    for (run, tag) in zip(runs, tags) {
      result += rest[..<run.range.lowerBound] + (tag ?? "")
      rest = translation[run.range.upperBound...]
    }
    result += rest
    return collapsed(result)
  }

  /// For each marker run of the source, in order, the segment's tag that stands there (nil for a
  /// marker with no tag, such as a footnote's own number); nil when the source does not follow
  /// the segment.
  static func referenceTags(segment: String, source: String) -> [String?]? {
    let raw = Array(source)
    var index = 0
    var tags: [String?] = []
    func skipMarkers() -> Bool {
      guard index < raw.count, footnoteMarkers.contains(raw[index]) else { return false }
      while index < raw.count, footnoteMarkers.contains(raw[index]) { index += 1 }
      return true
    }
    var rest = segment[...]
    while !rest.isEmpty {
      if let match = rest.prefixMatch(of: tagPattern) {
        if index < raw.count, footnoteMarkers.contains(raw[index]) {
          _ = skipMarkers()
          tags.append(String(match.output))
        }
        rest = rest[match.range.upperBound...]
        continue
      }
      let character = rest.removeFirst()
      if character.isWhitespace {
        while index < raw.count, raw[index].isWhitespace { index += 1 }
        continue
      }
      while index < raw.count, raw[index] != character {
        if skipMarkers() {
          tags.append(nil)
        } else if raw[index].isWhitespace {
          index += 1
        } else {
          return nil
        }
      }
      guard index < raw.count else { return nil }
      index += 1
    }
    while index < raw.count {
      if skipMarkers() { tags.append(nil) } else { index += 1 }
    }
    return tags
  }
}
