import Foundation
import TextSegmentation

/// One step of a path through the alignment grid: a bead of `shape` ending at source row `i`,
/// target column `j`.
struct PathStep: Hashable {
  var i: Int
  var j: Int
  var shape: SentenceAligner.BeadShape
}

/// A bead shape the programme tries, with its cost: minus the log of its prior probability.
struct CandidateShape {
  var shape: SentenceAligner.BeadShape
  var cost: Double
}

/// The working state of one alignment: sentence features, word links and the banded programme.
///
/// The jobs live in extensions: the band and the pairwise matches inside it
/// (`AlignmentProblem+Band.swift`), bead costs (`+Costs`), the best path (`+Viterbi`), the
/// confidence of each bead (`+Posteriors`) and learning word pairs from a first pass (`+Learning`).
struct AlignmentProblem {
  /// The bead shapes the programme tries, most likely first.
  static let shapesTried: [SentenceAligner.BeadShape] = [
    (1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1),
  ].map { SentenceAligner.BeadShape($0.0, $0.1) }
  /// The most sentences one side of a bead holds.
  static let maximumSpan = 4

  /// The number of source sentences (rows of the grid).
  let n: Int
  /// The number of target sentences (columns of the grid).
  let m: Int
  let configuration: SentenceAligner.Configuration
  /// ``shapesTried`` with the configuration's costs.
  let shapes: [CandidateShape]

  // Sentence features: unique word ids (stems, numbers, symbols) and their weights.
  var sourceIds: [[Int32]] = []
  var targetIds: [[Int32]] = []
  var sourceWeight: [Double] = []
  var targetWeight: [Double] = []
  var sourceSentenceWeight: [Double] = []
  var targetSentenceWeight: [Double] = []
  let sourceCumulative: [Double]
  let targetCumulative: [Double]
  let lengthRatio: Double

  // The key of each word id, and the id of each key.
  let sourceKeys: [String]
  let targetKeys: [String]
  let sourceVocabulary: [String: Int32]
  let targetVocabulary: [String: Int32]

  // Word links from source ids to target ids, and back.
  var links: [[Int32]] = []
  var reverseLinks: [[Int32]] = []

  /// The band of the grid the programme explores.
  var band = BandLayout(firstColumn: [0], lastColumn: [0])

  // Pairwise lexical matches inside the band: source sentence s meets target sentences
  // pairTargetStart[s]..<pairTargetEnd[s], whose match weights begin at pairOffset[s].
  var pairTargetStart: [Int] = []
  var pairTargetEnd: [Int] = []
  var pairOffset: [Int] = []
  var matchedSource: [Float] = []
  var matchedTarget: [Float] = []
  // Which words of each sentence of a pair find a translation in the other (the first 64 words).
  var sourceMask: [UInt64] = []
  var targetMask: [UInt64] = []
  // The matched weight of each pair that the masks do not hold (words past the 64th).
  var sourceOverflow: [Float] = []
  var targetOverflow: [Float] = []
  /// The most word weight of each sentence that a window of neighbours on the other side explains.
  var sourceAvailable: [Double] = []
  var targetAvailable: [Double] = []
  /// The weight of each word of each sentence, by position (the first 64 words).
  var sourcePositionWeight = PositionWeights(offsets: [0], values: [])
  var targetPositionWeight = PositionWeights(offsets: [0], values: [])

  /// The median word weight of the sentences of both sides.
  var medianSentenceWeight: Double = 1
  /// Punctuation counts of both sides, compared in each bead (none when
  /// ``SentenceAligner/Configuration/punctuationWeights`` is empty).
  var punctuation = PunctuationEvidence()

  init(
    source: [[(key: String, kind: WordFeatures.Kind)]], sourceLengths: [Double],
    target: [[(key: String, kind: WordFeatures.Kind)]], targetLengths: [Double],
    stemLexicon: StemIndex, configuration: SentenceAligner.Configuration
  ) {
    n = source.count
    m = target.count
    self.configuration = configuration
    shapes = AlignmentProblem.shapesTried.map {
      CandidateShape(shape: $0, cost: configuration.shapeCosts[$0] ?? 10)
    }
    var cumulative = [0.0]
    for length in sourceLengths { cumulative.append((cumulative.last ?? 0) + length) }
    sourceCumulative = cumulative
    cumulative = [0.0]
    for length in targetLengths { cumulative.append((cumulative.last ?? 0) + length) }
    targetCumulative = cumulative
    let sourceTotal = sourceCumulative[n]
    let targetTotal = targetCumulative[m]
    lengthRatio = sourceTotal > 0 && targetTotal > 0 ? targetTotal / sourceTotal : 1

    let stemLength = configuration.stemLength
    var sourceVocabulary: [String: Int32] = [:]
    var targetVocabulary: [String: Int32] = [:]
    var sourceKeys: [String] = []
    var targetKeys: [String] = []
    var sourceExact: [Bool] = []
    var targetExact: [Bool] = []
    var sourceWords: [String: Int32] = [:]
    var targetWords: [String: Int32] = [:]
    func ids(
      _ tokens: [(key: String, kind: WordFeatures.Kind)], _ vocabulary: inout [String: Int32],
      _ keys: inout [String], _ exact: inout [Bool],
      _ words: inout [String: Int32]
    ) -> [Int32] {
      var result: [Int32] = []
      for token in tokens {
        let key: String
        let isExact: Bool
        switch token.kind {
        case .word:
          key = SentenceAligner.stem(token.key, length: stemLength)
          isExact = false
        case .exact:
          key = token.key
          isExact = true
        }
        if key.isEmpty { continue }
        let id: Int32
        if let known = vocabulary[key] {
          id = known
        } else {
          id = Int32(keys.count)
          vocabulary[key] = id
          keys.append(key)
          exact.append(isExact)
        }
        if !isExact && words[token.key] == nil { words[token.key] = id }
        if !result.contains(id) { result.append(id) }
      }
      return result
    }
    sourceIds = source.map { ids($0, &sourceVocabulary, &sourceKeys, &sourceExact, &sourceWords) }
    targetIds = target.map { ids($0, &targetVocabulary, &targetKeys, &targetExact, &targetWords) }

    func weights(_ sentences: [[Int32]], vocabularySize: Int) -> [Double] {
      var frequency = [Int](repeating: 0, count: vocabularySize)
      for sentence in sentences { for id in sentence { frequency[Int(id)] += 1 } }
      let count = Double(sentences.count)
      // Squared inverse document frequency: rare words (names, content words) carry the evidence,
      // words found in most sentences almost none, so chance matches do not favour merged beads.
      return frequency.map {
        let idf = log(1 + count / Double(max(1, $0)))
        return idf * idf
      }
    }
    sourceWeight = weights(sourceIds, vocabularySize: sourceKeys.count)
    targetWeight = weights(targetIds, vocabularySize: targetKeys.count)

    // Links: the same key on both sides (names, numbers, cognates sharing a stem), then the lexicon.
    var links = [[Int32]](repeating: [], count: sourceKeys.count)
    for (id, key) in sourceKeys.enumerated() {
      if key.unicodeScalars.count >= 3 || sourceExact[id], let target = targetVocabulary[key] {
        links[id].append(target)
      }
      if !sourceExact[id], let translations = stemLexicon[key] {
        for translation in translations {
          if let target = targetVocabulary[translation], !links[id].contains(target) {
            links[id].append(target)
          }
        }
      }
    }
    if configuration.cognateThreshold <= 1 {
      AlignmentProblem.addCognates(
        from: sourceWords, to: targetWords, threshold: configuration.cognateThreshold,
        minimumLength: configuration.cognateMinimumLength, into: &links)
    }
    self.links = links
    self.sourceKeys = sourceKeys
    self.targetKeys = targetKeys
    self.sourceVocabulary = sourceVocabulary
    self.targetVocabulary = targetVocabulary
    reverseLinks = AlignmentProblem.reverse(links, targetCount: targetKeys.count)
    sourceSentenceWeight = sourceIds.map { sentence in sentence.reduce(0) { $0 + sourceWeight[Int($1)] } }
    targetSentenceWeight = targetIds.map { sentence in sentence.reduce(0) { $0 + targetWeight[Int($1)] } }
    sourcePositionWeight = PositionWeights(sourceIds, weights: sourceWeight)
    targetPositionWeight = PositionWeights(targetIds, weights: targetWeight)
    let allWeights = (sourceSentenceWeight + targetSentenceWeight).sorted()
    medianSentenceWeight = max(1e-9, allWeights.isEmpty ? 1 : allWeights[allWeights.count / 2])
  }

  /// Links words whose longest common subsequence covers at least `threshold` of the longer word
  /// (Melamed's LCSR), for words of `minimumLength` letters or more that start with the same letter.
  static func addCognates(
    from sourceWords: [String: Int32], to targetWords: [String: Int32], threshold: Double, minimumLength: Int,
    into links: inout [[Int32]]
  ) {
    var buckets = [[(bytes: [UInt8], id: Int32)]](repeating: [], count: 256)
    for (word, id) in targetWords {
      let bytes = Array(word.utf8)
      guard bytes.count >= minimumLength, bytes.count <= 64 else { continue }
      buckets[Int(bytes[0])].append((bytes, id))
    }
    var masks = [UInt64](repeating: 0, count: 256)
    for (word, sourceId) in sourceWords {
      let a = Array(word.utf8)
      guard a.count >= minimumLength, a.count <= 64 else { continue }
      let candidates = buckets[Int(a[0])]
      if candidates.isEmpty { continue }
      for (position, byte) in a.enumerated() { masks[Int(byte)] |= 1 << UInt64(position) }
      let full: UInt64 = a.count == 64 ? ~0 : (1 << UInt64(a.count)) - 1
      for candidate in candidates {
        let b = candidate.bytes
        let longer = Double(max(a.count, b.count))
        if Double(min(a.count, b.count)) < threshold * longer { continue }
        // Hyyrö's bit-parallel LCS length.
        var v = full
        for byte in b {
          let u = v & masks[Int(byte)]
          v = ((v &+ u) | (v &- u)) & full
        }
        let lcs = a.count - v.nonzeroBitCount
        if Double(lcs) >= threshold * longer, !links[Int(sourceId)].contains(candidate.id) {
          links[Int(sourceId)].append(candidate.id)
        }
      }
      for byte in a { masks[Int(byte)] = 0 }
    }
  }

  static func reverse(_ links: [[Int32]], targetCount: Int) -> [[Int32]] {
    var reverse = [[Int32]](repeating: [], count: targetCount)
    for (source, targets) in links.enumerated() {
      for target in targets { reverse[Int(target)].append(Int32(source)) }
    }
    return reverse
  }
}

/// The weights of the first 64 words of each sentence, stored one sentence after another.
struct PositionWeights {
  var offsets: [Int]
  var values: [Double]

  init(offsets: [Int], values: [Double]) {
    self.offsets = offsets
    self.values = values
  }

  init(_ sentences: [[Int32]], weights: [Double]) {
    offsets = [0]
    values = []
    for sentence in sentences {
      for id in sentence.prefix(64) { values.append(weights[Int(id)]) }
      offsets.append(values.count)
    }
  }
}
