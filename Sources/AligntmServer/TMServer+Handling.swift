import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TextSegmentation
import TranslationMemory

extension TMServer {
  /// Routes a request and answers it; every refusal is an ``APIError``.
  func handle(_ request: Request) async throws -> Response {
    let rawTarget = request.head.path ?? "/"
    if rawTarget.utf8.count > settings.limits.maximumTargetBytes {
      throw APIError(
        .uriTooLong, "the request target is longer than \(settings.limits.maximumTargetBytes) bytes")
    }
    let target = try RequestTarget(rawTarget)
    var pathMatched = false
    for route in Route.all {
      guard let parameters = try route.match(target) else { continue }
      pathMatched = true
      // HEAD answers as GET, without a body (Hummingbird drops it).
      guard route.method == request.method || (request.method == .head && route.method == .get) else {
        continue
      }
      try authorize(request, needsToken: route.needsToken || settings.readsNeedToken)
      var request = request
      return try await answer(route.endpoint, parameters, target, &request)
    }
    if pathMatched { throw APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed here") }
    throw APIError.notFound("no such route; see /openapi.yaml")
  }

  /// Checks `Authorization: Bearer …` against the token, in constant time.
  func authorize(_ request: Request, needsToken: Bool) throws {
    guard needsToken else { return }
    guard let token = settings.token else {
      throw APIError(.forbidden, "writes are disabled: start the server with --token-file")
    }
    guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
      throw APIError.unauthorized("this request needs Authorization: Bearer TOKEN")
    }
    let given = Array(header.dropFirst("Bearer ".count).utf8)
    let expected = Array(token.utf8)
    var difference = given.count ^ expected.count
    for position in 0..<expected.count {
      difference |= Int(expected[position] ^ (position < given.count ? given[position] : 0))
    }
    if difference != 0 { throw APIError.unauthorized("wrong token") }
  }

  private func answer(
    _ endpoint: Route.Endpoint, _ parameters: [String: String], _ target: RequestTarget,
    _ request: inout Request
  ) async throws -> Response {
    func pair() throws -> LanguagePair {
      try LanguagePair(codes: parameters["source"] ?? "", parameters["target"] ?? "")
    }
    switch endpoint {
    case .unit:
      return try await amaGamaLookup(parameters["text"] ?? "", pair(), target)
    case .unitByQuery:
      guard let text = target.value("source"), !text.isEmpty else {
        throw APIError.notFound("give the text as ?source=…")
      }
      return try await amaGamaLookup(text, pair(), target)
    case .writeUnit, .writeUnitByQuery:
      return try await writeBack(pair: pair(), parameters, &request)
    case .languages:
      let codes = registry.languages.map(\.rawValue)
      let list = "[" + codes.map(JSONText.string).joined(separator: ", ") + "]"
      return try jsonOrJSONP("{\"sourceLanguages\": \(list), \"targetLanguages\": \(list)}", target)
    case .health:
      return try json(
        Health(
          status: "ok", generation: registry.generation,
          store: registry.storeReachable ? "reachable" : "unreachable"))
    case .stats:
      return try await stats()
    case .query:
      return try await query(pair(), target)
    case .concordance:
      return try await concordance(pair(), target)
    case .suggest:
      return try await suggest(pair(), target, &request)
    case .export:
      return try await exportTMX(target)
    case .openAPI:
      return Response(
        status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
    }
  }

  // MARK: amaGama

  /// `GET …/unit/TEXT`: amaGama's list, best first,
  /// `[{"quality": 100.0, "rank": 100.0, "source": …, "target": …}]`.
  private func amaGamaLookup(_ text: String, _ pair: LanguagePair, _ target: RequestTarget) async throws
    -> Response
  {
    let minimum = try number(
      target, "min_similarity", default: 70, in: settings.limits.minimumSimilarity...100)
    let limit = Int(
      try number(target, "max_candidates", default: 5, in: 1...Double(settings.limits.maximumCandidates)))
    try checkLength(text)
    let index = try await registry.index(for: pair)
    let matches = try await matching.run {
      try index?.scoredEntries(for: text, minimumScore: minimum, limit: limit) ?? []
    }
    let items = matches.map { match in
      let quality = JSONText.float(match.score.value)
      return
        "{\"quality\": \(quality), \"rank\": \(quality), \"source\": \(JSONText.string(match.entry.source)), "
        + "\"target\": \(JSONText.string(match.entry.target))}"
    }
    return try jsonOrJSONP("[" + items.joined(separator: ", ") + "]", target)
  }

  /// `POST`/`PUT …/unit/TEXT` with `{"source": …, "target": …}`: stores the pair, one
  /// transaction (all or nothing), laid over the loaded indexes of the pair at once.
  private func writeBack(pair: LanguagePair, _ parameters: [String: String], _ request: inout Request)
    async throws -> Response
  {
    struct Body: Decodable {
      var source: String
      var target: String
    }
    let body = try await collectBody(&request, upTo: settings.limits.maximumBodyBytes)
    let unit: Body
    do {
      unit = try JSONDecoder().decode(Body.self, from: Data(buffer: body))
    } catch {
      throw APIError.badRequest("the body must be JSON {\"source\": \"…\", \"target\": \"…\"}")
    }
    guard !unit.source.allSatisfy(\.isWhitespace), !unit.target.allSatisfy(\.isWhitespace) else {
      throw APIError.badRequest("source and target must not be empty")
    }
    try checkLength(unit.source)
    try checkLength(unit.target)
    let source = try LanguagePair.language(parameters["source"] ?? "")
    let target = try LanguagePair.language(parameters["target"] ?? "")
    let stored = TranslationUnit(
      sourceLanguage: source,
      variants: [Variant(language: source, text: unit.source), Variant(language: target, text: unit.target)],
      properties: [Property(.tool, TranslationMemory.tool + " serve")])
    let writer = self.writer
    let outcome: TranslationMemory.AddOutcome
    do {
      outcome = try await Task.detached { try writer.add(stored) }.value
    } catch TranslationMemoryError.invalidUnit(_, let reason) {
      throw APIError.badRequest(reason)
    } catch TranslationMemoryError.openedReadOnly {
      throw APIError(.forbidden, "the memory is read-only")
    }
    try registry.applyWritten(
      FuzzyEntry(
        id: outcome.id, source: unit.source, target: unit.target, sourceLanguage: source.base,
        targetLanguage: target.base))
    let inserted: Bool
    if case .inserted = outcome { inserted = true } else { inserted = false }
    return try json(WriteResult(id: outcome.id, inserted: inserted), status: inserted ? .created : .ok)
  }

  // MARK: aligntm's API

  private func query(_ pair: LanguagePair, _ target: RequestTarget) async throws -> Response {
    guard let text = target.value("text"), !text.allSatisfy(\.isWhitespace) else {
      throw APIError.badRequest("give the text to look up as ?text=…")
    }
    try checkLength(text)
    let minimum = try number(target, "min_score", default: 70, in: settings.limits.minimumSimilarity...100)
    let limit = Int(
      try number(target, "limit", default: 5, in: 1...Double(settings.limits.maximumCandidates)))
    let index = try await registry.index(for: pair)
    let matches = try await matching.run {
      try index?.matches(for: text, minimumScore: minimum, limit: limit) ?? []
    }
    struct Output: Encodable {
      var query: String
      var matches: [FuzzyMatchRecord]
    }
    return try json(Output(query: text, matches: matches.map(FuzzyMatchRecord.init)))
  }

  private func concordance(_ pair: LanguagePair, _ target: RequestTarget) async throws -> Response {
    guard let term = target.value("term"), !TextNormalizer.matchKey(term).allSatisfy(\.isWhitespace) else {
      throw APIError.badRequest("give a word or phrase as ?term=…")
    }
    if term.utf16.count > 200 { throw APIError.badRequest("the term is longer than 200 UTF-16 code units") }
    let limit = Int(
      try number(target, "limit", default: 50, in: 1...Double(settings.limits.maximumConcordance)))
    struct Hit: Encodable {
      var source: String
      var target: String
      var document: String?
      var paragraph: String?
      /// The term's places in `source`, UTF-16 `[start, end)`.
      var ranges: [[Int]]
    }
    struct Output: Encodable {
      var term: String
      var total: Int
      var units: [Hit]
    }
    let index = try await registry.index(for: pair)
    let output = try await matching.run {
      var output = Output(term: term, total: 0, units: [])
      guard let index else { return output }
      for entry in index.entries {
        let ranges = TextNormalizer.occurrences(of: term, in: entry.source)
        if ranges.isEmpty { continue }
        output.total += 1
        if output.units.count < limit {
          output.units.append(
            Hit(
              source: entry.source, target: entry.target, document: entry.document,
              paragraph: entry.paragraph,
              ranges: ranges.map { [$0.lowerBound, $0.upperBound] }))
        }
      }
      return output
    }
    return try json(output)
  }

  private func suggest(_ pair: LanguagePair, _ target: RequestTarget, _ request: inout Request) async throws
    -> Response
  {
    let minimum = try number(target, "min_score", default: 50, in: settings.limits.minimumSimilarity...100)
    let body = try await collectBody(&request, upTo: settings.limits.maximumDocumentBytes)
    guard let text = String(validating: body.readableBytesView, as: UTF8.self) else {
      throw APIError.badRequest("the document must be UTF-8 text")
    }
    let document = DocumentReader().read(text: text, source: "request", language: pair.source)
    let segmenter: SentenceSegmenter
    do {
      segmenter = try SentenceSegmenter(language: pair.source)
    } catch {
      throw APIError.badRequest("no sentence rules for '\(pair.source)'")
    }
    let sentences = document.sentences(segmenter: segmenter).map(\.text)
    if sentences.count > settings.limits.maximumSentences {
      throw APIError(
        .contentTooLarge, "the document has more than \(settings.limits.maximumSentences) sentences")
    }
    struct Sentence: Encodable {
      var source: String
      var match: FuzzyMatchRecord?
    }
    let index = try await registry.index(for: pair)
    let output = try await matching.run {
      try sentences.map { sentence in
        let best =
          FuzzyIndex.isShortEnough(sentence)
          ? try index?.matches(for: sentence, minimumScore: minimum, limit: 1).first : nil
        return Sentence(source: sentence, match: best.map(FuzzyMatchRecord.init))
      }
    }
    struct Output: Encodable { var sentences: [Sentence] }
    return try json(Output(sentences: output))
  }

  private func stats() async throws -> Response {
    let writer = self.writer
    let statistics = try await Task.detached { try writer.statistics() }.value
    struct Indexed: Encodable {
      var source: String
      var target: String
      var entries: Int
      var generation: Int64
      /// The units laid over the index's base since it was made, and the base units they hide.
      var overlayAdded: Int
      var overlayHidden: Int
    }
    struct Output: Encodable {
      var units: Int
      var variants: Int
      var languages: [String: Int]
      var documents: Int
      var generation: Int64
      var indexes: [Indexed]
    }
    let indexes = registry.loaded.map {
      let overlay = $0.value.overlayCounts
      return Indexed(
        source: $0.key.source.rawValue, target: $0.key.target.rawValue, entries: $0.value.index.count,
        generation: $0.value.generation ?? -1, overlayAdded: overlay.added, overlayHidden: overlay.hidden)
    }.sorted { ($0.source, $0.target) < ($1.source, $1.target) }
    return try json(
      Output(
        units: statistics.unitCount, variants: statistics.variantCount,
        languages: Dictionary(uniqueKeysWithValues: statistics.languages.map { ($0.key.rawValue, $0.value) }),
        documents: statistics.documents.count, generation: registry.generation, indexes: indexes))
  }

  /// `GET /v1/export.tmx`: the memory as TMX, sent in chunks from a temporary file that is
  /// written first (``TranslationMemory/exportTMX(to:languages:document:creationDate:)`` writes a
  /// file), so the server's memory use doesn't grow with the memory.
  private func exportTMX(_ target: RequestTarget) async throws -> Response {
    var languages: Set<Language>?
    if let list = target.value("languages"), !list.isEmpty {
      languages = Set(try list.split(separator: ",").map { try LanguagePair.language(String($0)) })
    }
    let document = target.value("document")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aligntm-serve-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("export.tmx")
    let address = memoryAddress
    do {
      try await Task.detached {
        let memory = try TranslationMemory(address: address, access: .readOnly)
        try memory.exportTMX(to: file, languages: languages, document: document)
      }.value
    } catch {
      try? FileManager.default.removeItem(at: folder)
      throw error
    }
    guard let handle = FileHandle(forReadingAtPath: file.path) else {
      try? FileManager.default.removeItem(at: folder)
      throw APIError(.internalServerError, "the export could not be read back")
    }
    // Unlinked at once: the open handle keeps the bytes until it closes.
    try? FileManager.default.removeItem(at: folder)
    let size = (try? handle.seekToEnd()).map(Int.init)
    try? handle.seek(toOffset: 0)
    let body = ResponseBody(contentLength: size) { writer in
      defer { try? handle.close() }
      while true {
        let chunk = try handle.read(upToCount: 256 * 1024) ?? Data()
        if chunk.isEmpty { break }
        try await writer.write(ByteBuffer(bytes: chunk))
      }
      try await writer.finish(nil)
    }
    return Response(
      status: .ok,
      headers: [
        .contentType: "application/x-tmx+xml", .contentDisposition: "attachment; filename=\"memory.tmx\"",
      ],
      body: body)
  }

  // MARK: Helpers

  struct Health: Encodable {
    var status: String
    var generation: Int64
    /// "unreachable" while the watcher has lost the store's connection (PostgreSQL down).
    var store: String
  }

  struct WriteResult: Encodable {
    var id: Int64
    var inserted: Bool
  }

  /// The request's body, at most `limit` bytes: a larger one (announced or sent) is a 413.
  private func collectBody(_ request: inout Request, upTo limit: Int) async throws -> ByteBuffer {
    let tooLarge = APIError(.contentTooLarge, "the body is larger than \(limit) bytes")
    if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
    do {
      return try await request.collectBody(upTo: limit)
    } catch let error as HTTPError where error.status != .contentTooLarge {
      throw error
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      throw tooLarge
    }
  }

  private func checkLength(_ text: String) throws {
    if !FuzzyIndex.isShortEnough(text) {
      throw APIError.badRequest("the text is longer than \(FuzzyIndex.maximumTextLength) UTF-16 code units")
    }
  }

  /// A numeric query field, or its default; outside `range` it is clamped.
  private func number(
    _ target: RequestTarget, _ name: String, default value: Double, in range: ClosedRange<Double>
  ) throws -> Double {
    guard let text = target.value(name), !text.isEmpty else { return value }
    guard let number = Double(text), number.isFinite else {
      throw APIError.badRequest("\(name) must be a number")
    }
    return min(max(number, range.lowerBound), range.upperBound)
  }

  /// JSON, or JSONP when `jsoncallback` names a JavaScript function (letters, digits, `_`, `$`
  /// and dots, not starting with a digit, at most 64 characters: nothing else is echoed back).
  private func jsonOrJSONP(_ body: String, _ target: RequestTarget) throws -> Response {
    guard let callback = target.value("jsoncallback"), !callback.isEmpty else {
      return Response(
        status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: body)))
    }
    let allowed =
      callback.utf8.count <= 64
      && callback.unicodeScalars.allSatisfy {
        $0.isASCII
          && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "$" || $0 == ".")
      } && !(callback.utf8.first.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false)
    guard allowed else { throw APIError.badRequest("jsoncallback must be a JavaScript function name") }
    return Response(
      status: .ok,
      headers: [
        .contentType: "application/javascript; charset=utf-8", Self.contentTypeOptions: "nosniff",
      ],
      body: .init(byteBuffer: ByteBuffer(string: "/**/\(callback)(\(body))")))
  }

  private static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options") ?? .contentType

  private func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
  }
}
