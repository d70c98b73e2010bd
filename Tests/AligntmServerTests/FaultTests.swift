import Foundation
import TestSupport
import Testing
import TranslationMemory

@testable import AligntmServer

/// What a server meets in the field: malformed requests, clients that go away, a kill.
@Suite(.serialized) struct FaultTests {
  /// 1,000 malformed requests of many kinds: each gets a 4xx JSON error (or, for bytes that are
  /// not HTTP at all, a closed connection), and the server answers normally after them; on a
  /// SQLite memory and on a PostgreSQL one.
  @Test(arguments: TestStore.allCases) func thousandMalformedRequests(on store: TestStore) throws {
    guard let memory = try Fixtures.memory003(on: store) else { return }
    let server = try ServerProcess(address: memory.address, folder: memory.folder)
    var generator = SeededGenerator(seed: 15)
    let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 200_000)
    for number in 0..<1_000 {
      let answer: HTTPAnswer
      switch number % 10 {
      case 0:
        answer = try server.raw(
          Array("GET /tmserver/en/fr/unit/".utf8) + [0xFF, 0xFE, 0xC3]
            + Array(" HTTP/1.1\r\nConnection: close\r\n\r\n".utf8))
      case 1:
        answer = try server.get("/tmserver/en/fr/unit/%FF%FE%\(Int.random(in: 0...9, using: &generator))")
      case 2: answer = try server.get("/tmserver/en/fr/unit/abc%G1")
      case 3: answer = try server.request("PUT", "/tmserver/en/fr/unit/x", body: huge, auth: true)
      case 4:
        answer = try server.request(
          "PUT", "/tmserver/en/fr/unit/x", body: Array("{\"source\": 3, \"target\": [".utf8), auth: true)
      case 5:
        answer = try server.get(
          "/tmserver/\(["zz!", "e", "123", "en--fr", String(repeating: "q", count: 60)][number / 10 % 5])/fr/unit/test"
        )
      case 6: answer = try server.get("/v1/en/fr/query?text=\(String(repeating: "word%20", count: 1_500))")
      case 7: answer = try server.get("/tmserver/en/fr/unit/test?max_candidates=lots&min_similarity=NaN")
      case 8: answer = try server.request("POST", "/v1/en/fr/suggest", body: [0xC3, 0x28, 0xA0, 0xA1])
      default: answer = try server.raw(Array("\(number) garbage \u{1}\u{2}\r\n\r\n".utf8))
      }
      // Bytes that are not HTTP (a request line that is not ASCII, garbage) never reach the
      // router: Hummingbird answers a bare 400 and closes.
      let parsed = number % 10 != 0 && number % 10 != 9
      if answer.status != 0 {
        #expect((400..<500).contains(answer.status), "request \(number): status \(answer.status)")
      }
      if parsed {
        #expect(
          (try? answer.json() as? [String: Any])?["error"] is String,
          "request \(number): \(answer.text.prefix(100))")
      }
      if parsed { #expect(answer.status != 0, "request \(number): no answer") }
    }
    #expect(try server.get("/v1/health").status == 200)
    #expect(try server.get("/tmserver/en/fr/unit/General%20Assembly").status == 200)
  }

  /// Clients that send half a request (headers cut off, a body shorter than announced) and go
  /// away; the server answers the next clients.
  @Test func clientsDroppingTheConnectionMidRequest() throws {
    let server = try ServerProcess(memory: try Fixtures.memory003())
    for number in 0..<100 {
      let partial: String
      switch number % 3 {
      case 0: partial = "GET /tmserver/en/fr/unit/General%20Ass"
      case 1:
        partial =
          "PUT /tmserver/en/fr/unit/x HTTP/1.1\r\nAuthorization: Bearer \(server.token)\r\nContent-Length: 5000\r\n\r\n{\"source\": \"half"
      default:
        partial = "POST /v1/en/fr/suggest HTTP/1.1\r\nContent-Length: 100000\r\n\r\nThe General Assembly, "
      }
      _ = try server.raw(Array(partial.utf8), readAnswer: false)
    }
    #expect(try server.get("/v1/health").status == 200)
    let memory = try TranslationMemory(url: server.memory, access: .readOnly)
    #expect(
      try memory.statistics().unitCount == (try Fixtures.pairs003().count),
      "a half-sent write stored something")
  }

  /// `kill -9` while write-backs stream in: after it, the memory is sound, every unit has both of
  /// its variants, every write the server acknowledged is there, and the memory exports; on a
  /// SQLite memory and on a PostgreSQL one.
  @Test(arguments: TestStore.allCases) func killNineDuringWriteBacksLeavesWholeUnits(on store: TestStore)
    throws
  {
    guard let testMemory = try Fixtures.memory003(on: store) else { return }
    let before = try Fixtures.pairs003().count
    let server = try ServerProcess(address: testMemory.address, folder: testMemory.folder)
    let acknowledged = Locked<[String]>([])
    let group = DispatchGroup()
    for worker in 0..<4 {
      group.enter()
      DispatchQueue.global().async {
        defer { group.leave() }
        for number in 0..<10_000 {
          let source = "Write-back \(worker)-\(number) of the kill test, with enough words to matter."
          let body = Array(
            "{\"source\": \"\(source)\", \"target\": \"Réécriture \(worker)-\(number) du test.\"}".utf8)
          guard let answer = try? server.request("PUT", "/tmserver/en/fr/unit/x", body: body, auth: true),
            answer.status == 201
          else { return }
          acknowledged.withLock { $0.append(source) }
        }
      }
    }
    // Killed once write-backs are going through (a loaded machine may take a while to start the
    // server's first one), with more in flight.
    let deadline = Date().addingTimeInterval(60)
    while acknowledged.withLock({ $0.isEmpty }) && Date() < deadline {
      Thread.sleep(forTimeInterval: 0.05)
    }
    Thread.sleep(forTimeInterval: 0.5)
    server.kill9()
    group.wait()
    let memory = try TranslationMemory(address: testMemory.address)
    if store == .sqlite { #expect(try memory.integrityCheck() == ["ok"]) }
    let units = try memory.units()
    #expect(units.allSatisfy { $0.variants.count == 2 }, "a unit lost a variant")
    let stored = Set(units.compactMap { $0[.english]?.text })
    let acked = acknowledged.withLock { $0 }
    #expect(!acked.isEmpty, "no write-back went through before the kill")
    #expect(acked.allSatisfy(stored.contains), "an acknowledged write-back is missing")
    #expect(units.count >= before + acked.count)
    let exported = testMemory.folder.appendingPathComponent("after-kill.tmx")
    #expect(try memory.exportTMX(to: exported).units == units.count)
  }
}
