/// How close a stored source is to a query, as a percentage, computed as OmegaT does with
/// aligntm's placeable and formatting penalties.
///
/// Both texts are split into tokens by ``TextSegmentation/WordTokenizer``. Placeables
/// (numbers, years, dates, document symbols, resolution numbers, ordinals, footnote marks;
/// see ``PlaceableKind``) become one unit each and compare by kind, so `23 November 2020`
/// aligns with `21 November 2022` as one unit. The other words compare by their matching key
/// (``TextSegmentation/Token/key``: case and accents folded). Punctuation and inline codes
/// (`*`, `**`, `_`, `^`, `{`, `}`, `#`, `<tag>`) are left out of the distance.
///
/// ```
/// d     = word-level Levenshtein distance between the two unit sequences
/// n     = max(query units, source units)
/// base  = 100 × (1 − d / n)                    (100 when n = 0)
/// score = max(0, base − P)
/// P     = placeables + caseOrAccent + punctuation + inlineCodes, where
///   placeables   = 1 per aligned placeable whose value differs (it is substituted)
///   caseOrAccent = 1 per aligned word that is equal only after folding case or accents
///   punctuation  = 1 per edit between the punctuation sequences of the two texts
///   inlineCodes  = 1 per edit between the inline-code sequences of the two texts
/// ```
///
/// Among alignments with the least `d`, the one with the fewest placeable penalties, then
/// the fewest case penalties, counts. Identical texts score 100; texts that differ in
/// anything but white space or typographic apostrophes score below 100.
public struct FuzzyScore: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The score, 0–100.
  public var value: Double
  /// `base`, before penalties.
  public var similarity: Double
  /// `d`: word-level edit distance.
  public var wordDistance: Int
  public var placeablePenalty: Int
  public var caseOrAccentPenalty: Int
  public var punctuationPenalty: Int
  public var inlineCodePenalty: Int

  public static func < (lhs: FuzzyScore, rhs: FuzzyScore) -> Bool {
    (lhs.value, lhs.similarity) < (rhs.value, rhs.similarity)
  }

  public var description: String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? "\(Int(rounded)) %" : "\(rounded) %"
  }
}

/// The arithmetic behind ``FuzzyScore``, on interned token ids.
enum FuzzyDistance {
  /// Key ids below this stand for placeable classes.
  static let placeableClassCount = UInt32(PlaceableClass.allCases.count)
  /// The keys of the placeable classes, by key id.
  static let placeableClasses = PlaceableClass.allCases.map(\.rawValue)
  /// The high bit of a mark id says "inline code".
  static let inlineCodeBit: UInt32 = 1 << 31

  /// The Levenshtein distance if it is at most `limit`, else `nil` (Ukkonen's band).
  ///
  /// - Complexity: O(`limit` × `b.count`).
  static func boundedDistance(
    _ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>, limit: Int,
    rows: inout [Int32]
  ) -> Int? {
    let n = a.count
    let m = b.count
    if abs(n - m) > limit { return nil }
    if n == 0 || m == 0 { return max(n, m) }
    let infinity = Int32(limit + 1)
    if rows.count < 2 * (m + 2) { rows = [Int32](repeating: 0, count: 2 * (m + 2)) }
    return rows.withUnsafeMutableBufferPointer { buffer -> Int? in
      guard var previous = buffer.baseAddress else { return nil }
      var current = previous + (m + 2)
      for j in 0...(m + 1) {
        previous[j] = j <= limit ? Int32(j) : infinity
        current[j] = infinity
      }
      for i in 1...n {
        let low = max(1, i - limit)
        let high = min(m, i + limit)
        current[low - 1] = low == 1 ? Int32(min(i, limit + 1)) : infinity
        var rowMinimum = current[low - 1]
        let item = a[i - 1]
        for j in low...high {
          let substitution = previous[j - 1] + (item == b[j - 1] ? 0 : 1)
          let value = min(substitution, min(previous[j], current[j - 1]) + 1)
          let clipped = min(value, infinity)
          current[j] = clipped
          rowMinimum = min(rowMinimum, clipped)
        }
        if high < m { current[high + 1] = infinity }
        if rowMinimum > Int32(limit) { return nil }
        swap(&previous, &current)
      }
      let distance = Int(previous[m])
      return distance <= limit ? distance : nil
    }
  }

  /// Plain Levenshtein distance.
  static func distance(_ a: [UInt32], _ b: [UInt32]) -> Int {
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        current[j] = min(
          previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), previous[j] + 1, current[j - 1] + 1)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }

  /// The full score of one pair.
  ///
  /// - Parameter knownDistance: The word distance when the caller has it already: optimal
  ///   alignments then never leave the band `|i − j| ≤ d`, so only that band is filled.
  static func score(
    queryKeys: UnsafeBufferPointer<UInt32>, querySurfaces: UnsafeBufferPointer<UInt32>,
    queryMarks: UnsafeBufferPointer<UInt32>,
    sourceKeys: UnsafeBufferPointer<UInt32>, sourceSurfaces: UnsafeBufferPointer<UInt32>,
    sourceMarks: UnsafeBufferPointer<UInt32>, knownDistance: Int? = nil
  ) -> FuzzyScore {
    let n = queryKeys.count
    let m = sourceKeys.count
    // Lexicographic cost (distance, placeable mismatches, case mismatches) packed in one Int.
    let distanceUnit = 1 << 40
    let placeableUnit = 1 << 20
    let outside = Int.max / 4
    let band = min(knownDistance ?? max(n, m), max(n, m))
    var previous = [Int](repeating: outside, count: m + 2)
    var current = previous
    for j in 0...m where j <= band { previous[j] = j * distanceUnit }
    if n > 0 {
      for i in 1...n {
        let low = max(1, i - band)
        let high = min(m, i + band)
        current[low - 1] = low == 1 && i <= band ? i * distanceUnit : outside
        let key = queryKeys[i - 1]
        let surface = querySurfaces[i - 1]
        if low <= high {
          for j in low...high {
            var diagonal = previous[j - 1]
            if key != sourceKeys[j - 1] {
              diagonal += distanceUnit
            } else if surface != sourceSurfaces[j - 1] {
              diagonal += key < placeableClassCount ? placeableUnit : 1
            }
            current[j] = min(diagonal, min(previous[j], current[j - 1]) + distanceUnit)
          }
        }
        if high < m { current[high + 1] = outside }
        swap(&previous, &current)
      }
    }
    let packed = previous[m]
    let distance = packed / distanceUnit
    let placeables = (packed % distanceUnit) / placeableUnit
    let cases = packed % placeableUnit
    var queryPunctuation: [UInt32] = []
    var queryCodes: [UInt32] = []
    for mark in queryMarks {
      if mark & inlineCodeBit != 0 { queryCodes.append(mark) } else { queryPunctuation.append(mark) }
    }
    var sourcePunctuation: [UInt32] = []
    var sourceCodes: [UInt32] = []
    for mark in sourceMarks {
      if mark & inlineCodeBit != 0 { sourceCodes.append(mark) } else { sourcePunctuation.append(mark) }
    }
    let punctuation = self.distance(queryPunctuation, sourcePunctuation)
    let codes = self.distance(queryCodes, sourceCodes)
    let longest = max(n, m)
    let similarity = longest == 0 ? 100 : 100 * Double(longest - distance) / Double(longest)
    let value = max(0, similarity - Double(placeables + cases + punctuation + codes))
    return FuzzyScore(
      value: value, similarity: similarity, wordDistance: distance, placeablePenalty: placeables,
      caseOrAccentPenalty: cases, punctuationPenalty: punctuation, inlineCodePenalty: codes)
  }
}
