import Foundation

/// Finds the first bytes of a UTF-16 file that aren't UTF-16, when libxml2 stopped at them
/// without saying where: it is read again from the start, on this error path only.
enum UTF16Scan {
  enum Encoding {
    case littleEndian, bigEndian

    /// UTF-16 as libxml2 detects it: a byte order mark, or `<?` in UTF-16; nil for anything else.
    init?(firstBytes bytes: UnsafeRawBufferPointer) {
      guard bytes.count >= 2 else { return nil }
      switch (bytes[0], bytes[1]) {
      case (0xFF, 0xFE): self = .littleEndian
      case (0xFE, 0xFF): self = .bigEndian
      case (0x3C, 0x00) where bytes.count >= 4 && bytes[2] == 0x3F && bytes[3] == 0x00: self = .littleEndian
      case (0x00, 0x3C) where bytes.count >= 4 && bytes[2] == 0x00 && bytes[3] == 0x3F: self = .bigEndian
      default: return nil
      }
    }
  }

  struct Problem: Equatable {
    /// 1-based, counted as libxml2 counts: CR LF, CR and LF end a line; a column is a character.
    var line: Int
    var column: Int
    /// The offset of the bad code unit (or lone byte) in the file.
    var offset: Int
    var reason: String
  }

  /// The first lone surrogate, or an odd last byte; nil when the file is good UTF-16.
  static func firstProblem(descriptor: Int32, encoding: Encoding) -> Problem? {
    let size = 1 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 2)
    defer { buffer.deallocate() }
    guard let base = buffer.baseAddress else { return nil }
    var line = 1
    var column = 1
    var afterCR = false
    var high: (unit: UInt16, offset: Int)?
    var position = 0
    func hex(_ unit: UInt16) -> String { "0x" + String(unit, radix: 16, uppercase: true) }
    while true {
      var count = 0
      while count < size {
        let read = pread(descriptor, base + count, size - count, off_t(position + count))
        if read < 0 && errno == EINTR { continue }
        if read <= 0 { break }
        count += read
      }
      if count == 0 { break }
      var index = 0
      if position == 0, count >= 2,
        (buffer[0], buffer[1]) == (0xFF, 0xFE) || (buffer[0], buffer[1]) == (0xFE, 0xFF)
      {
        index = 2
      }
      while index + 1 < count {
        let unit =
          encoding == .bigEndian
          ? UInt16(buffer[index]) << 8 | UInt16(buffer[index + 1])
          : UInt16(buffer[index + 1]) << 8 | UInt16(buffer[index])
        let at = position + index
        index += 2
        if let pending = high {
          high = nil
          if (0xDC00...0xDFFF).contains(unit) {
            column += 1
            continue
          }
          return Problem(
            line: line, column: column, offset: pending.offset,
            reason: "invalid UTF-16: lone surrogate \(hex(pending.unit)), not followed by a low surrogate")
        }
        switch unit {
        case 0xD800...0xDBFF: high = (unit, at)
        case 0xDC00...0xDFFF:
          return Problem(
            line: line, column: column, offset: at,
            reason: "invalid UTF-16: lone surrogate \(hex(unit)), not preceded by a high surrogate")
        case 0x0A where afterCR: break
        case 0x0A, 0x0D:
          line += 1
          column = 1
        default: column += 1
        }
        afterCR = unit == 0x0D
      }
      if index < count {
        // An odd byte: only at the end of the file, where a read comes back short.
        return Problem(
          line: line, column: column, offset: position + index,
          reason: "invalid UTF-16: the file ends with half a code unit (an odd number of bytes)")
      }
      position += count
      if count < size { break }
    }
    if let pending = high {
      return Problem(
        line: line, column: column, offset: pending.offset,
        reason: "invalid UTF-16: lone surrogate \(hex(pending.unit)) at the end of the file")
    }
    return nil
  }
}
