import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

@Suite("FuzzyIndex")
struct FuzzyIndexTests {
  static let words = [
    "the", "General", "Assembly", "of", "and", "United", "Nations", "cooperation", "resolution",
    "session", "report", "welcomes", "notes", "regional", "Association", "Council", "in", "on",
    "to", "a", "its", "Secretary-General", "requests", "decides", "Recalling", "November",
  ]
  static let marks = [",", ".", ";", "*", "(", ")"]

  static func randomSentence(_ generator: inout SeededGenerator, length: Int) -> String {
    var parts: [String] = []
    for _ in 0..<length {
      switch Int.random(in: 0..<20, using: &generator) {
      case 0: parts.append(String(Int.random(in: 1...40, using: &generator)))
      case 1:
        parts.append(
          "A/\(Int.random(in: 70...78, using: &generator))/L.\(Int.random(in: 1...9, using: &generator))")
      case 2: parts.append(marks.randomElement(using: &generator) ?? ",")
      case 3:
        parts.append("seventy-\(["fifth", "sixth", "seventh"].randomElement(using: &generator) ?? "fifth")")
      default:
        var word = words.randomElement(using: &generator) ?? "the"
        if Int.random(in: 0..<10, using: &generator) == 0 { word = word.uppercased() }
        parts.append(word)
      }
    }
    return parts.joined(separator: " ")
  }

  static func mutate(_ sentence: String, _ generator: inout SeededGenerator) -> String {
    var parts = sentence.split(separator: " ").map(String.init)
    for _ in 0..<Int.random(in: 0...3, using: &generator) {
      let position = Int.random(in: 0...parts.count, using: &generator)
      switch Int.random(in: 0..<3, using: &generator) {
      case 0 where position < parts.count: parts.remove(at: position)
      case 1: parts.insert(words.randomElement(using: &generator) ?? "of", at: position)
      default:
        if position < parts.count { parts[position] = words.randomElement(using: &generator) ?? "in" }
      }
    }
    return parts.joined(separator: " ")
  }

  @Test("the index finds exactly what a brute-force scan finds", arguments: [1 as UInt64, 2, 3, 4])
  func indexEqualsBruteForce(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    let sentences = (0..<300).map { _ in
      Self.randomSentence(&generator, length: Int.random(in: 0...14, using: &generator))
    }
    // Near duplicates, so that high thresholds have something to find, and exact ones, so
    // that scores tie and the id must break the tie.
    let memory =
      sentences + sentences.prefix(150).map { Self.mutate($0, &generator) } + sentences.prefix(60)
    let entries = memory.enumerated().map { offset, text in
      FuzzyEntry(
        id: Int64(offset), source: text, target: "fr \(offset)", sourceLanguage: .english,
        targetLanguage: .french)
    }
    let index = try FuzzyIndex(entries: entries, from: .english, to: .french)
    var compared = 0
    var nonEmpty = 0
    for round in 0..<60 {
      let query =
        round % 3 == 0
        ? Self.randomSentence(&generator, length: Int.random(in: 0...12, using: &generator))
        : Self.mutate(memory.randomElement(using: &generator) ?? "", &generator)
      for threshold in [0.0, 30, 50, 70, 85, 99, 100] {
        let indexed = try index._indexedScores(for: query, minimumScore: threshold)
        let brute = try index._bruteForceScores(for: query, minimumScore: threshold)
        #expect(indexed.map(\.id) == brute.map(\.id), "query «\(query)» at \(threshold)")
        #expect(indexed.map(\.score) == brute.map(\.score))
        // A small limit stops the scan early: it must still give the brute force's best.
        for limit in [1, 2, 5] {
          let top = try index._indexedScores(for: query, minimumScore: threshold, limit: limit)
          #expect(
            top.map(\.id) == brute.prefix(limit).map(\.id), "query «\(query)» at \(threshold), limit \(limit)"
          )
          #expect(top.map(\.score) == brute.prefix(limit).map(\.score))
        }
        compared += 1
        if !brute.isEmpty, threshold >= 70 { nonEmpty += 1 }
      }
    }
    #expect(compared == 420)
    #expect(nonEmpty > 40, "the generator must produce matches above 70 %")
  }

  /// The build tokenises in blocks of 4096 sources per core, each core interning into its own
  /// tables: 9,000 sources span several blocks on up to two cores. The brute force reads the
  /// index's ids, so the scores are checked against ``FuzzyIndex/score(of:against:)``, which
  /// interns both texts afresh.
  @Test("ids interned block by block on several cores give the scores of the texts themselves")
  func interningAcrossBlocks() throws {
    var generator = SeededGenerator(seed: 9)
    let sentences = (0..<400).map { _ in
      Self.randomSentence(&generator, length: Int.random(in: 1...14, using: &generator))
    }
    let sources = (0..<9_000).map { offset in
      offset % 3 == 0 ? sentences[offset % sentences.count] : Self.mutate(sentences[offset % 400], &generator)
    }
    let entries = sources.enumerated().map { offset, text in
      FuzzyEntry(
        id: Int64(offset), source: text, target: "fr \(offset)", sourceLanguage: .english,
        targetLanguage: .french)
    }
    let index = try FuzzyIndex(entries: entries, from: .english, to: .french)
    for query in [sources[8_998], sources[4_500], sentences[7]] {
      let brute = try index._bruteForceScores(for: query, minimumScore: 60)
      #expect(brute.count > 1)
      for (id, score) in brute {
        #expect(score == index.score(of: sources[Int(id)], against: query), "entry \(id), query «\(query)»")
      }
      #expect(try index._indexedScores(for: query, minimumScore: 60).map(\.id) == brute.map(\.id))
    }
  }

  @Test("limit keeps the best matches, in order")
  func limitKeepsBest() throws {
    let entries = ["the General Assembly", "the General Assembly decides", "the Assembly", "General"]
      .enumerated().map {
        FuzzyEntry(
          id: Int64($0.offset), source: $0.element, target: "", sourceLanguage: .english,
          targetLanguage: .french)
      }
    let index = try FuzzyIndex(entries: entries, from: .english, to: .french)
    let matches = try index.matches(for: "the General Assembly", minimumScore: 0, limit: 2)
    #expect(matches.map(\.entry.id) == [0, 1])
    #expect(matches.first?.score.value == 100)
  }

  @Test("entries the other way round are turned; other languages are left out")
  func orientation() throws {
    let entries = [
      FuzzyEntry(
        id: 1, source: "Assemblée générale", target: "General Assembly", sourceLanguage: .french,
        targetLanguage: .english),
      FuzzyEntry(
        id: 2, source: "Generalversammlung", target: "General Assembly", sourceLanguage: .german,
        targetLanguage: .english),
    ]
    let index = try FuzzyIndex(entries: entries, from: .english, to: .french)
    #expect(index.count == 1)
    let match = try #require(try index.matches(for: "General Assembly").first)
    #expect(match.suggestion.text == "Assemblée générale")
  }

  @Test("bad arguments throw")
  func badArguments() throws {
    let index = try FuzzyIndex(entries: [], from: .english, to: .french)
    #expect(throws: FuzzyError.invalidMinimumScore(101)) { try index.matches(for: "x", minimumScore: 101) }
    #expect(throws: FuzzyError.invalidLimit(0)) { try index.matches(for: "x", limit: 0) }
    #expect(
      FuzzyError.invalidMinimumScore(101).description
        == "fuzzy match: minimum score 101.0 is not between 0 and 100")
    #expect(FuzzyError.invalidLimit(0).description == "fuzzy match: limit 0 is below 1")
    #expect(
      FuzzyError.unsupportedLanguage("xx").description == "fuzzy match: no word rules for language 'xx'")
  }

  // MARK: - Saved indexes

  /// A random memory with near duplicates, some entries the other way round, some without
  /// document or paragraph, and one in another language pair (left out).
  static func randomEntries(_ generator: inout SeededGenerator, count: Int) -> [FuzzyEntry] {
    let sentences = (0..<count).map { _ in
      randomSentence(&generator, length: Int.random(in: 0...14, using: &generator))
    }
    let memory = sentences + sentences.prefix(count / 2).map { mutate($0, &generator) }
    var entries = memory.enumerated().map { offset, text in
      let entry = FuzzyEntry(
        id: Int64(offset * 3 + 1), source: text, target: "Assemblée \(offset) « \(text.prefix(12)) »",
        sourceLanguage: .english, targetLanguage: .french,
        document: offset % 4 == 0 ? nil : "A/RES/75/\(offset)",
        paragraph: offset % 5 == 0 ? nil : "\(offset % 30)")
      return offset % 7 == 0 ? entry.reversed : entry
    }
    entries.append(
      FuzzyEntry(
        id: -1, source: "Generalversammlung", target: "x", sourceLanguage: .german, targetLanguage: .english))
    return entries
  }

  @Test("a loaded index answers exactly like the built one", arguments: [11 as UInt64, 12, 13])
  func loadedEqualsBuilt(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    let entries = Self.randomEntries(&generator, count: 250)
    let built = try FuzzyIndex(entries: entries, from: .english, to: .french)
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("memory.sqlite.fuzzy-en-fr")
    try built.save(to: url, signature: "375|375|2026-01-01")
    let loaded = try FuzzyIndex._load(from: url, expectedSignature: "375|375|2026-01-01")

    #expect(loaded.sourceLanguage == .english && loaded.targetLanguage == .french)
    #expect(Array(loaded.entries) == Array(built.entries))
    var nonEmpty = 0
    for round in 0..<50 {
      let query =
        round % 3 == 0
        ? Self.randomSentence(&generator, length: Int.random(in: 0...12, using: &generator))
        : Self.mutate(built.entries.randomElement(using: &generator)?.source ?? "", &generator)
      for threshold in [0.0, 50, 75, 90, 100] {
        let expected = try built._indexedScores(for: query, minimumScore: threshold)
        let got = try loaded._indexedScores(for: query, minimumScore: threshold)
        #expect(got.map(\.id) == expected.map(\.id), "query «\(query)» at \(threshold)")
        #expect(got.map(\.score) == expected.map(\.score))
        if threshold >= 75, !expected.isEmpty { nonEmpty += 1 }
      }
      let builtMatches = try built.matches(for: query, minimumScore: 60, limit: 3)
      let loadedMatches = try loaded.matches(for: query, minimumScore: 60, limit: 3)
      #expect(loadedMatches.map(\.entry) == builtMatches.map(\.entry))
      #expect(loadedMatches.map(\.differences) == builtMatches.map(\.differences))
      #expect(loadedMatches.map(\.suggestion) == builtMatches.map(\.suggestion))
      let other = built.entries.randomElement(using: &generator)?.source ?? ""
      #expect(loaded.score(of: other, against: query) == built.score(of: other, against: query))
    }
    #expect(nonEmpty > 20, "the queries must find matches")

    // Saving a loaded index gives the same file.
    let again = directory.appendingPathComponent("again")
    try loaded.save(to: again, signature: "375|375|2026-01-01")
    #expect(try Data(contentsOf: again) == Data(contentsOf: url))
  }

  @Test("an empty index survives a round trip")
  func emptyRoundTrip() throws {
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("empty")
    try FuzzyIndex(entries: [], from: .french, to: .english).save(to: url, signature: "0")
    let loaded = try #require(FuzzyIndex.load(from: url, expectedSignature: "0"))
    #expect(loaded.count == 0)
    #expect(loaded.sourceLanguage == .french)
    #expect(try loaded.matches(for: "Assemblée générale", minimumScore: 0).isEmpty)
  }

  @Test("a stale, damaged or foreign file is refused, never half-used")
  func refusedFiles() throws {
    var generator = SeededGenerator(seed: 21)
    let index = try FuzzyIndex(
      entries: Self.randomEntries(&generator, count: 60), from: .english, to: .french)
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("memory.sqlite.fuzzy-en-fr")
    try index.save(to: url, signature: "90|270|2026-01-01T10:00:00")
    let bytes = try Data(contentsOf: url)
    #expect(FuzzyIndex.load(from: url, expectedSignature: "90|270|2026-01-01T10:00:00") != nil)

    #expect(
      throws: FuzzyIndexFileError.stale(
        path: url.path, languages: "en→fr", signature: "90|270|2026-01-01T10:00:00")
    ) {
      try FuzzyIndex._load(from: url, expectedSignature: "91|271|2026-01-01T10:05:00")
    }
    #expect(FuzzyIndex.load(from: url, expectedSignature: "91|271|2026-01-01T10:05:00") == nil)

    let missing = directory.appendingPathComponent("missing")
    #expect(throws: FuzzyIndexFileError.unreadable(path: missing.path, reason: "No such file or directory")) {
      try FuzzyIndex._load(from: missing, expectedSignature: "x")
    }

    // Every kind of damage: a flipped byte anywhere in the payload, a cut, garbage.
    var flips = 0
    for _ in 0..<25 {
      var damaged = bytes
      let position = Int.random(in: 40..<damaged.count, using: &generator)
      damaged[position] ^= UInt8.random(in: 1...255, using: &generator)
      try damaged.write(to: url)
      do {
        _ = try FuzzyIndex._load(from: url, expectedSignature: "90|270|2026-01-01T10:00:00")
        Issue.record("a flipped byte at \(position) went unnoticed")
      } catch let error as FuzzyIndexFileError {
        switch error {
        case .corrupt, .stale: flips += 1
        default: Issue.record("unexpected \(error)")
        }
      }
    }
    #expect(flips == 25)
    try bytes.prefix(bytes.count - 9).write(to: url)
    #expect(throws: FuzzyIndexFileError.self) {
      try FuzzyIndex._load(from: url, expectedSignature: "90|270|2026-01-01T10:00:00")
    }
    try Data("SQLite format 3\0 and then some more bytes to pass the header".utf8).write(to: url)
    #expect(throws: FuzzyIndexFileError.wrongFormat(path: url.path)) {
      try FuzzyIndex._load(from: url, expectedSignature: "x")
    }
    var header = bytes
    header[16] ^= 1  // the analysis fingerprint
    try header.write(to: url)
    #expect(throws: FuzzyIndexFileError.analysisChanged(path: url.path)) {
      try FuzzyIndex._load(from: url, expectedSignature: "90|270|2026-01-01T10:00:00")
    }
  }

  @Test("index file errors say what is wrong")
  func fileErrorMessages() {
    #expect(
      FuzzyIndexFileError.unreadable(path: "tm/x", reason: "Permission denied").description
        == "tm/x: cannot use the fuzzy index file: Permission denied")
    #expect(
      FuzzyIndexFileError.wrongFormat(path: "tm/x").description
        == "tm/x: not a fuzzy index file of this version")
    #expect(
      FuzzyIndexFileError.analysisChanged(path: "tm/x").description
        == "tm/x: fuzzy index built with other tokenisation rules")
    #expect(
      FuzzyIndexFileError.stale(path: "tm/x", languages: "en→fr", signature: "3|9|d").description
        == "tm/x: fuzzy index is for en→fr, memory state '3|9|d'")
    #expect(
      FuzzyIndexFileError.corrupt(path: "tm/x", reason: "checksum").description
        == "tm/x: fuzzy index file is corrupt: checksum")
  }

  @Test("the index file sits beside the memory, named after the languages")
  func defaultURL() {
    let url = FuzzyIndex.defaultURL(
      forMemory: URL(fileURLWithPath: "/work/tm/memory.sqlite"), from: .english, to: .french)
    #expect(url.path == "/work/tm/memory.sqlite.fuzzy-en-fr")
  }
}
