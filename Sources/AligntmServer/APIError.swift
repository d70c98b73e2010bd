import HTTPTypes

/// A request the server refuses: its status and a message for the client, sent as
/// `{"error": message, "status": code}`. Nothing else (no stack, no path of the server's files)
/// goes out.
struct APIError: Error {
  var status: HTTPResponse.Status
  var message: String
  var headers: HTTPFields = [:]

  init(_ status: HTTPResponse.Status, _ message: String) {
    self.status = status
    self.message = message
  }

  static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
  static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }

  static func unauthorized(_ message: String) -> APIError {
    var error = APIError(.unauthorized, message)
    error.headers[.wwwAuthenticate] = "Bearer"
    return error
  }

  var json: String {
    "{\"error\": \(JSONText.string(message)), \"status\": \(status.code)}"
  }
}
