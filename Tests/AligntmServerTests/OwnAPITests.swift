import Foundation
import TestSupport
import Testing
import TranslationMemory

@testable import AligntmServer

/// aligntm's own API (`/v1/…`) and its OpenAPI description.
@Suite(.serialized) struct OwnAPITests {
  let server: ServerProcess
  let pairs: [(en: String, fr: String)]

  init() throws {
    pairs = try Fixtures.pairs003()
    server = try ServerProcess(memory: try Fixtures.memory003())
  }

  @Test func queryAnswersWhatTheCLIPrints() throws {
    let text = (pairs.first { $0.en.count > 60 } ?? pairs[0]).en.replacingOccurrences(of: "the ", with: "a ")
    let answer = try server.get("/v1/en/fr/query?text=\(Fixtures.escape(text))&min_score=50")
    #expect(answer.status == 200)
    let cli = try CommandRunner.run([
      "query", text, "--tm", server.memory.path, "--format", "json", "--min-score", "50",
    ])
    #expect(cli.status == 0)
    let fromServer = try #require(try answer.json() as? NSDictionary)
    let fromCLI = try #require(
      try JSONSerialization.jsonObject(with: Data(cli.standardOutput.utf8)) as? NSDictionary)
    #expect(fromServer == fromCLI)
    #expect(((fromServer["matches"] as? [Any])?.count ?? 0) > 0)
  }

  @Test func concordanceSuggestStatsHealth() throws {
    let concordance = try #require(
      try server.get("/v1/en/fr/concordance?term=Southeast+Asian&limit=2").json() as? [String: Any])
    #expect((concordance["total"] as? Int ?? 0) > 2)
    #expect((concordance["units"] as? [Any])?.count == 2)

    let document = Array(pairs.prefix(5).map(\.en).joined(separator: "\n\n").utf8)
    let suggest = try server.request("POST", "/v1/en/fr/suggest", body: document)
    #expect(suggest.status == 200)
    let sentences = try #require((try suggest.json() as? [String: Any])?["sentences"] as? [[String: Any]])
    #expect(sentences.count >= 5)
    #expect(sentences.allSatisfy { $0["match"] is [String: Any] })

    let stats = try #require(try server.get("/v1/stats").json() as? [String: Any])
    #expect(stats["units"] as? Int == pairs.count)
    #expect((try server.get("/v1/health").json() as? [String: Any])?["status"] as? String == "ok")
  }

  @Test func exportStreamsTheMemoryAsTMXBehindTheToken() throws {
    #expect(try server.get("/v1/export.tmx").status == 401)
    let answer = try server.get("/v1/export.tmx?languages=en,fr", auth: true)
    #expect(answer.status == 200)
    #expect(answer.text.hasPrefix("<?xml"))
    #expect(answer.text.components(separatedBy: "</tu>").count - 1 == pairs.count)
    #expect(
      answer.text.contains(pairs[0].fr.replacingOccurrences(of: "'", with: "&apos;"))
        || answer.text.contains(pairs[0].fr))
  }

  @Test func unknownRouteAndMethodAreJSON() throws {
    let missing = try server.get("/nowhere")
    #expect(missing.status == 404)
    #expect((try missing.json() as? [String: Any])?["status"] as? Int == 404)
    #expect(try server.request("DELETE", "/v1/stats").status == 405)
  }

  /// Every route of the router is in docs/openapi.yaml with its method, and nothing else is.
  @Test func openAPIListsExactlyTheRoutes() throws {
    let file = TestSupport.repositoryRoot.appendingPathComponent("docs/openapi.yaml")
    let yaml = try String(contentsOf: file, encoding: .utf8)
    if ProcessInfo.processInfo.environment["ALIGNTM_RECORD_SNAPSHOTS"] != nil, yaml != OpenAPIDocument.yaml {
      let swift = TestSupport.repositoryRoot.appendingPathComponent(
        "Sources/AligntmServer/OpenAPIDocument.swift")
      let source = try String(contentsOf: swift, encoding: .utf8)
      let start = try #require(source.range(of: "#\"\"\"\n"))
      let end = try #require(source.range(of: "\"\"\"#", options: .backwards))
      // Indented as swift-format lays the literal out; Swift strips the closing line's indent.
      let indented = yaml.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
      try (source[..<start.upperBound] + indented + "\n    " + source[end.lowerBound...]).write(
        to: swift, atomically: true, encoding: .utf8)
      Issue.record("recorded OpenAPIDocument.swift from docs/openapi.yaml")
    }
    #expect(yaml == OpenAPIDocument.yaml, "the served description differs from docs/openapi.yaml")
    var documented: Set<String> = []
    var path: String?
    var inPaths = false
    for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
      if line == "paths:" {
        inPaths = true
        continue
      }
      if inPaths, !line.hasPrefix(" "), !line.isEmpty { inPaths = false }
      guard inPaths else { continue }
      if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
        path = String(line.dropFirst(2).dropLast())
      } else if let path, line.hasPrefix("    "), !line.hasPrefix("     ") {
        let key = line.dropFirst(4).prefix { $0 != ":" }
        if ["get", "post", "put", "delete", "patch", "head"].contains(String(key)) {
          documented.insert("\(key.uppercased()) \(path)")
        }
      }
    }
    let routed = Set(Route.all.map(\.description))
    #expect(
      routed.subtracting(documented).isEmpty,
      "routes missing from docs/openapi.yaml: \(routed.subtracting(documented))")
    #expect(
      documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed))")
    #expect(try server.get("/openapi.yaml").text == yaml)
  }
}
