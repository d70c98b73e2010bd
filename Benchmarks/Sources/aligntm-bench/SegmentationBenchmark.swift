import Foundation
import TextSegmentation

/// Throughput of reading, sentence splitting and word tokenising on the UN corpus, in MB/s of
/// UTF-8 input, best of several rounds (the machine is shared; the best round is the least
/// disturbed).
enum SegmentationBenchmark {
  static func run(_ arguments: [String]) throws {
    let rounds = arguments.firstIndex(of: "--rounds").flatMap { Int(arguments[$0 + 1]) } ?? 10
    let folder = repositoryRoot.appendingPathComponent("corpus/un")
    var inputs: [(text: String, language: Language)] = []
    for pair in ["001", "002", "003", "004"] {
      for language in ["en", "fr"] {
        let url = folder.appendingPathComponent("\(pair)/\(language).txt")
        inputs.append((try String(contentsOf: url, encoding: .utf8), Language(language)))
      }
    }
    let bytes = Double(inputs.reduce(0) { $0 + $1.text.utf8.count })
    let reader = DocumentReader()
    let documents = inputs.map { reader.read(text: $0.text, source: "corpus", language: $0.language) }
    let paragraphs = documents.map { $0.paragraphs.map(\.text) }
    var segmenters: [Language: SentenceSegmenter] = [:]
    var tokenizers: [Language: WordTokenizer] = [:]
    for language in [Language.english, .french] {
      segmenters[language] = try SentenceSegmenter(language: language)
      tokenizers[language] = try WordTokenizer(language: language)
    }
    func best(_ body: () -> Int) -> (seconds: Double, count: Int) {
      var fastest = Double.infinity
      var count = 0
      for _ in 0..<rounds {
        fastest = min(fastest, seconds { count = body() })
      }
      return (fastest, count)
    }
    let read = best {
      inputs.reduce(0) {
        $0 + reader.read(text: $1.text, source: "corpus", language: $1.language).paragraphs.count
      }
    }
    let sentences = best {
      var count = 0
      for (index, document) in documents.enumerated() {
        guard let segmenter = segmenters[document.language] else { continue }
        for text in paragraphs[index] { count += segmenter.sentences(in: text).count }
      }
      return count
    }
    let words = best {
      var count = 0
      for (index, document) in documents.enumerated() {
        guard let tokenizer = tokenizers[document.language] else { continue }
        for text in paragraphs[index] { count += tokenizer.tokens(in: text).count }
      }
      return count
    }
    print(
      "== segment: the 8 UN documents of corpus/un, \(format(bytes / 1e6, 3)) MB, best of \(rounds) rounds =="
    )
    print(pad("stage", 34) + pad("MB/s", 10) + "items")
    print(
      pad("read (layout → paragraphs)", 34) + pad(format(bytes / 1e6 / read.seconds, 1), 10)
        + "\(read.count) paragraphs")
    print(
      pad("sentences (ICU + our rules)", 34) + pad(format(bytes / 1e6 / sentences.seconds, 1), 10)
        + "\(sentences.count) sentences")
    print(
      pad("words (ICU + elision, numbers)", 34) + pad(format(bytes / 1e6 / words.seconds, 1), 10)
        + "\(words.count) tokens")
    let all = read.seconds + sentences.seconds + words.seconds
    print(pad("read + sentences + words", 34) + format(bytes / 1e6 / all, 1))
    print("peak RSS \(format(peakResidentMegabytes(), 1)) MB")
  }
}
