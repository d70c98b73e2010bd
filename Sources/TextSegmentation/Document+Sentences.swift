/// A sentence of a document, with the paragraph it belongs to.
public struct DocumentSentence: Sendable, Hashable {
  /// The sentence's id: its position among the document's sentences, from 0.
  public var id: Int
  /// The index of its paragraph in ``Document/paragraphs``.
  public var paragraph: Int
  /// The sentence's text, as it stands in the paragraph.
  public var text: String
  /// Where the sentence stands in its paragraph's text, in UTF-16 offsets.
  public var utf16Range: Range<Int>

  /// Creates a sentence.
  public init(id: Int, paragraph: Int, text: String, utf16Range: Range<Int>) {
    self.id = id
    self.paragraph = paragraph
    self.text = text
    self.utf16Range = utf16Range
  }
}

extension Document {
  /// Splits the document's paragraphs into sentences, numbered through the document.
  ///
  /// - Parameter segmenter: A segmenter for the document's language.
  /// - Returns: The sentences of every paragraph, in order; a paragraph of white space has none.
  /// - Complexity: O(*n*) in the length of the text.
  public func sentences(segmenter: SentenceSegmenter) -> [DocumentSentence] {
    var result: [DocumentSentence] = []
    for (index, paragraph) in paragraphs.enumerated() {
      let units = paragraph.text.utf16
      // The segmenter works in UTF-16 offsets; one walk through the text turns them into text.
      var position = units.startIndex
      var offset = 0
      for range in segmenter.sentenceRanges(inUTF16: Array(units)) {
        let start = units.index(position, offsetBy: range.lowerBound - offset)
        let end = units.index(start, offsetBy: range.count)
        result.append(
          DocumentSentence(
            id: result.count, paragraph: index, text: String(paragraph.text[start..<end]), utf16Range: range))
        position = end
        offset = range.upperBound
      }
    }
    return result
  }
}
