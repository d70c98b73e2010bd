import CLibXML2
import Foundation
import TextSegmentation

/// Reads TMX 1.1 to 1.4b files unit by unit with libxml2's streaming reader: memory stays flat
/// whatever the file's size.
///
/// The reader never loads a DTD, never touches the network and never expands entities: a
/// reference to an entity declared in the file (an entity bomb, an external entity) is an error.
/// UTF-8 and UTF-16 (with a byte order mark) are read.
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

  /// Reads the file and calls `body` with each good unit, in file order.
  ///
  /// - Parameters:
  ///   - skipBad: When false, the first problem throws. When true, a bad unit is reported to
  ///     `onSkip` and reading goes on; an XML error that stops the parser is reported to `onSkip`
  ///     too, and reading ends there, keeping the units before it.
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
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw TMXError.cannotOpen(file: path, reason: "no such readable file")
    }
    let totalBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    // NONET: no network. Not NOENT (entities stay references), not DTDLOAD, not HUGE (libxml2's
    // size and depth limits stay on).
    let options = Int32(XML_PARSE_NONET.rawValue)
    guard let reader = xmlReaderForFile(path, nil, options) else {
      throw TMXError.cannotOpen(file: path, reason: "libxml2 cannot open it")
    }
    defer { xmlFreeTextReader(reader) }
    let errors = ErrorCollector()
    let handler: xmlStructuredErrorFunc = { context, error in
      guard let context, let error else { return }
      Unmanaged<ErrorCollector>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
    }
    xmlTextReaderSetStructuredErrorHandler(
      reader, handler, Unmanaged.passUnretained(errors).toOpaque())
    var parser = _TMXParser(
      reader: reader, file: path, defaultDate: defaultDate, skipBad: skipBad, onSkip: onSkip)
    while true {
      let status = xmlTextReaderRead(reader)
      if let error = errors.first {
        let tmxError = error.tmxError(file: path, rootOpen: parser.isInsideRoot)
        if skipBad {
          onSkip(tmxError)
          break
        }
        throw tmxError
      }
      if status == 0 { break }
      if status < 0 {
        let error = TMXError.malformedXML(parser.location(), reason: "libxml2 stopped reading")
        if skipBad {
          onSkip(error)
          break
        }
        throw error
      }
      if let unit = try parser.handleNode() {
        try body(unit)
      }
      if let progress, parser.unitsSeen > 0, parser.unitsSeen % progressInterval == 0,
        parser.unitsSeen != parser.lastReported
      {
        parser.lastReported = parser.unitsSeen
        progress(
          Progress(
            units: parser.unitsSeen, bytesRead: Int(xmlTextReaderByteConsumed(reader)),
            totalBytes: totalBytes))
      }
    }
    if !parser.sawRoot {
      let error = TMXError.truncated(
        TMXLocation(file: path, line: 1, column: 1), reason: "the document is empty")
      if skipBad { onSkip(error) } else { throw error }
    }
    progress?(Progress(units: parser.unitsSeen, bytesRead: totalBytes, totalBytes: totalBytes))
    return parser.header
  }
}

/// Keeps the first error libxml2 reports.
private final class ErrorCollector {
  struct Captured {
    var code: Int32
    var line: Int
    var column: Int
    var message: String
    var name: String?
  }
  var first: Captured?

  func record(_ error: xmlError) {
    guard first == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let message = error.message.map { String(cString: $0) } ?? "error \(error.code)"
    first = Captured(
      code: error.code, line: Int(error.line), column: Int(error.int2),
      message: message.trimmingCharacters(in: .whitespacesAndNewlines),
      name: error.str1.map { String(cString: $0) })
  }
}

extension ErrorCollector.Captured {
  /// - Parameter rootOpen: Whether `<tmx>` is still open: then an error at the end of the input
  ///   means the file was cut short.
  func tmxError(file: String, rootOpen: Bool) -> TMXError {
    let location = TMXLocation(file: file, line: max(line, 1), column: max(column, 1))
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
      // The streaming parser reports a cut file as "extra content at the end of the document".
      return .truncated(location, reason: "a tag is still open at the end of the file")
    default:
      if lowered.contains("amplification") || lowered.contains("entity reference loop") {
        return .entityExpansion(location, reason: message)
      }
      if lowered.contains("premature end") {
        return .truncated(location, reason: message)
      }
      return .malformedXML(location, reason: message)
    }
  }
}

/// The reader's state machine: one instance per read.
struct _TMXParser {
  private enum Context {
    case tmx, header, body, unit, property, note, variant, segment, highlight, code, ignored
  }

  let reader: xmlTextReaderPtr
  let file: String
  let defaultDate: Date
  let skipBad: Bool
  let onSkip: (TMXError) -> Void

  var header = TMXReader.Header(version: "")
  var sawRoot = false
  var unitsSeen = 0
  var lastReported = 0
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
  private var textBuffer = ""
  // The variant being read.
  private var variantLanguage: String?
  private var variantLocation = TMXLocation(file: "", line: 0, column: 0)
  private var sawSegment = false
  // The segment's UTF-8, made into a String once at its end.
  private var segmentBytes: [UInt8] = []
  private var segmentLength = 0  // UTF-16
  private var codes: [InlineCode] = []

  init(
    reader: xmlTextReaderPtr, file: String, defaultDate: Date, skipBad: Bool,
    onSkip: @escaping (TMXError) -> Void
  ) {
    self.reader = reader
    self.file = file
    self.defaultDate = defaultDate
    self.skipBad = skipBad
    self.onSkip = onSkip
  }

  /// Where the current node is: its line, and the parser's column when it is on that line.
  func location() -> TMXLocation {
    let parserLine = Int(xmlTextReaderGetParserLineNumber(reader))
    let parserColumn = Int(xmlTextReaderGetParserColumnNumber(reader))
    var line = parserLine
    if let node = xmlTextReaderCurrentNode(reader) {
      let nodeLine = Int(xmlGetLineNo(node))
      if nodeLine > 0 { line = nodeLine }
    }
    return TMXLocation(file: file, line: max(line, 1), column: line == parserLine ? max(parserColumn, 1) : 1)
  }

  /// Whether `<tmx>` has started and not ended.
  var isInsideRoot: Bool { !stack.isEmpty }

  private var inUnit: Bool { stack.contains { if case .unit = $0 { return true } else { return false } } }

  /// Records a problem: it ends the unit (with `skipBad`) or the read.
  private mutating func fail(_ error: TMXError) throws {
    if skipBad && inUnit {
      if unitError == nil { unitError = error }
      return
    }
    throw error
  }

  /// Handles the reader's current node; returns a unit when one is complete.
  mutating func handleNode() throws -> TranslationUnit? {
    let type = xmlTextReaderNodeType(reader)
    switch type {
    case Int32(XML_READER_TYPE_ELEMENT.rawValue):
      let name = String(cString: xmlTextReaderConstLocalName(reader))
      let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
      try startElement(name)
      if isEmpty { return try endElement() }
      return nil
    case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
      return try endElement()
    case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
      Int32(XML_READER_TYPE_WHITESPACE.rawValue),
      Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
      guard let context = stack.last, let value = xmlTextReaderConstValue(reader) else { return nil }
      switch context {
      case .segment, .highlight:
        appendSegmentText(value)
      case .code:
        if let last = codes.indices.last { codes[last].content += String(cString: value) }
      case .property, .note:
        textBuffer += String(cString: value)
      default: break
      }
      return nil
    case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
      try entityReference()
      return nil
    default:
      return nil
    }
  }

  /// Appends a text node's UTF-8 (valid: libxml2 checked it) and counts its UTF-16 units.
  private mutating func appendSegmentText(_ value: UnsafePointer<xmlChar>) {
    let count = strlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))
    let bytes = UnsafeBufferPointer(start: value, count: count)
    segmentBytes.append(contentsOf: bytes)
    // One UTF-16 unit per scalar (each byte but continuation bytes), two for 4-byte scalars.
    var units = 0
    for byte in bytes {
      units &+= (byte & 0xC0 != 0x80 ? 1 : 0) &+ (byte >= 0xF0 ? 1 : 0)
    }
    segmentLength += units
  }

  private mutating func entityReference() throws {
    let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "?"
    var error = TMXError.entityReference(location(), name: name)
    if let node = xmlTextReaderCurrentNode(reader), let document = node.pointee.doc,
      let entity = xmlGetDocEntity(document, node.pointee.name)
    {
      let kind = entity.pointee.etype
      if kind == XML_EXTERNAL_GENERAL_PARSED_ENTITY || kind == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY {
        let systemID = entity.pointee.SystemID.map { String(cString: $0) } ?? ""
        error = .externalEntity(location(), name: name, systemID: systemID)
      }
    }
    try fail(error)
  }

  /// Calls `body` with each attribute's name and value.
  private func forEachAttribute(_ body: (String, String) -> Void) {
    guard xmlTextReaderHasAttributes(reader) == 1 else { return }
    var more = xmlTextReaderMoveToFirstAttribute(reader)
    while more == 1 {
      if let name = xmlTextReaderConstName(reader) {
        let value = xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
        body(String(cString: name), value)
      }
      more = xmlTextReaderMoveToNextAttribute(reader)
    }
    xmlTextReaderMoveToElement(reader)
  }

  private mutating func date(_ attribute: String, _ value: String) throws -> Date? {
    if let date = TMXDate.parse(value) { return date }
    try fail(.invalidDate(location(), attribute: attribute, value: value))
    return nil
  }

  private mutating func startElement(_ name: String) throws {
    guard let context = stack.last else {
      guard name == "tmx" else { throw TMXError.notTMX(location(), root: name) }
      sawRoot = true
      var version = ""
      forEachAttribute { attribute, value in if attribute == "version" { version = value } }
      guard ["1.1", "1.2", "1.3", "1.4", "1.4a", "1.4b"].contains(version) else {
        throw TMXError.unsupportedVersion(location(), version: version)
      }
      header.version = version
      stack.append(.tmx)
      return
    }
    switch (context, name) {
    case (.tmx, "header"):
      var header = self.header
      forEachAttribute { attribute, value in
        switch attribute {
        case "srclang": header.sourceLanguage = value
        case "creationtool": header.creationTool = value
        case "creationtoolversion": header.creationToolVersion = value
        case "datatype": header.dataType = value
        default: break
        }
      }
      self.header = header
      stack.append(.header)
    case (.tmx, "body"):
      stack.append(.body)
    case (.body, "tu"):
      startUnit()
      stack.append(.unit)
      var attributes: [(String, String)] = []
      forEachAttribute { attributes.append(($0, $1)) }
      for (attribute, value) in attributes {
        switch attribute {
        case "tuid": tuid = value
        case "srclang": unitSourceLanguage = value
        case "creationdate": creationDate = try date(attribute, value)
        case "creationid": creationID = value
        case "changedate": changeDate = try date(attribute, value)
        case "changeid": changeID = value
        case "usagecount": usageCount = Int(value) ?? 1
        default: break
        }
      }
    case (.unit, "prop"):
      propertyType = nil
      var type: String?
      forEachAttribute { attribute, value in if attribute == "type" { type = value } }
      if type == nil { try fail(.missingAttribute(location(), element: "prop", attribute: "type")) }
      propertyType = type
      textBuffer = ""
      stack.append(.property)
    case (.unit, "note"):
      textBuffer = ""
      stack.append(.note)
    case (.unit, "tuv"):
      variantLocation = location()
      var language: String?
      forEachAttribute { attribute, value in
        if attribute == "xml:lang" || (attribute == "lang" && language == nil) { language = value }
      }
      if (language ?? "").isEmpty { try fail(.missingLanguage(variantLocation)) }
      variantLanguage = language
      sawSegment = false
      segmentBytes.removeAll(keepingCapacity: true)
      segmentLength = 0
      codes = []
      stack.append(.variant)
    case (.variant, "seg"):
      if sawSegment { try fail(.unexpectedElement(location(), element: "seg", parent: "tuv")) }
      sawSegment = true
      stack.append(.segment)
    case (.segment, "hi"), (.highlight, "hi"):
      var code = InlineCode(kind: .highlightStart, position: segmentLength)
      forEachAttribute { attribute, value in
        if attribute == "x" { code.matchID = Int(value) }
        if attribute == "type" { code.type = value }
      }
      codes.append(code)
      stack.append(.highlight)
    case (.segment, _), (.highlight, _):
      guard let kind = InlineCode.Kind(rawValue: name), kind != .highlightStart else {
        try fail(.unexpectedElement(location(), element: name, parent: "seg"))
        stack.append(.ignored)
        return
      }
      var code = InlineCode(kind: kind, position: segmentLength)
      forEachAttribute { attribute, value in
        switch attribute {
        case "i": code.pairID = Int(value)
        case "x": code.matchID = Int(value)
        case "type": code.type = value
        case "pos": code.isolatedPosition = InlineCode.IsolatedPosition(rawValue: value)
        default: break
        }
      }
      codes.append(code)
      stack.append(.code)
    case (.code, _):
      // <sub> and what it holds: its text is kept in the code's content.
      stack.append(.code)
    case (.header, _), (.variant, "prop"), (.variant, "note"), (.ignored, _):
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
      try fail(.unexpectedElement(location(), element: name, parent: parent))
      stack.append(.ignored)
    }
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
    properties = []
    notes = []
  }

  private mutating func endElement() throws -> TranslationUnit? {
    guard let context = stack.popLast() else { return nil }
    switch context {
    case .property:
      if let propertyType { properties.append(Property(type: propertyType, value: textBuffer)) }
    case .note:
      notes.append(textBuffer)
    case .highlight:
      codes.append(InlineCode(kind: .highlightEnd, position: segmentLength))
    case .variant:
      if !sawSegment { try fail(.missingSegment(variantLocation)) }
      if let language = variantLanguage, !language.isEmpty {
        let code = Language(language)
        if variants.contains(where: { $0.language == code }) {
          try fail(.duplicateLanguage(variantLocation, language: language))
        } else {
          variants.append(
            Variant(language: code, text: String(decoding: segmentBytes, as: UTF8.self), codes: codes))
        }
      }
    case .unit:
      unitsSeen += 1
      if unitError == nil && variants.isEmpty { try fail(.emptyUnit(unitLocation)) }
      if let unitError {
        onSkip(unitError)
        return nil
      }
      var source = unitSourceLanguage ?? header.sourceLanguage ?? ""
      if source.isEmpty || source == "*all*" { source = variants[0].language.rawValue }
      let sourceLanguage = Language(source)
      // Source variant first, as the store gives them back.
      if let index = variants.firstIndex(where: { $0.language == sourceLanguage }), index > 0 {
        variants.insert(variants.remove(at: index), at: 0)
      }
      return TranslationUnit(
        tuid: tuid, sourceLanguage: sourceLanguage, variants: variants, properties: properties,
        notes: notes, creationDate: creationDate ?? defaultDate, creationID: creationID,
        changeDate: changeDate, changeID: changeID, usageCount: usageCount)
    default:
      break
    }
    return nil
  }
}
