internal import CLibXML2
import Foundation

/// An element of a Word part, parsed by libxml2 into a small tree: the only code of the Word
/// reader that sees libxml2.
///
/// Names are local names with their namespace URI; Strict Open XML namespaces are mapped to the
/// Transitional ones Word writes, so one name matches both.
final class DocxElement {
  let namespace: String
  let name: String
  private(set) var attributes: [(namespace: String, name: String, value: String)] = []
  private(set) var children: [DocxNode] = []
  /// The 1-based line of the start tag in its part.
  let line: Int

  init(namespace: String, name: String, line: Int) {
    self.namespace = namespace
    self.name = name
    self.line = line
  }

  /// Whether this is `name` in the WordprocessingML namespace.
  func isW(_ name: String) -> Bool { self.name == name && namespace == DocxNamespace.w }

  /// The value of an attribute in a namespace (the WordprocessingML one unless told).
  func attribute(_ name: String, namespace: String = DocxNamespace.w) -> String? {
    attributes.first { $0.name == name && $0.namespace == namespace }?.value
  }

  /// An attribute without a namespace (relationships and content types use them).
  func plainAttribute(_ name: String) -> String? {
    attributes.first { $0.name == name && $0.namespace.isEmpty }?.value
  }

  var elements: [DocxElement] {
    children.compactMap { if case .element(let e) = $0 { e } else { nil } }
  }

  /// The first child element `w:name`.
  func childW(_ name: String) -> DocxElement? { elements.first { $0.isW(name) } }

  /// The text of the element and its descendants.
  var textContent: String {
    children.reduce(into: "") { result, child in
      switch child {
      case .text(let text): result += text
      case .element(let element): result += element.textContent
      }
    }
  }

  fileprivate func append(_ node: DocxNode) { children.append(node) }
  fileprivate func addAttribute(_ namespace: String, _ name: String, _ value: String) {
    attributes.append((namespace, name, value))
  }
}

enum DocxNode {
  case element(DocxElement)
  case text(String)
}

enum DocxNamespace {
  static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
  static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
  static let mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
  static let relationships = "http://schemas.openxmlformats.org/package/2006/relationships"
  static let contentTypes = "http://schemas.openxmlformats.org/package/2006/content-types"

  /// Strict Open XML spellings and the Transitional ones they stand for.
  static let strict: [String: String] = [
    "http://purl.oclc.org/ooxml/wordprocessingml/main": w,
    "http://purl.oclc.org/ooxml/officeDocument/relationships": r,
  ]
}

/// Why a Word part's XML could not be parsed.
struct DocxXMLError: Error {
  var line: Int
  var reason: String
}

enum DocxXML {
  /// Parses a whole part.
  ///
  /// The parser loads no DTD, touches no network and expands no entity; a part with a document
  /// type declaration is refused (Word never writes one, and it is how entity bombs come in).
  ///
  /// - Throws: ``DocxXMLError`` with the line libxml2 reports.
  ///   `allowDocumentType` lets a declaration through unread (pdftotext's XHTML has one).
  static func parse(_ data: Data, allowDocumentType: Bool = false) throws(DocxXMLError) -> DocxElement {
    guard !data.isEmpty else { throw DocxXMLError(line: 1, reason: "the part is empty") }
    guard data.count < Int(Int32.max) else { throw DocxXMLError(line: 1, reason: "the part is too large") }
    let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
    guard let context = xmlNewParserCtxt() else { throw DocxXMLError(line: 1, reason: "out of memory") }
    defer { xmlFreeParserCtxt(context) }
    let document = data.withUnsafeBytes { buffer in
      xmlCtxtReadMemory(
        context, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(buffer.count), nil, nil,
        options)
    }
    guard let document else {
      let error = xmlCtxtGetLastError(context)
      let line = error.map { Int($0.pointee.line) } ?? 1
      let message =
        error.flatMap { $0.pointee.message.map { String(cString: $0) } }?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "malformed XML"
      throw DocxXMLError(line: max(1, line), reason: message)
    }
    defer { xmlFreeDoc(document) }
    if document.pointee.intSubset != nil, !allowDocumentType {
      throw DocxXMLError(line: 1, reason: "a document type declaration (DTD), which a Word part never has")
    }
    guard let root = xmlDocGetRootElement(document) else {
      throw DocxXMLError(line: 1, reason: "no root element")
    }
    return convert(root)
  }

  private static func namespace(of ns: xmlNsPtr?) -> String {
    guard let href = ns?.pointee.href else { return "" }
    let uri = String(cString: href)
    return DocxNamespace.strict[uri] ?? uri
  }

  private static func convert(_ node: xmlNodePtr) -> DocxElement {
    let element = DocxElement(
      namespace: namespace(of: node.pointee.ns), name: String(cString: node.pointee.name),
      line: Int(xmlGetLineNo(node)))
    var attribute = node.pointee.properties
    while let current = attribute {
      let name = String(cString: current.pointee.name)
      var value = ""
      if let content = xmlNodeListGetString(node.pointee.doc, current.pointee.children, 1) {
        value = String(cString: content)
        free(content)  // libxml2 allocates with malloc unless a program installs its own allocator
      }
      element.addAttribute(namespace(of: current.pointee.ns), name, value)
      attribute = current.pointee.next
    }
    var child = node.pointee.children
    while let current = child {
      switch current.pointee.type {
      case XML_ELEMENT_NODE: element.append(.element(convert(current)))
      case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
        if let content = current.pointee.content { element.append(.text(String(cString: content))) }
      default: break
      }
      child = current.pointee.next
    }
    return element
  }
}
