import Alignment
import Foundation

/// Where a translation memory is stored: a SQLite file, or a PostgreSQL database shared by a team.
///
/// ```swift
/// let address = TranslationMemoryLocation.resolveAddress(explicitValue: "postgresql://tm@db.example/un")
/// let memory = try TranslationMemory(address: address)
/// ```
public enum StoreAddress: Sendable, Hashable, CustomStringConvertible {
  /// A SQLite file.
  case file(URL)
  /// A PostgreSQL connection URL (`postgresql://USER@HOST:PORT/DB`), as libpq reads it.
  case postgresql(String)

  /// Whether a `--tm` value (or `$ALIGNTM_TM`) names a PostgreSQL database: it starts with
  /// `postgresql://` or `postgres://` (in any case). Anything else is a path.
  public static func isPostgreSQL(_ value: String) -> Bool {
    let lowered = value.prefix(13).lowercased()
    return lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://")
  }

  /// The store as messages name it: a file's path, or the URL without its password (in the user
  /// part or as a `password=` parameter).
  public var displayForm: String {
    switch self {
    case .file(let url): return url.path
    case .postgresql(let url): return PostgresURL(url).withoutPassword
    }
  }

  public var description: String { displayForm }

  /// The local file that things derived from the memory (the saved fuzzy indexes) are named
  /// after: the file itself, or for PostgreSQL `memory` in a folder of the cache per server and
  /// database: `$ALIGNTM_CACHE_DIR` (else `$XDG_CACHE_HOME/aligntm`, else `~/.cache/aligntm`)
  /// `/postgresql/HOST-PORT-DB/memory`. What is saved there records the memory's identity and
  /// generation, so a file made from another database or an older state is never used.
  public func localURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    switch self {
    case .file(let url): return url
    case .postgresql(let url):
      let parsed = PostgresURL(url)
      let cache =
        LexiconCache.standard(environment: environment)?.folder
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("aligntm")
      let name = [parsed.host, parsed.port, parsed.database].map(PostgresURL.fileNameSafe).joined(
        separator: "-")
      return cache.appendingPathComponent("postgresql").appendingPathComponent(name)
        .appendingPathComponent("memory")
    }
  }
}

/// The parts of a PostgreSQL URL that messages and the cache folder need. Not a full parser:
/// libpq reads the URL itself; this only finds the user, host, port, database and password.
struct PostgresURL {
  let original: String
  /// The scheme and `://`.
  private(set) var scheme = ""
  private(set) var user: String?
  private(set) var password: String?
  private(set) var host = "localhost"
  private(set) var port = "5432"
  private(set) var database: String
  /// After `?`, without the `?`; nil when none.
  private(set) var query: String?
  private var userInfoEnd: String.Index?

  init(_ url: String) {
    original = url
    var rest = Substring(url)
    if let range = rest.range(of: "://") {
      scheme = String(rest[..<range.upperBound])
      rest = rest[range.upperBound...]
    }
    let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
    let authority = rest[..<authorityEnd]
    var hostPart = authority
    if let at = authority.lastIndex(of: "@") {
      userInfoEnd = at
      let userInfo = authority[..<at]
      if let colon = userInfo.firstIndex(of: ":") {
        user = String(userInfo[..<colon]).removingPercentEncoding
        password = String(userInfo[userInfo.index(after: colon)...])
      } else {
        user = String(userInfo).removingPercentEncoding
      }
      hostPart = authority[authority.index(after: at)...]
    }
    // The first host of a list; `[…]` for IPv6.
    let first = hostPart.split(separator: ",").first ?? ""
    if first.hasPrefix("["), let close = first.firstIndex(of: "]") {
      host = String(first[first.index(after: first.startIndex)..<close])
      let after = first[first.index(after: close)...]
      if after.hasPrefix(":"), after.count > 1 { port = String(after.dropFirst()) }
    } else if let colon = first.lastIndex(of: ":") {
      if colon != first.startIndex { host = String(first[..<colon]) }
      if first.index(after: colon) != first.endIndex { port = String(first[first.index(after: colon)...]) }
    } else if !first.isEmpty {
      host = String(first)
    }
    host = host.removingPercentEncoding ?? host
    var path = rest[authorityEnd...]
    if let question = path.firstIndex(of: "?") {
      query = String(path[path.index(after: question)...])
      path = path[..<question]
    }
    let name = String(path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
    // libpq's default database is the user's name.
    database = name.isEmpty ? (user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres") : name
    for item in (query ?? "").split(separator: "&") {
      let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
      guard pair.count == 2 else { continue }
      let value = pair[1].removingPercentEncoding ?? pair[1]
      switch pair[0] {
      case "host" where !value.hasPrefix("/"): host = value
      case "port": port = value
      case "dbname": database = value
      case "user": user = value
      case "password": password = value
      default: break
      }
    }
  }

  /// The URL without the password, wherever it was written.
  var withoutPassword: String {
    let body = query.map { original.dropLast($0.count + 1) } ?? Substring(original)
    var result = ""
    if let userInfoEnd, let colon = body[..<userInfoEnd].dropFirst(scheme.count).firstIndex(of: ":") {
      result = String(body[..<colon]) + String(body[userInfoEnd...])
    } else {
      result = String(body)
    }
    if let query {
      let kept = query.split(separator: "&").filter { !$0.lowercased().hasPrefix("password=") }
      if !kept.isEmpty { result += "?" + kept.joined(separator: "&") }
    }
    return result
  }

  /// `text` with anything but letters, digits, `.`, `_` and `-` made `_`: one path component.
  static func fileNameSafe(_ text: String) -> String {
    let safe = String(
      text.unicodeScalars.map { scalar -> Character in
        scalar.isASCII
          && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
          ? Character(scalar) : "_"
      })
    return safe.isEmpty || safe == "." || safe == ".." ? "_" : safe
  }
}
