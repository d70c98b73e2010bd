/// JSON written by hand where the encoder's choices don't fit the clients: amaGama's clients
/// need `quality` as a float (`100.0`, Okapi reads a Java Double), which `JSONEncoder` writes
/// as `100`.
enum JSONText {
  /// A JSON string literal. U+2028 and U+2029 are escaped too, so the text is also valid
  /// JavaScript (JSONP).
  static func string(_ text: String) -> String {
    var out = "\""
    out.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{2028}": out += "\\u2028"
      case "\u{2029}": out += "\\u2029"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// A number that always reads as a float: `100.0`, `85.5`.
  static func float(_ value: Double) -> String {
    guard value.isFinite else { return "0.0" }
    let text = String(value)
    return text.contains(".") || text.contains("e") ? text : text + ".0"
  }
}
