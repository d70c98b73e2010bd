import Foundation
import TestSupport
import Testing

@testable import TranslationMemory

@Suite struct GenerationTests {
  @Test func everyWriteChangesTheGenerationAndReadsDoNot() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let start = try memory.generation()
    try memory.write { try $0.add(Fixture.pair("One.", "Un.")) }
    let afterAdd = try memory.generation()
    #expect(afterAdd != start)
    _ = try memory.statistics()
    _ = try memory.units()
    #expect(try memory.generation() == afterAdd)
    try memory.write { _ = try $0.remove(document: "A/75/15") }
    #expect(try memory.generation() != afterAdd)
  }

  @Test func aFailedWriteLeavesTheGeneration() throws {
    let (memory, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let start = try memory.generation()
    struct Stop: Error {}
    #expect(throws: Stop.self) {
      try memory.write { memory in
        try memory.add(Fixture.pair("Two.", "Deux."))
        throw Stop()
      }
    }
    #expect(try memory.generation() == start)
  }
}
