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
  /// A Word file whose ZIP archive or one of whose parts is damaged.
  case corruptWordFile(path: String, reason: String)
  /// A Word file refused unread: an entry that climbs out of the package, or a zip bomb.
  case unsafeWordFile(path: String, reason: String)
  /// A ZIP archive that is not a Word document (no WordprocessingML main part).
  case notWordDocument(path: String, reason: String)
  /// A password-protected Word file (an OLE compound file holding an `EncryptedPackage`).
  case encryptedWordFile(path: String)
  /// An old binary Word document (`.doc`), whatever its name.
  case oldWordDocument(path: String)
  /// A part of a Word file that is not well-formed XML.
  case malformedWordPart(path: String, part: String, line: Int, reason: String)
  /// A PDF whose pages hold no text layer (a scan).
  case pdfWithoutText(path: String)
  /// `pdftotext` is not installed.
  case pdftotextMissing(path: String)
  /// `pdftotext` could not read the PDF.
  case unreadablePDF(path: String, reason: String)
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
    case .corruptWordFile(let path, let reason):
      return "\(path):1: not a readable Word file: \(reason); nothing was read"
    case .unsafeWordFile(let path, let reason):
      return "\(path):1: refused: \(reason); nothing was read"
    case .notWordDocument(let path, let reason):
      return "\(path):1: not a Word document: \(reason)"
    case .encryptedWordFile(let path):
      return
        "\(path):1: the Word file is encrypted (password-protected): open it in Word and save it "
        + "without a password first"
    case .oldWordDocument(let path):
      return
        "\(path):1: \(path) is an old binary Word document (.doc), not a .docx: save it as a Word "
        + "document (.docx) or as plain text (UTF-8) first"
    case .malformedWordPart(let path, let part, let line, let reason):
      return
        "\(path):1: the Word part \(part) is not well-formed XML (its line \(line): \(reason)); nothing was read"
    case .pdfWithoutText(let path):
      return
        "\(path):1: the PDF has no text layer (a scan?): it needs OCR first "
        + "(`ocrmypdf FILE.pdf FILE.ocr.pdf`, or `tesseract`)"
    case .pdftotextMissing(let path):
      return
        "\(path):1: reading a PDF needs pdftotext, which is not installed: install poppler-utils "
        + "(`apt-get install poppler-utils`, or `bash Scripts/install-deps.sh`)"
    case .unreadablePDF(let path, let reason):
      return "\(path):1: pdftotext cannot read the PDF: \(reason)"
    case .forbiddenCharacter(let path, let line, let column, let scalar):
      return
        "\(path):\(line):\(column): \(scalar.characterKind) \(scalar.codePointName) in the text; "
        + "a document holds text only (of the controls, tab, line feed, carriage return and form "
        + "feed): remove it or convert the file again"
    }
  }
}
