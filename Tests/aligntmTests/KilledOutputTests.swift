import Foundation
import TestSupport
import Testing

/// `-o FILE` killed with SIGKILL before its commit leaves its temporary file beside FILE; the
/// next write of FILE removes it (its PID is gone), and keeps the files of live writers.
@Suite struct KilledOutputTests {
  @Test func theNextWriteRemovesWhatAKilledWriterLeft() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("out.jsonl").path
    func temporaryFiles() throws -> [String] {
      try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
        $0.hasPrefix(".out.jsonl.aligntm-")
      }.sorted()
    }
    // `align` opens its output, then waits for the document on standard input: killed there.
    let process = Process()
    process.executableURL = CommandRunner.executable
    process.arguments = ["align", "-", TestSupport.corpusFile("un/002/fr.txt").path, "-o", output]
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(120)
    while try temporaryFiles().isEmpty && Date() < deadline && process.isRunning {
      Thread.sleep(forTimeInterval: 0.05)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try? input.fileHandleForWriting.close()
    #expect(process.terminationReason == .uncaughtSignal)
    let left = try temporaryFiles()
    #expect(left.count == 1, "the killed writer's temporary file: \(left)")
    #expect(left.first?.hasPrefix(".out.jsonl.aligntm-\(process.processIdentifier)-") == true, "\(left)")
    // A live writer's file (this process's PID) stays; so does a file of another output.
    let live = ".out.jsonl.aligntm-\(getpid())-abcdef"
    let other = ".other.jsonl.aligntm-\(process.processIdentifier)-abcdef"
    for name in [live, other] {
      #expect(
        FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data()))
    }
    let again = try CommandRunner.run(["segment", TestSupport.corpusFile("un/002/en.txt").path, "-o", output])
    #expect(again.status == 0, "\(again.standardError)")
    #expect(try temporaryFiles() == [live])
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(other).path))
    #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("General Assembly"))
  }
}
