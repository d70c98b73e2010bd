import Foundation
import TestSupport
import Testing
import TranslationMemory

/// The amaGama route's lighter lookup (``FuzzyIndex/scoredEntries(for:minimumScore:limit:)``)
/// gives the entries and scores of the full matches, in their order.
@Suite struct ScoredEntriesTests {
  @Test func sameEntriesAndScoresAsTheMatches() throws {
    let memory = try TranslationMemory(url: try Fixtures.memory003(), access: .readOnly)
    let index = try memory.fuzzyIndex(from: .english, to: .french)
    let pairs = try Fixtures.pairs003()
    var queries = pairs.prefix(40).map(\.en)
    // Changed sentences: a word dropped, a number changed.
    queries += pairs.prefix(40).map { $0.en.split(separator: " ").dropFirst().joined(separator: " ") }
    queries += pairs.prefix(40).map { $0.en.replacingOccurrences(of: "75", with: "77") }
    var compared = 0
    for query in queries {
      let full = try index.matches(for: query, minimumScore: 50, limit: 5)
      let light = try index.scoredEntries(for: query, minimumScore: 50, limit: 5)
      #expect(light.map(\.entry) == full.map(\.entry), "\(query)")
      #expect(light.map(\.score) == full.map(\.score), "\(query)")
      compared += full.count
    }
    #expect(compared > 100)
  }
}
