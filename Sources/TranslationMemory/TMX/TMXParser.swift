import Foundation
import TextSegmentation

/// The TMX state machine over the events of an ``XMLPushParser``: one instance per read.
struct _TMXParser {
  private enum Context {
    case tmx, header, body, unit, property, note, variant, segment, highlight, code, ignored
    /// An element TMX doesn't define, inside `<seg>`: kept whole as a placeholder's content.
    case foreign
  }

  /// The element names TMX uses, recognised from their bytes without making a `String`.
  private enum Name {
    case tmx, header, body, tu, tuv, seg, prop, note, hi, bpt, ept, ph, it, ut, sub, other
  }

  struct DeclaredEntity {
    var isExternal: Bool
    var systemID: String
    var content: String
  }

  let file: String
  let defaultDate: Date
  let limits: TMXReader.Limits
  let skipBad: Bool
  let onSkip: (TMXError) -> Void
  var body: ((TranslationUnit) throws -> Void)?
  /// When set, units are packed into its batch instead of being handed to `body` (the import).
  var packing: _TMXPacking?
  private var packed = _PackedUnitState()
  var progress: ((Int, Int) -> Void)?
  var progressInterval = 10_000
  /// The parser whose events this reads: for the location and to stop it.
  var xml: XMLPushParser?

  /// The entities the document's DTD declares; never expanded.
  var entities: [String: DeclaredEntity] = [:]
  /// The problem that ended the reading.
  private(set) var firstError: TMXError?
  /// The offset in the file where it was found.
  private(set) var stopOffset: Int?
  /// What `body` threw.
  private(set) var thrown: Error?
  private(set) var stopped = false

  var header = TMXReader.Header(version: "")
  private(set) var sawRoot = false
  private(set) var unitsSeen = 0
  private var stack: [Context] = []
  /// Deviations accepted, one per kind, in the order first met.
  private(set) var warnings: [TMXWarning] = []

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
  private var lastUsageDate: Date?
  private var segmentType: String?
  private var dataType: String?
  private var creationTool: String?
  private var creationToolVersion: String?
  private var variants: [Variant] = []
  private var properties: [Property] = []
  private var notes: [String] = []
  private var propertyType: String?
  private var textBytes: [UInt8] = []
  /// Where the `<seg>`, `<prop>` or `<note>` being read starts, for a text over the limit.
  private var textLocation = TMXLocation(file: "", line: 0, column: 0)
  /// UTF-8 bytes of text in the `<seg>` (its codes' markup included), `<prop>` or `<note>`.
  private var textTotal = 0
  // The variant being read.
  private var variantLanguage: String?
  private var variantCreationDate: Date?
  private var variantCreationID: String?
  private var variantChangeDate: Date?
  private var variantChangeID: String?
  private var variantProperties: [Property] = []
  private var variantNotes: [String] = []
  /// The foreign element being kept: its XML so far, its depth, whether its last start tag is
  /// still open (`<a` waiting for `>` or `/>`).
  private var foreignXML = ""
  private var foreignDepth = 0
  private var foreignTagOpen = false
  private var variantLocation = TMXLocation(file: "", line: 0, column: 0)
  private var sawSegment = false
  // The segment's UTF-8, made into a String once at its end.
  private var segmentBytes: [UInt8] = []
  /// The UTF-16 length of `segmentBytes[..<segmentCounted]`: counted only where a code stands
  /// (``segmentPosition()``), so a segment without codes is never counted.
  private var segmentLength = 0
  private var segmentCounted = 0
  private var codes: [InlineCode] = []
  /// What `xml:space` says on `<tmx>`, `<body>`, the `<tu>`, `<tuv>` and `<seg>` being read.
  private var documentSpace: _TMXWhiteSpace?
  private var bodySpace: _TMXWhiteSpace?
  private var unitSpace: _TMXWhiteSpace?
  private var variantSpace: _TMXWhiteSpace?
  private var segmentSpace: _TMXWhiteSpace?
  private var languages: [(code: String, language: Language)] = []

  init(
    file: String, defaultDate: Date, limits: TMXReader.Limits, skipBad: Bool,
    onSkip: @escaping (TMXError) -> Void
  ) {
    self.file = file
    self.defaultDate = defaultDate
    self.limits = limits
    self.skipBad = skipBad
    self.onSkip = onSkip
    stack.reserveCapacity(16)
    segmentBytes.reserveCapacity(1024)
    textBytes.reserveCapacity(256)
  }

  /// Where the parser is: just after the current start tag, text or reference.
  func location() -> TMXLocation {
    guard let xml else { return TMXLocation(file: file, line: 1, column: 1) }
    let (line, column) = xml.location
    return TMXLocation(file: file, line: line, column: column)
  }

  private var inUnit: Bool {
    stack.contains {
      guard case .unit = $0 else { return false }
      return true
    }
  }

  /// Ends the reading: libxml2 calls nothing more.
  private mutating func stop() {
    stopped = true
    xml?.stop()
  }

  /// Records a problem that ends the reading, found at `offset` in the file (by default where
  /// the parser is).
  private mutating func fatal(_ error: TMXError, offset: Int? = nil) {
    guard !stopped else { return }
    if firstError == nil {
      firstError = error
      stopOffset = offset ?? xml?.byteOffset
    }
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

  mutating func recordXMLError(_ error: XMLParseError) {
    fatal(error.tmxError(file: file, rootOpen: !stack.isEmpty), offset: error.byteOffset)
  }

  mutating func declareEntity(_ name: String, isExternal: Bool, systemID: String, content: String) {
    entities[name] = DeclaredEntity(isExternal: isExternal, systemID: systemID, content: content)
  }

  /// A reference to a general entity that isn't one of XML's five: refused, never expanded.
  mutating func entityReferenced(_ name: String) {
    // libxml2 also looks an entity up right after reading its declaration: not a reference.
    if xml?.isInSubset ?? false { return }
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
      total +=
        inner.hasPrefix("#") ? 1 : expandedSize(of: inner, sizes: &sizes, visiting: visiting, limit: limit)
      if total > limit { return limit + 1 }
      rest = rest[rest.index(after: semicolon)...]
    }
    total += rest.utf8.count
    sizes[name] = total
    return total
  }

  // MARK: Elements

  /// The elements TMX allows in `<seg>` and `<hi>`.
  private static func isInlineElement(_ name: Name) -> Bool {
    switch name {
    case .hi, .bpt, .ept, .ph, .it, .ut: true
    default: false
    }
  }

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
      case (0x73, 0x75, 0x62): return .sub
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

  /// Whether an attribute is `xml:space`.
  private static func isSpace(_ attribute: XMLAttribute) -> Bool {
    guard let prefix = attribute.prefix, attribute.named("space") else { return false }
    return strcmp(UnsafeRawPointer(prefix).assumingMemoryBound(to: CChar.self), "xml") == 0
  }

  /// The white-space mode an `xml:space` names; nil, with a warning, for another value (the
  /// parent's mode then applies).
  private mutating func whiteSpace(_ attribute: XMLAttribute) -> _TMXWhiteSpace? {
    let value = attribute.value
    if let mode = _TMXWhiteSpace(value: value) { return mode }
    warn(.unknownSpaceValue, "'xml:space' is '\(value)', neither 'default' nor 'preserve'; ignored")
    return nil
  }

  private mutating func date(_ attribute: String, _ value: String) -> Date? {
    if let date = TMXDate.parse(value) { return date }
    if let (date, _) = TMXDate.parseLenient(value) {
      warn(
        .nonstandardDate,
        "'\(attribute)' is '\(value)', not TMX's form; read as \(TMXDate.format(date))")
      return date
    }
    fail(.invalidDate(location(), attribute: attribute, value: value))
    return nil
  }

  /// Records an accepted deviation: the first of its kind with its place, the others counted.
  mutating func warn(_ kind: TMXWarning.Kind, _ detail: String, at place: TMXLocation? = nil) {
    if let index = warnings.firstIndex(where: { $0.kind == kind }) {
      warnings[index].count += 1
    } else {
      warnings.append(TMXWarning(kind: kind, location: place ?? location(), detail: detail))
    }
  }

  mutating func startElement(_ namePointer: UnsafePointer<UInt8>, attributes: XMLAttributes) {
    guard !stopped else { return }
    let name = Self.name(namePointer)
    guard let context = stack.last else {
      guard name == .tmx else {
        fatal(.notTMX(location(), root: String(cString: namePointer)))
        return
      }
      sawRoot = true
      var version: String?
      attributes.forEach {
        if $0.named("version") { version = $0.value }
        if Self.isSpace($0) { documentSpace = whiteSpace($0) }
      }
      guard let version else {
        warn(.missingVersion, "<tmx> has no 'version'; read as TMX 1.4")
        header.version = "1.4"
        stack.append(.tmx)
        return
      }
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
      var missing = Set([
        "creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype",
      ])
      attributes.forEach { attribute in
        missing.remove(String(cString: attribute.name))
        if attribute.named("srclang") {
          header.sourceLanguage = attribute.value
        } else if attribute.named("creationtool") {
          header.creationTool = attribute.value
        } else if attribute.named("creationtoolversion") {
          header.creationToolVersion = attribute.value
        } else if attribute.named("datatype") {
          header.dataType = attribute.value
        } else if attribute.named("segtype") {
          header.segmentType = attribute.value
        }
      }
      if !missing.isEmpty {
        warn(
          .missingHeaderAttribute,
          "<header> is missing \(missing.sorted().map { "'\($0)'" }.joined(separator: ", ")), which TMX requires"
        )
      }
      stack.append(.header)
    case (.tmx, .body):
      attributes.forEach { if Self.isSpace($0) { bodySpace = whiteSpace($0) } }
      stack.append(.body)
    case (.body, .tu):
      startUnit()
      stack.append(.unit)
      attributes.forEach { attribute in
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
          // Digits alone, the usual case, without a String or Foundation's trimming.
          if let count = attribute.decimalDigits {
            usageCount = count
            return
          }
          let value = attribute.value
          if let count = Int(value.trimmingCharacters(in: .whitespaces)), count >= 0 {
            usageCount = count
          } else {
            warn(.invalidUsageCount, "'usagecount' is '\(value)', not a number; read as 1")
          }
        } else if attribute.named("lastusagedate") {
          lastUsageDate = date("lastusagedate", attribute.value)
        } else if attribute.named("segtype") {
          segmentType = attribute.value
        } else if attribute.named("datatype") {
          dataType = attribute.value
        } else if attribute.named("creationtool") {
          creationTool = attribute.value
        } else if attribute.named("creationtoolversion") {
          creationToolVersion = attribute.value
        } else if Self.isSpace(attribute) {
          unitSpace = whiteSpace(attribute)
        }
      }
    case (.unit, .prop), (.variant, .prop):
      var type: String?
      attributes.forEach { if $0.named("type") { type = $0.value } }
      textLocation = location()
      textTotal = 0
      if type == nil { fail(.missingAttribute(textLocation, element: "prop", attribute: "type")) }
      propertyType = type
      textBytes.removeAll(keepingCapacity: true)
      stack.append(.property)
    case (.unit, .note), (.variant, .note):
      textLocation = location()
      textTotal = 0
      textBytes.removeAll(keepingCapacity: true)
      stack.append(.note)
    case (.unit, .tuv):
      variantLocation = location()
      var language: String?
      variantCreationDate = nil
      variantCreationID = nil
      variantChangeDate = nil
      variantChangeID = nil
      variantProperties = []
      variantNotes = []
      variantSpace = nil
      attributes.forEach { attribute in
        if attribute.named("creationdate") {
          variantCreationDate = date("creationdate", attribute.value)
        } else if attribute.named("creationid") {
          variantCreationID = attribute.value
        } else if attribute.named("changedate") {
          variantChangeDate = date("changedate", attribute.value)
        } else if attribute.named("changeid") {
          variantChangeID = attribute.value
        } else if Self.isSpace(attribute) {
          variantSpace = whiteSpace(attribute)
        }
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
      segmentCounted = 0
      codes = []
      stack.append(.variant)
    case (.variant, .seg):
      textLocation = location()
      textTotal = 0
      if sawSegment { fail(.unexpectedElement(textLocation, element: "seg", parent: "tuv")) }
      sawSegment = true
      segmentSpace = nil
      attributes.forEach { if Self.isSpace($0) { segmentSpace = whiteSpace($0) } }
      stack.append(.segment)
    case (.segment, _) where attributes.elementPrefix != nil || !Self.isInlineElement(name),
      (.highlight, _) where attributes.elementPrefix != nil || !Self.isInlineElement(name):
      // An element of another vocabulary (InterText's TEI milestones and notes), or one TMX
      // doesn't allow here: kept whole, as the content of a placeholder, so nothing is lost.
      let element = XMLAttribute.qualified(namePointer, prefix: attributes.elementPrefix)
      warn(.foreignElement, "<\(element)> is not a TMX inline element; kept as a <ph> holding its XML")
      codes.append(InlineCode(kind: .placeholder, position: segmentPosition()))
      foreignXML = ""
      foreignDepth = 0
      openForeign(element, attributes)
      stack.append(.foreign)
    case (.segment, .hi), (.highlight, .hi):
      var code = InlineCode(kind: .highlightStart, position: segmentPosition())
      attributes.forEach { attribute in
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
      var code = InlineCode(kind: kind, position: segmentPosition())
      var position: String?
      attributes.forEach { attribute in
        if attribute.named("assoc") {
          code.association = attribute.value
        } else if attribute.named("i") {
          code.pairID = Int(attribute.value)
        } else if attribute.named("x") {
          code.matchID = Int(attribute.value)
        } else if attribute.named("type") {
          code.type = attribute.value
        } else if attribute.named("pos") {
          position = attribute.value
        }
      }
      code.isolatedPosition = position.flatMap(InlineCode.IsolatedPosition.init(rawValue:))
      if kind == .isolated && code.isolatedPosition == nil {
        // Never a default: an <it> that opens and one that closes are different codes.
        fail(
          position.map {
            .invalidAttribute(
              location(), element: "it", attribute: "pos", value: $0, allowed: "'begin' or 'end'")
          } ?? .missingAttribute(location(), element: "it", attribute: "pos"))
      }
      codes.append(code)
      stack.append(.code)
    case (.code, _):
      // TMX allows only <sub> in a code. Its text is translatable and its own codes may nest:
      // a flat content string can't hold that, and flattening it would lose it on export.
      let code = codes.last?.kind.rawValue ?? "ph"
      if name == .sub {
        fail(.unsupportedSubflow(location(), code: code))
      } else {
        fail(.unexpectedElement(location(), element: String(cString: namePointer), parent: code))
      }
      stack.append(.ignored)
    case (.foreign, _):
      openForeign(XMLAttribute.qualified(namePointer, prefix: attributes.elementPrefix), attributes)
      stack.append(.foreign)
    case (.header, _), (.ignored, _):
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
      guard withinLimit(adding: bytes.count, element: "seg") else { return }
      segmentBytes.append(contentsOf: bytes)
    case .code:
      guard withinLimit(adding: bytes.count, element: "seg") else { return }
      if let last = codes.indices.last { codes[last].content += String(decoding: bytes, as: UTF8.self) }
    case .foreign:
      guard withinLimit(adding: bytes.count, element: "seg") else { return }
      closeForeignTag()
      var text = ""
      _XMLOutput.escapeText(String(decoding: bytes, as: UTF8.self), into: &text)
      foreignXML += text
    case .property, .note:
      guard withinLimit(adding: bytes.count, element: context == .note ? "note" : "prop") else { return }
      textBytes.append(contentsOf: bytes)
    default: break
    }
  }

  /// Writes a foreign element's start tag, left open for its content or its end.
  private mutating func openForeign(_ name: String, _ attributes: XMLAttributes) {
    closeForeignTag()
    foreignXML += "<" + name
    attributes.forEach { attribute in
      var value = ""
      _XMLOutput.escapeText(attribute.value, into: &value, quotes: true)
      foreignXML += " \(attribute.qualifiedName)=\"\(value)\""
    }
    foreignTagOpen = true
    foreignDepth += 1
  }

  private mutating func closeForeignTag() {
    if foreignTagOpen {
      foreignXML += ">"
      foreignTagOpen = false
    }
  }

  /// Whether `count` more bytes of text keep an element within ``TMXReader/Limits/maxTextBytes``;
  /// past it the unit fails and its text is no longer kept, so memory stays bounded.
  private mutating func withinLimit(adding count: Int, element: String) -> Bool {
    if textTotal > limits.maxTextBytes { return false }
    textTotal += count
    guard textTotal > limits.maxTextBytes else { return true }
    fail(.textTooLong(textLocation, element: element, limit: limits.maxTextBytes))
    return false
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

  /// The segment's UTF-16 length so far: where a code starting now stands.
  private mutating func segmentPosition() -> Int {
    if segmentCounted < segmentBytes.count {
      segmentLength += segmentBytes.withUnsafeBufferPointer {
        Self.utf16Count(UnsafeBufferPointer(rebasing: $0[segmentCounted...]))
      }
      segmentCounted = segmentBytes.count
    }
    return segmentLength
  }

  /// `Language(code)` lowercases; a file uses a handful of codes, so each is made once.
  private mutating func cachedLanguage(_ code: String) -> Language {
    for entry in languages where entry.code == code { return entry.language }
    let language = Language(code)
    if languages.count < 16 { languages.append((code, language)) }
    return language
  }

  /// The name of the element still open at `depth` (0 the outermost) in well-formed XML written
  /// by ``openForeign(_:_:)``.
  private static func openElementName(in xml: String, depth: Int) -> String {
    var open: [Substring] = []
    var rest = Substring(xml)
    while let start = rest.firstIndex(of: "<") {
      let afterStart = rest.index(after: start)
      guard let end = rest[afterStart...].firstIndex(of: ">") else { break }
      let tag = rest[afterStart..<end]
      if tag.hasPrefix("/") {
        _ = open.popLast()
      } else if !tag.hasSuffix("/") {
        open.append(tag.prefix { $0 != " " && $0 != "/" })
      }
      rest = rest[rest.index(after: end)...]
    }
    return depth < open.count ? String(open[depth]) : String(open.last ?? "")
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
    lastUsageDate = nil
    unitSpace = nil
    segmentType = nil
    dataType = nil
    creationTool = nil
    creationToolVersion = nil
    if let packing {
      packed.reset(bytesStart: packing.batch.bytes.count)
      if !notes.isEmpty { notes = [] }
      return
    }
    variants = []
    variants.reserveCapacity(2)
    properties = []
    notes = []
  }

  // MARK: Packing (the import)

  /// A unit-level `<prop>` at its end: a column's first value into the arena, any other kept.
  private mutating func packProperty(type: String, into packing: _TMXPacking) {
    let position = packed.propertyCount
    packed.propertyCount += 1
    if let rank = PropertyColumns.rank(of: type), packed.columns[rank].isNull {
      packed.columns[rank] = textBytes.withUnsafeBufferPointer { packing.batch.pack($0) }
      if let last = packed.ranks.last, last > rank { packed.sorted = false }
      packed.ranks.append(rank)
    } else {
      packed.others.append(
        (position, Property(type: type, value: String(decoding: textBytes, as: UTF8.self))))
    }
  }

  /// A `<tuv>` at its end: its language, segment and codes into the arena; a variant with
  /// metadata of its own also kept whole.
  private mutating func packVariant(language: Language, code: String, into packing: _TMXPacking) {
    if packed.languages.contains(language) {
      warn(
        .sameLanguageTwice, "<tu> has two <tuv> in language '\(code)'; kept as alternatives",
        at: variantLocation)
    }
    let blank = segmentBytes.withUnsafeBufferPointer { codes.isEmpty && _UnitBatch.isBlank($0) }
    if !blank { packed.allBlank = false }
    let texts = (
      language: packing.batch.pack(language.rawValue),
      text: segmentBytes.withUnsafeBufferPointer { packing.batch.pack($0) },
      codes: InlineCodeCoding.encode(codes).map { $0.withUnsafeBufferPointer { packing.batch.pack($0) } }
        ?? .null
    )
    let hasMetadata =
      variantCreationDate != nil || variantCreationID != nil || variantChangeDate != nil
      || variantChangeID != nil || !variantProperties.isEmpty || !variantNotes.isEmpty
    if hasMetadata && !packed.hasMetadata {
      packed.hasMetadata = true
      packed.metadata = Array(repeating: nil, count: packed.variants.count)
    }
    if packed.hasMetadata {
      packed.metadata.append(
        hasMetadata
          ? Variant(
            language: language, text: String(decoding: segmentBytes, as: UTF8.self), codes: codes,
            creationDate: variantCreationDate, creationID: variantCreationID,
            changeDate: variantChangeDate, changeID: variantChangeID, properties: variantProperties,
            notes: variantNotes) : nil)
    }
    packed.variants.append(texts)
    packed.languages.append(language)
  }

  /// A good unit at its end, into the batch; the batch handed on when full.
  private mutating func packUnit(sourceLanguage: Language, into packing: _TMXPacking) {
    let head = _UnitBatch.PackedHead(
      tuid: tuid, sourceLanguage: sourceLanguage.rawValue, creationID: creationID, changeID: changeID,
      segmentType: segmentType, dataType: dataType, creationTool: creationTool,
      creationToolVersion: creationToolVersion,
      creationDate: Int64((creationDate ?? defaultDate).timeIntervalSince1970),
      changeDate: changeDate.map { Int64($0.timeIntervalSince1970) }, usageCount: Int64(usageCount),
      lastUsageDate: lastUsageDate.map { Int64($0.timeIntervalSince1970) })
    packing.batch.appendPacked(head, notes: notes, state: packed)
    do {
      try packing.unitPacked()
    } catch {
      thrown = error
      stop()
    }
  }

  mutating func endElement() {
    guard !stopped, let context = stack.popLast() else { return }
    switch context {
    case .property:
      if let propertyType {
        if let packing, stack.last != .variant {
          packProperty(type: propertyType, into: packing)
          return
        }
        let property = Property(type: propertyType, value: String(decoding: textBytes, as: UTF8.self))
        if stack.last == .variant { variantProperties.append(property) } else { properties.append(property) }
      }
    case .note:
      let note = String(decoding: textBytes, as: UTF8.self)
      if stack.last == .variant { variantNotes.append(note) } else { notes.append(note) }
    case .foreign:
      foreignDepth -= 1
      if foreignTagOpen {
        foreignXML += "/>"
        foreignTagOpen = false
      } else {
        // The end tag's name: the last start tag still open, found by depth.
        foreignXML += "</\(Self.openElementName(in: foreignXML, depth: foreignDepth))>"
      }
      if foreignDepth == 0, let last = codes.indices.last { codes[last].content = foreignXML }
    case .highlight:
      codes.append(InlineCode(kind: .highlightEnd, position: segmentPosition()))
    case .segment:
      if _TMXWhiteSpace.effective(
        segment: segmentSpace, variant: variantSpace, unit: unitSpace, body: bodySpace,
        document: documentSpace)
        == .default
      {
        _TMXWhiteSpace.collapse(&segmentBytes, codes: &codes)
      }
    case .variant:
      if !sawSegment { fail(.missingSegment(variantLocation)) }
      if let language = variantLanguage, !language.isEmpty {
        let code = cachedLanguage(language)
        if let packing {
          packVariant(language: code, code: language, into: packing)
          return
        }
        if variants.contains(where: { $0.language == code }) {
          warn(
            .sameLanguageTwice, "<tu> has two <tuv> in language '\(language)'; kept as alternatives",
            at: variantLocation)
        }
        variants.append(
          Variant(
            language: code, text: String(decoding: segmentBytes, as: UTF8.self), codes: codes,
            creationDate: variantCreationDate, creationID: variantCreationID,
            changeDate: variantChangeDate, changeID: variantChangeID, properties: variantProperties,
            notes: variantNotes))
      }
    case .unit:
      endUnit()
    default:
      break
    }
  }

  private mutating func endUnit() {
    unitsSeen += 1
    if unitsSeen > limits.maxUnits {
      fatal(.tooManyUnits(unitLocation, limit: limits.maxUnits))
      return
    }
    defer {
      if let progress, unitsSeen % progressInterval == 0 { progress(unitsSeen, xml?.bytesFed ?? 0) }
    }
    // `<tu>` is off the stack already: `fail` would take these for problems outside a unit,
    // which end the reading even with `skipBad`.
    func failUnit(_ error: TMXError) {
      if skipBad { unitError = error } else { fatal(error) }
    }
    let variantCount = packing == nil ? variants.count : packed.variants.count
    if unitError == nil && variantCount == 0 { failUnit(.emptyUnit(unitLocation)) }
    // What the store would refuse, said here with its place, so that --skip-bad can skip it.
    if unitError == nil && variantCount > 0
      && (packing == nil ? variants.allSatisfy(\.isBlank) : packed.allBlank)
    {
      failUnit(.blankUnit(unitLocation))
    }
    if stopped { return }
    if let unitError {
      // Its texts already in the arena go.
      if let packing { packing.batch.bytes.removeSubrange(packed.bytesStart...) }
      onSkip(unitError)
      return
    }
    let source = header.unitSourceLanguage(
      unitSourceLanguage, firstVariant: (packing == nil ? variants[0].language : packed.languages[0]).rawValue
    )
    segmentType = header.unitSegmentType(segmentType)
    dataType = header.unitDataType(dataType)
    if let packing {
      packUnit(sourceLanguage: cachedLanguage(source), into: packing)
      return
    }
    // The variants stay in the file's order: tools take the first two as source and target.
    let unit = TranslationUnit(
      tuid: tuid, sourceLanguage: cachedLanguage(source), variants: variants, properties: properties,
      notes: notes, creationDate: creationDate ?? defaultDate, creationID: creationID,
      changeDate: changeDate, changeID: changeID, usageCount: usageCount, lastUsageDate: lastUsageDate,
      segmentType: segmentType, dataType: dataType, creationTool: creationTool,
      creationToolVersion: creationToolVersion)
    do {
      try body?(unit)
    } catch {
      thrown = error
      stop()
    }
  }
}
