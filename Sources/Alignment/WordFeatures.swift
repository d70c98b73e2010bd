import TextSegmentation

/// A fast word splitter for alignment features, with one matching key computed per distinct word.
///
/// ``TextSegmentation/WordTokenizer`` runs ICU for every token; aligning only needs words, numbers
/// and symbols with their keys, so this splitter walks Unicode scalars and memoises
/// ``TextSegmentation/TextNormalizer/matchKey(_:)``, which keeps whole books well under a second.
struct WordFeatures {
  enum Kind {
    case word
    /// Numbers and document symbols (`1956`, `A/67/280`): they match only exactly.
    case exact
  }

  private var keys: [Substring: String] = [:]

  /// The keys of the words, numbers and symbols of a sentence, in order.
  mutating func features(of sentence: String) -> [(key: String, kind: Kind)] {
    var result: [(key: String, kind: Kind)] = []
    let scalars = sentence.unicodeScalars
    var index = scalars.startIndex
    while index < scalars.endIndex {
      let scalar = scalars[index]
      guard WordFeatures.isWordScalar(scalar) else {
        index = scalars.index(after: index)
        continue
      }
      let start = index
      var hasDigit = false
      var end = index
      while end < scalars.endIndex {
        let current = scalars[end]
        if WordFeatures.isWordScalar(current) {
          if current.properties.numericType != nil { hasDigit = true }
          end = scalars.index(after: end)
          continue
        }
        // Keep `1,5`, `2009-2019`, `A/67/280` whole: a joiner between alphanumerics with a digit.
        let next = scalars.index(after: end)
        if current == "/" || ((current == "." || current == "," || current == "-") && hasDigit),
          next < scalars.endIndex, WordFeatures.isWordScalar(scalars[next]),
          hasDigit || scalars[next].properties.numericType != nil
        {
          end = next
          continue
        }
        break
      }
      index = end
      let text = Substring(scalars[start..<end])
      let isExact = hasDigit
      let key: String
      if let known = keys[text] {
        key = known
      } else {
        key = WordFeatures.fold(text)
        keys[text] = key
      }
      if !key.isEmpty { result.append((key, isExact ? .exact : .word)) }
    }
    return result
  }

  static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII {
      let value = scalar.value
      return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A)
        || (value >= 0x61 && value <= 0x7A)
    }
    let properties = scalar.properties
    return properties.isAlphabetic || properties.numericType != nil
      || properties.generalCategory == .nonspacingMark
  }

  static func fold(_ word: Substring) -> String { Lexicon.fold(word) }
}
