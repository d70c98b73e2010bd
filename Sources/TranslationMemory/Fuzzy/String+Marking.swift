extension String {
  /// The text with each of `ranges` (UTF-16 offsets) passed through `inside` and the text between
  /// them through `outside`: what both the terminal highlighter and ``SuggestionPage`` mark with.
  ///
  /// Ranges are taken in order of their start; an empty range, one that overlaps an earlier one
  /// or one that runs past the end is skipped.
  package func marking(
    _ ranges: [Range<Int>], outside: (String) -> String = { $0 }, inside: (String) -> String
  ) -> String {
    let units = Array(utf16)
    var out = ""
    var position = 0
    for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound })
    where range.lowerBound >= position && range.upperBound <= units.count && !range.isEmpty {
      out += outside(String(decoding: units[position..<range.lowerBound], as: UTF16.self))
      out += inside(String(decoding: units[range], as: UTF16.self))
      position = range.upperBound
    }
    return out + outside(String(decoding: units[position...], as: UTF16.self))
  }
}
