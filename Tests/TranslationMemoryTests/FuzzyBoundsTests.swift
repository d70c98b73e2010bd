import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// What the matcher refuses to compare, so that a query costs a bounded amount whatever the
/// memory holds: texts longer than ``FuzzyIndex/maximumTextLength``, and texts without words.
@Suite("FuzzyBounds")
struct FuzzyBoundsTests {
  static let normal = [
    (
      "The General Assembly met on 23 November 2020.",
      "L'Assemblée générale s'est réunie le 23 novembre 2020."
    ),
    ("Recalling its resolution 75/15,", "Rappelant sa résolution 75/15,"),
    ("The Council adopted the report.", "Le Conseil a adopté le rapport."),
  ]

  /// About 3 MB of words, with the first normal sentence at its start.
  static let long: String = {
    let sentence = normal[0].0 + " "
    return String(repeating: sentence, count: 3_000_000 / sentence.utf8.count)
  }()

  static func entries(_ texts: [(String, String)]) -> [FuzzyEntry] {
    texts.enumerated().map { offset, pair in
      FuzzyEntry(
        id: Int64(offset + 1), source: pair.0, target: pair.1, sourceLanguage: .english,
        targetLanguage: .french)
    }
  }

  @Test("a unit of a few MB is left out of the index; the others are still found")
  func longUnitsAreLeftOut() throws {
    // Ids 4 and 5: a long source, then a long target (the suggestion would be analysed).
    let texts = Self.normal + [(Self.long, "Texte."), ("The Council adopted the report.", Self.long)]
    let index = try FuzzyIndex(entries: Self.entries(texts), from: .english, to: .french)
    #expect(index.entries.map(\.id) == [1, 2, 3])
    #expect(index.omittedCount == 2)
    let indexedText = index.entries.map { $0.source.utf16.count + $0.target.utf16.count }.reduce(0, +)
    #expect(indexedText < 1_000, "nothing of the long texts is held")
    for (offset, pair) in Self.normal.enumerated() {
      let best = try #require(try index.matches(for: pair.0, minimumScore: 0, limit: 10).first)
      #expect(best.entry.id == Int64(offset + 1))
      #expect(best.score.value == 100)
    }
    let all = try index._bruteForceScores(for: Self.normal[2].0, minimumScore: 0)
    #expect(Set(all.map(\.id)).isSubset(of: [1, 2, 3]))
  }

  @Test("a query longer than the limit has no match; one at the limit is matched")
  func longQueries() throws {
    let limit = FuzzyIndex.maximumTextLength
    let atLimit = String(repeating: "word ", count: limit / 5)
    #expect(atLimit.utf16.count == limit)
    let overLimit = atLimit + "x"
    // "é" is 2 UTF-8 bytes but 1 UTF-16 code unit: measured in UTF-16, it fits.
    let accented = String(repeating: "é ", count: limit / 2)
    #expect(FuzzyIndex.isShortEnough(atLimit) && FuzzyIndex.isShortEnough(accented))
    #expect(!FuzzyIndex.isShortEnough(overLimit) && !FuzzyIndex.isShortEnough(Self.long))
    let index = try FuzzyIndex(
      entries: Self.entries(Self.normal + [(atLimit, "mot"), (accented, "é")]), from: .english, to: .french)
    #expect(index.count == 5)
    #expect(try index.matches(for: atLimit, minimumScore: 100).map(\.entry.id) == [4])
    #expect(try index.matches(for: accented, minimumScore: 100).map(\.entry.id) == [5])
    #expect(try index.matches(for: overLimit, minimumScore: 0).isEmpty)
    #expect(try index._bruteForceScores(for: overLimit, minimumScore: 0).isEmpty)
    #expect(try index.matches(for: Self.long, minimumScore: 0).isEmpty)
  }

  @Test("a memory holding a unit of a few MB builds, saves and loads a bounded index")
  func longUnitInAMemory() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.write { memory in
      try memory.add(Self.normal.map { Fixture.pair($0.0, $0.1) })
      try memory.add([Fixture.pair(Self.long, "Un très long texte.")])
    }
    let built = try memory.fuzzyIndex(from: .english, to: .french)
    let loaded = try memory.fuzzyIndex(from: .english, to: .french)
    for index in [built, loaded] {
      #expect(index.count == 3)
      #expect(index.omittedCount == 1)
      #expect(index.entries.allSatisfy { FuzzyIndex.isShortEnough($0.source) })
      let match = try index.matches(for: "The Council adopted its report.", minimumScore: 70).first
      #expect(match?.entry.target == "Le Conseil a adopté le rapport.")
    }
    let file = FuzzyIndex.defaultURL(forMemory: memory.url, from: .english, to: .french)
    let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? .max
    #expect(size < 100_000, "the long text is not in the index file")
  }

  @Test("empty and white-space queries match nothing; units without words are never matches")
  func emptyTexts() throws {
    let texts = [("", "vide"), ("   ", "blanc"), ("…", "points"), ("The Assembly met.", "L'Assemblée.")]
    let index = try FuzzyIndex(entries: Self.entries(texts), from: .english, to: .french)
    for query in ["", "   ", "\n\t", "…"] {
      for score in [0.0, 50, 100] {
        #expect(try index.matches(for: query, minimumScore: score).isEmpty, "«\(query)» at \(score)")
        #expect(try index._bruteForceScores(for: query, minimumScore: score).isEmpty)
      }
    }
    #expect(try index.matches(for: "The Assembly met.", minimumScore: 0, limit: 10).map(\.entry.id) == [4])
    #expect(try index._bruteForceScores(for: "Assembly", minimumScore: 0).map(\.id) == [4])
    // Bad arguments are still reported for an empty query.
    #expect(throws: FuzzyError.invalidLimit(0)) { try index.matches(for: "", limit: 0) }
  }

  /// A well-summed file whose entries hold a text the index would not take (written by hand
  /// here, through the tables of a built index) is refused, not matched against.
  @Test("a saved index with a text over the limit is refused")
  func longTextInAFile() throws {
    let built = try FuzzyIndex(entries: Self.entries([("Short.", "Court.")]), from: .english, to: .french)
    let long = String(repeating: "é", count: FuzzyIndex.maximumTextLength + 1)
    let forged = try FuzzyIndex(
      entries: .init([
        FuzzyEntry(id: 1, source: long, target: "x", sourceLanguage: .english, targetLanguage: .french)
      ]),
      from: .english, to: .french, keyIDs: built.keyIDs, surfaceIDs: built.surfaceIDs, markIDs: built.markIDs,
      entryAtOrdinal: built.entryAtOrdinal, unitStart: built.unitStart, unitKeys: built.unitKeys,
      unitSurfaces: built.unitSurfaces, markStart: built.markStart, marks: built.marks,
      postingStart: built.postingStart, postings: built.postings, lengthStart: built.lengthStart,
      omittedCount: 0)
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("forged")
    try forged.save(to: url, signature: "s")
    #expect(
      throws: FuzzyIndexFileError.corrupt(path: url.path, reason: "a text longer than 4000 UTF-16 code units")
    ) {
      try FuzzyIndex._load(from: url, expectedSignature: "s")
    }
    try built.save(to: url, signature: "s")
    #expect(try FuzzyIndex._load(from: url, expectedSignature: "s").count == 1)
  }

  /// The alignment behind the differences takes 4 bytes a pair: two texts at the limit, one
  /// word and one mark per 3 code units, align within 32-bit costs and give the right runs.
  @Test("differences of two texts at the limit")
  func differencesAtTheLimit() throws {
    let half = FuzzyIndex.maximumTextLength / 6
    let stored = String(repeating: "a, ", count: 2 * half)
    let query = String(repeating: "a, ", count: half) + String(repeating: "b, ", count: half)
    let index = try FuzzyIndex(entries: Self.entries([(stored, "x")]), from: .english, to: .french)
    let match = try #require(try index.matches(for: query, minimumScore: 0).first)
    #expect(match.score.wordDistance == half)
    #expect(match.differences.map(\.kind).contains(.replaced))
    #expect(match.differences.first?.kind == .equal)
  }
}
