import Foundation
import TestSupport
import Testing
import TranslationMemory

/// The server kept current by writes of other processes, on either store.
@Suite(.serialized) struct PostgresServeTests {
  /// A unit that `aligntm tm import`, another process, writes into the memory is suggested within
  /// 2 s, laid over the loaded index (its overlay grows: no rebuild). On PostgreSQL the server
  /// polls only every 60 s here, so only the generation trigger's notification can wake it in
  /// time; a SQLite memory is polled as usual (every 0.5 s).
  @Test(arguments: TestStore.allCases) func unitImportedByAnotherProcessIsSuggestedWithinTwoSeconds(
    on store: TestStore
  ) throws {
    guard let memory = try Fixtures.memory003(on: store) else { return }
    let poll = store == .postgresql ? ["--poll-seconds", "60"] : []
    let server = try ServerProcess(address: memory.address, folder: memory.folder, extraArguments: poll)
    defer { server.stop() }
    let before = try Self.overlayAdded(server)
    let source = "The harbour master of \(store) shall keep a register of lighthouses."
    let target = "Le capitaine du port de \(store) tiendra un registre des phares."
    let tmx = memory.folder.appendingPathComponent("one.tmx")
    let writer = try TMXWriter(url: tmx, header: .init(sourceLanguage: "en"))
    try writer.write(
      TranslationUnit.aligned(
        source: Variant(language: .english, text: source), target: Variant(language: .french, text: target)))
    try writer.finish()

    let launched = Date()
    let imported = try CommandRunner.run(["tm", "import", tmx.path, "--tm", memory.argument])
    #expect(imported.status == 0, "tm import: \(imported.standardError)")
    let written = Date()
    let path = "/tmserver/en/fr/unit/\(Fixtures.escape(source))"
    var delay: TimeInterval?
    while Date().timeIntervalSince(written) < 2, delay == nil {
      let list = try server.get(path).json() as? [[String: Any]]
      if list?.first?["target"] as? String == target { delay = Date().timeIntervalSince(written) }
      if delay == nil { Thread.sleep(forTimeInterval: 0.01) }
    }
    #expect(delay != nil, "the unit imported by another process was not suggested within 2 s")
    if let delay {
      // From the import's exit as Foundation reports it (later than its commit), and from its launch.
      let sinceLaunch = Int((Date().timeIntervalSince(launched)) * 1000)
      print(
        "\(store): a unit imported by another process was suggested \(Int(delay * 1000)) ms after the "
          + "import's exit was seen (\(sinceLaunch) ms after its launch)")
    }
    #expect(try Self.overlayAdded(server) > before, "the index was built again rather than laid over")
  }

  /// The units laid over the English–French index since it was made (`/v1/stats`).
  static func overlayAdded(_ server: ServerProcess) throws -> Int {
    let stats = try #require(try server.get("/v1/stats").json() as? [String: Any])
    let indexes = try #require(stats["indexes"] as? [[String: Any]])
    let english = try #require(
      indexes.first { $0["source"] as? String == "en" && $0["target"] as? String == "fr" })
    return try #require(english["overlayAdded"] as? Int)
  }
}
