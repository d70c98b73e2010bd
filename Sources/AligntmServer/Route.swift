import HTTPTypes

/// One route of the server: a method and a path template in OpenAPI's spelling
/// (`/tmserver/{source}/{target}/unit/{text}`). The router matches requests against this table,
/// and the OpenAPI test compares it with docs/openapi.yaml, so the two cannot drift apart.
public struct Route: Sendable, Hashable, CustomStringConvertible {
  public enum Endpoint: String, Sendable, Hashable {
    case unit, unitByQuery, writeUnit, writeUnitByQuery, languages
    case health, stats, query, concordance, suggest, export, openAPI
  }
  public var method: HTTPRequest.Method
  public var path: String
  public var endpoint: Endpoint
  /// Whether the route changes the memory or exposes administration: it needs the token.
  public var needsToken: Bool

  public var description: String { "\(method.rawValue) \(path)" }

  /// Every route, amaGama's under both of its prefixes.
  public static let all: [Route] = {
    var routes: [Route] = []
    for prefix in ["/tmserver", "/api/v1"] {
      routes.append(Route(.get, prefix + "/{source}/{target}/unit/{text}", .unit))
      routes.append(Route(.get, prefix + "/{source}/{target}/unit/", .unitByQuery))
      for method in [HTTPRequest.Method.post, .put] {
        routes.append(Route(method, prefix + "/{source}/{target}/unit/{text}", .writeUnit, needsToken: true))
        routes.append(Route(method, prefix + "/{source}/{target}/unit/", .writeUnitByQuery, needsToken: true))
      }
      routes.append(Route(.get, prefix + "/languages/", .languages))
    }
    routes.append(Route(.get, "/v1/health", .health))
    routes.append(Route(.get, "/v1/stats", .stats))
    routes.append(Route(.get, "/v1/{source}/{target}/query", .query))
    routes.append(Route(.get, "/v1/{source}/{target}/concordance", .concordance))
    routes.append(Route(.post, "/v1/{source}/{target}/suggest", .suggest))
    routes.append(Route(.get, "/v1/export.tmx", .export, needsToken: true))
    routes.append(Route(.get, "/openapi.yaml", .openAPI))
    return routes
  }()

  init(_ method: HTTPRequest.Method, _ path: String, _ endpoint: Endpoint, needsToken: Bool = false) {
    self.method = method
    self.path = path
    self.endpoint = endpoint
    self.needsToken = needsToken
  }

  /// The template's segments; a `{name}` segment is a parameter.
  var segments: [Substring] {
    var parts = path.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeFirst()
    return parts
  }

  /// The parameters when `target`'s path matches, else nil. `{text}`, last, takes the rest of
  /// the path, slashes included (a client that doesn't escape `/` still reaches the unit).
  func match(_ target: RequestTarget) throws -> [String: String]? {
    let template = segments
    let raw = target.rawSegments
    var parameters: [String: String] = [:]
    for (position, part) in template.enumerated() {
      guard position < raw.count else { return nil }
      if part.first == "{" {
        let name = String(part.dropFirst().dropLast())
        if name == "text" && position == template.count - 1 {
          let rest = raw[position...].joined(separator: "/")
          if rest.isEmpty { return nil }
          parameters[name] = try RequestTarget.decode(Substring(rest))
          return parameters
        }
        if raw[position].isEmpty { return nil }
        parameters[name] = try RequestTarget.decode(raw[position])
      } else if raw[position] != part {
        return nil
      }
    }
    return raw.count == template.count ? parameters : nil
  }
}
