import Foundation
import TextSegmentation

/// A stored unit that matches a query, with what differs and the translation to propose.
public struct FuzzyMatch: Sendable {
  /// The stored unit, turned so that its source is in the query's language.
  public var entry: FuzzyEntry
  public var score: FuzzyScore
  /// The query against the stored source, token run by token run, in order.
  public var differences: [FuzzyDifference]
  /// The stored target with the query's placeables substituted.
  public var suggestion: FuzzySuggestion
}

/// A run of tokens that is the same, or not, in the query and in the stored source.
public struct FuzzyDifference: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, Codable {
    /// The same in both.
    case equal
    /// In the query only (the new text added it).
    case inserted
    /// In the stored source only (the new text dropped it).
    case deleted
    /// Different in the two.
    case replaced
  }
  public var kind: Kind
  /// The run in the query, in UTF-16 offsets (empty for `deleted`, where it would go).
  public var queryRange: Range<Int>
  /// The run in the stored source, in UTF-16 offsets (empty for `inserted`).
  public var sourceRange: Range<Int>
}

/// The stored translation with the query's placeables written in.
public struct FuzzySuggestion: Sendable, Hashable {
  /// The translation to propose.
  public var text: String
  /// What was substituted, in the order of ``text``.
  public var substitutions: [PlaceableSubstitution]
  /// Placeables of the query that differ from the stored source but could not be found in
  /// the stored translation: the translator must fix these by hand.
  public var unresolved: [Placeable]
}

/// One placeable written into a suggestion.
public struct PlaceableSubstitution: Sendable, Hashable {
  public var kind: PlaceableKind
  /// What the stored translation said (`23 novembre 2020`).
  public var original: String
  /// What the suggestion says instead (`21 novembre 2022`).
  public var replacement: String
  /// Where the replacement stands in ``FuzzySuggestion/text``, in UTF-16 offsets.
  public var range: Range<Int>
  /// Where the placeable stands in the query, in UTF-16 offsets.
  public var queryRange: Range<Int>
}

extension FuzzyIndex {
  /// The match of the entry at `position`; `nil` when the entry is read from a memory that no
  /// longer holds it.
  func makeMatch(query analysedQuery: AnalysedText, position: Int, score: FuzzyScore) -> FuzzyMatch? {
    guard let entry = entries.entry(at: position) else { return nil }
    let analysedSource = sourceAnalyzer.analyse(entry.source)
    let analysedTarget = targetAnalyzer.analyse(entry.target)
    return FuzzyMatch(
      entry: entry, score: score,
      differences: Self.differences(analysedQuery, analysedSource),
      suggestion: suggestion(query: analysedQuery, source: analysedSource, target: analysedTarget))
  }

  /// Aligns two sequences by least edits; `cost` gives the penalty (0 or 1) of pairing two
  /// items, `nil` when they don't match. Returns the aligned pairs in order (`nil` on one side
  /// for an insertion or deletion).
  ///
  /// - Complexity: O(`count` × `otherCount`) time and 4 bytes of memory per pair; the items
  ///   are those of texts of at most ``maximumTextLength`` UTF-16 code units, so at most
  ///   64 MB and costs that fit in 32 bits.
  static func align(
    _ count: Int, _ otherCount: Int, cost: (Int, Int) -> Int?
  ) -> [(Int?, Int?)] {
    let width = otherCount + 1
    // A gap costs more than all the penalties together, so that the fewest gaps win first.
    let gap = Int32(min(count, otherCount) + 1)
    var table = [Int32](repeating: 0, count: (count + 1) * width)
    func penalty(_ i: Int, _ j: Int) -> Int32? { cost(i, j).map { Int32($0) } }
    for i in 0...count { table[i * width] = Int32(i) * gap }
    for j in 0...otherCount { table[j] = Int32(j) * gap }
    if count > 0, otherCount > 0 {
      for i in 1...count {
        for j in 1...otherCount {
          let diagonal = table[(i - 1) * width + j - 1] + (penalty(i - 1, j - 1) ?? 2 * gap)
          table[i * width + j] = min(
            diagonal, min(table[(i - 1) * width + j], table[i * width + j - 1]) + gap)
        }
      }
    }
    var pairs: [(Int?, Int?)] = []
    var i = count
    var j = otherCount
    while i > 0 || j > 0 {
      if i > 0, j > 0, let step = penalty(i - 1, j - 1),
        table[i * width + j] == table[(i - 1) * width + j - 1] + step
      {
        pairs.append((i - 1, j - 1))
        i -= 1
        j -= 1
      } else if i > 0, j > 0, table[i * width + j] == table[(i - 1) * width + j - 1] + 2 * gap,
        penalty(i - 1, j - 1) == nil
      {
        pairs.append((i - 1, j - 1))
        i -= 1
        j -= 1
      } else if i > 0, table[i * width + j] == table[(i - 1) * width + j] + gap {
        pairs.append((i - 1, nil))
        i -= 1
      } else {
        pairs.append((nil, j - 1))
        j -= 1
      }
    }
    return pairs.reversed()
  }

  /// The token-level differences, words and marks together.
  static func differences(_ query: AnalysedText, _ source: AnalysedText) -> [FuzzyDifference] {
    typealias Item = (text: String, range: Range<Int>)
    func items(_ text: AnalysedText) -> [Item] {
      (text.units.map { ($0.surface, $0.utf16Range) } + text.marks.map { ($0.text, $0.utf16Range) })
        .sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
    let queryItems = items(query)
    let sourceItems = items(source)
    let pairs = align(queryItems.count, sourceItems.count) {
      queryItems[$0].text == sourceItems[$1].text ? 0 : nil
    }
    var result: [FuzzyDifference] = []
    var queryEnd = 0
    var sourceEnd = 0
    var index = 0
    while index < pairs.count {
      let isEqual: (Int) -> Bool = { at in
        if let q = pairs[at].0, let s = pairs[at].1 { return queryItems[q].text == sourceItems[s].text }
        return false
      }
      let equal = isEqual(index)
      var queryRange: Range<Int>?
      var sourceRange: Range<Int>?
      while index < pairs.count, isEqual(index) == equal {
        if let q = pairs[index].0 {
          let range = queryItems[q].range
          queryRange = queryRange.map { $0.lowerBound..<range.upperBound } ?? range
        }
        if let s = pairs[index].1 {
          let range = sourceItems[s].range
          sourceRange = sourceRange.map { $0.lowerBound..<range.upperBound } ?? range
        }
        index += 1
      }
      let kind: FuzzyDifference.Kind
      switch (equal, queryRange, sourceRange) {
      case (true, _, _): kind = .equal
      case (false, .some, .some): kind = .replaced
      case (false, .some, nil): kind = .inserted
      default: kind = .deleted
      }
      let finalQuery = queryRange ?? queryEnd..<queryEnd
      let finalSource = sourceRange ?? sourceEnd..<sourceEnd
      queryEnd = finalQuery.upperBound
      sourceEnd = finalSource.upperBound
      result.append(FuzzyDifference(kind: kind, queryRange: finalQuery, sourceRange: finalSource))
    }
    return result
  }

  /// The stored target with each placeable of the source that the query changes replaced by
  /// the query's value, in the target language.
  func suggestion(query: AnalysedText, source: AnalysedText, target: AnalysedText) -> FuzzySuggestion {
    let pairs = Self.align(query.units.count, source.units.count) { q, s in
      guard query.units[q].key == source.units[s].key else { return nil }
      return query.units[q].surface == source.units[s].surface ? 0 : 1
    }
    let conventions = targetAnalyzer.recognizer.conventions
    var used = Set<Int>()
    var edits:
      [(
        range: Range<Int>, replacement: String, original: String, kind: PlaceableKind, queryRange: Range<Int>
      )] = []
    var unresolved: [Placeable] = []
    for pair in pairs {
      guard let q = pair.0, let s = pair.1, let queryIndex = query.units[q].placeable,
        let sourceIndex = source.units[s].placeable, query.units[q].surface != source.units[s].surface
      else { continue }
      let queryPlaceable = query.placeables[queryIndex]
      let sourcePlaceable = source.placeables[sourceIndex]
      // The n-th occurrence of a value in the source goes with its n-th in the target.
      let rank = source.placeables[..<sourceIndex].filter { $0.value == sourcePlaceable.value }.count
      let occurrences = target.placeables.indices.filter {
        target.placeables[$0].value == sourcePlaceable.value
      }
      let choice =
        (rank < occurrences.count && !used.contains(occurrences[rank]))
        ? occurrences[rank] : occurrences.first { !used.contains($0) }
      guard let choice else {
        unresolved.append(queryPlaceable)
        continue
      }
      used.insert(choice)
      let template = target.placeables[choice]
      edits.append(
        (
          template.utf16Range, conventions.render(queryPlaceable, like: template), template.text,
          queryPlaceable.kind, queryPlaceable.utf16Range
        ))
    }
    edits.sort { $0.range.lowerBound < $1.range.lowerBound }
    var units = Array(target.text.utf16)
    var substitutions: [PlaceableSubstitution] = []
    var shift = 0
    for edit in edits {
      let replacement = Array(edit.replacement.utf16)
      let start = edit.range.lowerBound + shift
      units.replaceSubrange(start..<(edit.range.upperBound + shift), with: replacement)
      substitutions.append(
        PlaceableSubstitution(
          kind: edit.kind, original: edit.original, replacement: edit.replacement,
          range: start..<(start + replacement.count), queryRange: edit.queryRange))
      shift += replacement.count - edit.range.count
    }
    return FuzzySuggestion(
      text: String(decoding: units, as: UTF16.self), substitutions: substitutions, unresolved: unresolved)
  }
}
