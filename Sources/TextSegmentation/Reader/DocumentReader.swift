import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a UN document as it reaches a translator and returns its clean paragraphs.
///
/// It takes the four layouts of the corpus: Markdown-ish conversions, pdftotext pages (form
/// feeds, running headers and footers, footnotes under a rule), hard-wrapped OCR, and one
/// paragraph a line with the footnotes under "Notes". Paragraphs cut by a page break are
/// joined again, footnotes become ``ParagraphKind/footnote`` paragraphs wherever they stand,
/// inline markup is removed from the text and kept in ``Paragraph/markup``.
///
/// ```swift
/// let document = try DocumentReader().read(contentsOf: url, language: .french)
/// for paragraph in document.paragraphs where paragraph.kind == .body { print(paragraph.text) }
/// ```
public struct DocumentReader: Sendable {
  public init() {}

  /// Reads a UTF-8 file (a BOM is allowed), a UTF-16 file with a BOM, a Word document (`.docx`,
  /// ``WordDocumentReader``) or a PDF (through `pdftotext`, ``PDFTextReader``), told by content.
  ///
  /// The file may be a FIFO or a device such as `/dev/stdin`: it is read to its end.
  ///
  /// - Parameters:
  ///   - url: The file.
  ///   - language: The document's language; `nil` detects it (``LanguageDetector``).
  /// - Throws: ``DocumentReadError`` when the file is missing, unreadable, empty, binary, not
  ///   text (a compressed file, an old `.doc`), a damaged, unsafe or encrypted Word file, a PDF
  ///   without text, not in a supported encoding or holds a control character.
  /// - Complexity: O(*n*) in the size of the file.
  public func read(contentsOf url: URL, language: Language? = nil) throws(DocumentReadError) -> Document {
    let path = url.isFileURL ? url.relativePath : url.absoluteString
    let bytes = try Self.bytes(ofFile: url.path, name: path)
    return try read(bytes: bytes, source: path, language: language)
  }

  /// Reads a document from its bytes (standard input, say), decoded as ``read(contentsOf:language:)``
  /// decodes a file.
  ///
  /// - Parameters:
  ///   - bytes: The whole file.
  ///   - source: Where it came from, for messages (a path, or `<stdin>`).
  ///   - language: The document's language; `nil` detects it.
  public func read(bytes: [UInt8], source: String, language: Language? = nil) throws(DocumentReadError)
    -> Document
  {
    switch FileKind(magic: bytes) {
    case .zip:
      var word = try WordDocumentReader(data: Data(bytes), path: source)
      return try word.read(language: language)
    case .pdf:
      return try PDFTextReader.read(bytes: bytes, source: source, language: language)
    case .ole:
      // Word saves a password-protected .docx as an OLE compound file with an EncryptedPackage
      // stream; any other OLE file is an old binary Office document.
      if Self.contains(bytes, Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
      {
        throw .encryptedWordFile(path: source)
      }
      throw .oldWordDocument(path: source)
    default:
      let text = try SourceDecoder.decode(bytes, path: source)
      return read(text: text, source: source, language: language)
    }
  }

  private static func contains(_ bytes: [UInt8], _ pattern: [UInt8]) -> Bool {
    guard let first = pattern.first, bytes.count >= pattern.count else { return false }
    var index = 0
    while index <= bytes.count - pattern.count {
      if bytes[index] == first, bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return true }
      index += 1
    }
    return false
  }

  /// The name messages give standard input.
  public static let standardInputName = "<stdin>"

  /// The bytes of a file read to its end with read(2): a regular file, a FIFO or a device;
  /// `-` is standard input.
  ///
  /// - Parameters:
  ///   - path: The file, or `-`.
  ///   - name: The file's name in errors (`path`, or ``standardInputName`` for `-`, if nil).
  public static func bytes(ofFile path: String, name: String? = nil) throws(DocumentReadError) -> [UInt8] {
    if path == "-" { return try readAll(descriptor: 0, name: name ?? standardInputName) }
    let name = name ?? path
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      switch code {
      case ENOENT, ENOTDIR: throw .fileNotFound(path: name)
      case EACCES: throw .unreadable(path: name, reason: "no permission to read it")
      default: throw .unreadable(path: name, reason: String(cString: strerror(code)))
      }
    }
    defer { close(descriptor) }
    return try readAll(descriptor: descriptor, name: name)
  }

  private static func readAll(descriptor: Int32, name: String) throws(DocumentReadError) -> [UInt8] {
    var status = stat()
    if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
      throw .unreadable(path: name, reason: "it is a folder")
    }
    var bytes: [UInt8] = []
    if status.st_mode & S_IFMT == S_IFREG, status.st_size > 0 { bytes.reserveCapacity(Int(status.st_size)) }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if count == 0 { break }
      if count < 0 {
        if errno == EINTR { continue }
        throw .unreadable(path: name, reason: String(cString: strerror(errno)))
      }
      bytes.append(contentsOf: chunk[..<count])
    }
    return bytes
  }

  /// Reads a document already in memory.
  ///
  /// - Parameters:
  ///   - text: The whole document.
  ///   - source: Where it came from, for messages (a path).
  ///   - language: The document's language; `nil` detects it.
  /// - Complexity: O(*n*) in the length of `text`.
  public func read(text: String, source: String, language: Language? = nil) -> Document {
    let language = language ?? LanguageDetector.detect(text)
    var assembler = ParagraphAssembler(text: text, language: language)
    let paragraphs = assembler.assemble()
    return Document(
      source: source, language: language, paragraphs: paragraphs, repairs: assembler.repairs,
      symbol: ParagraphAssembler.symbol(lines: assembler.lines, paragraphs: paragraphs))
  }
}

/// How the text of a document is laid out.
enum DocumentLayout: Sendable, Equatable {
  /// Paragraphs on long lines separated by blank lines, with Markdown-ish markup.
  case markdown
  /// pdftotext pages separated by form feeds, hard-wrapped.
  case paged
  /// Hard-wrapped lines (OCR), no form feeds.
  case hardWrapped
  /// One paragraph a line, no blank lines.
  case linePerParagraph

  static func detect(_ lines: [SourceLine]) -> DocumentLayout {
    if lines.contains(where: \.startsPage) { return .paged }
    let nonBlank = lines.filter { !$0.text.isEmpty }
    guard !nonBlank.isEmpty else { return .markdown }
    let long = nonBlank.filter { $0.text.characterCount > 160 }.count
    let blank = lines.count - nonBlank.count
    if long * 100 >= nonBlank.count * 15 {
      return blank * 10 < lines.count ? .linePerParagraph : .markdown
    }
    return .hardWrapped
  }
}

/// One line of the source, trimmed; a form feed starts a new line that opens a page.
struct SourceLine: Sendable {
  /// 1-based line number in the file.
  var number: Int
  var text: String
  /// The raw line started with white space (an OCR block often does).
  var leadingSpace: Bool
  /// A form feed came just before this line.
  var startsPage: Bool

  static func split(_ text: String) -> [SourceLine] { lines(of: text) }
}
