import Foundation
import TranslationMemory

/// How `aligntm serve` runs: where it listens, who may read and write, and the caps on what one
/// request may ask.
public struct ServerSettings: Sendable {
  /// The address to bind: loopback unless told otherwise.
  public var host = "127.0.0.1"
  /// The port; 0 picks a free one (printed when the server listens).
  public var port = 8080
  /// The bearer token that writes and admin requests need; nil refuses every write.
  public var token: String?
  /// Whether reads need the token too.
  public var readsNeedToken = false
  /// How often the memory's generation number is read to find writes by other processes.
  public var pollInterval: Duration = .milliseconds(500)
  /// What one request may ask.
  public var limits = Limits()
  /// When the loaded indexes' overlays are folded, in the background (``LiveFuzzyIndex/CompactionPolicy``).
  public var compaction = LiveFuzzyIndex.CompactionPolicy()
  /// How many generations the memory moves between two prunings of its change log by the
  /// watcher (``TranslationMemory/pruneChangeLog(keeping:)``, keeping what the server's indexes
  /// and the saved ones still need); nil never prunes.
  public var pruneChangeLogEvery: Int64? = 1_000

  public init() {}

  /// The caps on one request.
  public struct Limits: Sendable {
    /// The largest request body, in bytes (write-backs, JSON).
    public var maximumBodyBytes = 64 * 1024
    /// The largest document `/v1/suggest` reads, in bytes.
    public var maximumDocumentBytes = 2 * 1024 * 1024
    /// The most sentences `/v1/suggest` looks up.
    public var maximumSentences = 5_000
    /// The longest request target (path and query), in bytes.
    public var maximumTargetBytes = 32 * 1024
    /// The most candidates one lookup returns (amaGama's `max_candidates`, `limit`).
    public var maximumCandidates = 50
    /// The lowest threshold a lookup may ask: lower ones scan most of the memory for nothing.
    public var minimumSimilarity = 30.0
    /// The most units one concordance lists.
    public var maximumConcordance = 500
    /// How many language pairs have an index in memory at once.
    public var maximumIndexedPairs = 8
    public init() {}
  }

  /// Reads the token from a file: its first line, without surrounding white space.
  ///
  /// - Throws: ``ServerError`` when the file can't be read or holds no token.
  public static func token(fromFile path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ServerError("\(path): cannot read the token file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ServerError("\(path): the token file is not UTF-8 text")
    }
    let token = text.split(whereSeparator: \.isNewline).first.map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard let token, !token.isEmpty else { throw ServerError("\(path): the token file is empty") }
    guard token.utf8.count >= 16 else {
      throw ServerError("\(path): the token is shorter than 16 characters")
    }
    return token
  }
}

/// A server that cannot start, with what to fix.
public struct ServerError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
