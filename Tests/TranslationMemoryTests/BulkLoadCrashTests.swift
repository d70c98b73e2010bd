import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// A bulk import (into an empty memory) killed with SIGKILL in a child process at several
/// moments: during the load, right after its last unit (the indexes, the sync, the lock and the
/// rename), and after the rename. Each time the memory is the old one (empty) or the new one
/// (complete), with the same identity, intact, and usable.
@Suite("Crash safety of the bulk import")
struct BulkLoadCrashTests {
  /// When to kill: after a line of the child's standard error, then after a delay.
  struct Moment: CustomStringConvertible {
    var line: String
    var delay: Duration
    var description: String { "\(line) + \(delay)" }
  }

  static let count = 20_000

  @Test(
    .enabled(
      if: benchBinary != nil, "aligntm-bench is not built beside the tests: run `swift build` first"),
    .timeLimit(.minutes(5)))
  func killAtAnyMomentLeavesTheOldMemoryOrTheNewOne() throws {
    let binary = try #require(benchBinary)
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let tmx = folder.appendingPathComponent("large.tmx")
    let writer = try TMXWriter(url: tmx, header: .init(sourceLanguage: "en"))
    for index in 0..<Self.count {
      try writer.write(
        Fixture.pair(
          "Sentence number \(index) of the bulk import test.",
          "Phrase numéro \(index) de l’essai d’import en bloc.", document: "A/\(index % 40)"))
    }
    try writer.finish()
    let last = "progress \(Self.count / 5000 * 5000)"
    let moments = [
      Moment(line: "progress 5000", delay: .zero),
      Moment(line: "progress 10000", delay: .milliseconds(30)),
      Moment(line: last, delay: .zero),
      Moment(line: last, delay: .milliseconds(20)),
      Moment(line: last, delay: .milliseconds(60)),
      Moment(line: last, delay: .milliseconds(150)),
      Moment(line: last, delay: .milliseconds(400)),
      Moment(line: "imported", delay: .zero),
    ]
    var outcomes: [Int] = []
    for (number, moment) in moments.enumerated() {
      let database = folder.appendingPathComponent("\(number)/memory.sqlite")
      let identity = try #require(try TranslationMemory(url: database).identity())

      let process = Process()
      process.executableURL = binary
      process.arguments = ["tmx-import", tmx.path, database.path, "--progress"]
      let pipe = Pipe()
      process.standardError = pipe
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      var seen = ""
      while !seen.split(separator: "\n").contains(Substring(moment.line)) {
        let data = pipe.fileHandleForReading.availableData
        if data.isEmpty { break }
        seen += String(decoding: data, as: UTF8.self)
      }
      if moment.delay > .zero {
        Thread.sleep(forTimeInterval: Double(moment.delay.components.attoseconds) / 1e18)
      }
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      #expect(seen.contains(moment.line), "\(moment): the child stopped early: \(seen)")

      let memory = try TranslationMemory(url: database)
      #expect(try memory.integrityCheck() == ["ok"], "\(moment)")
      let units = try memory.statistics().unitCount
      #expect(units == 0 || units == Self.count, "\(moment): half an import survived: \(units) units")
      #expect(try memory.identity() == identity, "\(moment)")
      outcomes.append(units)
      // The memory still works: an import now succeeds, and removes the killed one's file.
      let summary = try memory.importTMX(from: tmx)
      #expect(try memory.statistics().unitCount == Self.count, "\(moment)")
      #expect(summary.inserted == (units == 0 ? Self.count : 0), "\(moment)")
      let strays = try FileManager.default.contentsOfDirectory(
        atPath: database.deletingLastPathComponent().path
      )
      .filter { $0.contains(".bulk-") }
      #expect(strays.isEmpty, "\(moment): \(strays)")
    }
    // Killed during the load, the old memory; killed after the rename, the new one.
    #expect(outcomes.first == 0 && outcomes.last == Self.count, "\(outcomes)")
  }
}
