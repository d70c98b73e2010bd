/// Repairs to OCR output that are certain, each reported as a ``Repair``.
enum OCRRepair {
  static let elisionReason = "ocr-l-apostrophe"

  /// `I’`, `1’` or `[’` standing for `l’` before a letter (French only: French has no word
  /// `I’`, and a digit or bracket never takes an apostrophe before a word).
  ///
  /// - Returns: The repaired line and the repairs made.
  static func repairElisions(in line: String, lineNumber: Int) -> (String, [Repair]) {
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
}
