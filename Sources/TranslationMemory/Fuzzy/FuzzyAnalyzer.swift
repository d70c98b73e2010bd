import Foundation
import TextSegmentation

/// A text cut into what the matcher compares.
struct AnalysedText: Sendable {
  /// A word or a placeable: what the edit distance counts.
  struct Unit: Sendable {
    /// The matching key: a word's ``Token/key``, or the placeable's class.
    var key: String
    /// What must also be equal for a penalty-free match: the word's display form, or the
    /// placeable's value.
    var surface: String
    var utf16Range: Range<Int>
    var placeable: Int?
  }
  /// A punctuation mark or an inline code, compared apart.
  struct Mark: Sendable {
    var text: String
    var isInlineCode: Bool
    var utf16Range: Range<Int>
  }

  var text: String
  var units: [Unit]
  var marks: [Mark]
  var placeables: [Placeable]
}

/// Tokenizes a text and finds its placeables, for one language.
struct FuzzyAnalyzer: Sendable {
  let language: Language
  let tokenizer: WordTokenizer
  let recognizer: PlaceableRecognizer

  init(language: Language) throws {
    self.language = language
    do {
      tokenizer = try WordTokenizer(language: language)
    } catch {
      throw FuzzyError.unsupportedLanguage(language.rawValue)
    }
    recognizer = PlaceableRecognizer(language: language)
  }

  /// Markdown and tag marks that carry formatting rather than text.
  static func isInlineCode(_ text: String) -> Bool {
    switch text {
    case "*", "**", "_", "__", "^", "{", "}", "#": return true
    default: return text.hasPrefix("<") && text.hasSuffix(">") && text.count > 2
    }
  }

  func analyse(_ text: String) -> AnalysedText {
    let tokens = tokenizer.tokens(in: text)
    let placeables = recognizer.placeables(in: text, tokens: tokens)
    var units: [AnalysedText.Unit] = []
    var marks: [AnalysedText.Mark] = []
    units.reserveCapacity(tokens.count)
    var placeableIndex = 0
    var index = 0
    while index < tokens.count {
      if placeableIndex < placeables.count, placeables[placeableIndex].tokenRange.lowerBound == index {
        let placeable = placeables[placeableIndex]
        units.append(
          .init(
            key: placeable.value.scoringClass, surface: placeable.value.surfaceKey,
            utf16Range: placeable.utf16Range, placeable: placeableIndex))
        index = placeable.tokenRange.upperBound
        placeableIndex += 1
        continue
      }
      let token = tokens[index]
      if token.kind == .punctuation {
        let display = TextNormalizer.displayForm(token.text)
        marks.append(
          .init(text: display, isInlineCode: Self.isInlineCode(display), utf16Range: token.utf16Range))
      } else {
        units.append(
          .init(
            key: token.key, surface: TextNormalizer.displayForm(token.text),
            utf16Range: token.utf16Range, placeable: nil))
      }
      index += 1
    }
    return AnalysedText(text: text, units: units, marks: marks, placeables: placeables)
  }
}
