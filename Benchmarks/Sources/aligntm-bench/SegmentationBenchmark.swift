import Foundation
import TextSegmentation

/// Throughput of reading, sentence splitting and word tokenising on the UN corpus, in MB/s of
/// UTF-8 input, best of several rounds (the machine is shared; the best round is the least
/// disturbed), by wall time and by the thread's CPU time (which other processes do not inflate).
/// The reading ceiling is what any reader does at least: decode the bytes and cut them into
/// line strings.
enum SegmentationBenchmark {
  static func run(_ arguments: [String]) throws {
    let rounds = arguments.firstIndex(of: "--rounds").flatMap { Int(arguments[$0 + 1]) } ?? 10
    let folder = repositoryRoot.appendingPathComponent("corpus/un")
    var inputs: [(text: String, language: Language)] = []
    var files: [[UInt8]] = []
    for pair in ["001", "002", "003", "004"] {
      for language in ["en", "fr"] {
        let url = folder.appendingPathComponent("\(pair)/\(language).txt")
        inputs.append((try String(contentsOf: url, encoding: .utf8), Language(language)))
        files.append(Array(try Data(contentsOf: url)))
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
    func best(_ body: () -> Int) -> (seconds: Double, cpu: Double, count: Int) {
      var fastest = Double.infinity
      var fastestCPU = Double.infinity
      var count = 0
      for _ in 0..<rounds {
        let start = threadCPUSeconds()
        fastest = min(fastest, seconds { count = body() })
        fastestCPU = min(fastestCPU, threadCPUSeconds() - start)
      }
      return (fastest, fastestCPU, count)
    }
    let read = best {
      inputs.reduce(0) {
        $0 + reader.read(text: $1.text, source: "corpus", language: $1.language).paragraphs.count
      }
    }
    let readBytes = best {
      var count = 0
      for (index, bytes) in files.enumerated() {
        let document = try? reader.read(bytes: bytes, source: "corpus", language: inputs[index].language)
        count += document?.paragraphs.count ?? 0
      }
      return count
    }
    let ceiling = best {
      var count = 0
      for bytes in files {
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
          count += String(Substring(line)).isEmpty ? 0 : 1
        }
      }
      return count
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
    func row(_ name: String, _ stage: (seconds: Double, cpu: Double, count: Int), _ items: String) {
      print(
        pad(name, 40) + pad(format(bytes / 1e6 / stage.seconds, 1), 10)
          + pad(format(bytes / 1e6 / stage.cpu, 1), 10)
          + "\(stage.count) \(items)")
    }
    print(pad("stage", 40) + pad("MB/s", 10) + pad("CPU MB/s", 10) + "items")
    row("read (layout → paragraphs)", read, "paragraphs")
    row("read from bytes (decode + read)", readBytes, "paragraphs")
    row("ceiling: decode + cut into lines", ceiling, "non-blank lines")
    row("sentences (ICU + our rules)", sentences, "sentences")
    row("words (ICU + elision, numbers)", words, "tokens")
    let all = read.seconds + sentences.seconds + words.seconds
    let allCPU = read.cpu + sentences.cpu + words.cpu
    print(
      pad("read + sentences + words", 40) + pad(format(bytes / 1e6 / all, 1), 10)
        + format(bytes / 1e6 / allCPU, 1))
    print("target: read ≥ 20 MB/s")
    print("peak RSS \(format(peakResidentMegabytes(), 1)) MB")
  }
}
