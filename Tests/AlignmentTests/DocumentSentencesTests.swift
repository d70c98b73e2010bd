import Alignment
import TestSupport
import Testing
import TextSegmentation

/// `Document.sentences(segmenter:)`: the one place a document is split into sentences.
@Suite struct DocumentSentencesTests {
  @Test func sentencesAreNumberedThroughTheDocumentWithTheirUTF16Ranges() throws {
    // Accents and a character outside the BMP, so that UTF-16 offsets differ from scalar counts.
    let texts = ["Le café 😀 est servi. Deuxième phrase ici.", "   ", "Une seule phrase, à la fin."]
    let document = Document(
      source: "test", language: .french,
      paragraphs: texts.enumerated().map { Paragraph(kind: .body, text: $1, lines: [$0 + 1...$0 + 1]) })
    let segmenter = try SentenceSegmenter(language: .french)
    let sentences = document.sentences(segmenter: segmenter)
    let expected = ["Le café 😀 est servi.", "Deuxième phrase ici.", "Une seule phrase, à la fin."]
    #expect(sentences.map(\.text) == expected)
    #expect(sentences.map(\.id) == [0, 1, 2])
    #expect(sentences.map(\.paragraph) == [0, 0, 2])
    for sentence in sentences {
      let units = Array(texts[sentence.paragraph].utf16)[sentence.utf16Range]
      #expect(String(decoding: units, as: UTF16.self) == sentence.text)
    }
    #expect(sentences[1].utf16Range == 22..<42)
  }

  @Test func sentencesAgreeWithTheSegmenterOnAUNDocument() throws {
    let document = try DocumentReader().read(
      contentsOf: TestSupport.corpusFile("un/004/fr.txt"), language: .french)
    let segmenter = try SentenceSegmenter(language: .french)
    let expected = document.paragraphs.flatMap { paragraph in
      segmenter.sentences(in: paragraph.text).map { String(paragraph.text[$0]) }
    }
    #expect(document.sentences(segmenter: segmenter).map(\.text) == expected)
  }
}
