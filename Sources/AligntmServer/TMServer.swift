import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import TextSegmentation
import TranslationMemory

/// `aligntm serve`: a translation memory over HTTP, with the amaGama/tmserver API that Weblate,
/// Okapi, Virtaal and Pootle speak and aligntm's own JSON API (`/v1/…`, described in
/// docs/openapi.yaml).
///
/// The server reaches the memory only through ``TranslationMemory``'s public API: one
/// connection for writes (write-backs), one the indexes read their matches' texts through, one
/// for the watcher (the generation number, the change log), and one per TMX export. It keeps each
/// pair's fuzzy index in memory and current (``IndexRegistry``): a write-back is laid over the
/// index at once, and the watcher (``Watcher``) lays the units another process changed over the
/// loaded indexes, while requests go on with the previous snapshot: on PostgreSQL as soon as the
/// commit is notified (LISTEN/NOTIFY), on SQLite when it reads the generation number every
/// ``ServerSettings/pollInterval``.
///
/// On PostgreSQL, the indexes hold their texts, so lookups go on answering while the database is
/// unreachable; writes then get a 503, and the watcher opens every connection again once the
/// database answers and catches up on what was written meanwhile.
public final class TMServer: Sendable {
  let settings: ServerSettings
  let writer: TranslationMemory
  let registry: IndexRegistry
  /// Where lookups run: one thread per core.
  let matching = MatchingPool(threads: ProcessInfo.processInfo.activeProcessorCount)
  let memoryAddress: StoreAddress

  /// Opens the memory file at `url` (created if needed) and reads the pairs it holds.
  ///
  /// - Throws: ``TranslationMemoryError`` naming the file.
  public convenience init(memory url: URL, settings: ServerSettings) throws {
    try self.init(memory: .file(url), settings: settings)
  }

  /// Opens the memory at `address` (a file or a PostgreSQL database; created if needed) and
  /// reads the pairs it holds.
  ///
  /// - Throws: ``TranslationMemoryError`` naming the store.
  public init(memory address: StoreAddress, settings: ServerSettings) throws {
    self.settings = settings
    memoryAddress = address
    let writer = try TranslationMemory(address: address)
    self.writer = writer
    registry = IndexRegistry(
      texts: try TranslationMemory(address: address, access: .readOnly),
      watcher: try TranslationMemory(address: address, access: .readOnly),
      maximumPairs: settings.limits.maximumIndexedPairs, compaction: settings.compaction,
      pruner: settings.pruneChangeLogEvery.map { (writer, $0) })
    storedPairs = try registry.readAllPairs()
  }

  /// The pairs the memory held at the start, the largest first.
  private let storedPairs: [TranslationMemory.LanguagePairCount]

  /// Builds the indexes of the pairs the memory holds as stored (English to French for the UN
  /// corpus), so the first request doesn't wait; other pairs are built when first asked for.
  public func preload() async throws {
    for pair in storedPairs.prefix(settings.limits.maximumIndexedPairs) {
      let pair = LanguagePair(source: pair.source, target: pair.target)
      if pair.source != pair.target { _ = try await registry.index(for: pair) }
    }
  }

  /// Serves until cancelled (SIGINT or SIGTERM stop it gracefully).
  ///
  /// - Parameter onListening: Called with the port once the server accepts connections.
  public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
    var logger = Logger(label: "aligntm-serve")
    logger.logLevel = .warning
    let app = Application(
      responder: Responder(server: self),
      configuration: .init(
        address: .hostname(settings.host, port: settings.port), serverName: "aligntm",
        availableConnectionsDelegate: MaximumAvailableConnections(1024)),
      onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
      logger: logger)
    let watcher = Watcher(
      registry: registry, others: [writer, registry.texts], interval: settings.pollInterval)
    watcher.start()
    defer { watcher.stop() }
    try await app.runService()
    matching.stop()
  }

  struct Responder: HTTPResponder {
    typealias Context = BasicRequestContext
    let server: TMServer

    func respond(to request: Request, context: Context) async throws -> Response {
      do {
        return try await server.handle(request)
      } catch let error as APIError {
        return Self.error(error)
      } catch let error as HTTPError {
        return Self.error(APIError(error.status, error.body ?? error.status.reasonPhrase))
      } catch let error as TranslationMemoryError {
        if case .busy = error {
          return Self.error(APIError(.serviceUnavailable, "the memory is busy; retry"))
        }
        if case .connectionLost = error {
          // The watcher opens every connection again once the database answers; this one at
          // once if it can, so that the client's retry may succeed.
          server.reconnectAfterLoss()
          var unreachable = APIError(.serviceUnavailable, "the memory's database is unreachable; retry")
          unreachable.headers[.retryAfter] = "2"
          return Self.error(unreachable)
        }
        context.logger.error("memory error: \(error)")
        return Self.error(APIError(.internalServerError, "the memory could not be read or written"))
      } catch let error as FuzzyError {
        return Self.error(APIError.badRequest(error.description))
      } catch is CancellationError {
        return Self.error(APIError(.serviceUnavailable, "the server is stopping"))
      } catch {
        context.logger.error("error: \(error)")
        return Self.error(APIError(.internalServerError, "internal error"))
      }
    }

    static func error(_ error: APIError) -> Response {
      var headers = error.headers
      headers[.contentType] = "application/json; charset=utf-8"
      return Response(
        status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: error.json)))
    }
  }

  /// Opens the writer's session again, off the request, after a request found a session lost;
  /// a database still down leaves it (and the texts' session) to the watcher.
  func reconnectAfterLoss() {
    let writer = self.writer
    Task.detached { try? writer.reconnect() }
  }
}
