import Foundation
import TextSegmentation
import TranslationMemory

/// `aligntm-bench fuzzy [--units N] [--queries N] [--recall-sample N] [--corpus DIR] [--keep]`:
/// builds a synthetic UN-like memory, indexes it, times queries at threshold 70, saves the
/// index, loads it back (in this process, then in a fresh one for its memory) and checks that
/// the loaded index answers like the built one.
enum FuzzyBenchmark {
  static func run(_ arguments: [String]) throws {
    if let position = arguments.firstIndex(of: "--load-only"), position + 3 < arguments.count {
      try loadOnly(
        index: arguments[position + 1], queries: arguments[position + 2], signature: arguments[position + 3])
      return
    }
    func option(_ name: String, _ fallback: Int) -> Int {
      guard let position = arguments.firstIndex(of: name), position + 1 < arguments.count,
        let value = Int(arguments[position + 1])
      else { return fallback }
      return value
    }
    let unitCount = option("--units", 1_000_000)
    let queryCount = option("--queries", 1000)
    let recallSample = option("--recall-sample", 20)
    let corpus: String = {
      if let position = arguments.firstIndex(of: "--corpus"), position + 1 < arguments.count {
        return arguments[position + 1]
      }
      return "corpus"
    }()

    var generator = SyntheticMemory(corpus: corpus, seed: 2024)
    print("fuzzy: \(generator.baseCount) corpus sentences, \(generator.vocabularyCount) corpus words")
    let started = ContinuousClock.now
    let entries = (0..<unitCount).map { generator.entry(id: Int64($0)) }
    print("fuzzy: generated \(entries.count) units in \(seconds(ContinuousClock.now - started)) s")
    let memoryBefore = maximumResidentMegabytes()

    let buildStart = ContinuousClock.now
    let cpuBefore = cpuSeconds()
    let index = try FuzzyIndex(entries: entries, from: .english, to: .french)
    let buildTime = ContinuousClock.now - buildStart
    let memoryAfter = maximumResidentMegabytes()
    print(
      "fuzzy: index build \(seconds(buildTime)) s wall, "
        + String(format: "%.1f", cpuSeconds() - cpuBefore)
        + " s CPU on \(ProcessInfo.processInfo.activeProcessorCount) cores; "
        + "max RSS \(memoryBefore) MB before build (units in memory), \(memoryAfter) MB after")

    let queries = (0..<queryCount).map { generator.query(number: $0) }
    var latencies: [Double] = []
    var slowest: [(milliseconds: Double, query: String, matches: Int)] = []
    var found = 0
    var hundred = 0
    for query in queries {
      let start = ContinuousClock.now
      let matches = try index.matches(for: query, minimumScore: 70, limit: 5)
      let elapsed = milliseconds(ContinuousClock.now - start)
      latencies.append(elapsed)
      slowest.append((elapsed, query, matches.count))
      if !matches.isEmpty { found += 1 }
      if matches.first?.score.value == 100 { hundred += 1 }
    }
    slowest.sort { $0.milliseconds > $1.milliseconds }
    if arguments.contains("--slowest") {
      for item in slowest.prefix(8) {
        let start = ContinuousClock.now
        _ = try index._indexedScores(for: item.query, minimumScore: 70, limit: 5)
        let scoring = milliseconds(ContinuousClock.now - start)
        print(
          String(
            format: "fuzzy: slow query %.2f ms (%.2f ms without suggestions), %d words, %d matches: %@",
            item.milliseconds, scoring, item.query.split(separator: " ").count, item.matches,
            String(item.query.prefix(100))))
      }
    }
    latencies.sort()
    func percentile(_ p: Double) -> Double {
      latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
    }
    let mean = latencies.reduce(0, +) / Double(max(1, latencies.count))
    print(
      String(
        format:
          "fuzzy: %d queries at 70 %%, one core: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, mean %.2f ms",
        latencies.count, percentile(0.5), percentile(0.9), percentile(0.99), latencies.last ?? 0, mean))
    print("fuzzy: \(found) queries with a match ≥ 70 %, \(hundred) with a 100 % match")

    var missing = 0
    var expected = 0
    let bruteStart = ContinuousClock.now
    for query in queries.prefix(recallSample) {
      let brute = try index._bruteForceScores(for: query, minimumScore: 70)
      let indexed = try index._indexedScores(for: query, minimumScore: 70)
      expected += brute.count
      missing += Set(brute.map(\.id)).subtracting(indexed.map(\.id)).count
      // The top five, which stop the scan early, must be the brute force's five, in order.
      let top = try index._indexedScores(for: query, minimumScore: 70, limit: 5)
      if top.map(\.id) != brute.prefix(5).map(\.id) { missing += 1 }
    }
    let recall = expected == 0 ? 100 : 100 * Double(expected - missing) / Double(expected)
    print(
      String(
        format:
          "fuzzy: recall against brute force on %d queries: %.2f %% (%d of %d matches; brute force %.0f ms/query)",
        min(recallSample, queries.count), recall, expected - missing, expected,
        milliseconds(ContinuousClock.now - bruteStart) / Double(max(1, min(recallSample, queries.count)))))
    if missing > 0 { throw BenchmarkFailure("fuzzy index missed \(missing) matches") }

    try saveAndLoad(index, queries: queries, keep: arguments.contains("--keep"))
  }

  /// Saves the index, loads it back, checks it answers like the built one, then measures a
  /// fresh process that only loads it.
  static func saveAndLoad(_ index: FuzzyIndex, queries: [String], keep: Bool) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aligntm-bench-fuzzy-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
    let url = FuzzyIndex.defaultURL(
      forMemory: directory.appendingPathComponent("memory.sqlite"), from: .english, to: .french)
    let signature = "\(index.count)|bench"
    let saveStart = ContinuousClock.now
    try index.save(to: url, signature: signature)
    let saveTime = ContinuousClock.now - saveStart
    let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    let loadStart = ContinuousClock.now
    let loaded = try FuzzyIndex._load(from: url, expectedSignature: signature)
    let loadTime = ContinuousClock.now - loadStart
    print(
      "fuzzy: save \(seconds(saveTime)) s, file \(size / 1_000_000) MB (\(url.lastPathComponent)); "
        + "load \(String(format: "%.2f", milliseconds(loadTime) / 1000)) s (warm page cache)")
    var differing = 0
    for query in queries {
      let built = try index._indexedScores(for: query, minimumScore: 50)
      let read = try loaded._indexedScores(for: query, minimumScore: 50)
      if built.map(\.id) != read.map(\.id) || built.map(\.score) != read.map(\.score) { differing += 1 }
    }
    print(
      "fuzzy: loaded index answers like the built one on \(queries.count - differing) of \(queries.count) queries at 50 %"
    )
    if differing > 0 { throw BenchmarkFailure("loaded index differs on \(differing) queries") }

    let queryFile = directory.appendingPathComponent("queries.txt")
    try queries.joined(separator: "\n").write(to: queryFile, atomically: true, encoding: .utf8)
    fflush(nil)  // all streams: the child writes to the same output
    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["fuzzy", "--load-only", url.path, queryFile.path, signature]
    try child.run()
    child.waitUntilExit()
    if child.terminationStatus != 0 { throw BenchmarkFailure("load-only run failed") }
  }

  /// A fresh process: load the index, answer the queries, report time and memory.
  static func loadOnly(index path: String, queries queryPath: String, signature: String) throws {
    let queries = try String(contentsOfFile: queryPath, encoding: .utf8).split(separator: "\n").map(
      String.init)
    let memoryBefore = peakResidentMegabytesSinceExec()
    let start = ContinuousClock.now
    guard let index = FuzzyIndex.load(from: URL(fileURLWithPath: path), expectedSignature: signature)
    else { throw BenchmarkFailure("\(path): cannot load") }
    let loadTime = ContinuousClock.now - start
    var latencies: [Double] = []
    for query in queries {
      let queryStart = ContinuousClock.now
      _ = try index.matches(for: query, minimumScore: 70, limit: 5)
      latencies.append(milliseconds(ContinuousClock.now - queryStart))
    }
    latencies.sort()
    func percentile(_ p: Double) -> Double {
      latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
    }
    print(
      String(
        format:
          "fuzzy: fresh process: load %.2f s, %d units; queries at 70 %%: p50 %.2f ms, p99 %.2f ms; max RSS %d MB (%d MB before loading)",
        milliseconds(loadTime) / 1000, index.count, percentile(0.5), percentile(0.99),
        peakResidentMegabytesSinceExec(),
        memoryBefore))
  }

  /// `VmHWM`: unlike `ru_maxrss`, it starts afresh at `exec`, so a child does not inherit
  /// its parent's peak.
  static func peakResidentMegabytesSinceExec() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return maximumResidentMegabytes() }
    return kilobytes / 1024
  }

  static func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
      + Double(usage.ru_stime.tv_sec)
      + Double(usage.ru_stime.tv_usec) / 1e6
  }

  static func seconds(_ duration: Duration) -> String {
    String(
      format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
  }

  static func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
  }

  static func maximumResidentMegabytes() -> Int {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024  // kilobytes on Linux
    #else
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss / (1024 * 1024)  // bytes on macOS
    #endif
  }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// UN-like sentences: corpus sentences with their numbers, dates, symbols and sessions
/// changed, words swapped, dropped or added, and clauses of two sentences joined.
struct SyntheticMemory {
  private var random: SplitMix
  private var sentences: [(en: String, fr: String)] = []
  private var words: [String] = []
  private let months = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]
  private let names: [String]

  var baseCount: Int { sentences.count }
  var vocabularyCount: Int { words.count }

  init(corpus: String, seed: UInt64) {
    random = SplitMix(seed: seed)
    var wordSet = Set<String>()
    for pair in ["un/001", "un/002", "un/003", "un/004", "new/asean-2022"] {
      let english = (try? String(contentsOfFile: "\(corpus)/\(pair)/en.txt", encoding: .utf8)) ?? ""
      let french = (try? String(contentsOfFile: "\(corpus)/\(pair)/fr.txt", encoding: .utf8)) ?? ""
      let frenchLines = french.split(separator: "\n").map(String.init)
      for (offset, line) in english.split(separator: "\n").enumerated() {
        for sentence in Self.sentences(in: String(line)) where sentence.count > 12 {
          let target = offset < frenchLines.count ? frenchLines[offset] : sentence
          sentences.append((sentence, target))
          for word in sentence.split(separator: " ") where word.allSatisfy(\.isLetter) {
            wordSet.insert(String(word))
          }
        }
      }
    }
    if sentences.isEmpty {
      sentences = [
        ("The General Assembly, recalling its resolution 75/15 of 23 November 2020,", "L'Assemblée générale")
      ]
    }
    words = wordSet.sorted()
    if words.isEmpty { words = ["cooperation"] }
    // Proper names and terms a real memory holds in thousands: made-up, pronounceable.
    var generator = SplitMix(seed: seed &+ 1)
    let syllables = ["ka", "ro", "mi", "ta", "ne", "lu", "sa", "vo", "di", "bre", "qua", "zen", "tor", "ia"]
    names = (0..<20_000).map { _ in
      let count = 2 + Int(generator.next() % 3)
      let name = (0..<count).map { _ in syllables[Int(generator.next() % UInt64(syllables.count))] }.joined()
      return name.prefix(1).uppercased() + name.dropFirst()
    }
  }

  /// Sentences split at `. ` and `; ` (good enough for a generator).
  static func sentences(in paragraph: String) -> [String] {
    var result: [String] = []
    var current = ""
    for word in paragraph.split(separator: " ") {
      current += current.isEmpty ? String(word) : " " + word
      if (word.hasSuffix(".") && word.count > 3) || word.hasSuffix(";") {
        result.append(current)
        current = ""
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }

  private mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
  private mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
  private mutating func number(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(random.next() % UInt64(range.count))
  }

  mutating func variant(of sentence: String) -> String {
    var tokens = sentence.split(separator: " ").map(String.init)
    if chance(30), let other = Optional(pick(sentences).en.split(separator: " ").map(String.init)),
      let cut = tokens.firstIndex(where: { $0.hasSuffix(",") }),
      let otherCut = other.firstIndex(where: { $0.hasSuffix(",") })
    {
      tokens = Array(tokens[...cut]) + Array(other[(otherCut + 1)...])
    }
    for position in tokens.indices {
      let token = tokens[position]
      let trailing = token.last.map { ",.;:)".contains($0) } == true ? String(token.last ?? " ") : ""
      let core = trailing.isEmpty ? token : String(token.dropLast())
      if core.allSatisfy(\.isNumber), !core.isEmpty {
        tokens[position] = String(core.count == 4 ? number(1990...2030) : number(1...300)) + trailing
      } else if core.contains("/"), core.first?.isNumber == true || core.first == "A" || core.first == "S" {
        tokens[position] = "A/\(number(50...80))/\(number(1...999))" + trailing
      } else if months.contains(core) {
        tokens[position] = pick(months) + trailing
      }
    }
    for _ in 0..<number(0...4) {
      guard !tokens.isEmpty else { break }
      let position = number(0...(tokens.count - 1))
      switch number(0...3) {
      case 0: tokens.remove(at: position)
      case 1: tokens.insert(pick(words), at: position)
      case 2: tokens[position] = pick(names)
      default: tokens[position] = pick(words)
      }
    }
    return tokens.joined(separator: " ")
  }

  mutating func entry(id: Int64) -> FuzzyEntry {
    let base = pick(sentences)
    let source = chance(5) ? base.en : variant(of: base.en)
    return FuzzyEntry(
      id: id, source: source, target: base.fr, sourceLanguage: .english, targetLanguage: .french,
      document: "A/\(number(50...80))/\(number(1...999))", paragraph: String(number(1...120)))
  }

  mutating func query(number index: Int) -> String {
    switch index % 10 {
    case 0, 1, 2: return pick(sentences).en
    case 3, 4, 5, 6: return variant(of: pick(sentences).en)
    default:
      // New text: random corpus words and names, rarely matching anything.
      return (0..<number(8...40)).map { _ in chance(20) ? pick(names) : pick(words) }.joined(separator: " ")
    }
  }
}

/// SplitMix64, so that runs are repeatable.
struct SplitMix {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
