import CLibXML2
import Foundation
import TextSegmentation

/// Reads TMX 1.1 to 1.4b files unit by unit with libxml2's SAX2 push parser, fed 1 MiB at a
/// time: memory stays flat whatever the file's size.
///
/// The reader never loads a DTD, never touches the network and never expands entities: a
/// reference to an entity declared in the file (an entity bomb, an external entity) is an error,
/// which ends the reading even with `skipBad`. UTF-8 and UTF-16 (with a byte order mark) are read.
public struct TMXReader: Sendable {
  /// What the `<header>` says.
  public struct Header: Sendable, Hashable {
    public var version: String
    public var sourceLanguage: String?
    public var creationTool: String?
    public var creationToolVersion: String?
    public var dataType: String?
  }

  /// How far the reading is.
  public struct Progress: Sendable, Hashable {
    /// Units read so far (good and skipped).
    public var units: Int
    /// Bytes of the file consumed so far.
    public var bytesRead: Int
    /// The file's size in bytes.
    public var totalBytes: Int
  }

  /// The file to read.
  public let url: URL
  /// The creation date of units without `creationdate`.
  public var defaultDate: Date

  public init(url: URL, defaultDate: Date = Date()) {
    self.url = url
    self.defaultDate = defaultDate._wholeSeconds
  }

  /// Bytes read from the file at a time.
  static let chunkSize = 1 << 20
  /// Bytes handed to libxml2 at a time.
  static let sliceSize = 64 << 10

  /// Reads the file and calls `body` with each good unit, in file order.
  ///
  /// - Parameters:
  ///   - skipBad: When false, the first problem throws. When true, a bad unit is reported to
  ///     `onSkip` and reading goes on; an XML error that stops the parser (or an entity
  ///     reference) is reported to `onSkip` too, and reading ends there, keeping the units
  ///     before it.
  ///   - progressInterval: Units between two calls of `progress`.
  /// - Returns: The header.
  /// - Throws: ``TMXError`` for the first problem (unless `skipBad`), or what `body` throws.
  @discardableResult
  public func read(
    skipBad: Bool = false,
    onSkip: @escaping (TMXError) -> Void = { _ in },
    progressInterval: Int = 10_000,
    progress: ((Progress) -> Void)? = nil,
    _ body: (TranslationUnit) throws -> Void
  ) throws -> Header {
    let path = url.path
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw TMXError.cannotOpen(file: path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    var status = stat()
    let totalBytes = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
    defer { buffer.deallocate() }

    return try withoutActuallyEscaping(body) { body in
      // The state lives at a fixed address the callbacks reach through libxml2's user pointer.
      let state = UnsafeMutablePointer<_TMXParser>.allocate(capacity: 1)
      state.initialize(
        to: _TMXParser(file: path, defaultDate: defaultDate, skipBad: skipBad, onSkip: onSkip))
      defer {
        state.deinitialize(count: 1)
        state.deallocate()
      }
      state.pointee.body = body
      if let progress {
        state.pointee.progressInterval = max(progressInterval, 1)
        state.pointee.progress = { units, bytes in
          progress(Progress(units: units, bytesRead: bytes, totalBytes: totalBytes))
        }
      }
      var handler = xmlSAXHandler()
      handler.initialized = XML_SAX2_MAGIC
      handler.startElementNs = _tmxStartElement
      handler.endElementNs = _tmxEndElement
      handler.characters = _tmxCharacters
      handler.ignorableWhitespace = _tmxCharacters
      handler.cdataBlock = _tmxCharacters
      handler.getEntity = _tmxGetEntity
      handler.reference = _tmxReference
      handler.entityDecl = _tmxEntityDeclaration
      handler.serror = _tmxError
      // No internalSubset, externalSubset, resolveEntity or getParameterEntity: no DTD is built
      // or loaded, and no entity is ever looked up anywhere but in our own table.
      let user = UnsafeMutableRawPointer(state)
      // The first bytes tell libxml2 the encoding (a UTF-16 byte order mark).
      var count = readChunk(descriptor, buffer)
      guard count >= 0 else { throw TMXError.cannotOpen(file: path, reason: String(cString: strerror(errno))) }
      let head = min(count, 4)
      guard
        let context = xmlCreatePushParserCtxt(
          &handler, user, buffer.assumingMemoryBound(to: CChar.self), Int32(head), path)
      else {
        throw TMXError.cannotOpen(file: path, reason: "libxml2 cannot start a parser")
      }
      defer { xmlFreeParserCtxt(context) }
      // NONET: no network. Not NOENT (entities stay references), not DTDLOAD, not HUGE (libxml2's
      // size and depth limits stay on).
      xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
      state.pointee.context = context
      var offset = head
      var consumed = 0
      while !state.pointee.stopped {
        // Fed in slices that stay in the CPU cache while libxml2 copies and parses them.
        while offset < count && !state.pointee.stopped {
          let slice = min(count - offset, Self.sliceSize)
          state.pointee.bytesRead = consumed + offset + slice
          xmlParseChunk(
            context, buffer.advanced(by: offset).assumingMemoryBound(to: CChar.self), Int32(slice), 0)
          offset += slice
        }
        consumed += count
        if state.pointee.stopped { break }
        offset = 0
        count = readChunk(descriptor, buffer)
        if count < 0 { throw TMXError.cannotOpen(file: path, reason: String(cString: strerror(errno))) }
        if count == 0 {
          state.pointee.bytesRead = consumed
          xmlParseChunk(context, nil, 0, 1)
          break
        }
      }
      if let thrown = state.pointee.thrown { throw thrown }
      if let error = state.pointee.firstError {
        if skipBad {
          onSkip(error)
        } else {
          throw error
        }
      } else if !state.pointee.sawRoot {
        let error = TMXError.truncated(
          TMXLocation(file: path, line: 1, column: 1), reason: "the document is empty")
        if skipBad { onSkip(error) } else { throw error }
      }
      progress?(Progress(units: state.pointee.unitsSeen, bytesRead: totalBytes, totalBytes: totalBytes))
      return state.pointee.header
    }
  }

  /// Fills the buffer as far as the file goes: the number of bytes, 0 at the end, -1 on error.
  private func readChunk(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer) -> Int {
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
}

// MARK: SAX callbacks

private func _parser(_ user: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<_TMXParser>? {
  user?.assumingMemoryBound(to: _TMXParser.self)
}

private let _tmxStartElement: startElementNsSAX2Func = {
  user, name, _, _, _, _, attributeCount, _, attributes in
  guard let parser = _parser(user), let name else { return }
  parser.pointee.startElement(name, attributes: attributes, count: Int(attributeCount))
}

private let _tmxEndElement: endElementNsSAX2Func = { user, _, _, _ in
  _parser(user)?.pointee.endElement()
}

private let _tmxCharacters: charactersSAXFunc = { user, characters, length in
  guard let parser = _parser(user), let characters, length > 0 else { return }
  parser.pointee.characters(UnsafeBufferPointer(start: characters, count: Int(length)))
}

private let _tmxGetEntity: getEntitySAXFunc = { user, name in
  guard let parser = _parser(user), let name else { return nil }
  parser.pointee.entityReferenced(String(cString: name))
  return nil
}

/// An entity neither declared nor predefined, in a document with an external DTD (which is never
/// loaded): libxml2 only warns, and would drop the reference.
private let _tmxReference: referenceSAXFunc = { user, name in
  guard let parser = _parser(user), let name else { return }
  parser.pointee.undeclaredEntityReferenced(String(cString: name))
}

private let _tmxEntityDeclaration: entityDeclSAXFunc = { user, name, type, _, systemID, content in
  guard let parser = _parser(user), let name else { return }
  parser.pointee.entities[String(cString: name)] = _TMXParser.DeclaredEntity(
    isExternal: type == Int32(XML_EXTERNAL_GENERAL_PARSED_ENTITY.rawValue)
      || type == Int32(XML_EXTERNAL_GENERAL_UNPARSED_ENTITY.rawValue),
    systemID: systemID.map { String(cString: $0) } ?? "",
    content: content.map { String(cString: $0) } ?? "")
}

private let _tmxError: xmlStructuredErrorFunc = { user, error in
  guard let parser = _parser(user), let error else { return }
  parser.pointee.recordXMLError(error.pointee)
}

// MARK: Errors

extension xmlError {
  /// - Parameter rootOpen: Whether `<tmx>` is still open: then an error at the end of the input
  ///   means the file was cut short.
  fileprivate func tmxError(file: String, rootOpen: Bool) -> TMXError {
    let location = TMXLocation(file: file, line: max(Int(line), 1), column: max(Int(int2), 1))
    let message = (self.message.map { String(cString: $0) } ?? "error \(code)")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let lowered = message.lowercased()
    switch code {
    case Int32(XML_ERR_INVALID_CHAR.rawValue), Int32(XML_ERR_INVALID_CHARREF.rawValue),
      Int32(XML_ERR_INVALID_HEX_CHARREF.rawValue), Int32(XML_ERR_INVALID_DEC_CHARREF.rawValue),
      Int32(XML_ERR_INVALID_ENCODING.rawValue), Int32(XML_ERR_UNKNOWN_ENCODING.rawValue),
      Int32(XML_ERR_UNSUPPORTED_ENCODING.rawValue):
      return .illegalCharacter(location, reason: message)
    case Int32(XML_ERR_ENTITY_LOOP.rawValue):
      return .entityExpansion(location, reason: message)
    case Int32(XML_ERR_DOCUMENT_EMPTY.rawValue), Int32(XML_ERR_TAG_NOT_FINISHED.rawValue):
      return .truncated(location, reason: message)
    case Int32(XML_ERR_DOCUMENT_END.rawValue) where rootOpen:
      return .truncated(location, reason: "a tag is still open at the end of the file")
    default:
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

// MARK: The state machine

/// The reader's state machine, driven by the SAX callbacks: one instance per read.
struct _TMXParser {
  private enum Context {
    case tmx, header, body, unit, property, note, variant, segment, highlight, code, ignored
  }

  /// The element names TMX uses, recognised from their bytes without making a `String`.
  private enum Name {
    case tmx, header, body, tu, tuv, seg, prop, note, hi, bpt, ept, ph, it, ut, other
  }

  struct DeclaredEntity {
    var isExternal: Bool
    var systemID: String
    var content: String
  }

  let file: String
  let defaultDate: Date
  let skipBad: Bool
  let onSkip: (TMXError) -> Void
  var body: ((TranslationUnit) throws -> Void)?
  var progress: ((Int, Int) -> Void)?
  var progressInterval = 10_000
  var context: xmlParserCtxtPtr?
  var bytesRead = 0

  /// The entities the document's DTD declares; never expanded.
  var entities: [String: DeclaredEntity] = [:]
  /// The problem that ended the reading.
  private(set) var firstError: TMXError?
  /// What `body` threw.
  private(set) var thrown: Error?
  private(set) var stopped = false

  var header = TMXReader.Header(version: "")
  private(set) var sawRoot = false
  private(set) var unitsSeen = 0
  private var stack: [Context] = []

  // The unit being read.
  private var unitError: TMXError?
  private var unitLocation = TMXLocation(file: "", line: 0, column: 0)
  private var tuid: String?
  private var unitSourceLanguage: String?
  private var creationDate: Date?
  private var creationID: String?
  private var changeDate: Date?
  private var changeID: String?
  private var usageCount = 1
  private var variants: [Variant] = []
  private var properties: [Property] = []
  private var notes: [String] = []
  private var propertyType: String?
  private var textBytes: [UInt8] = []
  // The variant being read.
  private var variantLanguage: String?
  private var variantLocation = TMXLocation(file: "", line: 0, column: 0)
  private var sawSegment = false
  // The segment's UTF-8, made into a String once at its end.
  private var segmentBytes: [UInt8] = []
  private var segmentLength = 0  // UTF-16
  private var codes: [InlineCode] = []
  private var languages: [(code: String, language: Language)] = []

  init(file: String, defaultDate: Date, skipBad: Bool, onSkip: @escaping (TMXError) -> Void) {
    self.file = file
    self.defaultDate = defaultDate
    self.skipBad = skipBad
    self.onSkip = onSkip
    stack.reserveCapacity(16)
    segmentBytes.reserveCapacity(1024)
    textBytes.reserveCapacity(256)
  }

  /// Where the parser is: just after the current start tag, text or reference.
  func location() -> TMXLocation {
    guard let input = context?.pointee.input else { return TMXLocation(file: file, line: 1, column: 1) }
    return TMXLocation(file: file, line: max(Int(input.pointee.line), 1), column: max(Int(input.pointee.col), 1))
  }

  private var inUnit: Bool { stack.contains { if case .unit = $0 { return true } else { return false } } }

  /// Ends the reading: libxml2 calls nothing more.
  private mutating func stop() {
    stopped = true
    if let context { xmlStopParser(context) }
  }

  /// Records a problem that ends the reading.
  private mutating func fatal(_ error: TMXError) {
    guard !stopped else { return }
    if firstError == nil { firstError = error }
    stop()
  }

  /// Records a problem: it ends the unit (with `skipBad`) or the read.
  private mutating func fail(_ error: TMXError) {
    if skipBad && inUnit {
      if unitError == nil { unitError = error }
      return
    }
    fatal(error)
  }

  mutating func recordXMLError(_ error: xmlError) {
    guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    fatal(error.tmxError(file: file, rootOpen: !stack.isEmpty))
  }

  /// A reference to a general entity that isn't one of XML's five: refused, never expanded.
  mutating func entityReferenced(_ name: String) {
    // libxml2 also looks an entity up right after reading its declaration: not a reference.
    if let context, context.pointee.inSubset != 0 { return }
    guard let entity = entities[name] else {
      // Not declared: libxml2 reports it as malformed XML.
      return
    }
    let at = location()
    if entity.isExternal {
      fatal(.externalEntity(at, name: name, systemID: entity.systemID))
      return
    }
    var sizes: [String: Int] = [:]
    let limit = 1 << 20
    let size = expandedSize(of: name, sizes: &sizes, visiting: [], limit: limit)
    if size > limit {
      fatal(.entityExpansion(at, reason: "'&\(name);' would expand to more than \(limit) bytes, or loops"))
    } else {
      fatal(.entityReference(at, name: name))
    }
  }

  mutating func undeclaredEntityReferenced(_ name: String) {
    fatal(.entityReference(location(), name: name))
  }

  /// The size an internal entity would expand to, computed on the declarations only; more than
  /// `limit` for a loop or a bomb.
  private func expandedSize(
    of name: String, sizes: inout [String: Int], visiting: Set<String>, limit: Int
  ) -> Int {
    if let known = sizes[name] { return known }
    guard let entity = entities[name] else { return name.utf8.count + 2 }
    if visiting.contains(name) || visiting.count > 40 { return limit + 1 }
    var total = 0
    var visiting = visiting
    visiting.insert(name)
    var rest = Substring(entity.content)
    while let ampersand = rest.firstIndex(of: "&") {
      total += rest.utf8.distance(from: rest.startIndex, to: ampersand)
      guard let semicolon = rest[ampersand...].firstIndex(of: ";") else { break }
      let inner = String(rest[rest.index(after: ampersand)..<semicolon])
      total += inner.hasPrefix("#") ? 1 : expandedSize(of: inner, sizes: &sizes, visiting: visiting, limit: limit)
      if total > limit { return limit + 1 }
      rest = rest[rest.index(after: semicolon)...]
    }
    total += rest.utf8.count
    sizes[name] = total
    return total
  }

  // MARK: Elements

  private static func name(_ p: UnsafePointer<UInt8>) -> Name {
    let c0 = p[0]
    guard c0 != 0 else { return .other }
    let c1 = p[1]
    guard c1 != 0 else { return .other }
    let c2 = p[2]
    if c2 == 0 {
      switch (c0, c1) {
      case (0x74, 0x75): return .tu  // tu
      case (0x68, 0x69): return .hi  // hi
      case (0x70, 0x68): return .ph  // ph
      case (0x69, 0x74): return .it  // it
      case (0x75, 0x74): return .ut  // ut
      default: return .other
      }
    }
    let c3 = p[3]
    if c3 == 0 {
      switch (c0, c1, c2) {
      case (0x74, 0x75, 0x76): return .tuv
      case (0x73, 0x65, 0x67): return .seg
      case (0x62, 0x70, 0x74): return .bpt
      case (0x65, 0x70, 0x74): return .ept
      case (0x74, 0x6D, 0x78): return .tmx
      default: return .other
      }
    }
    if p[4] == 0 {
      switch (c0, c1, c2, c3) {
      case (0x70, 0x72, 0x6F, 0x70): return .prop
      case (0x6E, 0x6F, 0x74, 0x65): return .note
      case (0x62, 0x6F, 0x64, 0x79): return .body
      default: return .other
      }
    }
    return strcmp(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self), "header") == 0 ? .header : .other
  }

  /// One attribute of the current start tag, pointing into libxml2's buffers.
  private struct Attribute {
    var name: UnsafePointer<UInt8>
    var prefix: UnsafePointer<UInt8>?
    var start: UnsafePointer<UInt8>
    var end: UnsafePointer<UInt8>

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

  private static func forEachAttribute(
    _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ count: Int,
    _ body: (Attribute) -> Void
  ) {
    guard let attributes else { return }
    for index in 0..<count {
      let base = index * 5
      guard let name = attributes[base], let start = attributes[base + 3], let end = attributes[base + 4]
      else { continue }
      body(Attribute(name: name, prefix: attributes[base + 1], start: start, end: end))
    }
  }

  private mutating func date(_ attribute: String, _ value: String) -> Date? {
    if let date = TMXDate.parse(value) { return date }
    fail(.invalidDate(location(), attribute: attribute, value: value))
    return nil
  }

  mutating func startElement(
    _ namePointer: UnsafePointer<UInt8>, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
    count: Int
  ) {
    guard !stopped else { return }
    let name = Self.name(namePointer)
    guard let context = stack.last else {
      guard name == .tmx else {
        fatal(.notTMX(location(), root: String(cString: namePointer)))
        return
      }
      sawRoot = true
      var version = ""
      Self.forEachAttribute(attributes, count) { if $0.named("version") { version = $0.value } }
      guard ["1.1", "1.2", "1.3", "1.4", "1.4a", "1.4b"].contains(version) else {
        fatal(.unsupportedVersion(location(), version: version))
        return
      }
      header.version = version
      stack.append(.tmx)
      return
    }
    switch (context, name) {
    case (.tmx, .header):
      Self.forEachAttribute(attributes, count) { attribute in
        if attribute.named("srclang") {
          header.sourceLanguage = attribute.value
        } else if attribute.named("creationtool") {
          header.creationTool = attribute.value
        } else if attribute.named("creationtoolversion") {
          header.creationToolVersion = attribute.value
        } else if attribute.named("datatype") {
          header.dataType = attribute.value
        }
      }
      stack.append(.header)
    case (.tmx, .body):
      stack.append(.body)
    case (.body, .tu):
      startUnit()
      stack.append(.unit)
      Self.forEachAttribute(attributes, count) { attribute in
        if attribute.named("tuid") {
          tuid = attribute.value
        } else if attribute.named("srclang") {
          unitSourceLanguage = attribute.value
        } else if attribute.named("creationdate") {
          creationDate = date("creationdate", attribute.value)
        } else if attribute.named("creationid") {
          creationID = attribute.value
        } else if attribute.named("changedate") {
          changeDate = date("changedate", attribute.value)
        } else if attribute.named("changeid") {
          changeID = attribute.value
        } else if attribute.named("usagecount") {
          usageCount = Int(attribute.value) ?? 1
        }
      }
    case (.unit, .prop):
      var type: String?
      Self.forEachAttribute(attributes, count) { if $0.named("type") { type = $0.value } }
      if type == nil { fail(.missingAttribute(location(), element: "prop", attribute: "type")) }
      propertyType = type
      textBytes.removeAll(keepingCapacity: true)
      stack.append(.property)
    case (.unit, .note):
      textBytes.removeAll(keepingCapacity: true)
      stack.append(.note)
    case (.unit, .tuv):
      variantLocation = location()
      var language: String?
      Self.forEachAttribute(attributes, count) { attribute in
        guard attribute.named("lang") else { return }
        if attribute.prefix != nil {
          // xml:lang (libxml2 gives the xml prefix for it, and only it, here).
          language = attribute.value
        } else if language == nil {
          language = attribute.value
        }
      }
      if (language ?? "").isEmpty { fail(.missingLanguage(variantLocation)) }
      variantLanguage = language
      sawSegment = false
      segmentBytes.removeAll(keepingCapacity: true)
      segmentLength = 0
      codes = []
      stack.append(.variant)
    case (.variant, .seg):
      if sawSegment { fail(.unexpectedElement(location(), element: "seg", parent: "tuv")) }
      sawSegment = true
      stack.append(.segment)
    case (.segment, .hi), (.highlight, .hi):
      var code = InlineCode(kind: .highlightStart, position: segmentLength)
      Self.forEachAttribute(attributes, count) { attribute in
        if attribute.named("x") { code.matchID = Int(attribute.value) }
        if attribute.named("type") { code.type = attribute.value }
      }
      codes.append(code)
      stack.append(.highlight)
    case (.segment, _), (.highlight, _):
      let kind: InlineCode.Kind
      switch name {
      case .bpt: kind = .begin
      case .ept: kind = .end
      case .ph: kind = .placeholder
      case .it: kind = .isolated
      case .ut: kind = .unknown
      default:
        fail(.unexpectedElement(location(), element: String(cString: namePointer), parent: "seg"))
        stack.append(.ignored)
        return
      }
      var code = InlineCode(kind: kind, position: segmentLength)
      Self.forEachAttribute(attributes, count) { attribute in
        if attribute.named("i") {
          code.pairID = Int(attribute.value)
        } else if attribute.named("x") {
          code.matchID = Int(attribute.value)
        } else if attribute.named("type") {
          code.type = attribute.value
        } else if attribute.named("pos") {
          code.isolatedPosition = InlineCode.IsolatedPosition(rawValue: attribute.value)
        }
      }
      codes.append(code)
      stack.append(.code)
    case (.code, _):
      // <sub> and what it holds: its text is kept in the code's content.
      stack.append(.code)
    case (.header, _), (.variant, .prop), (.variant, .note), (.ignored, _):
      stack.append(.ignored)
    default:
      let parent: String
      switch context {
      case .tmx: parent = "tmx"
      case .body: parent = "body"
      case .unit: parent = "tu"
      case .variant: parent = "tuv"
      case .property: parent = "prop"
      case .note: parent = "note"
      default: parent = "?"
      }
      fail(.unexpectedElement(location(), element: String(cString: namePointer), parent: parent))
      stack.append(.ignored)
    }
  }

  mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard !stopped, let context = stack.last else { return }
    switch context {
    case .segment, .highlight:
      segmentBytes.append(contentsOf: bytes)
      segmentLength += Self.utf16Count(bytes)
    case .code:
      if let last = codes.indices.last { codes[last].content += String(decoding: bytes, as: UTF8.self) }
    case .property, .note:
      textBytes.append(contentsOf: bytes)
    default: break
    }
  }

  /// The UTF-16 length of UTF-8 text: one unit per scalar (each byte but continuation bytes),
  /// two for 4-byte scalars. Eight ASCII bytes at a time where it can.
  static func utf16Count(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    var units = 0
    var index = 0
    let count = bytes.count
    while index + 8 <= count {
      let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
      if word & 0x8080_8080_8080_8080 == 0 {
        units &+= 8
      } else {
        for byte in UnsafeBufferPointer(start: base + index, count: 8) {
          units &+= (byte & 0xC0 != 0x80 ? 1 : 0) &+ (byte >= 0xF0 ? 1 : 0)
        }
      }
      index += 8
    }
    for byte in UnsafeBufferPointer(start: base + index, count: count - index) {
      units &+= (byte & 0xC0 != 0x80 ? 1 : 0) &+ (byte >= 0xF0 ? 1 : 0)
    }
    return units
  }

  /// `Language(code)` lowercases; a file uses a handful of codes, so each is made once.
  private mutating func cachedLanguage(_ code: String) -> Language {
    for entry in languages where entry.code == code { return entry.language }
    let language = Language(code)
    if languages.count < 16 { languages.append((code, language)) }
    return language
  }

  private mutating func startUnit() {
    unitError = nil
    unitLocation = location()
    tuid = nil
    unitSourceLanguage = nil
    creationDate = nil
    creationID = nil
    changeDate = nil
    changeID = nil
    usageCount = 1
    variants = []
    variants.reserveCapacity(2)
    properties = []
    notes = []
  }

  mutating func endElement() {
    guard !stopped, let context = stack.popLast() else { return }
    switch context {
    case .property:
      if let propertyType {
        properties.append(Property(type: propertyType, value: String(decoding: textBytes, as: UTF8.self)))
      }
    case .note:
      notes.append(String(decoding: textBytes, as: UTF8.self))
    case .highlight:
      codes.append(InlineCode(kind: .highlightEnd, position: segmentLength))
    case .variant:
      if !sawSegment { fail(.missingSegment(variantLocation)) }
      if let language = variantLanguage, !language.isEmpty {
        let code = cachedLanguage(language)
        if variants.contains(where: { $0.language == code }) {
          fail(.duplicateLanguage(variantLocation, language: language))
        } else {
          variants.append(
            Variant(language: code, text: String(decoding: segmentBytes, as: UTF8.self), codes: codes))
        }
      }
    case .unit:
      endUnit()
    default:
      break
    }
  }

  private mutating func endUnit() {
    unitsSeen += 1
    defer {
      if let progress, unitsSeen % progressInterval == 0 { progress(unitsSeen, bytesRead) }
    }
    if unitError == nil && variants.isEmpty { fail(.emptyUnit(unitLocation)) }
    if stopped { return }
    if let unitError {
      onSkip(unitError)
      return
    }
    var source = unitSourceLanguage ?? header.sourceLanguage ?? ""
    if source.isEmpty || source == "*all*" { source = variants[0].language.rawValue }
    let sourceLanguage = cachedLanguage(source)
    // Source variant first, as the store gives them back.
    if variants[0].language != sourceLanguage,
      let index = variants.firstIndex(where: { $0.language == sourceLanguage })
    {
      variants.insert(variants.remove(at: index), at: 0)
    }
    let unit = TranslationUnit(
      tuid: tuid, sourceLanguage: sourceLanguage, variants: variants, properties: properties,
      notes: notes, creationDate: creationDate ?? defaultDate, creationID: creationID,
      changeDate: changeDate, changeID: changeID, usageCount: usageCount)
    do {
      try body?(unit)
    } catch {
      thrown = error
      stop()
    }
  }
}
