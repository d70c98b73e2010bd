import Foundation

/// Turns the bytes of a file into text: UTF-8 (with or without a BOM) or UTF-16 with a BOM.
enum SourceDecoder {
  /// - Complexity: O(*n*) in the number of bytes.
  static func decode(_ bytes: [UInt8], path: String) throws(DocumentReadError) -> String {
    if bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xFE, bytes[2] == 0, bytes[3] == 0 {
      throw .unsupportedEncoding(path: path, encoding: "UTF-32LE")
    }
    if bytes.count >= 4, bytes[0] == 0, bytes[1] == 0, bytes[2] == 0xFE, bytes[3] == 0xFF {
      throw .unsupportedEncoding(path: path, encoding: "UTF-32BE")
    }
    let text: String
    if bytes.count >= 2, bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF {
      let littleEndian = bytes[0] == 0xFF
      var units: [UInt16] = []
      units.reserveCapacity(bytes.count / 2)
      var index = 2
      while index + 1 < bytes.count {
        let a = UInt16(bytes[index])
        let b = UInt16(bytes[index + 1])
        units.append(littleEndian ? a | b << 8 : a << 8 | b)
        index += 2
      }
      text = String(decoding: units, as: UTF16.self)
    } else {
      let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
      try validateUTF8(bytes, from: start, path: path)
      text = String(decoding: bytes[start...], as: UTF8.self)
    }
    if text.allSatisfy({ $0.isWhitespace || $0 == "\u{FEFF}" }) { throw .empty(path: path) }
    if let nul = text.utf8.firstIndex(of: 0) {
      let prefix = text.utf8[..<nul]
      let line = 1 + prefix.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
      throw .binary(path: path, line: line, byteOffset: prefix.count)
    }
    return text
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
