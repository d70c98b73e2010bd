internal import CLibXML2
import Foundation

/// libxml2's SAX2 push parser over one file, fed 1 MiB at a time, turned into Swift events:
/// the only code that sees libxml2.
///
/// The parser never loads a DTD, never touches the network and never expands entities: it
/// reports entity declarations and references to its ``XMLEventHandler`` and lets it decide.
final class XMLPushParser {
  /// Bytes read from the file at a time.
  static let chunkSize = 1 << 20
  /// Bytes handed to libxml2 at a time.
  static let sliceSize = 64 << 10

  let path: String
  /// The file's size in bytes.
  let fileSize: Int
  /// Bytes handed to libxml2 so far, counting the slice being parsed.
  private(set) var bytesFed = 0
  private(set) var stopped = false
  private let descriptor: Int32
  private var context: xmlParserCtxtPtr?

  /// Opens the file; `-` is standard input.
  ///
  /// A stream (standard input, a pipe, a FIFO) is first copied into an unnamed temporary file:
  /// the reader needs the size and, to place an encoding error, a second look at the bytes.
  ///
  /// - Throws: ``TMXError/cannotOpen(file:reason:)``.
  init(file path: String) throws {
    self.path = path
    let opened = path == "-" ? dup(STDIN_FILENO) : open(path, O_RDONLY)
    guard opened >= 0 else {
      throw TMXError.cannotOpen(file: path, reason: String(cString: strerror(errno)))
    }
    var status = stat()
    guard fstat(opened, &status) == 0 else {
      let reason = String(cString: strerror(errno))
      close(opened)
      throw TMXError.cannotOpen(file: path, reason: reason)
    }
    if (status.st_mode & S_IFMT) == S_IFREG {
      descriptor = opened
      fileSize = Int(status.st_size)
    } else {
      defer { close(opened) }
      (descriptor, fileSize) = try Self.spool(opened, path: path)
    }
  }

  /// Copies a stream into an unnamed temporary file, rewound; returns its descriptor and size.
  private static func spool(_ stream: Int32, path: String) throws -> (Int32, Int) {
    do {
      return try StreamCopy.copy(stream, chunkSize: chunkSize)
    } catch {
      throw TMXError.cannotOpen(file: path, reason: error.description)
    }
  }

  deinit { close(descriptor) }

  /// Where the parser is: just after the current start tag, text or reference.
  var location: (line: Int, column: Int) {
    guard let input = context?.pointee.input else { return (1, 1) }
    return (max(Int(input.pointee.line), 1), max(Int(input.pointee.col), 1))
  }

  /// Whether the parser is inside the document's DTD.
  var isInSubset: Bool { (context?.pointee.inSubset ?? 0) != 0 }

  /// Ends the parsing: no event follows, and no byte more is handed to libxml2.
  ///
  /// Safe inside an event: libxml2 goes on through the slice it is parsing with its callbacks
  /// off, and its buffers stay valid. `xmlStopParser` would free them under the caller (libxml2
  /// 2.9's `xmlHaltParser`), who may still be reading the attributes of the current tag.
  func stop() {
    stopped = true
    context?.pointee.disableSAX = 1
  }

  /// The offset in the file of the byte the parser is at, for the part of the file not read.
  var byteOffset: Int {
    guard let context else { return bytesFed }
    return min(max(Int(xmlByteConsumed(context)), 0), fileSize)
  }

  /// Parses the file to its end, or until ``stop()``, reporting to `handler`.
  ///
  /// libxml2's messages never reach standard error: errors tied to the parser go to `handler`,
  /// and those it raises without one (bytes the input's encoding can't convert) stop the reading
  /// and are reported to `handler` too, at the place of the bad bytes.
  ///
  /// - Throws: ``TMXError/cannotOpen(file:reason:)`` when the file can't be read. XML errors are
  ///   reported to `handler`, not thrown.
  func parse(reportingTo handler: XMLEventHandler) throws {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    var table = Self.callbacks()
    // The first bytes tell libxml2 the encoding (a UTF-16 byte order mark).
    var count = readChunk(buffer)
    guard count >= 0 else { throw TMXError.cannotOpen(file: path, reason: String(cString: strerror(errno))) }
    let encoding = UTF16Scan.Encoding(firstBytes: UnsafeRawBufferPointer(start: buffer, count: count))
    let head = min(count, 4)
    let silenced = LibXML2Messages()
    defer { silenced.restore() }
    guard
      let context = xmlCreatePushParserCtxt(
        &table, Unmanaged.passUnretained(handler).toOpaque(), buffer.assumingMemoryBound(to: CChar.self),
        Int32(head), path)
    else {
      throw TMXError.cannotOpen(file: path, reason: "libxml2 cannot start a parser")
    }
    defer {
      self.context = nil
      xmlFreeParserCtxt(context)
    }
    // NONET: no network. Not NOENT (entities stay references), not DTDLOAD, not HUGE (libxml2's
    // size and depth limits stay on, and a giant text node is never buffered whole).
    xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
    self.context = context
    var offset = head
    var consumed = 0
    /// Whether libxml2 gave up without telling the handler, which then hears why.
    func haltedSilently(terminating: Bool) -> Bool {
      guard !stopped else { return false }
      guard silenced.error != nil || (!terminating && context.pointee.instate == XML_PARSER_EOF) else {
        return false
      }
      handler.error(unconvertible(encoding, message: silenced.error))
      return true
    }
    while !stopped {
      // Fed in slices that stay in the CPU cache while libxml2 copies and parses them.
      while offset < count && !stopped {
        let slice = min(count - offset, Self.sliceSize)
        bytesFed = consumed + offset + slice
        xmlParseChunk(
          context, buffer.advanced(by: offset).assumingMemoryBound(to: CChar.self), Int32(slice), 0)
        offset += slice
        if haltedSilently(terminating: false) { return }
      }
      consumed += count
      if stopped { break }
      offset = 0
      count = readChunk(buffer)
      if count < 0 { throw TMXError.cannotOpen(file: path, reason: String(cString: strerror(errno))) }
      if count == 0 {
        bytesFed = consumed
        xmlParseChunk(context, nil, 0, 1)
        if haltedSilently(terminating: true) { return }
        // libxml2 drops an odd last byte of UTF-16.
        if encoding != nil && fileSize % 2 == 1 && !stopped {
          handler.error(unconvertible(encoding, message: nil))
        }
        break
      }
    }
  }

  /// The error for bytes libxml2 could not convert: where the first bad UTF-16 code unit is,
  /// or else where the parser stopped.
  private func unconvertible(_ encoding: UTF16Scan.Encoding?, message: String?) -> XMLParseError {
    if let encoding, let bad = UTF16Scan.firstProblem(descriptor: descriptor, encoding: encoding) {
      return XMLParseError(
        kind: .illegalCharacter, message: bad.reason, line: bad.line, column: bad.column,
        byteOffset: bad.offset)
    }
    let (line, column) = location
    return XMLParseError(
      kind: .illegalCharacter,
      message: "bytes that are not in the file's encoding (libxml2: \(message ?? "conversion failed"))",
      line: line, column: column, byteOffset: byteOffset)
  }

  /// Fills the buffer as far as the file goes: the number of bytes, 0 at the end, -1 on error.
  private func readChunk(_ buffer: UnsafeMutableRawPointer) -> Int {
    var filled = 0
    while filled < Self.chunkSize {
      let count = Foundation.read(descriptor, buffer.advanced(by: filled), Self.chunkSize - filled)
      if count < 0 {
        if errno == EINTR { continue }
        return -1
      }
      if count == 0 { break }
      filled += count
    }
    return filled
  }

  // MARK: SAX callbacks

  /// The SAX table: each callback calls the handler that libxml2's user pointer points to,
  /// borrowed (no reference counting on this hot path).
  private static func callbacks() -> xmlSAXHandler {
    var table = xmlSAXHandler()
    table.initialized = XML_SAX2_MAGIC
    table.startElementNs = { user, name, prefix, _, _, _, attributeCount, _, attributes in
      guard let name else { return }
      let attributes = XMLAttributes(base: attributes, count: Int(attributeCount), elementPrefix: prefix)
      XMLPushParser.withHandler(user) { $0.startElement(name, attributes: attributes) }
    }
    table.endElementNs = { user, _, _, _ in XMLPushParser.withHandler(user) { $0.endElement() } }
    let characters: charactersSAXFunc = { user, characters, length in
      guard let characters, length > 0 else { return }
      let text = UnsafeBufferPointer(start: characters, count: Int(length))
      XMLPushParser.withHandler(user) { $0.characters(text) }
    }
    table.characters = characters
    table.ignorableWhitespace = characters
    table.cdataBlock = characters
    table.getEntity = { user, name in
      guard let name else { return nil }
      XMLPushParser.withHandler(user) { $0.entityLookedUp(String(cString: name)) }
      return nil
    }
    table.reference = { user, name in
      guard let name else { return }
      XMLPushParser.withHandler(user) { $0.undeclaredEntityReferenced(String(cString: name)) }
    }
    table.entityDecl = { user, name, type, _, systemID, content in
      guard let name else { return }
      let isExternal =
        type == Int32(XML_EXTERNAL_GENERAL_PARSED_ENTITY.rawValue)
        || type == Int32(XML_EXTERNAL_GENERAL_UNPARSED_ENTITY.rawValue)
      XMLPushParser.withHandler(user) {
        $0.entityDeclared(
          String(cString: name), isExternal: isExternal,
          systemID: systemID.map { String(cString: $0) } ?? "",
          content: content.map { String(cString: $0) } ?? "")
      }
    }
    table.serror = { user, error in
      guard let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
      XMLPushParser.withHandler(user) { $0.error(XMLParseError(error.pointee)) }
    }
    // No internalSubset, externalSubset, resolveEntity or getParameterEntity: no DTD is built
    // or loaded, and no entity is ever looked up anywhere but in the handler's own table.
    return table
  }

  private static func withHandler(_ user: UnsafeMutableRawPointer?, _ body: (XMLEventHandler) -> Void) {
    guard let user else { return }
    Unmanaged<XMLEventHandler>.fromOpaque(user)._withUnsafeGuaranteedRef(body)
  }
}

/// Keeps libxml2's own messages off standard error on this thread while a parser runs.
///
/// libxml2 raises some errors without a parser (bytes the input's encoding can't convert): they
/// go to its per-thread structured handler, here the first one kept as ``error``. Its generic
/// messages (`xmlParseChunk: encoder error`) go to a memory stream no one prints.
private final class LibXML2Messages {
  private(set) var error: String?
  private var stream: UnsafeMutablePointer<FILE>?
  private var text: UnsafeMutablePointer<CChar>?
  private var size = 0

  init() {
    // Its first call would set the generic handler back to its default.
    xmlInitParser()
    stream = open_memstream(&text, &size)
    xmlSetGenericErrorFunc(stream.map { UnsafeMutableRawPointer($0) }, nil)
    xmlSetStructuredErrorFunc(Unmanaged.passUnretained(self).toOpaque()) { user, error in
      guard let user, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
      let messages = Unmanaged<LibXML2Messages>.fromOpaque(user).takeUnretainedValue()
      guard messages.error == nil else { return }
      messages.error = (error.pointee.message.map { String(cString: $0) } ?? "error \(error.pointee.code)")
        .trimmingCharacters(in: .whitespacesAndNewlines)
    }
  }

  /// Gives libxml2 its default handlers back.
  func restore() {
    xmlSetStructuredErrorFunc(nil, nil)
    xmlSetGenericErrorFunc(nil, nil)
    if let stream { fclose(stream) }
    stream = nil
    free(text)
    text = nil
  }
}

/// Receives an ``XMLPushParser``'s events, in document order: subclass it and override what you
/// need (each event is ignored by default). Names and texts point into libxml2's buffers and are
/// valid only during the call.
///
/// A class rather than a protocol or closures: libxml2's callbacks reach it through a raw pointer
/// and call it borrowed, without retaining anything per event.
class XMLEventHandler {
  /// A start tag: its NUL-terminated local name and its attributes.
  func startElement(_ name: UnsafePointer<UInt8>, attributes: XMLAttributes) {}
  func endElement() {}
  /// Text, CDATA or white space, as UTF-8.
  func characters(_ text: UnsafeBufferPointer<UInt8>) {}
  /// A general entity declared by the document's DTD.
  func entityDeclared(_ name: String, isExternal: Bool, systemID: String, content: String) {}
  /// libxml2 looks a general entity up: for a reference, or right after its declaration (then
  /// ``XMLPushParser/isInSubset``).
  func entityLookedUp(_ name: String) {}
  /// An entity neither declared nor predefined, in a document with an external DTD (which is
  /// never loaded): libxml2 only warns, and would drop the reference.
  func undeclaredEntityReferenced(_ name: String) {}
  /// An error (not a warning); parsing may go on after it.
  func error(_ error: XMLParseError) {}
}

/// The attributes of a start tag, read in place from libxml2's buffers.
struct XMLAttributes {
  /// Five pointers per attribute: local name, prefix, URI, value start, value end.
  fileprivate let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
  fileprivate let count: Int
  /// The namespace prefix of the element itself (`tei` for `<tei:milestone>`), if any.
  let elementPrefix: UnsafePointer<UInt8>?

  func forEach(_ body: (XMLAttribute) -> Void) {
    guard let base else { return }
    for index in 0..<count {
      let first = index * 5
      guard let name = base[first], let start = base[first + 3], let end = base[first + 4] else { continue }
      body(XMLAttribute(name: name, prefix: base[first + 1], start: start, end: end))
    }
  }
}

/// One attribute of the current start tag, pointing into libxml2's buffers.
struct XMLAttribute {
  var name: UnsafePointer<UInt8>
  var prefix: UnsafePointer<UInt8>?
  var start: UnsafePointer<UInt8>
  var end: UnsafePointer<UInt8>

  /// The name as written: `prefix:local` or `local`.
  var qualifiedName: String { Self.qualified(name, prefix: prefix) }

  /// `prefix:local`, or `local` without a prefix.
  static func qualified(_ name: UnsafePointer<UInt8>, prefix: UnsafePointer<UInt8>?) -> String {
    let local = String(cString: name)
    guard let prefix else { return local }
    return String(cString: prefix) + ":" + local
  }

  /// The value as a number when it is 1 to 18 ASCII digits and nothing else; nil otherwise.
  var decimalDigits: Int? {
    let count = end - start
    guard count > 0 && count <= 18 else { return nil }
    var number = 0
    for index in 0..<count {
      let digit = start[index] &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      number = number * 10 + Int(digit)
    }
    return number
  }

  /// Whether the local name is `literal`.
  func named(_ literal: StaticString) -> Bool {
    strcmp(
      UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self),
      UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
  }

  /// The value. Without entity substitution libxml2 leaves an `&` from `&amp;` or `&#38;` as
  /// `&#38;` in attribute values.
  var value: String {
    let bytes = UnsafeBufferPointer(start: start, count: end - start)
    let text = String(decoding: bytes, as: UTF8.self)
    guard bytes.contains(UInt8(ascii: "&")) else { return text }
    return text.replacingOccurrences(of: "&#38;", with: "&")
  }
}

/// An error libxml2 reported, classified from its code.
struct XMLParseError {
  enum Kind {
    case illegalCharacter, entityLoop, truncated, documentEnd, other
  }

  var kind: Kind
  var message: String
  var line: Int
  var column: Int
  /// Where in the file the bad bytes are, when known better than by the parser's position.
  var byteOffset: Int?

  init(kind: Kind, message: String, line: Int, column: Int, byteOffset: Int? = nil) {
    self.kind = kind
    self.message = message
    self.line = line
    self.column = column
    self.byteOffset = byteOffset
  }

  fileprivate init(_ error: xmlError) {
    line = max(Int(error.line), 1)
    column = max(Int(error.int2), 1)
    message = (error.message.map { String(cString: $0) } ?? "error \(error.code)")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    switch error.code {
    case Int32(XML_ERR_INVALID_CHAR.rawValue), Int32(XML_ERR_INVALID_CHARREF.rawValue),
      Int32(XML_ERR_INVALID_HEX_CHARREF.rawValue), Int32(XML_ERR_INVALID_DEC_CHARREF.rawValue),
      Int32(XML_ERR_INVALID_ENCODING.rawValue), Int32(XML_ERR_UNKNOWN_ENCODING.rawValue),
      Int32(XML_ERR_UNSUPPORTED_ENCODING.rawValue):
      kind = .illegalCharacter
    case Int32(XML_ERR_ENTITY_LOOP.rawValue): kind = .entityLoop
    case Int32(XML_ERR_DOCUMENT_EMPTY.rawValue), Int32(XML_ERR_TAG_NOT_FINISHED.rawValue): kind = .truncated
    case Int32(XML_ERR_DOCUMENT_END.rawValue): kind = .documentEnd
    default: kind = .other
    }
  }

  /// The error as the TMX reader reports it.
  ///
  /// - Parameter rootOpen: Whether `<tmx>` is still open: then an error at the end of the input
  ///   means the file was cut short.
  func tmxError(file: String, rootOpen: Bool) -> TMXError {
    let location = TMXLocation(file: file, line: line, column: column)
    switch kind {
    case .illegalCharacter: return .illegalCharacter(location, reason: message)
    case .entityLoop: return .entityExpansion(location, reason: message)
    case .truncated: return .truncated(location, reason: message)
    case .documentEnd where rootOpen:
      return .truncated(location, reason: "a tag is still open at the end of the file")
    case .documentEnd, .other:
      let lowered = message.lowercased()
      if lowered.contains("amplification") || lowered.contains("entity reference loop") {
        return .entityExpansion(location, reason: message)
      }
      if lowered.contains("premature end") || (rootOpen && lowered.contains("end of data")) {
        return .truncated(location, reason: message)
      }
      return .malformedXML(location, reason: message)
    }
  }
}
