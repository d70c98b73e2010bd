/// Repairs to OCR output that are certain, each reported as a ``Repair``.
enum OCRRepair {
  static let elisionReason = "ocr-l-apostrophe"

  /// `I’`, `1’` or `[’` standing for `l’` before a letter (French only: French has no word
  /// `I’`, and a digit or bracket never takes an apostrophe before a word).
  ///
  /// - Returns: The repaired line and the repairs made.
  static func repairElisions(in line: String, lineNumber: Int) -> (String, [Repair]) {
    guard mayHoldElision(line) else { return (line, []) }
    let chars = Array(line)
    guard chars.count >= 3 else { return (line, []) }
    var output = chars
    var repairs: [Repair] = []
    for i in 0..<(chars.count - 2) {
      let c = chars[i]
      guard c == "I" || c == "1" || c == "[" else { continue }
      guard chars[i + 1] == "’" || chars[i + 1] == "'" else { continue }
      let next = chars[i + 2]
      guard next.isLetter else { continue }
      if i > 0, chars[i - 1].isLetter || chars[i - 1].isNumber { continue }
      output[i] = "l"
      repairs.append(
        Repair(
          line: lineNumber, original: String(chars[i...(i + 1)]), replacement: "l\(chars[i + 1])",
          reason: elisionReason))
    }
    return repairs.isEmpty ? (line, []) : (String(output), repairs)
  }

  /// Whether a line holds the bytes of an apostrophe (U+2019 or '): a cheap test that every line
  /// ``repairElisions(in:lineNumber:)`` changes passes.
  static func mayHoldApostrophe(_ line: String) -> Bool {
    var previous: (UInt8, UInt8) = (0, 0)
    for byte in line.utf8 {
      if byte == UInt8(ascii: "'") || (previous == (0xE2, 0x80) && byte == 0x99) { return true }
      previous = (previous.1, byte)
    }
    return false
  }

  /// Whether `I`, `1` or `[` stands just before an apostrophe's bytes somewhere in the line: the
  /// repair needs them as Characters, so a line without them is left as it is.
  static func mayHoldElision(_ line: String) -> Bool {
    var a: UInt8 = 0
    var b: UInt8 = 0
    var c: UInt8 = 0
    for byte in line.utf8 {
      let isMark: (UInt8) -> Bool = {
        $0 == UInt8(ascii: "I") || $0 == UInt8(ascii: "1") || $0 == UInt8(ascii: "[")
      }
      if byte == UInt8(ascii: "'"), isMark(c) { return true }
      if byte == 0x99, b == 0xE2, c == 0x80, isMark(a) { return true }
      (a, b, c) = (b, c, byte)
    }
    return false
  }
}
