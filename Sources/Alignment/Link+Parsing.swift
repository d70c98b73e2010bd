extension Link {
  /// Reads one link written `[3, 4]:[5]` or `[]:[6]` (spaces are optional).
  ///
  /// - Returns: `nil` when the text is not a link.
  public init?(parsing text: some StringProtocol) {
    let bytes = Array(text.utf8)
    var position = 0
    func skipSpaces() {
      while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
    }
    func list() -> [Int]? {
      skipSpaces()
      guard position < bytes.count, bytes[position] == UInt8(ascii: "[") else { return nil }
      position += 1
      var values: [Int] = []
      skipSpaces()
      if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
        position += 1
        return values
      }
      while true {
        skipSpaces()
        var value = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39, digits < 12 {
          value = value * 10 + Int(bytes[position] - 0x30)
          position += 1
          digits += 1
        }
        guard digits > 0 else { return nil }
        values.append(value)
        skipSpaces()
        guard position < bytes.count else { return nil }
        if bytes[position] == UInt8(ascii: ",") {
          position += 1
        } else if bytes[position] == UInt8(ascii: "]") {
          position += 1
          return values
        } else {
          return nil
        }
      }
    }
    guard let source = list() else { return nil }
    skipSpaces()
    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
    position += 1
    guard let target = list() else { return nil }
    skipSpaces()
    guard position == bytes.count else { return nil }
    self.init(source: source, target: target)
  }

  /// Reads a links file: one link a line; blank lines are skipped.
  ///
  /// - Parameters:
  ///   - text: The file's text.
  ///   - file: The file name used in error messages.
  /// - Throws: ``AlignmentError/malformedLink(file:line:text:)`` naming the first bad line.
  public static func links(parsing text: String, file: String = "<input>") throws -> [Link] {
    var links: [Link] = []
    var lineNumber = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      let trimmed = line._trimmingBlanks
      if trimmed.isEmpty { continue }
      guard let link = Link(parsing: trimmed) else {
        throw AlignmentError.malformedLink(file: file, line: lineNumber, text: String(trimmed))
      }
      links.append(link)
    }
    return links
  }
}

extension Substring {
  var _trimmingBlanks: Substring {
    var result = self
    while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
    while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
    return result
  }
}
