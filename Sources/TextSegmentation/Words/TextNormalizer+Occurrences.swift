extension TextNormalizer {
  /// Where `term` occurs in `text` as whole words, ignoring case and accents, as UTF-16 ranges
  /// of `text`.
  ///
  /// Both are compared by their ``matchKey(_:)``: `etat` finds `l’État` and `ÉTAT-MAJOR` but not
  /// `États` or `étatique`. An occurrence starts and ends on a word boundary: the characters on
  /// either side, if any, are neither letters nor digits. Occurrences do not overlap. A term whose key is empty
  /// or blank occurs nowhere.
  ///
  /// - Complexity: O(*n* × *m*), *n* and *m* the lengths of `text` and `term`.
  public static func occurrences(of term: String, in text: String) -> [Range<Int>] {
    let key = matchKey(term)
    guard !key.allSatisfy(\.isWhitespace) else { return [] }
    // Fold character by character so that offsets map back to the original text.
    var folded: [UInt16] = []
    var offsets: [Int] = []
    var offset = 0
    for character in text {
      for unit in matchKey(String(character)).utf16 {
        folded.append(unit)
        offsets.append(offset)
      }
      offset += character.utf16.count
    }
    offsets.append(offset)
    let needle = Array(key.utf16)
    guard folded.count >= needle.count else { return [] }
    func isWordUnit(_ unit: UInt16) -> Bool {
      guard let scalar = Unicode.Scalar(unit) else { return true }
      return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }
    var result: [Range<Int>] = []
    var start = 0
    while start + needle.count <= folded.count {
      let end = start + needle.count
      if folded[start..<end].elementsEqual(needle),
        start == 0 || !isWordUnit(folded[start - 1]),
        end == folded.count || !isWordUnit(folded[end])
      {
        result.append(offsets[start]..<offsets[end])
        start = end
      } else {
        start += 1
      }
    }
    return result
  }
}
