import Foundation

/// A text already split into sentences, one a line: the benchmark format.
///
/// Line *i* holds sentence *i* (counted from 0 over sentences). A blank line, or a line holding only
/// `<p>`, marks a paragraph boundary and is not a sentence.
public struct PresegmentedText: Sendable, Equatable {
  /// The sentences, in order.
  public var sentences: [String]
  /// The index of the first sentence of each paragraph, in increasing order, starting with 0
  /// when there is any sentence.
  public var paragraphStarts: [Int]

  /// Creates a text from its sentences and paragraph starts.
  public init(sentences: [String], paragraphStarts: [Int] = [0]) {
    self.sentences = sentences
    self.paragraphStarts = sentences.isEmpty ? [] : paragraphStarts
  }

  /// Reads the text of a presegmented file.
  public init(parsing text: String) {
    var sentences: [String] = []
    var starts: [Int] = []
    var atParagraphStart = true
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      let trimmed = line._trimmingBlanks
      if trimmed.isEmpty || trimmed == "<p>" {
        atParagraphStart = true
        continue
      }
      if atParagraphStart {
        starts.append(sentences.count)
        atParagraphStart = false
      }
      sentences.append(String(line))
    }
    self.init(sentences: sentences, paragraphStarts: starts)
  }

  /// Reads a presegmented UTF-8 file.
  ///
  /// - Throws: ``AlignmentError/unreadableFile(file:reason:)`` when the file cannot be read.
  public init(contentsOf url: URL) throws {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw AlignmentError.unreadableFile(file: url.path, reason: error.localizedDescription)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw AlignmentError.unreadableFile(file: url.path, reason: "not UTF-8")
    }
    self.init(parsing: text)
  }

  /// The sentence ranges of the paragraphs.
  public var paragraphs: [Range<Int>] {
    var ranges: [Range<Int>] = []
    for (offset, start) in paragraphStarts.enumerated() {
      let end = offset + 1 < paragraphStarts.count ? paragraphStarts[offset + 1] : sentences.count
      ranges.append(start..<end)
    }
    return ranges
  }
}
