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

  /// Opens the file.
  ///
  /// - Throws: ``TMXError/cannotOpen(file:reason:)``.
  init(file path: String) throws {
    self.path = path
    descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw TMXError.cannotOpen(file: path, reason: String(cString: strerror(errno)))
    }
    var status = stat()
    fileSize = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
  }

  deinit { close(descriptor) }

  /// Where the parser is: just after the current start tag, text or reference.
  var location: (line: Int, column: Int) {
    guard let input = context?.pointee.input else { return (1, 1) }
    return (max(Int(input.pointee.line), 1), max(Int(input.pointee.col), 1))
  }

  /// Whether the parser is inside the document's DTD.
  var isInSubset: Bool { (context?.pointee.inSubset ?? 0) != 0 }

  /// Ends the parsing: no event follows.
  func stop() {
    stopped = true
    if let context { xmlStopParser(context) }
  }

  /// Parses the file to its end, or until ``stop()``, reporting to `handler`.
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
    let head = min(count, 4)
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
    // size and depth limits stay on).
    xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
    self.context = context
    var offset = head
    var consumed = 0
    while !stopped {
      // Fed in slices that stay in the CPU cache while libxml2 copies and parses them.
      while offset < count && !stopped {
        let slice = min(count - offset, Self.sliceSize)
        bytesFed = consumed + offset + slice
        xmlParseChunk(
          context, buffer.advanced(by: offset).assumingMemoryBound(to: CChar.self), Int32(slice), 0)
        offset += slice
      }
      consumed += count
      if stopped { break }
      offset = 0
      count = readChunk(buffer)
      if count < 0 { throw TMXError.cannotOpen(file: path, reason: String(cString: strerror(errno))) }
      if count == 0 {
        bytesFed = consumed
        xmlParseChunk(context, nil, 0, 1)
        break
      }
    }
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
    table.startElementNs = { user, name, _, _, _, _, attributeCount, _, attributes in
      guard let name else { return }
      let attributes = XMLAttributes(base: attributes, count: Int(attributeCount))
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
