import Foundation

/// Writes an ``XLIFFDocument`` as XLIFF 1.2 (the OASIS `urn:oasis:names:tc:xliff:document:1.2`
/// namespace), valid against the 1.2 transitional schema.
///
/// Inline codes become XLIFF's native-code elements: a begin and end pair `<bpt>`/`<ept>`
/// (linked by `rid`), a placeholder `<ph>`, an isolated code `<it pos="open|close">`, each
/// holding the original markup (`**`, `<i>`) as its text; the two ends of a TMX `<hi>` become a
/// `<mrk mtype="x-hi">`. Characters XML forbids are written as U+FFFD.
public struct XLIFFWriter {
  public init() {}

  /// The document as XLIFF, UTF-8.
  public func data(for document: XLIFFDocument) -> Data {
    var out = _XMLOutput()
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    out.append(
      "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" xmlns:aligntm=\"urn:x-aligntm:xliff\">\n"
    )
    out.append("  <file")
    out.attribute("original", document.original)
    out.attribute("source-language", document.sourceLanguage.rawValue)
    out.attribute("target-language", document.targetLanguage.rawValue)
    out.attribute("datatype", "plaintext")
    out.attribute("tool-id", "aligntm")
    if let symbol = document.symbol { out.attribute("aligntm:document", symbol) }
    out.append(">\n    <header>\n      <tool tool-id=\"aligntm\" tool-name=\"aligntm\"")
    out.attribute("tool-version", TranslationMemory.toolVersion)
    out.append("/>\n    </header>\n    <body>\n")
    for group in document.groups {
      out.append("      <group")
      out.attribute("id", group.id)
      if let name = group.name { out.attribute("resname", name) }
      out.append(">\n")
      for unit in group.units { Self.unit(unit, to: &out) }
      out.append("      </group>\n")
    }
    out.append("    </body>\n  </file>\n</xliff>\n")
    return Data(out.bytes)
  }

  private static func unit(_ unit: XLIFFDocument.Unit, to out: inout _XMLOutput) {
    out.append("        <trans-unit")
    out.attribute("id", unit.id)
    if unit.approved { out.attribute("approved", "yes") }
    out.attribute("xml:space", "preserve")
    out.append(">\n          <source>")
    content(unit.source, to: &out)
    out.append("</source>\n")
    if let target = unit.target {
      out.append("          <target")
      if let state = target.state { out.attribute("state", state) }
      if let qualifier = target.stateQualifier { out.attribute("state-qualifier", qualifier) }
      out.append(">")
      content(target.variant, to: &out)
      out.append("</target>\n")
    }
    for alternative in unit.alternatives {
      out.append("          <alt-trans")
      out.attribute("match-quality", String(format: "%.1f", alternative.matchQuality))
      if let origin = alternative.origin { out.attribute("origin", origin) }
      out.attribute("tool-id", "aligntm")
      out.append(">\n            <source>")
      content(alternative.source, to: &out)
      out.append("</source>\n            <target>")
      content(alternative.target, to: &out)
      out.append("</target>\n          </alt-trans>\n")
    }
    for note in unit.notes {
      out.append("          <note from=\"aligntm\">")
      out.text(note)
      out.append("</note>\n")
    }
    out.append("        </trans-unit>\n")
  }

  /// The text of a variant with its codes as XLIFF inline elements.
  static func content(_ variant: Variant, to out: inout _XMLOutput) {
    let utf16 = Array(variant.text.utf16)
    let codes = variant.codes.enumerated().sorted {
      ($0.element.position, $0.offset) < ($1.element.position, $1.offset)
    }.map(\.element)
    var written = 0
    var openHighlights = 0
    var nextID = 1
    for code in codes {
      let position = min(max(code.position, written), utf16.count)
      if position > written {
        out.text(text(utf16, written..<position))
        written = position
      }
      let id = nextID
      nextID += 1
      switch code.kind {
      case .highlightStart:
        out.append("<mrk mtype=\"x-hi\">")
        openHighlights += 1
      case .highlightEnd:
        // An end without a start can't be written as well-formed XML: drop it.
        if openHighlights > 0 {
          out.append("</mrk>")
          openHighlights -= 1
        }
      case .begin:
        out.append("<bpt")
        out.attribute("id", number: id)
        out.attribute("rid", number: code.pairID ?? id)
        if let type = code.type { out.attribute("ctype", delimiterType(type)) }
        out.append(">")
        out.text(code.content)
        out.append("</bpt>")
      case .end:
        out.append("<ept")
        out.attribute("id", number: id)
        out.attribute("rid", number: code.pairID ?? id)
        out.append(">")
        out.text(code.content)
        out.append("</ept>")
      case .placeholder, .unknown:
        out.append("<ph")
        out.attribute("id", number: id)
        if let type = code.type { out.attribute("ctype", placeholderType(type)) }
        out.append(">")
        out.text(code.content)
        out.append("</ph>")
      case .isolated:
        out.append("<it")
        out.attribute("id", number: id)
        out.attribute("pos", code.isolatedPosition == .end ? "close" : "open")
        if let type = code.type { out.attribute("ctype", delimiterType(type)) }
        out.append(">")
        out.text(code.content)
        out.append("</it>")
      }
    }
    if written < utf16.count { out.text(text(utf16, written..<utf16.count)) }
    for _ in 0..<openHighlights { out.append("</mrk>") }
  }

  /// A UTF-16 range of a text; a half of a surrogate pair cut off by a code becomes U+FFFD.
  private static func text(_ utf16: [UInt16], _ range: Range<Int>) -> String {
    String(decoding: utf16[range], as: UTF16.self)
  }

  /// XLIFF 1.2 names four delimiter types; others take the `x-` prefix the schema asks for.
  static func delimiterType(_ type: String) -> String {
    ["bold", "italic", "underlined", "link"].contains(type) || type.hasPrefix("x-") ? type : "x-" + type
  }

  static func placeholderType(_ type: String) -> String {
    ["image", "pb", "lb"].contains(type) || type.hasPrefix("x-") ? type : "x-" + type
  }
}
