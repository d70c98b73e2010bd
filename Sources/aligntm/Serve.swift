import AligntmServer
import ArgumentParser
import Foundation
import TranslationMemory

struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Serve the memory over HTTP: the amaGama/tmserver API (Weblate, Okapi, Virtaal) and aligntm's own.",
    discussion: """
      Lookups: GET /tmserver/SRC/TGT/unit/TEXT (also under /api/v1), and /v1/... (described at \
      /openapi.yaml). Writes (POST/PUT .../unit/TEXT with {"source", "target"}) and the TMX export \
      need "Authorization: Bearer TOKEN" with the token of --token-file; without one they are \
      refused. Units written by any process are suggested once the server has seen the memory \
      change: at once on PostgreSQL, which notifies it; a SQLite memory is checked twice a second. \
      While PostgreSQL is unreachable, lookups go on from the indexes in memory, writes get a 503, \
      and the server reconnects by itself.
      """)

  @OptionGroup var memory: MemoryOptions
  @Option(help: "The port to listen on (0 picks a free one).")
  var port: Int = 8080
  @Option(help: "The address to bind (loopback unless told otherwise; 0.0.0.0 for every interface).")
  var host: String = "127.0.0.1"
  @Option(help: "A file whose first line is the token that writes need (at least 16 characters).")
  var tokenFile: String?
  @Flag(help: "Reads need the token too.")
  var readToken = false
  // For tests: a long interval shows that PostgreSQL's notifications, not the poll, wake the watcher.
  @Option(help: .hidden)
  var pollSeconds: Double = 0.5

  func validate() throws {
    if !(0...65_535).contains(port) { throw ValidationError("Use a --port between 0 and 65535.") }
    if readToken && tokenFile == nil { throw ValidationError("--read-token needs --token-file.") }
    if !(0.01...3600).contains(pollSeconds) {
      throw ValidationError("Use a --poll-seconds between 0.01 and 3600.")
    }
  }

  func run() async throws {
    var settings = ServerSettings()
    settings.host = host
    settings.port = port
    settings.readsNeedToken = readToken
    settings.pollInterval = .milliseconds(Int64(pollSeconds * 1000))
    if let tokenFile { settings.token = try ServerSettings.token(fromFile: tokenFile) }
    let server = try TMServer(memory: memory.address, settings: settings)
    try await server.preload()
    let host = self.host
    try await server.run { port in
      // Written at once (not through stdout's buffer): a script waits for this line.
      FileHandle.standardOutput.write(Data("aligntm serve: listening on http://\(host):\(port)\n".utf8))
    }
  }
}
