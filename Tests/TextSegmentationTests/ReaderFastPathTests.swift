import Foundation
import TestSupport
import Testing

@testable import TextSegmentation

/// The reader works on UTF-8 bytes where it used to walk Characters; these compare the byte
/// paths with the Character-based code they replace, on the corpus and on many varied texts
/// (line ends, form feeds, white space of every kind, combining marks, markup, OCR apostrophes).
@Suite struct ReaderFastPathTests {
  /// The line splitter the reader used before working on bytes.
  static func referenceLines(_ text: String) -> [SourceLine] {
    var result: [SourceLine] = []
    var number = 0
    let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    for line in lines {
      number += 1
      var startsPage = false
      for segment in line.split(separator: "\u{0C}", omittingEmptySubsequences: false) {
        let trimmed = segment.trimmingCharacters(in: .whitespaces)
        let leading = segment.first.map { $0 == " " || $0 == "\t" } ?? false
        result.append(
          SourceLine(number: number, text: trimmed, leadingSpace: leading, startsPage: startsPage))
        startsPage = true
      }
    }
    return result
  }

  static let pieces: [String] = [
    "a", "b", "Z", "é", "e\u{0301}", " ", "  ", "\t", "\n", "\r", "\r\n", "\n\r", "\u{0C}", "\u{00A0}",
    "\u{2003}",
    "\u{3000}", "\u{202F}", "\u{205F}", "\u{1680}", "\u{200B}", "\u{2028}", " \u{0301}", "\u{0301}", "-", "_",
    "*", "**", "<i>", "</i>", "[", "](", ")", "^", "^{", "}", "¹", "²", "³", "⁴", "⁰", "ⁱ", "’", "'", "I’",
    "1'",
    "[’", "l’", "12.", "A/67/280", "👍🏽", "🇫🇷", "\u{FEFF}", "mot", "Word", "déve-", "loppement", "x\u{0308}",
  ]

  /// Texts made of the pieces above, and corpus documents with pieces spliced in.
  static func variedTexts() throws -> [String] {
    var generator = SeededGenerator(seed: 14)
    var texts: [String] = [
      "", " ", "\n", "\r\n", "\r", "\u{0C}", " \u{0301}x", "\t\u{0301}x", "x \u{00A0}", "\u{3000}x\u{3000}",
    ]
    for _ in 0..<400 {
      let length = Int.random(in: 0..<60, using: &generator)
      texts.append(
        (0..<length).map { _ in pieces[Int.random(in: pieces.indices, using: &generator)] }.joined())
    }
    for pair in ["001", "002", "003", "004"] {
      for language in ["en", "fr"] {
        let text = try TestSupport.corpusText("un/\(pair)/\(language).txt")
        texts.append(text)
        var spliced = Array(text)
        for _ in 0..<200 {
          let at = Int.random(in: 0...spliced.count, using: &generator)
          spliced.insert(contentsOf: pieces[Int.random(in: pieces.indices, using: &generator)], at: at)
        }
        texts.append(String(spliced))
      }
    }
    return texts
  }

  @Test func linesAreSplitAndTrimmedAsCharactersWere() throws {
    for text in try Self.variedTexts() {
      let lines = SourceLine.lines(of: text)
      let reference = Self.referenceLines(text)
      #expect(lines.count == reference.count)
      for (line, expected) in zip(lines, reference) {
        #expect(line.number == expected.number)
        #expect(line.text == expected.text, "\(text.debugDescription)")
        #expect(line.leadingSpace == expected.leadingSpace, "\(text.debugDescription)")
        #expect(line.startsPage == expected.startsPage)
      }
    }
  }

  @Test func markupIsParsedAsCharacterByCharacter() throws {
    for text in try Self.variedTexts() {
      for line in text.split(separator: "\n").map(String.init) + [text] {
        let fast = InlineMarkupParser.parse(line)
        let slow = InlineMarkupParser.parseCharacters(line)
        #expect(fast.text == slow.text)
        #expect(fast.markup == slow.markup)
      }
    }
  }

  /// Every scalar Foundation trims is trimmed by the byte splitter, and no other.
  @Test func whiteSpaceIsFoundationsWhiteSpace() {
    for value in UInt32(0)...0x3100 {
      guard let scalar = Unicode.Scalar(value), value != 0x0A, value != 0x0D, value != 0x0C else { continue }
      let text = "x" + String(scalar) + "x" + String(scalar)
      #expect(
        SourceLine.lines(of: text)[0].text.unicodeScalars.count
          == (CharacterSet.whitespaces.contains(scalar) ? 3 : 4))
    }
  }

  @Test func theLastWordIsTheLastPieceOfASplit() throws {
    for text in try Self.variedTexts() {
      let extra: [Substring] = [text[...], "  ", " a  ", "a", ""]
      for line in text.split(separator: "\n") + extra {
        #expect(TextPatterns.lastWord(line) == line.split(separator: " ").last, "\(line.debugDescription)")
      }
    }
  }

  @Test func characterCountsAreCounts() throws {
    for text in try Self.variedTexts() {
      #expect(text.characterCount == text.count)
      for line in text.split(separator: "\n") { #expect(String(line).characterCount == line.count) }
    }
  }

  @Test func theElisionRepairSkipsOnlyLinesItWouldNotChange() throws {
    for text in try Self.variedTexts() {
      for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init) {
        if !OCRRepair.mayHoldApostrophe(line) {
          #expect(!line.contains("’") && !line.contains("'"))
        }
        // The repair with its byte test, against the repair of every Character.
        let repaired = OCRRepair.repairElisions(in: line, lineNumber: 1)
        let chars = Array(line)
        var expected = 0
        if chars.count >= 3 {
          for i in 0..<(chars.count - 2)
          where ["I", "1", "["].contains(chars[i]) && ["’", "'"].contains(chars[i + 1])
            && chars[i + 2].isLetter
            && !(i > 0 && (chars[i - 1].isLetter || chars[i - 1].isNumber))
          {
            expected += 1
          }
        }
        #expect(repaired.1.count == expected, "\(line.debugDescription)")
      }
    }
  }
}
