/// Why a document could not be read.
///
/// Each case names the file; ``description`` has the shape `path:LINE: what is wrong`.
public enum DocumentReadError: Error, Equatable, CustomStringConvertible {
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
  /// The file starts with a byte-order mark of an encoding the reader does not take.
  case unsupportedEncoding(path: String, encoding: String)

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
    case .unsupportedEncoding(let path, let encoding):
      return "\(path):1: unsupported encoding \(encoding); use UTF-8 or UTF-16 with a byte-order mark"
    }
  }
}
