/// A growing buffer of UTF-8 XML, with escaping that copies runs of plain bytes at once.
///
/// A struct used through `inout`: appending to a class's stored array costs a dynamic
/// exclusivity check per call, which dominated export time.
struct _XMLOutput {
  var bytes: [UInt8] = []
  /// Characters XML forbids, written as U+FFFD.
  var replacedCharacters = 0

  // Bytes below 0x40 that need a look in text and in attributes: controls, `"`, `&`, `<`, `>`.
  private static let textMask: UInt64 = 0x0000_0000_FFFF_FFFF | (1 << 0x26) | (1 << 0x3C) | (1 << 0x3E)
  private static let attributeMask: UInt64 = textMask | (1 << 0x22)

  @inline(__always)
  mutating func append(_ string: StaticString) {
    string.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  @inline(__always)
  mutating func append(_ byte: UInt8) { bytes.append(byte) }

  /// Appends ASCII digits of a number.
  mutating func append(number: Int) {
    if number < 0 {
      bytes.append(UInt8(ascii: "-"))
      append(number: 0 &- number)
      return
    }
    if number < 10 {
      bytes.append(UInt8(48 + number))
      return
    }
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var value = UInt64(number)
    withUnsafeMutableBytes(of: &digits) { buffer in
      while value > 0 {
        buffer[19 - count] = UInt8(48 + value % 10)
        value /= 10
        count += 1
      }
      bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
    }
  }

  /// Appends ` name="value"` with the value escaped.
  mutating func attribute(_ name: StaticString, _ value: some StringProtocol) {
    bytes.append(0x20)
    append(name)
    bytes.append(UInt8(ascii: "="))
    bytes.append(UInt8(ascii: "\""))
    escape(value, inAttribute: true)
    bytes.append(UInt8(ascii: "\""))
  }

  /// Appends ` name="value"` for raw UTF-8.
  mutating func attribute(_ name: StaticString, utf8 value: UnsafeBufferPointer<UInt8>) {
    bytes.append(0x20)
    append(name)
    bytes.append(UInt8(ascii: "="))
    bytes.append(UInt8(ascii: "\""))
    escape(value, inAttribute: true)
    bytes.append(UInt8(ascii: "\""))
  }

  /// Appends ` name="N"`.
  mutating func attribute(_ name: StaticString, number: Int) {
    bytes.append(0x20)
    append(name)
    bytes.append(UInt8(ascii: "="))
    bytes.append(UInt8(ascii: "\""))
    append(number: number)
    bytes.append(UInt8(ascii: "\""))
  }

  /// Appends a TMX date attribute, `YYYYMMDDThhmmssZ`.
  mutating func attribute(_ name: StaticString, date seconds: Int64) {
    bytes.append(0x20)
    append(name)
    bytes.append(UInt8(ascii: "="))
    bytes.append(UInt8(ascii: "\""))
    TMXDate.append(seconds: seconds, to: &bytes)
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func text(_ value: some StringProtocol) {
    escape(value, inAttribute: false)
  }

  mutating func escape(_ value: some StringProtocol, inAttribute: Bool) {
    let done: Void? = value.utf8.withContiguousStorageIfAvailable { escape($0, inAttribute: inAttribute) }
    if done == nil {
      let copy = Array(value.utf8)
      copy.withUnsafeBufferPointer { escape($0, inAttribute: inAttribute) }
    }
  }

  /// Escapes valid UTF-8 for text or an attribute value.
  ///
  /// `&`, `<`, `>` always, `"` in attributes; CR always and tab and LF in attributes become
  /// character references (so a reader gets them back); other C0 controls, U+FFFE and U+FFFF become
  /// U+FFFD.
  mutating func escape(_ input: UnsafeBufferPointer<UInt8>, inAttribute: Bool) {
    let mask = inAttribute ? Self.attributeMask : Self.textMask
    let count = input.count
    var runStart = 0
    var index = 0
    let raw = UnsafeRawBufferPointer(input)
    while index < count {
      // Eight plain bytes at a time.
      if index + 8 <= count {
        let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        if !Self.needsLook(word, inAttribute: inAttribute) {
          index += 8
          continue
        }
      }
      let byte = input[index]
      if byte < 0x40 {
        if mask & (1 << UInt64(byte)) == 0 {
          index += 1
          continue
        }
      } else if byte != 0xEF {
        index += 1
        continue
      }
      // A byte that needs a look.
      if byte == 0xEF {
        if index + 2 < count, input[index + 1] == 0xBF, input[index + 2] >= 0xBE {
          flushRun(input, runStart, index)
          bytes.append(contentsOf: [0xEF, 0xBF, 0xBD] as [UInt8])
          replacedCharacters += 1
          index += 3
          runStart = index
        } else {
          index += 1
        }
        continue
      }
      flushRun(input, runStart, index)
      switch byte {
      case UInt8(ascii: "&"): append("&amp;")
      case UInt8(ascii: "<"): append("&lt;")
      case UInt8(ascii: ">"): append("&gt;")
      case UInt8(ascii: "\""): append("&quot;")
      case 0x0D: append("&#13;")
      case 0x09: if inAttribute { append("&#9;") } else { bytes.append(byte) }
      case 0x0A: if inAttribute { append("&#10;") } else { bytes.append(byte) }
      default:
        bytes.append(contentsOf: [0xEF, 0xBF, 0xBD] as [UInt8])
        replacedCharacters += 1
      }
      index += 1
      runStart = index
    }
    flushRun(input, runStart, count)
  }

  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let highs: UInt64 = 0x8080_8080_8080_8080

  /// Whether one of eight bytes is below 0x20 or is `&`, `<`, `>`, 0xEF (or `"` in an attribute).
  @inline(__always)
  private static func needsLook(_ word: UInt64, inAttribute: Bool) -> Bool {
    @inline(__always) func hasZero(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
    let below = (word &- ones &* 0x20) & ~word & highs != 0
    return below || hasZero(word ^ (ones &* 0x26)) || hasZero(word ^ (ones &* 0x3C))
      || hasZero(word ^ (ones &* 0x3E)) || hasZero(word ^ (ones &* 0xEF))
      || (inAttribute && hasZero(word ^ (ones &* 0x22)))
  }

  @inline(__always)
  private mutating func flushRun(_ input: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
    if end > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<end])) }
  }

  /// Appends `value` to a `String` with `&`, `<`, `>` (and `"` when `quotes`) escaped: for the
  /// XML of a foreign element kept as a placeholder's content.
  static func escapeText(_ value: String, into output: inout String, quotes: Bool = false) {
    for character in value.unicodeScalars {
      switch character {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"" where quotes: output += "&quot;"
      default: output.unicodeScalars.append(character)
      }
    }
  }
}
