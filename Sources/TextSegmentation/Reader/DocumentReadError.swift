/// Why a document could not be read.
///
/// Each case names the file; ``description`` has the shape `path:LINE: what is wrong`.
public enum DocumentReadError: Error, Equatable, CustomStringConvertible {
  /// What is wrong with a UTF-16 file.
  public enum UTF16Problem: Equatable, Sendable {
    /// A surrogate code unit without its other half.
    case loneSurrogate(UInt16)
    /// The file ends in the middle of a code unit.
    case oddTrailingByte
  }

  /// The file does not exist.
  case fileNotFound(path: String)
  /// The file exists but could not be read (permissions, a folder, an I/O error).
  case unreadable(path: String, reason: String)
  /// The file holds no text (nothing, or only white space and a byte-order mark).
  case empty(path: String)
  /// The file holds a NUL byte, so it is not text.
  case binary(path: String, line: Int, byteOffset: Int)
  /// A byte sequence is not valid UTF-8 (often a Latin-1 or Windows-1252 file).
  case invalidUTF8(path: String, line: Int, byteOffset: Int, byte: UInt8)
  /// A UTF-16 file (with a byte-order mark) holds a lone surrogate or an odd number of bytes.
  case invalidUTF16(path: String, line: Int, byteOffset: Int, problem: UTF16Problem)
  /// The file starts with a byte-order mark of an encoding the reader does not take, or is
  /// UTF-16 without one.
  case unsupportedEncoding(path: String, encoding: String)
  /// The file is a PDF, a compressed file or an office document, told by its first bytes.
  case notText(path: String, kind: FileKind)
  /// The text holds a control character or a noncharacter (``Unicode/Scalar/isForbiddenInText``).
  case forbiddenCharacter(path: String, line: Int, column: Int, scalar: Unicode.Scalar)

  public var description: String {
    switch self {
    case .fileNotFound(let path):
      return "\(path): no such file"
    case .unreadable(let path, let reason):
      return "\(path): cannot read the file: \(reason)"
    case .empty(let path):
      return "\(path):1: the file is empty"
    case .binary(let path, let line, let offset):
      return "\(path):\(line): binary data (a NUL byte at byte offset \(offset)); expected a text file"
    case .invalidUTF8(let path, let line, let offset, let byte):
      let hex = String(byte, radix: 16, uppercase: true)
      return
        "\(path):\(line): invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex) at byte offset \(offset)); convert the file to UTF-8"
    case .invalidUTF16(let path, let line, let offset, let problem):
      switch problem {
      case .loneSurrogate(let unit):
        let hex = String(unit, radix: 16, uppercase: true)
        return
          "\(path):\(line): invalid UTF-16 (a lone surrogate 0x\(hex) at byte offset \(offset)); "
          + "the file is damaged: convert it again from its original"
      case .oddTrailingByte:
        return
          "\(path):\(line): invalid UTF-16 (an odd trailing byte at byte offset \(offset)); "
          + "the file is truncated or not UTF-16"
      }
    case .unsupportedEncoding(let path, let encoding):
      let name = encoding.prefix { $0 != " " }
      return
        "\(path):1: unsupported encoding \(encoding); use UTF-8 or UTF-16 with a byte-order mark "
        + "(`iconv -f \(name) -t UTF-8 FILE > FILE.utf8.txt`)"
    case .notText(let path, let kind):
      return "\(path):1: \(path) is \(kind.advice)"
    case .forbiddenCharacter(let path, let line, let column, let scalar):
      return
        "\(path):\(line):\(column): \(scalar.characterKind) \(scalar.codePointName) in the text; "
        + "a document holds text only (of the controls, tab, line feed, carriage return and form "
        + "feed): remove it or convert the file again"
    }
  }
}
