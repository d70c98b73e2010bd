import Foundation
import TestSupport
import Testing
import TranslationMemory

@testable import AligntmServer

/// The amaGama/tmserver API over real HTTP, against a memory of corpus/un/003.
@Suite(.serialized) struct AmaGamaTests {
  let server: ServerProcess
  let pairs: [(en: String, fr: String)]

  init() throws {
    pairs = try Fixtures.pairs003()
    server = try ServerProcess(memory: try Fixtures.memory003())
  }

  /// A sentence of 003 long enough to be unambiguous.
  var sentence: (en: String, fr: String) {
    pairs.first { $0.en.count > 80 && $0.en.contains("/") } ?? pairs[0]
  }

  @Test func exactSentenceGivesOurFrenchWithFloatQuality() throws {
    let (en, fr) = sentence
    for prefix in ["/tmserver", "/api/v1"] {
      let answer = try server.get("\(prefix)/en/fr/unit/\(Fixtures.escape(en))")
      #expect(answer.status == 200)
      #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true)
      let list = try #require(try answer.json() as? [[String: Any]])
      #expect(list.first?["target"] as? String == fr)
      #expect(list.first?["source"] as? String == en)
      // Okapi reads quality as a Java Double: it must be written 100.0, not 100.
      #expect(answer.text.contains("\"quality\": 100.0"))
      #expect(answer.text.contains("\"rank\": 100.0"))
    }
  }

  @Test func slashEscapedInTheTextIsPartOfTheText() throws {
    let (en, fr) = sentence
    #expect(en.contains("/"))
    let escaped = Fixtures.escape(en)
    #expect(escaped.contains("%2F"))
    let list = try #require(try server.get("/tmserver/en/fr/unit/\(escaped)").json() as? [[String: Any]])
    #expect(list.first?["target"] as? String == fr)
  }

  @Test func queryStringFormAnswersTheSame() throws {
    let (en, _) = sentence
    let path = try server.get("/tmserver/en/fr/unit/\(Fixtures.escape(en))")
    let query = try server.get("/api/v1/en/fr/unit/?source=\(Fixtures.escape(en))")
    #expect(query.status == 200)
    #expect(query.text == path.text)
    #expect(try server.get("/api/v1/en/fr/unit/?source=").status == 404)
  }

  @Test(arguments: ["en/fr", "EN/FR", "en_US/fr_FR", "en-GB/fr-FR", "en/fr_fr"])
  func languageSpellingsReachTheSameIndex(_ codes: String) throws {
    let (en, fr) = sentence
    let list = try #require(
      try server.get("/tmserver/\(codes)/unit/\(Fixtures.escape(en))").json() as? [[String: Any]])
    #expect(list.first?["target"] as? String == fr)
  }

  @Test func weblatesCheckAndPairsNotHeldAnswerAnEmptyList() throws {
    for target in [
      "/tmserver/en/de/unit/test", "/tmserver/pt_br/fr/unit/test", "/api/v1/en/fr/unit/xyzzyplugh",
    ] {
      let answer = try server.get(target)
      #expect(answer.status == 200, "\(target)")
      #expect(answer.text == "[]", "\(target)")
    }
  }

  @Test func badOrSameLanguagesAreJSONErrors() throws {
    let bad = try server.get("/tmserver/e%20n/fr/unit/test")
    #expect(bad.status == 400)
    #expect((try bad.json() as? [String: Any])?["error"] is String)
    #expect(try server.get("/tmserver/en/en/unit/test").status == 404)
    #expect(try server.get("/tmserver/x/fr/unit/test").status == 400)
  }

  @Test func languagesListBothWays() throws {
    for prefix in ["/tmserver", "/api/v1"] {
      let object = try #require(try server.get("\(prefix)/languages/").json() as? [String: [String]])
      #expect(object["sourceLanguages"] == ["en", "fr"])
      #expect(object["targetLanguages"] == ["en", "fr"])
    }
  }

  @Test func resultsAreBestFirstAndCapped() throws {
    let (en, _) = sentence
    let words = en.split(separator: " ")
    let fuzzy = words.dropLast(2).joined(separator: " ")
    let answer = try server.get(
      "/tmserver/en/fr/unit/\(Fixtures.escape(fuzzy))?min_similarity=30&max_candidates=1000")
    let list = try #require(try answer.json() as? [[String: Any]])
    let qualities = list.compactMap { $0["quality"] as? Double }
    #expect(!qualities.isEmpty)
    #expect(qualities == qualities.sorted(by: >))
    #expect(list.count <= ServerSettings().limits.maximumCandidates)
    let one = try #require(
      try server.get("/tmserver/en/fr/unit/\(Fixtures.escape(fuzzy))?max_candidates=1").json() as? [Any])
    #expect(one.count == 1)
  }

  @Test func jsonpWrapsOnlyAFunctionName() throws {
    let (en, _) = sentence
    let answer = try server.get("/tmserver/en/fr/unit/\(Fixtures.escape(en))?jsoncallback=xyz123456")
    #expect(answer.status == 200)
    #expect(answer.text.contains("xyz123456(["))
    #expect(answer.headers["content-type"]?.hasPrefix("application/javascript") == true)
    let evil = try server.get("/tmserver/en/fr/unit/test?jsoncallback=alert(1)%3B//")
    #expect(evil.status == 400)
    #expect(!evil.text.contains("alert(1)"))
  }

  @Test func writeBackNeedsTheTokenAndIsSuggestedWithinTwoSeconds() throws {
    let body = Array(
      #"{"source": "The seaweed committee met on Tuesday.", "target": "Le comité des algues s'est réuni mardi."}"#
        .utf8)
    let target = "/tmserver/en/fr/unit/\(Fixtures.escape("The seaweed committee met on Tuesday."))"
    #expect(try server.request("PUT", target, body: body).status == 401)
    #expect(
      try server.request(
        "PUT", target, body: body, headers: ["Authorization": "Bearer wrong-token-000000000"]
      ).status == 401)
    let written = try server.request("POST", target, body: body, auth: true)
    #expect(written.status == 201)
    let start = Date()
    var found = false
    while Date().timeIntervalSince(start) < 2, !found {
      let list = try server.get(target).json() as? [[String: Any]]
      found = list?.first?["target"] as? String == "Le comité des algues s'est réuni mardi."
      if !found { Thread.sleep(forTimeInterval: 0.1) }
    }
    #expect(found, "the written unit was not suggested within 2 s")
    #expect(try server.request("PUT", target, body: Array("{not json".utf8), auth: true).status == 400)
  }

  @Test func unitWrittenByAnotherProcessIsSuggestedWithinTwoSeconds() throws {
    // The server is a process of its own: this test process is the other writer.
    let memory = try TranslationMemory(url: server.memory)
    try memory.add(
      TranslationUnit.aligned(
        source: Variant(language: .english, text: "Lighthouses shall be painted blue every decade."),
        target: Variant(language: .french, text: "Les phares seront peints en bleu chaque décennie.")))
    let target = "/tmserver/en/fr/unit/\(Fixtures.escape("Lighthouses shall be painted blue every decade."))"
    let start = Date()
    var found = false
    while Date().timeIntervalSince(start) < 2, !found {
      let list = try server.get(target).json() as? [[String: Any]]
      found = list?.first?["target"] as? String == "Les phares seront peints en bleu chaque décennie."
      if !found { Thread.sleep(forTimeInterval: 0.1) }
    }
    #expect(found, "the unit written by another process was not suggested within 2 s")
  }

  /// Another process's write is laid over the loaded index (its overlay grows) rather than the
  /// index being built again (the saved index file is left as it was), and a pair it brings is
  /// listed and served.
  @Test func anotherProcessesWriteIsLaidOverTheIndexWithoutARebuild() throws {
    let indexFile = FuzzyIndex.defaultURL(forMemory: server.memory, from: .english, to: .french)
    func overlayAdded() throws -> Int {
      let stats = try #require(try server.get("/v1/stats").json() as? [String: Any])
      let indexes = try #require(stats["indexes"] as? [[String: Any]])
      let english = try #require(
        indexes.first { $0["source"] as? String == "en" && $0["target"] as? String == "fr" })
      return try #require(english["overlayAdded"] as? Int)
    }
    let fileBefore = try Self.identity(of: indexFile)
    let before = try overlayAdded()
    let memory = try TranslationMemory(url: server.memory)
    try memory.add(
      TranslationUnit.aligned(
        source: Variant(language: .english, text: "Every harbour keeps a register of its tugboats."),
        target: Variant(language: .french, text: "Chaque port tient un registre de ses remorqueurs.")))
    try memory.add(
      TranslationUnit.aligned(
        source: Variant(language: .english, text: "Every harbour keeps a register of its tugboats."),
        target: Variant(language: .german, text: "Jeder Hafen führt ein Verzeichnis seiner Schlepper.")))
    let target = "/tmserver/en/fr/unit/\(Fixtures.escape("Every harbour keeps a register of its tugboats."))"
    let german = "/tmserver/en/de/unit/\(Fixtures.escape("Every harbour keeps a register of its tugboats."))"
    let start = Date()
    var found = false
    var foundGerman = false
    while Date().timeIntervalSince(start) < 2, !(found && foundGerman) {
      found =
        (try server.get(target).json() as? [[String: Any]])?.first?["target"] as? String
        == "Chaque port tient un registre de ses remorqueurs."
      foundGerman =
        (try server.get(german).json() as? [[String: Any]])?.first?["target"] as? String
        == "Jeder Hafen führt ein Verzeichnis seiner Schlepper."
      if !(found && foundGerman) { Thread.sleep(forTimeInterval: 0.1) }
    }
    #expect(found, "the unit written by another process was not suggested within 2 s")
    #expect(foundGerman, "the unit of a new pair was not suggested within 2 s")
    #expect(try overlayAdded() > before)
    #expect(try Self.identity(of: indexFile) == fileBefore, "the index file was written again")
    let languages = try #require(try server.get("/tmserver/languages/").json() as? [String: [String]])
    #expect(languages["sourceLanguages"] == ["de", "en", "fr"])
  }

  /// The inode, size and modification time of a file: what a rewrite changes.
  static func identity(of file: URL) throws -> [Int] {
    var info = stat()
    guard stat(file.path, &info) == 0 else { throw HarnessError("no file \(file.path)") }
    return [Int(info.st_ino), Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
  }
}

@Suite struct TokenTests {
  @Test func withoutATokenFileWritesAreRefused() throws {
    let server = try ServerProcess(memory: try Fixtures.memory003(), withToken: false)
    let answer = try server.request(
      "PUT", "/tmserver/en/fr/unit/x", body: Array(#"{"source":"a b","target":"c d"}"#.utf8))
    #expect(answer.status == 403)
    #expect(try server.get("/v1/health").status == 200)
  }

  @Test func readTokenMakesReadsNeedIt() throws {
    let server = try ServerProcess(memory: try Fixtures.memory003(), extraArguments: ["--read-token"])
    #expect(try server.get("/tmserver/en/fr/unit/test").status == 401)
    #expect(try server.get("/tmserver/en/fr/unit/test", auth: true).status == 200)
  }
}
