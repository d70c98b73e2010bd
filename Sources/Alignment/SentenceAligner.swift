import Foundation
import TextSegmentation

/// Aligns the sentences of a text with those of its translation.
///
/// A dynamic programme over beads 1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3, 3-1, 2-3, 3-2, 1-4 and 4-1 scores each bead by
/// length (Gale and Church, in characters) and by lexical evidence: a bilingual ``Lexicon``, shared
/// names, numbers and cognates after accent folding, and — in a second pass — a lexicon learned from
/// the confident 1-1 beads of the first pass. A bead's lexical evidence is taken on the union of
/// its sentences: each word counts once, whichever sentence of the other side explains it, and a
/// sentence's share is judged against the evidence its neighbourhood holds for it at all (at
/// least half its word weight), so a group bead is judged against the beads beside it. The
/// programme runs in a band around the expected path, widened where the best path touches its
/// edge, so time and memory grow about linearly. After the programme, each run of doubtful beads
/// (posterior below ``Configuration/recheckThreshold``) between confident ones is segmented again
/// by the same score with beads up to 7-1 and 1-7 allowed too (runs of up to 20 sentences a
/// side), each segmentation also paying for the exclusive word links it cuts near the
/// programme's path and each group bead for the exclusive links inside it that lie out of order
/// (a word found in one sentence of the run alone, linked to one found in one sentence alone:
/// names shared by neighbours say nothing), and a doubtful 1-0 or 0-1 is
/// joined to its neighbour when that costs little — as is a null whose words find translations
/// among its neighbours (a left-out sentence has none), at a larger margin. A sentence with no
/// word, number or symbol at all (scanning debris: `.....`, `- _-`) is cheaper to leave unaligned
/// than to glue to a neighbour. Punctuation that survives translation is evidence too: a bead pays
/// for each question, exclamation, semicolon, ellipsis or italic marker one side has and the other
/// lacks, and a little for last sentences that end differently (a question beside a statement).
///
/// ```swift
/// let lexicon = Lexicon.freedict(sourceLanguage: .english, targetLanguage: .french).lexicon
/// let aligner = try SentenceAligner(sourceLanguage: .english, targetLanguage: .french,
///                                   lexicon: lexicon)
/// let alignment = aligner.align(source: englishSentences, target: frenchSentences)
/// ```
public struct SentenceAligner: Sendable {
  /// The knobs of the aligner. The defaults serve every language pair.
  public struct Configuration: Sendable, Equatable {
    /// Weight of the Gale–Church length cost.
    public var lengthWeight: Double = 0.5
    /// Weight of the lexical cost.
    public var lexicalWeight: Double = 6.0
    /// Cost of leaving one sentence unaligned (a 1-0 or 0-1 bead), whatever its length.
    public var skipCost: Double = 6.0
    /// Cost of leaving unaligned a sentence with no word, number or symbol to match (`.....`,
    /// `- _-`: scanning debris, a row of dots). Inside any bead such a sentence pays half the
    /// lexical weight for its unexplained words; unaligned, it pays that and 1 nat more, so it
    /// stays in a 1-1 with its like (`*` beside `*`) but is not glued to a neighbour for free.
    public var wordlessSkipCost: Double = 4.0
    /// Gale–Church variance of the target length per source character.
    public var lengthVariance: Double = GaleChurch.variance
    /// Extra cost, at most, of a sentence on the merged side of a bead (the 2 of a 2-1) that the
    /// other side does not explain, scaled by the sentence's word weight against the median one.
    public var unexplainedSentenceCost: Double = 3.0
    /// Sentences of the other side in the window that measures how much of a sentence's word
    /// weight can find a translation at all; 0 judges coverage against the whole sentence.
    public var evidenceWindow: Int = 2
    /// Least share of a sentence's word weight its available evidence is counted as: a sentence
    /// with less evidence than this is judged against this share, not against what little it has.
    public var leastEvidence: Double = 0.5
    /// Posterior below which a 1-0 or 0-1 bead of the best path is joined to the neighbouring
    /// bead it costs least to join, if that adds at most ``nullGlueMargin`` to the path's cost (a
    /// re-check of doubtful nulls after the programme); 0 keeps every null. The posteriors are well
    /// calibrated and nearly every wrong null lies below 0.9, so every null under it is re-checked;
    /// the margins (smaller for a surer null) keep a left-out sentence alone.
    public var nullGlueThreshold: Double = 0.9
    /// Most extra cost, in nats, a doubtful null may add when joined to its neighbour.
    public var nullGlueMargin: Double = 1
    /// Posterior from which a doubtful null counts as surer: joined, it may add at most
    /// ``surerNullGlueShare`` of ``nullGlueMargin``.
    public var surerNullPosterior: Double = 0.5
    /// Share of ``nullGlueMargin`` a null with a posterior from ``surerNullPosterior`` up to
    /// ``nullGlueThreshold`` may add when joined to its neighbour.
    public var surerNullGlueShare: Double = 0.5
    /// Share of a 1-0 or 0-1 sentence's word weight that its neighbours explain (the evidence window)
    /// from which the null is re-checked whatever its posterior: a sentence left out of the
    /// translation has no translation nearby. 0 turns this off.
    public var supportedNullShare: Double = 0.5
    /// Most extra cost, in nats, such a supported null may add when joined to its neighbour.
    public var supportedNullGlueMargin: Double = 3
    /// Posterior below which a run of beads of the best path is segmented again, with larger
    /// shapes (up to 7-1 and 1-7) allowed inside it only; 0 keeps the path as it is.
    public var recheckThreshold: Double = 0.9
    /// Most sentences on a side of a doubtful run that the re-check segments again; a longer run
    /// is left as the programme found it. Summaries run long: a paragraph of seven sentences
    /// rendered as one sits in a doubtful run of a dozen or more.
    public var recheckLongestSpan: Int = 20
    /// Weight, in nats per unit of evidence, of the exclusive word links a re-checked segmentation
    /// cuts across its bead boundaries (a word's share of its sentence's weight); 0 turns the term
    /// off.
    public var crossEvidenceWeight: Double = 10
    /// Half-width, in mean sentences of the span, of the band around the span's diagonal inside
    /// which an exclusive link counts (less the farther it lies from the diagonal); 0 counts every
    /// exclusive link wherever it lies.
    public var crossEvidenceBand: Double = 0.25
    /// Most sentences on a side of a doubtful run whose exclusive links are weighed: in a longer
    /// run, few words are found in one sentence alone.
    public var crossEvidenceLongestSpan: Int = 20
    /// The line an exclusive link must lie near (within ``crossEvidenceBand``) to count.
    public var crossEvidenceFrame: CrossEvidenceFrame = .path
    /// Weight, in nats per unit of evidence, of the exclusive links inside a re-checked group bead
    /// that lie out of order (far from the bead's own diagonal); 0 turns the term off.
    public var crossEvidenceDisorderWeight: Double = 2
    /// Distance from a group bead's diagonal, in the bead's mean sentences, from which an
    /// exclusive link inside it counts as out of order (fully from twice the distance).
    public var crossEvidenceDisorderTolerance: Double = 0.5
    /// Coverage below which a merged sentence counts as unexplained (share of its word weight).
    public var explainedCoverage: Double = 0.1
    /// Least longest-common-subsequence ratio for two words to count as cognates (`expedition`,
    /// `expédition`; `offizielle`, `officielle`); above 1 turns cognates off.
    public var cognateThreshold: Double = 0.8
    /// Letters a word needs to be matched as a cognate.
    public var cognateMinimumLength: Int = 4
    /// Characters compared to match words with the lexicon and cognates (a crude stemmer).
    public var stemLength: Int = 5
    /// Half-width of the first band, in sentences; widened automatically when needed.
    public var minimumBandWidth: Int = 25
    /// Largest half-width of the band, in sentences: the band never widens past it, so time and
    /// memory stay linear in the sentence counts however far the texts drift apart.
    public var maximumBandWidth: Int = 800
    /// Whether to learn a lexicon from the first pass and align again with it.
    public var learnsLexicon: Bool = true
    /// Weight, in nats per mark, of a difference between the numbers of marks of a class
    /// (``PunctuationClass``) on the two sides of a bead; a 1-0 or 0-1 bead pays for each mark of
    /// its sentence. Questions, exclamations, semicolons, ellipses and italic markers survive
    /// translation; quotation marks, dashes, colons and parentheses were measured too, and cost
    /// more than they gain. Empty turns the counts off.
    public var punctuationWeights: [PunctuationClass: Double] = [
      .question: 0.5, .exclamation: 0.5, .semicolon: 0.5, .ellipsis: 0.5, .emphasis: 0.5,
    ]
    /// Cost of a bead whose last source sentence and last target sentence end with different marks
    /// (a question beside a statement, an exclamation beside a semicolon); 0 turns it off. Where a bead ends, both
    /// sides end a sentence of the translation, and mostly alike.
    public var endingMismatchCost: Double = 0.5
    /// Cost of a bead shape, as minus the log of its prior probability.
    public var shapeCosts: [BeadShape: Double] = [
      BeadShape(1, 1): -log(0.80), BeadShape(1, 0): -log(0.008), BeadShape(0, 1): -log(0.008),
      BeadShape(1, 2): -log(0.08), BeadShape(2, 1): -log(0.08), BeadShape(2, 2): -log(0.01),
      BeadShape(1, 3): -log(0.01), BeadShape(3, 1): -log(0.01),
      BeadShape(2, 3): -log(0.0003), BeadShape(3, 2): -log(0.0003),
      BeadShape(1, 4): -log(0.0003), BeadShape(4, 1): -log(0.0003),
    ]

    /// The default configuration.
    public init() {}
  }

  /// The number of source and target sentences of a bead.
  public struct BeadShape: Hashable, Sendable {
    /// Source sentences.
    public var source: Int
    /// Target sentences.
    public var target: Int
    /// Creates a shape.
    public init(_ source: Int, _ target: Int) {
      self.source = source
      self.target = target
    }
  }

  /// The source language.
  public let sourceLanguage: Language
  /// The target language.
  public let targetLanguage: Language
  /// The settings.
  public var configuration: Configuration
  let stemLexicon: StemIndex

  /// Creates an aligner for a language pair.
  ///
  /// - Parameters:
  ///   - lexicon: Known translations of source words; may be empty.
  public init(
    sourceLanguage: Language, targetLanguage: Language, lexicon: Lexicon = Lexicon(),
    configuration: Configuration = Configuration()
  ) {
    self.sourceLanguage = sourceLanguage
    self.targetLanguage = targetLanguage
    self.configuration = configuration
    // Read in place from a compiled lexicon of the cache, else built from the word lists.
    self.stemLexicon = StemIndex(lexicon, length: configuration.stemLength)
  }

  /// Aligns two texts given as sentences.
  ///
  /// - Returns: Beads that use every sentence once, in order, each with a confidence in 0…1.
  /// - Complexity: About O((*n* + *m*) · *w*) for *n* and *m* sentences and a band of width *w*.
  public func align(source: [String], target: [String]) -> Alignment {
    if source.isEmpty || target.isEmpty {
      let beads =
        source.indices.map { Bead(sourceIndices: [$0], targetIndices: [], score: 1) }
        + target.indices.map { Bead(sourceIndices: [], targetIndices: [$0], score: 1) }
      return Alignment(beads: beads, sourceCount: source.count, targetCount: target.count)
    }
    var draft = firstPass(source: source, target: target)
    if configuration.learnsLexicon {
      draft.realign(with: AlignmentProblem.learnLexicon(from: [draft.learningEvidence]))
    }
    return draft.alignment
  }

  /// Aligns two non-empty texts given as sentences with the lexicon it was given, before any
  /// learning.
  func firstPass(source: [String], target: [String]) -> AlignmentDraft {
    var words = WordFeatures()
    var problem = AlignmentProblem(
      source: source.map { words.features(of: $0) },
      sourceLengths: source.map { Double($0.unicodeScalars.count) },
      target: target.map { words.features(of: $0) },
      targetLengths: target.map { Double($0.unicodeScalars.count) },
      stemLexicon: stemLexicon, configuration: configuration)
    if !configuration.punctuationWeights.isEmpty || configuration.endingMismatchCost > 0 {
      problem.punctuation = PunctuationEvidence(
        source: PunctuationCounts(source), target: PunctuationCounts(target), configuration: configuration)
    }
    let path = problem.solve(around: nil)
    return AlignmentDraft(problem: problem, path: path)
  }

  static func stem(_ key: String, length: Int) -> String {
    var count = 0
    var end = key.unicodeScalars.startIndex
    for index in key.unicodeScalars.indices {
      if count == length { break }
      count += 1
      end = key.unicodeScalars.index(after: index)
    }
    return String(key.unicodeScalars[..<end])
  }
}

/// A sentence alignment in the making: the problem of one pair of texts and its best path so far.
struct AlignmentDraft {
  var problem: AlignmentProblem
  var path: [PathStep]

  /// The path's 1-1 beads, to learn word pairs from.
  var learningEvidence: LearningEvidence { problem.learningEvidence(from: path) }

  /// Aligns again, around the current path, with learned word pairs.
  ///
  /// - Returns: Whether the pairs linked any word of the texts, so that the path was computed again.
  @discardableResult
  mutating func realign(with learned: Lexicon) -> Bool {
    guard problem.addLinks(learned) else { return false }
    path = problem.solve(around: path)
    return true
  }

  /// The beads of the path, each with its posterior probability.
  var alignment: Alignment {
    let lattice = problem.lattice()
    let checked = problem.recheckDoubtfulSpans(
      path, posteriors: lattice.posteriors(of: path, shapes: problem.shapes, band: problem.band),
      below: problem.configuration.recheckThreshold, longest: problem.configuration.recheckLongestSpan)
    let final = problem.glueDoubtfulNulls(
      checked.path, below: problem.configuration.nullGlueThreshold, lattice: lattice)
    return Alignment(
      beads: problem.beads(for: final, lattice: lattice, otherScores: checked.scores),
      sourceCount: problem.n, targetCount: problem.m)
  }
}
