import Foundation
import TestSupport
import Testing

/// Weblate 2026.10.1 itself (its tmserver machinery class, over HTTP) against the server, on a
/// SQLite memory and on a PostgreSQL one.
///
/// Weblate needs Python 3.12 or later; `bash Scripts/install-deps.sh --test` installs it in a
/// virtual environment at /opt/aligntm-weblate (or set ALIGNTM_WEBLATE_PYTHON to a Python that
/// imports weblate). Without one the test is skipped with a notice.
@Suite struct WeblateTests {
  static let python: String? = {
    let candidates = [
      ProcessInfo.processInfo.environment["ALIGNTM_WEBLATE_PYTHON"], "/opt/aligntm-weblate/bin/python",
    ].compactMap { $0 }.filter { !$0.isEmpty }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  @Test(
    .enabled(
      if: python != nil,
      "no Weblate: run `bash Scripts/install-deps.sh --test` or set ALIGNTM_WEBLATE_PYTHON"),
    arguments: TestStore.allCases)
  func weblatesMachineryPassesItsCheckAndReturnsOurFrench(on store: TestStore) throws {
    let python = try #require(Self.python)
    let pairs = try Fixtures.pairs003()
    let sentence = try #require(pairs.first { $0.en.count > 80 })
    guard let memory = try Fixtures.memory003(on: store) else { return }
    let server = try ServerProcess(address: memory.address, folder: memory.folder)
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("weblate_tmserver.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script.path, "http://127.0.0.1:\(server.port)/tmserver/", sentence.en]
    let folder = try TestSupport.makeTemporaryDirectory()
    process.currentDirectoryURL = folder
    var environment = ProcessInfo.processInfo.environment
    environment["DATA_DIR"] = folder.path
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(String(decoding: errData, as: UTF8.self).suffix(2000))")
    let result = try #require(try JSONSerialization.jsonObject(with: outData) as? [String: Any])
    #expect(result["validated"] as? Bool == true)
    let translations = try #require(result["translations"] as? [[String: Any]])
    #expect(translations.first?["text"] as? String == sentence.fr)
    #expect(translations.first?["quality"] as? Int == 100)
  }
}
