import Foundation
import TextSegmentation

/// A sentence of a document, with the paragraph it belongs to.
public struct DocumentSentence: Sendable, Hashable {
  /// The sentence's id: its position among the document's sentences, from 0.
  public var id: Int
  /// The index of its paragraph in ``Document/paragraphs``.
  public var paragraph: Int
  public var text: String
  /// Where the sentence stands in its paragraph's text, in UTF-16 offsets.
  public var utf16Range: Range<Int>
}

/// A bead of a document alignment: sentences of the source aligned with sentences of the target.
public struct DocumentBead: Sendable, Hashable {
  public var sourceIds: [Int]
  public var targetIds: [Int]
  /// Confidence in 0…1, from the paragraph and the sentence alignment.
  public var score: Double
  /// The UN paragraph number of the bead's paragraph (`12`), if it has one.
  public var paragraphNumber: String?
  /// The kind of the bead's paragraph.
  public var kind: ParagraphKind
  /// The index of the bead's first source paragraph, or of its target paragraph for a 0-1 bead.
  public var sourceParagraph: Int?
  public var targetParagraph: Int?
}

/// Two documents aligned paragraph by paragraph, then sentence by sentence.
public struct DocumentAlignment: Sendable {
  public var source: Document
  public var target: Document
  public var sourceSentences: [DocumentSentence]
  public var targetSentences: [DocumentSentence]
  public var paragraphBeads: [ParagraphBead]
  public var beads: [DocumentBead]

  /// The bead's source sentences' texts.
  public func sourceTexts(_ bead: DocumentBead) -> [String] { bead.sourceIds.map { sourceSentences[$0].text } }
  /// The bead's target sentences' texts.
  public func targetTexts(_ bead: DocumentBead) -> [String] { bead.targetIds.map { targetSentences[$0].text } }
}

/// Aligns a document with its translation: paragraphs first, with the structure of UN documents as
/// anchors (``ParagraphAligner``), then the sentences inside each aligned group of paragraphs
/// (``SentenceAligner``).
public struct DocumentAligner: Sendable {
  public var paragraphAligner = ParagraphAligner()
  public var sentenceAligner: SentenceAligner
  private let sourceSegmenter: SentenceSegmenter
  private let targetSegmenter: SentenceSegmenter

  /// - Throws: ``ICUSupport/ICUError`` when ICU has no sentence rules for a language.
  public init(sentenceAligner: SentenceAligner) throws {
    self.sentenceAligner = sentenceAligner
    sourceSegmenter = try SentenceSegmenter(language: sentenceAligner.sourceLanguage)
    targetSegmenter = try SentenceSegmenter(language: sentenceAligner.targetLanguage)
  }

  /// Splits a document's paragraphs into sentences, numbering them through the document.
  public static func sentences(of document: Document, segmenter: SentenceSegmenter) -> [DocumentSentence] {
    var result: [DocumentSentence] = []
    for (index, paragraph) in document.paragraphs.enumerated() {
      for range in segmenter.sentences(in: paragraph.text) {
        let lower = range.lowerBound.utf16Offset(in: paragraph.text)
        let upper = range.upperBound.utf16Offset(in: paragraph.text)
        result.append(
          DocumentSentence(
            id: result.count, paragraph: index, text: String(paragraph.text[range]), utf16Range: lower..<upper))
      }
    }
    return result
  }

  /// Aligns two documents.
  ///
  /// - Returns: Beads that use every sentence of both documents once. Running text comes in
  ///   document order, footnotes after it.
  public func align(source: Document, target: Document) -> DocumentAlignment {
    let sourceSentences = Self.sentences(of: source, segmenter: sourceSegmenter)
    let targetSentences = Self.sentences(of: target, segmenter: targetSegmenter)
    let sourceByParagraph = Dictionary(grouping: sourceSentences, by: \.paragraph)
    let targetByParagraph = Dictionary(grouping: targetSentences, by: \.paragraph)
    let paragraphBeads = paragraphAligner.align(source: source, target: target)
    var beads: [DocumentBead] = []
    for paragraphBead in paragraphBeads {
      let s = paragraphBead.source.flatMap { sourceByParagraph[$0] ?? [] }
      let t = paragraphBead.target.flatMap { targetByParagraph[$0] ?? [] }
      let paragraph = paragraphBead.source.first.map { source.paragraphs[$0] }
        ?? paragraphBead.target.first.map { target.paragraphs[$0] }
      let number = paragraphBead.source.lazy.compactMap { source.paragraphs[$0].number }.first
        ?? paragraphBead.target.lazy.compactMap { target.paragraphs[$0].number }.first
      func bead(_ sourceIds: [Int], _ targetIds: [Int], _ score: Double) -> DocumentBead {
        let sourceParagraph = sourceIds.first.map { sourceSentences[$0].paragraph } ?? paragraphBead.source.first
        let targetParagraph = targetIds.first.map { targetSentences[$0].paragraph } ?? paragraphBead.target.first
        return DocumentBead(
          sourceIds: sourceIds, targetIds: targetIds, score: score, paragraphNumber: number,
          kind: paragraph?.kind ?? .body, sourceParagraph: sourceParagraph, targetParagraph: targetParagraph)
      }
      if s.isEmpty || t.isEmpty {
        beads += s.map { bead([$0.id], [], paragraphBead.score) } + t.map { bead([], [$0.id], paragraphBead.score) }
        continue
      }
      if s.count == 1 && t.count == 1 {
        beads.append(bead([s[0].id], [t[0].id], paragraphBead.score))
        continue
      }
      let alignment = sentenceAligner.align(source: s.map(\.text), target: t.map(\.text))
      for sentenceBead in alignment.beads {
        // A sentence bead is as sure as the weaker of its own score and its paragraphs' score.
        let score = min(sentenceBead.score, max(paragraphBead.score, sentenceBead.score * 0.5 + 0.5 * paragraphBead.score))
        beads.append(bead(sentenceBead.sourceIndices.map { s[$0].id }, sentenceBead.targetIndices.map { t[$0].id }, score))
      }
    }
    return DocumentAlignment(
      source: source, target: target, sourceSentences: sourceSentences, targetSentences: targetSentences,
      paragraphBeads: paragraphBeads, beads: beads)
  }
}
