import Foundation
import TestSupport
import Testing
import TextSegmentation

/// Reader and sentence segmenter together, from the raw UN files, against the gold sentences.
@Suite struct UNSentenceSegmentationTests {
  static func key(_ text: String) -> String { TextNormalizer.comparisonKey(text) }

  @Test(arguments: [("003", "fr"), ("003", "en"), ("004", "fr"), ("004", "en")])
  func sentenceF1FromTheRawFile(pair: String, language: String) throws {
    let document = try DocumentReader().read(
      contentsOf: TestSupport.corpusFile("un/\(pair)/\(language).txt"), language: Language(language))
    let segmenter = try SentenceSegmenter(language: Language(language))
    var found: [String: Int] = [:]
    var foundCount = 0
    for paragraph in document.paragraphs {
      for range in segmenter.sentences(in: paragraph.text) {
        found[Self.key(String(paragraph.text[range])), default: 0] += 1
        foundCount += 1
      }
    }
    let gold = try TestSupport.jsonLines("un/\(pair)/gold.jsonl", as: GoldBead.self)
      .flatMap { language == "fr" ? $0.fr : $0.en }
    var right = 0
    for sentence in gold {
      let key = Self.key(sentence)
      if let count = found[key], count > 0 {
        found[key] = count - 1
        right += 1
      }
    }
    let precision = Double(right) / Double(max(foundCount, 1))
    let recall = Double(right) / Double(max(gold.count, 1))
    let f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    #expect(f1 >= 0.98, "sentence F1 \(f1) (P \(precision), R \(recall)) on \(pair) \(language)")
  }
}
