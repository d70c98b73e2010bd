import Foundation
import Testing
import TextSegmentation
import TranslationMemory

/// `TranslationMemory.fuzzyIndex(from:to:)`: the index is saved beside the memory, reused while
/// the memory is unchanged and rebuilt after a write.
@Suite struct FuzzyIndexCacheTests {
  func fileNumber(_ url: URL) throws -> Int? {
    try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int
  }

  @Test func theIndexIsSavedReusedAndRebuiltAfterAWrite() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.write { try $0.add([Fixture.pair("The Assembly met.", "L'Assemblée s'est réunie.")]) }
    let file = FuzzyIndex.defaultURL(forMemory: memory.url, from: .english, to: .french)
    var notSaved: [String] = []
    let first = try memory.fuzzyIndex(from: .english, to: .french) { notSaved.append("\($0)") }
    #expect(first.count == 1)
    let saved = try #require(try fileNumber(file), "saved at defaultURL")
    let second = try memory.fuzzyIndex(from: .english, to: .french) { notSaved.append("\($0)") }
    #expect(second.count == 1)
    #expect(try fileNumber(file) == saved, "the saved file is used, not written again")
    try memory.write { try $0.add([Fixture.pair("The Council met.", "Le Conseil s'est réuni.")]) }
    let third = try memory.fuzzyIndex(from: .english, to: .french)
    #expect(third.count == 2, "a write makes the saved index stale")
    #expect(try fileNumber(file) != saved)
    #expect(
      try third.matches(for: "The Council met.", minimumScore: 100, limit: 1).first?.entry.target
        == "Le Conseil s'est réuni.")
    #expect(notSaved.isEmpty)
  }

  @Test func eachDirectionHasItsOwnIndex() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.write { try $0.add([Fixture.pair("The Assembly met.", "L'Assemblée s'est réunie.")]) }
    let reverse = try memory.fuzzyIndex(from: .french, to: .english)
    let match = try reverse.matches(for: "L'Assemblée s'est réunie.", minimumScore: 100, limit: 1).first
    #expect(match?.entry.target == "The Assembly met.")
    #expect(
      FileManager.default.fileExists(
        atPath: FuzzyIndex.defaultURL(forMemory: memory.url, from: .french, to: .english).path))
  }

  @Test func anIndexThatCannotBeSavedIsStillReturned() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try memory.write { try $0.add([Fixture.pair("The Assembly met.", "L'Assemblée s'est réunie.")]) }
    // A folder where the file should go: the index cannot be renamed over it.
    let file = FuzzyIndex.defaultURL(forMemory: memory.url, from: .english, to: .french)
    try FileManager.default.createDirectory(
      at: file.appendingPathComponent("occupied"), withIntermediateDirectories: true)
    var errors: [any Error] = []
    let index = try memory.fuzzyIndex(from: .english, to: .french) { errors.append($0) }
    #expect(index.count == 1)
    #expect(errors.count == 1, "the caller hears that the index was not saved")
  }
}
