import Foundation

/// Turns the bytes of a file into text: UTF-8 (with or without a BOM) or UTF-16 with a BOM.
///
/// Everything else is refused with the file's line: a PDF, a compressed file or a Word document
/// is named as such; invalid UTF-8 or UTF-16 (a lone surrogate, an odd trailing byte), a NUL
/// byte and the characters ``Unicode/Scalar/isForbiddenInText`` names are errors, never repaired.
enum SourceDecoder {
  /// - Complexity: O(*n*) in the number of bytes.
  static func decode(_ bytes: [UInt8], path: String) throws(DocumentReadError) -> String {
    if let kind = FileKind(magic: bytes) { throw .notText(path: path, kind: kind) }
    if bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xFE, bytes[2] == 0, bytes[3] == 0 {
      throw .unsupportedEncoding(path: path, encoding: "UTF-32LE")
    }
    if bytes.count >= 4, bytes[0] == 0, bytes[1] == 0, bytes[2] == 0xFE, bytes[3] == 0xFF {
      throw .unsupportedEncoding(path: path, encoding: "UTF-32BE")
    }
    let text: String
    if bytes.count >= 2, bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF {
      text = try decodeUTF16(bytes, littleEndian: bytes[0] == 0xFF, path: path)
    } else {
      if let encoding = utf16WithoutBOM(bytes) {
        throw .unsupportedEncoding(path: path, encoding: "\(encoding) without a byte-order mark")
      }
      let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
      try validateUTF8(bytes, from: start, path: path)
      text = String(decoding: bytes[start...], as: UTF8.self)
    }
    if text.allSatisfy({ $0.isWhitespace || $0 == "\u{FEFF}" }) { throw .empty(path: path) }
    try validateCharacters(text, path: path)
    return text
  }

  /// UTF-16 code units to text; a lone surrogate or an odd trailing byte is an error.
  private static func decodeUTF16(_ bytes: [UInt8], littleEndian: Bool, path: String)
    throws(DocumentReadError) -> String
  {
    var units: [UInt16] = []
    units.reserveCapacity(bytes.count / 2)
    var line = 1
    var index = 2
    while index + 1 < bytes.count {
      let a = UInt16(bytes[index])
      let b = UInt16(bytes[index + 1])
      let unit = littleEndian ? a | b << 8 : a << 8 | b
      if unit == 0x0A { line += 1 }
      if UTF16.isTrailSurrogate(unit), !(units.last.map(UTF16.isLeadSurrogate) ?? false) {
        throw .invalidUTF16(path: path, line: line, byteOffset: index, problem: .loneSurrogate(unit))
      }
      if let last = units.last, UTF16.isLeadSurrogate(last), !UTF16.isTrailSurrogate(unit) {
        throw .invalidUTF16(path: path, line: line, byteOffset: index - 2, problem: .loneSurrogate(last))
      }
      units.append(unit)
      index += 2
    }
    if let last = units.last, UTF16.isLeadSurrogate(last) {
      throw .invalidUTF16(path: path, line: line, byteOffset: index - 2, problem: .loneSurrogate(last))
    }
    if index < bytes.count {
      throw .invalidUTF16(path: path, line: line, byteOffset: index, problem: .oddTrailingByte)
    }
    return String(decoding: units, as: UTF16.self)
  }

  /// "UTF-16LE" or "UTF-16BE" when the first bytes hold NULs at every other place, as Latin
  /// text in UTF-16 does, and nowhere else.
  private static func utf16WithoutBOM(_ bytes: [UInt8]) -> String? {
    let sample = bytes.prefix(1024)
    guard sample.count >= 4 else { return nil }
    var even = 0
    var odd = 0
    for (offset, byte) in sample.enumerated() where byte == 0 {
      if offset % 2 == 0 { even += 1 } else { odd += 1 }
    }
    let pairs = sample.count / 2
    if odd * 10 >= pairs * 7 && even == 0 { return "UTF-16LE" }
    if even * 10 >= pairs * 7 && odd == 0 { return "UTF-16BE" }
    return nil
  }

  /// Finds the first NUL byte, control character or noncharacter and reports its line.
  private static func validateCharacters(_ text: String, path: String) throws(DocumentReadError) {
    var line = 1
    var column = 1
    var byteOffset = 0
    for scalar in text.unicodeScalars {
      if scalar == "\0" { throw .binary(path: path, line: line, byteOffset: byteOffset) }
      if scalar.isForbiddenInText {
        throw .forbiddenCharacter(path: path, line: line, column: column, scalar: scalar)
      }
      byteOffset += scalar.utf8.count
      if scalar == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
  }

  /// Finds the first NUL byte or invalid UTF-8 sequence and reports its line.
  private static func validateUTF8(_ bytes: [UInt8], from start: Int, path: String)
    throws(DocumentReadError)
  {
    var line = 1
    var index = start
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      if byte < 0x80 {
        if byte == 0 { throw .binary(path: path, line: line, byteOffset: index) }
        if byte == 0x0A { line += 1 }
        index += 1
        continue
      }
      let length: Int
      var lower: UInt8 = 0x80
      var upper: UInt8 = 0xBF
      switch byte {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        lower = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        upper = 0x9F
      case 0xF0:
        length = 4
        lower = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        upper = 0x8F
      default: throw .invalidUTF8(path: path, line: line, byteOffset: index, byte: byte)
      }
      for k in 1..<length {
        guard index + k < count else {
          throw .invalidUTF8(path: path, line: line, byteOffset: index, byte: byte)
        }
        let next = bytes[index + k]
        let (lo, hi) = k == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
        guard next >= lo && next <= hi else {
          throw .invalidUTF8(path: path, line: line, byteOffset: index, byte: byte)
        }
      }
      index += length
    }
  }
}

/// A file that is not text, told by its first bytes.
public enum FileKind: String, Sendable, Equatable {
  case pdf, gzip, zip, ole, rtf

  init?(magic bytes: [UInt8]) {
    func starts(_ prefix: [UInt8]) -> Bool { bytes.starts(with: prefix) }
    if starts(Array("%PDF-".utf8)) {
      self = .pdf
    } else if starts([0x1F, 0x8B]) {
      self = .gzip
    } else if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) {
      self = .zip
    } else if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
      self = .ole
    } else if starts(Array("{\\rtf".utf8)) {
      self = .rtf
    } else {
      return nil
    }
  }

  /// What the file is and what to do with it.
  var advice: String {
    switch self {
    case .pdf: return "a PDF, not text: convert it with `pdftotext -layout FILE.pdf FILE.txt` first"
    case .gzip: return "gzip-compressed: decompress it first (`gunzip -k FILE.gz`)"
    case .zip:
      return "a ZIP archive (a Word .docx or OpenDocument file is one): save it as plain text (UTF-8) first"
    case .ole: return "an old Word (.doc) or other Office file: save it as plain text (UTF-8) first"
    case .rtf: return "an RTF file: save it as plain text (UTF-8) first"
    }
  }
}

extension Unicode.Scalar {
  /// A character no text document holds, so the reader refuses it: the C0 controls but tab,
  /// line feed, carriage return and form feed (which the reader uses), DEL, the C1 controls,
  /// and the noncharacters (U+FDD0…U+FDEF, U+FFFE and U+FFFF in every plane).
  ///
  /// Such a character is a sign of a wrong conversion (C1 controls are Windows-1252 read as
  /// Latin-1) or of an attack on the terminal (ESC), and XML 1.0 cannot carry most of them.
  public var isForbiddenInText: Bool {
    switch value {
    case 0x09, 0x0A, 0x0C, 0x0D: return false
    case 0x00...0x1F, 0x7F...0x9F, 0xFDD0...0xFDEF: return true
    default: return value & 0xFFFE == 0xFFFE
    }
  }

  /// The character's name in messages: `U+001B (ESC)` for the controls, `U+FFFE` otherwise.
  public var codePointName: String {
    let hex = String(value, radix: 16, uppercase: true)
    let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    let names = [
      "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO",
      "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS",
      "RS", "US",
    ]
    if value < 0x20 { return "\(code) (\(names[Int(value)]))" }
    if value == 0x7F { return "\(code) (DEL)" }
    return code
  }

  /// "control character" for C0, DEL and C1, "noncharacter" or "character" otherwise.
  public var characterKind: String {
    switch value {
    case 0x00...0x1F, 0x7F...0x9F: return "control character"
    default: return isForbiddenInText ? "noncharacter" : "character"
    }
  }
}

extension SourceLine {
  /// The lines of a text, on its UTF-8 bytes: split at LF, CR LF and CR (each one Character, as
  /// controls always are), then at form feeds, which open a page; each trimmed of tabs and
  /// spaces as `CharacterSet.whitespaces` (Unicode's Zs, tab and U+200B ZERO WIDTH SPACE).
  ///
  /// - Complexity: O(*n*) in the length of `text`.
  static func lines(of text: String) -> [SourceLine] {
    var text = text
    return text.withUTF8 { bytes in
      var result: [SourceLine] = []
      var number = 0
      func appendLine(_ start: Int, _ end: Int) {
        number += 1
        var segmentStart = start
        var startsPage = false
        var index = start
        while true {
          if index == end || bytes[index] == 0x0C {
            result.append(segment(bytes, segmentStart, index, number: number, startsPage: startsPage))
            if index == end { break }
            startsPage = true
            segmentStart = index + 1
          }
          index += 1
        }
      }
      var start = 0
      var index = 0
      let count = bytes.count
      while index < count {
        let byte = bytes[index]
        if byte == 0x0A {
          appendLine(start, index)
          index += 1
          start = index
        } else if byte == 0x0D {
          appendLine(start, index)
          index += index + 1 < count && bytes[index + 1] == 0x0A ? 2 : 1
          start = index
        } else {
          index += 1
        }
      }
      appendLine(start, count)
      return result
    }
  }

  private static func segment(
    _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, number: Int, startsPage: Bool
  ) -> SourceLine {
    var first = start
    while first < end, let length = whitespaceLength(bytes, at: first, end: end) { first += length }
    var last = end
    while last > first {
      var scalarStart = last - 1
      while scalarStart > first, bytes[scalarStart] & 0xC0 == 0x80 { scalarStart -= 1 }
      guard whitespaceLength(bytes, at: scalarStart, end: end) != nil else { break }
      last = scalarStart
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<last]), as: UTF8.self)
    var leading = false
    if start < end, bytes[start] == 0x09 {
      leading = true  // a control is a Character of its own
    } else if start < end, bytes[start] == 0x20 {
      // A space is the first Character unless a combining mark joins it.
      if start + 1 == end || bytes[start + 1] < 0x80 {
        leading = true
      } else {
        leading =
          String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).first == " "
      }
    }
    return SourceLine(number: number, text: text, leadingSpace: leading, startsPage: startsPage)
  }

  /// The byte length of the white space (as `CharacterSet.whitespaces`) at `index`, or nil.
  @inline(__always)
  private static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Int? {
    let byte = bytes[index]
    if byte == 0x20 || byte == 0x09 { return 1 }
    if byte < 0x80 { return nil }
    if byte == 0xC2, index + 1 < end, bytes[index + 1] == 0xA0 { return 2 }  // U+00A0
    guard byte == 0xE1 || byte == 0xE2 || byte == 0xE3, index + 2 < end else { return nil }
    let value =
      (UInt32(byte) & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
    switch value {
    case 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return 3
    default: return nil
    }
  }
}
