import Foundation
import TextSegmentation

/// A problem in an XLIFF file, with where it is.
public enum XLIFFError: Error, Equatable, CustomStringConvertible {
  /// Not well-formed XML.
  case malformedXML(file: String, line: Int, reason: String)
  /// The root element is not `<xliff>`, or its version is not 1.0–1.2.
  case unsupportedVersion(file: String, line: Int, version: String)
  /// A required attribute is missing.
  case missingAttribute(file: String, line: Int, element: String, attribute: String)
  /// A DTD entity, which the reader never expands.
  case entityNotAllowed(file: String, line: Int, name: String)

  public var description: String {
    switch self {
    case .malformedXML(let file, let line, let reason):
      return "\(file):\(line): malformed XML: \(reason)"
    case .unsupportedVersion(let file, let line, let version):
      return "\(file):\(line): not XLIFF 1.2 (\(version)); aligntm reads XLIFF 1.0 to 1.2"
    case .missingAttribute(let file, let line, let element, let attribute):
      return "\(file):\(line): <\(element)> is missing attribute '\(attribute)'"
    case .entityNotAllowed(let file, let line, let name):
      return "\(file):\(line): entity '&\(name);' is not allowed (entities are never expanded)"
    }
  }
}

/// Reads the trans-units of an XLIFF 1.0–1.2 file: each one's source, its target with `state`
/// and `approved`, and where it stands (file, group, id). `<alt-trans>` is skipped.
///
/// Inline elements become ``InlineCode``s: `<bpt>`/`<bx>` begin, `<ept>`/`<ex>` end, `<ph>`/`<x>`
/// placeholder, `<it>` isolated, `<g>` a begin and an end; their text (the original markup) is the
/// code's content. `<mrk>` and `<sub>` are read through: their text is the segment's text.
public struct XLIFFReader {
  /// One trans-unit as read.
  public struct Unit: Sendable, Hashable {
    public var id: String
    public var source: Variant
    public var target: Variant?
    /// The target's `state`, if any.
    public var state: String?
    /// `approved="yes"`.
    public var approved: Bool
    /// The `<file original="…">`.
    public var original: String?
    /// The document symbol aligntm wrote on `<file>` (`aligntm:document`).
    public var document: String?
    /// The `resname` of the enclosing `<group>`: the paragraph number aligntm wrote.
    public var paragraph: String?
    /// The line of the `<trans-unit>` tag.
    public var line: Int

    /// Whether a translator confirmed the target: it is not empty, and the unit is
    /// `approved="yes"` or its target's state is one of ``XLIFFDocument/confirmedStates``
    /// (`translated`, `final`, `signed-off`).
    public var isConfirmed: Bool {
      guard let target, !target.isBlank else { return false }
      return approved || state.map(XLIFFDocument.confirmedStates.contains) == true
    }
  }

  public let url: URL
  /// The file's name in errors: its path, or `<stdin>` for what was standard input.
  public let name: String

  public init(url: URL, name: String? = nil) {
    self.url = url
    self.name = name ?? url.path
  }

  /// Whether the first kilobytes of a file look like XLIFF: an `<xliff` root tag.
  ///
  /// Only a regular file is looked at: a stream (a pipe, `/dev/stdin`) can be read only once.
  public static func looksLikeXLIFF(_ url: URL) -> Bool {
    var status = stat()
    guard stat(url.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return false }
    guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
    defer { try? handle.close() }
    guard let head = try? handle.read(upToCount: 4096) else { return false }
    let text = String(decoding: head, as: UTF8.self)
    return text.contains("<xliff") && !text.contains("<tmx")
  }

  /// Every trans-unit of the file, in order.
  ///
  /// - Throws: ``XLIFFError``, or ``TMXError/cannotOpen(file:reason:)`` when the file can't be
  ///   read.
  public func units() throws -> [Unit] {
    let parser = try XMLPushParser(file: url.path)
    let handler = _XLIFFHandler(file: name)
    handler.parser = parser
    try parser.parse(reportingTo: handler)
    handler.parser = nil
    if let error = handler.failure { throw error }
    return handler.units
  }
}

/// The SAX handler behind ``XLIFFReader``.
final class _XLIFFHandler: XMLEventHandler {
  let file: String
  weak var parser: XMLPushParser?
  var units: [XLIFFReader.Unit] = []
  var failure: XLIFFError?

  private var elements: [String] = []
  private var original: String?
  private var document: String?
  private var sourceLanguage = Language("en")
  private var targetLanguage: Language?
  private var groupNames: [String?] = []
  private var unit: XLIFFReader.Unit?
  /// The segment being read: `source` or `target`, with its text and codes.
  private var segment: String?
  private var text: [UInt16] = []
  private var codes: [InlineCode] = []
  /// Depth inside an inline code whose text is its content.
  private var codeDepth = 0
  private var codeContent = ""
  /// `<g>` elements open, with the pair id of their begin code.
  private var openG: [Int] = []
  private var nextPair = 0
  private var sawRoot = false

  init(file: String) {
    self.file = file
  }

  private var line: Int { parser?.location.line ?? 1 }

  private func fail(_ error: XLIFFError) {
    if failure == nil { failure = error }
    parser?.stop()
  }

  override func startElement(_ name: UnsafePointer<UInt8>, attributes: XMLAttributes) {
    let element = String(cString: name)
    var values: [String: String] = [:]
    attributes.forEach { values[String(cString: $0.name)] = $0.value }
    defer { elements.append(element) }
    if !sawRoot {
      sawRoot = true
      guard element == "xliff" else {
        return fail(.unsupportedVersion(file: file, line: line, version: "root element <\(element)>"))
      }
      let version = values["version"] ?? ""
      guard ["1.0", "1.1", "1.2"].contains(version) else {
        return fail(.unsupportedVersion(file: file, line: line, version: "version \"\(version)\""))
      }
      return
    }
    // Inside alt-trans nothing is read.
    if elements.contains("alt-trans") { return }
    if segment != nil {
      startInline(element, values)
      return
    }
    switch element {
    case "file":
      original = values["original"]
      document = values["document"]
      guard let source = values["source-language"] else {
        return fail(.missingAttribute(file: file, line: line, element: "file", attribute: "source-language"))
      }
      sourceLanguage = Language(source)
      targetLanguage = values["target-language"].map { Language($0) }
    case "group":
      groupNames.append(values["resname"])
    case "trans-unit":
      guard let id = values["id"] else {
        return fail(.missingAttribute(file: file, line: line, element: "trans-unit", attribute: "id"))
      }
      unit = XLIFFReader.Unit(
        id: id, source: Variant(language: sourceLanguage, text: ""), approved: values["approved"] == "yes",
        original: original, document: document, paragraph: groupNames.last ?? nil, line: line)
    case "source",
      "target" where unit != nil:
      segment = element
      text = []
      codes = []
      nextPair = 0
      openG = []
      if element == "target" {
        unit?.state = values["state"]
        if let language = values["lang"] { targetLanguage = Language(language) }
      }
    default:
      break
    }
  }

  private func startInline(_ element: String, _ values: [String: String]) {
    if codeDepth > 0 {
      codeDepth += 1
      return
    }
    let position = text.count
    let type = values["ctype"]
    let pair = values["rid"].flatMap(Int.init) ?? values["id"].flatMap(Int.init)
    switch element {
    case "bpt", "bx":
      codes.append(InlineCode(kind: .begin, position: position, pairID: pair, type: type))
    case "ept", "ex":
      codes.append(InlineCode(kind: .end, position: position, pairID: pair))
    case "ph", "x":
      codes.append(InlineCode(kind: .placeholder, position: position, type: type))
    case "it":
      codes.append(
        InlineCode(
          kind: .isolated, position: position, type: type,
          isolatedPosition: values["pos"] == "close" ? .end : .begin))
    case "g":
      nextPair += 1
      let id = 1000 + nextPair
      codes.append(InlineCode(kind: .begin, position: position, pairID: id, type: type))
      openG.append(id)
      return
    default:
      // mrk, sub: their text is the segment's.
      return
    }
    if ["bpt", "ept", "ph", "it"].contains(element) {
      codeDepth = 1
      codeContent = ""
    }
  }

  override func endElement() {
    guard let element = elements.popLast() else { return }
    if elements.contains("alt-trans") || element == "alt-trans" { return }
    if codeDepth > 0 {
      codeDepth -= 1
      if codeDepth == 0, !codes.isEmpty { codes[codes.count - 1].content = codeContent }
      return
    }
    if segment != nil && element == "g", let id = openG.popLast() {
      codes.append(InlineCode(kind: .end, position: text.count, pairID: id))
      return
    }
    switch element {
    case "source",
      "target" where segment == element:
      let language = element == "source" ? sourceLanguage : targetLanguage ?? Language("und")
      let variant = Variant(language: language, text: String(decoding: text, as: UTF16.self), codes: codes)
      if element == "source" { unit?.source = variant } else { unit?.target = variant }
      segment = nil
    case "trans-unit":
      if var done = unit {
        if done.target != nil, let targetLanguage { done.target?.language = targetLanguage }
        units.append(done)
      }
      unit = nil
    case "group":
      _ = groupNames.popLast()
    case "file":
      original = nil
      document = nil
    default:
      break
    }
  }

  override func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard segment != nil, !elements.contains("alt-trans") else { return }
    let string = String(decoding: bytes, as: UTF8.self)
    if codeDepth > 0 {
      codeContent += string
    } else {
      text.append(contentsOf: string.utf16)
    }
  }

  override func entityLookedUp(_ name: String) {
    if parser?.isInSubset == true { return }
    fail(.entityNotAllowed(file: file, line: line, name: name))
  }

  override func undeclaredEntityReferenced(_ name: String) {
    fail(.entityNotAllowed(file: file, line: line, name: name))
  }

  override func error(_ error: XMLParseError) {
    fail(.malformedXML(file: file, line: error.line, reason: error.message))
  }
}
