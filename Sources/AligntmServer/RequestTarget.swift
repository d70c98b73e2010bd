/// A request's target split as the server reads it: the path's segments, each percent-decoded
/// on its own (so `%2F` is a slash inside a segment, not a separator), and the query's fields.
struct RequestTarget {
  /// The raw (still escaped) segments of the path, without the empty first one.
  var rawSegments: [Substring]
  /// The query's fields in order, decoded (`+` is a space, as HTML forms and Flask read it).
  var query: [(name: String, value: String)]

  /// Splits `target` (`/path?query`).
  ///
  /// - Throws: ``APIError`` 400 for an escape that is not two hexadecimal digits or bytes that
  ///   are not UTF-8.
  init(_ target: String) throws {
    let (path, queryText) =
      target.firstIndex(of: "?").map { (target[..<$0], target[target.index(after: $0)...]) }
      ?? (target[...], "")
    var segments = path.split(separator: "/", omittingEmptySubsequences: false)
    if segments.first == "" { segments.removeFirst() }
    rawSegments = segments
    query = []
    for field in queryText.split(separator: "&") where !field.isEmpty {
      let (name, value) =
        field.firstIndex(of: "=").map { (field[..<$0], field[field.index(after: $0)...]) } ?? (field, "")
      query.append((try Self.decode(name, plusIsSpace: true), try Self.decode(value, plusIsSpace: true)))
    }
  }

  /// The first value of a query field.
  func value(_ name: String) -> String? { query.first { $0.name == name }?.value }

  /// Percent-decodes text as UTF-8.
  static func decode(_ text: Substring, plusIsSpace: Bool = false) throws -> String {
    if !text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) {
      return String(text)
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
      switch byte {
      case UInt8(ascii: "%"):
        guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
          throw APIError.badRequest("bad percent escape in the request target")
        }
        bytes.append(high << 4 | low)
      case UInt8(ascii: "+") where plusIsSpace: bytes.append(UInt8(ascii: " "))
      default: bytes.append(byte)
      }
    }
    guard let decoded = String(validating: bytes, as: UTF8.self) else {
      throw APIError.badRequest("the request target is not UTF-8 once decoded")
    }
    return decoded
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
