import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// The `aligntm-bench` binary built beside the test bundle (`swift build` builds it), which the
/// crash tests run as a child and kill.
let benchBinary: URL? = {
  let candidates = [
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
    Bundle.main.bundleURL.deletingLastPathComponent(),
    Bundle.main.bundleURL,
  ].map { $0.appendingPathComponent("aligntm-bench") }
  return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
}()

@Suite("Crash safety")
struct CrashSafetyTests {
  @Test(
    .enabled(
      if: benchBinary != nil, "aligntm-bench is not built beside the tests: run `swift build` first"),
    .timeLimit(.minutes(5)))
  func killDuringImportLeavesAllOrNothing() throws {
    let binary = try #require(benchBinary)
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let tmx = folder.appendingPathComponent("large.tmx")
    let count = 60_000
    let writer = try TMXWriter(url: tmx, header: .init(sourceLanguage: "en"))
    for index in 0..<count {
      try writer.write(
        Fixture.pair(
          "Sentence number \(index) of the large import test.",
          "Phrase numéro \(index) de l’essai d’import.", document: "A/\(index % 40)"))
    }
    try writer.finish()
    let database = folder.appendingPathComponent("memory.sqlite")
    // Units already there must survive the crash.
    try TranslationMemory(url: database).add(Fixture.pair("Before the crash.", "Avant la panne."))

    let process = Process()
    process.executableURL = binary
    process.arguments = ["tmx-import", tmx.path, database.path, "--progress"]
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    // Wait until the import is well under way, then kill -9.
    var seen = ""
    while !seen.contains("progress 10000") {
      let data = pipe.fileHandleForReading.availableData
      if data.isEmpty { break }
      seen += String(decoding: data, as: UTF8.self)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(seen.contains("progress 10000"), "the child stopped early: \(seen)")
    #expect(process.terminationReason == .uncaughtSignal)

    let memory = try TranslationMemory(url: database)
    #expect(try memory.integrityCheck() == ["ok"])
    let units = try memory.statistics().unitCount
    #expect(units == 1 || units == count + 1, "half an import survived: \(units) units")
    // The memory still works: a full import now succeeds.
    try memory.importTMX(from: tmx)
    #expect(try memory.statistics().unitCount == count + 1)
  }
}
