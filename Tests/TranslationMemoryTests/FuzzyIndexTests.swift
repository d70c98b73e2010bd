import Testing
import TestSupport
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
      case 1: parts.append("A/\(Int.random(in: 70...78, using: &generator))/L.\(Int.random(in: 1...9, using: &generator))")
      case 2: parts.append(marks.randomElement(using: &generator) ?? ",")
      case 3: parts.append("seventy-\(["fifth", "sixth", "seventh"].randomElement(using: &generator) ?? "fifth")")
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
    // Near duplicates, so that high thresholds have something to find.
    let memory = sentences + sentences.prefix(150).map { Self.mutate($0, &generator) }
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
        compared += 1
        if !brute.isEmpty, threshold >= 70 { nonEmpty += 1 }
      }
    }
    #expect(compared == 420)
    #expect(nonEmpty > 40, "the generator must produce matches above 70 %")
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
      FuzzyEntry(id: 1, source: "Assemblée générale", target: "General Assembly", sourceLanguage: .french, targetLanguage: .english),
      FuzzyEntry(id: 2, source: "Generalversammlung", target: "General Assembly", sourceLanguage: .german, targetLanguage: .english),
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
    #expect(FuzzyError.invalidMinimumScore(101).description == "fuzzy match: minimum score 101.0 is not between 0 and 100")
    #expect(FuzzyError.invalidLimit(0).description == "fuzzy match: limit 0 is below 1")
    #expect(FuzzyError.unsupportedLanguage("xx").description == "fuzzy match: no word rules for language 'xx'")
  }
}
