import Foundation
import TextSegmentation

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
  /// The word pairs learned from the confident 1-1 beads of the whole document in a first pass,
  /// as the aligner's keys (folded stems of ``SentenceAligner/Configuration/stemLength`` letters,
  /// numbers, symbols); empty when the aligner does not learn or found too little to learn from.
  public var learnedLexicon: Lexicon
  /// How many groups of aligned paragraphs were aligned again with ``learnedLexicon``: those in
  /// which it links some words.
  public var realignedGroupCount: Int

  /// The bead's source sentences' texts.
  public func sourceTexts(_ bead: DocumentBead) -> [String] {
    bead.sourceIds.map { sourceSentences[$0].text }
  }
  /// The bead's target sentences' texts.
  public func targetTexts(_ bead: DocumentBead) -> [String] {
    bead.targetIds.map { targetSentences[$0].text }
  }
}

/// Aligns a document with its translation: paragraphs first, with the structure of UN documents as
/// anchors (``ParagraphAligner``), then the sentences inside each aligned group of paragraphs
/// (``SentenceAligner``).
///
/// The sentence aligner's second pass works on the whole document: word pairs are learned once
/// from the confident 1-1 beads of all groups (groups of one sentence each included), then the
/// groups in which they link words are aligned again.
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

  /// Aligns two documents.
  ///
  /// - Returns: Beads that use every sentence of both documents once. Running text comes in
  ///   document order, footnotes after it.
  public func align(source: Document, target: Document) -> DocumentAlignment {
    let sourceSentences = source.sentences(segmenter: sourceSegmenter)
    let targetSentences = target.sentences(segmenter: targetSegmenter)
    let sourceByParagraph = Dictionary(grouping: sourceSentences, by: \.paragraph)
    let targetByParagraph = Dictionary(grouping: targetSentences, by: \.paragraph)
    let paragraphBeads = paragraphAligner.align(source: source, target: target)
    let groups = paragraphBeads.map { paragraphBead in
      (
        source: paragraphBead.source.flatMap { sourceByParagraph[$0] ?? [] },
        target: paragraphBead.target.flatMap { targetByParagraph[$0] ?? [] }
      )
    }
    // Pass 1: the sentences of every group with sentences on both sides. A group of one sentence
    // each is a bead already, but its words still teach the lexicon.
    let learns = sentenceAligner.configuration.learnsLexicon
    var drafts: [AlignmentDraft?] = []
    var evidence: [LearningEvidence] = []
    for group in groups {
      let needsSentenceBeads = group.source.count > 1 || group.target.count > 1
      guard !group.source.isEmpty && !group.target.isEmpty && (needsSentenceBeads || learns) else {
        drafts.append(nil)
        continue
      }
      let draft = sentenceAligner.firstPass(
        source: group.source.map(\.text), target: group.target.map(\.text))
      if learns { evidence.append(draft.learningEvidence) }
      drafts.append(needsSentenceBeads ? draft : nil)
    }
    // Pass 2: learn once from the whole document, then align again where the pairs link words.
    let learned = learns ? AlignmentProblem.learnLexicon(from: evidence) : Lexicon()
    var realigned = 0
    for index in drafts.indices {
      if drafts[index]?.realign(with: learned) == true { realigned += 1 }
    }
    var beads: [DocumentBead] = []
    for (index, paragraphBead) in paragraphBeads.enumerated() {
      let (s, t) = groups[index]
      let paragraph =
        paragraphBead.source.first.map { source.paragraphs[$0] }
        ?? paragraphBead.target.first.map { target.paragraphs[$0] }
      let number =
        paragraphBead.source.lazy.compactMap { source.paragraphs[$0].number }.first
        ?? paragraphBead.target.lazy.compactMap { target.paragraphs[$0].number }.first
      func bead(_ sourceIds: [Int], _ targetIds: [Int], _ score: Double) -> DocumentBead {
        let sourceParagraph =
          sourceIds.first.map { sourceSentences[$0].paragraph } ?? paragraphBead.source.first
        let targetParagraph =
          targetIds.first.map { targetSentences[$0].paragraph } ?? paragraphBead.target.first
        return DocumentBead(
          sourceIds: sourceIds, targetIds: targetIds, score: score, paragraphNumber: number,
          kind: paragraph?.kind ?? .body, sourceParagraph: sourceParagraph, targetParagraph: targetParagraph)
      }
      if s.isEmpty || t.isEmpty {
        beads +=
          s.map { bead([$0.id], [], paragraphBead.score) } + t.map { bead([], [$0.id], paragraphBead.score) }
        continue
      }
      if s.count == 1 && t.count == 1 {
        beads.append(bead([s[0].id], [t[0].id], paragraphBead.score))
        continue
      }
      guard let alignment = drafts[index]?.alignment else {
        preconditionFailure("pass 1 aligns every group of several sentences")
      }
      for sentenceBead in alignment.beads {
        // A sentence bead is as sure as the weaker of its own score and its paragraphs' score.
        let score = min(
          sentenceBead.score, max(paragraphBead.score, sentenceBead.score * 0.5 + 0.5 * paragraphBead.score))
        beads.append(
          bead(
            sentenceBead.sourceIndices.map { s[$0].id }, sentenceBead.targetIndices.map { t[$0].id }, score))
      }
    }
    return DocumentAlignment(
      source: source, target: target, sourceSentences: sourceSentences, targetSentences: targetSentences,
      paragraphBeads: paragraphBeads, beads: beads, learnedLexicon: learned, realignedGroupCount: realigned)
  }
}
