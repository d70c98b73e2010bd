import Foundation

/// Writes a TMX 1.4b file unit by unit, streaming through a buffer.
///
/// The file appears at its path only when ``finish()`` succeeds: until then it is written to a
/// hidden temporary file beside it, so a failed export never leaves half a file.
///
/// Characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) are written as U+FFFD and
/// counted in ``replacedCharacters``.
public final class TMXWriter {
  /// The `<header>` attributes.
  public struct Header: Sendable, Hashable {
    /// `srclang`: a language code, or `*all*` when units have several source languages.
    public var sourceLanguage: String
    /// `creationdate`; nil leaves it out (for byte-identical exports of the same memory).
    public var creationDate: Date?
    public var creationTool = "aligntm"
    public var creationToolVersion = TranslationMemory.toolVersion
    public var segmentType = "sentence"
    public var originalFormat = "aligntm"
    public var adminLanguage = "en"
    public var dataType = "plaintext"

    public init(sourceLanguage: String, creationDate: Date? = nil) {
      self.sourceLanguage = sourceLanguage
      self.creationDate = creationDate
    }
  }

  /// The file written.
  public let url: URL
  /// How many characters XML forbids were replaced by U+FFFD.
  public private(set) var replacedCharacters = 0
  /// How many units were written.
  public private(set) var unitCount = 0

  private let temporaryURL: URL
  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private var finished = false
  private static let flushSize = 1 << 20

  /// Creates the file and writes the XML declaration and the header.
  ///
  /// - Throws: ``TMXError/cannotWrite(file:reason:)``.
  public init(url: URL, header: Header) throws {
    self.url = url
    temporaryURL = url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial")
    guard FileManager.default.createFile(atPath: temporaryURL.path, contents: nil),
      let handle = FileHandle(forWritingAtPath: temporaryURL.path)
    else {
      throw TMXError.cannotWrite(file: url.path, reason: "cannot create \(temporaryURL.path)")
    }
    self.handle = handle
    buffer.reserveCapacity(Self.flushSize + 65_536)
    append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    append("<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n")
    append("<tmx version=\"1.4\">\n  <header")
    attribute("creationtool", header.creationTool)
    attribute("creationtoolversion", header.creationToolVersion)
    attribute("segtype", header.segmentType)
    attribute("o-tmf", header.originalFormat)
    attribute("adminlang", header.adminLanguage)
    attribute("srclang", header.sourceLanguage)
    attribute("datatype", header.dataType)
    attribute("o-encoding", "UTF-8")
    if let date = header.creationDate { attribute("creationdate", TMXDate.format(date)) }
    append("/>\n  <body>\n")
  }

  deinit {
    if !finished {
      try? handle.close()
      try? FileManager.default.removeItem(at: temporaryURL)
    }
  }

  /// Writes one unit. Its variants are written in order; codes become `<bpt>`, `<ept>`, `<ph>`,
  /// `<it>`, `<ut>` and `<hi>`.
  public func write(_ unit: TranslationUnit) throws {
    append("    <tu")
    if let tuid = unit.tuid ?? unit.id.map(String.init) { attribute("tuid", tuid) }
    attribute("srclang", unit.sourceLanguage.rawValue)
    attribute("creationdate", TMXDate.format(unit.creationDate))
    if let creationID = unit.creationID { attribute("creationid", creationID) }
    if let changeDate = unit.changeDate { attribute("changedate", TMXDate.format(changeDate)) }
    if let changeID = unit.changeID { attribute("changeid", changeID) }
    attribute("usagecount", String(unit.usageCount))
    append(">\n")
    for property in unit.properties {
      append("      <prop")
      attribute("type", property.type)
      append(">")
      text(property.value)
      append("</prop>\n")
    }
    for note in unit.notes {
      append("      <note>")
      text(note)
      append("</note>\n")
    }
    for variant in unit.variants {
      append("      <tuv")
      attribute("xml:lang", variant.language.rawValue)
      append("><seg>")
      segment(variant)
      append("</seg></tuv>\n")
    }
    append("    </tu>\n")
    unitCount += 1
    if buffer.count >= Self.flushSize { try flush() }
  }

  /// Closes the document and moves the file into place.
  public func finish() throws {
    guard !finished else { return }
    append("  </body>\n</tmx>\n")
    try flush()
    do {
      try handle.synchronize()
      try handle.close()
    } catch {
      throw TMXError.cannotWrite(file: url.path, reason: error.localizedDescription)
    }
    guard rename(temporaryURL.path, url.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporaryURL)
      throw TMXError.cannotWrite(file: url.path, reason: reason)
    }
    finished = true
  }

  // MARK: Segments

  private func segment(_ variant: Variant) {
    if variant.codes.isEmpty {
      text(variant.text)
      return
    }
    let utf16 = variant.text.utf16
    let length = utf16.count
    let codes = variant.codes.enumerated().sorted {
      ($0.element.position, $0.offset) < ($1.element.position, $1.offset)
    }.map(\.element)
    var written = 0
    var openHighlights = 0
    for code in codes {
      let position = min(max(code.position, written), length)
      if position > written {
        text(slice(variant.text, from: written, to: position))
        written = position
      }
      switch code.kind {
      case .highlightStart:
        append("<hi")
        if let matchID = code.matchID { attribute("x", String(matchID)) }
        if let type = code.type { attribute("type", type) }
        append(">")
        openHighlights += 1
      case .highlightEnd:
        // An end without a start can't be written as well-formed XML: drop it.
        if openHighlights > 0 {
          append("</hi>")
          openHighlights -= 1
        }
      case .begin, .end, .placeholder, .isolated, .unknown:
        let name = code.kind.rawValue
        append("<" + name)
        if code.kind == .begin || code.kind == .end {
          attribute("i", String(code.pairID ?? 0))
        }
        if code.kind == .isolated {
          attribute("pos", (code.isolatedPosition ?? .begin).rawValue)
        }
        if code.kind != .end, let matchID = code.matchID { attribute("x", String(matchID)) }
        if code.kind != .end && code.kind != .unknown, let type = code.type {
          attribute("type", type)
        }
        append(">")
        text(code.content)
        append("</" + name + ">")
      }
    }
    if written < length { text(slice(variant.text, from: written, to: length)) }
    for _ in 0..<openHighlights { append("</hi>") }
  }

  private func slice(_ text: String, from: Int, to: Int) -> Substring {
    let utf16 = text.utf16
    let start = utf16.index(utf16.startIndex, offsetBy: from)
    let end = utf16.index(start, offsetBy: to - from)
    // A position inside a surrogate pair rounds down to the scalar's start.
    let lower = start.samePosition(in: text.unicodeScalars) ?? text.unicodeScalars.index(before: start)
    let upper = end.samePosition(in: text.unicodeScalars) ?? text.unicodeScalars.index(before: end)
    return text.unicodeScalars[lower..<upper].isEmpty ? "" : Substring(text.unicodeScalars[lower..<upper])
  }

  // MARK: Escaping

  private func append(_ string: String) {
    buffer.append(contentsOf: string.utf8)
  }

  private func attribute(_ name: String, _ value: String) {
    buffer.append(0x20)
    append(name)
    buffer.append(contentsOf: "=\"".utf8)
    escape(value.utf8, inAttribute: true)
    buffer.append(0x22)
  }

  private func text(_ value: some StringProtocol) {
    escape(value.utf8, inAttribute: false)
  }

  private func escape(_ bytes: some Collection<UInt8>, inAttribute: Bool) {
    var pendingFFFx = 0  // bytes EF BF seen, waiting to see whether BE/BF follows
    for byte in bytes {
      if pendingFFFx > 0 {
        if pendingFFFx == 1 {
          if byte == 0xBF {
            pendingFFFx = 2
            continue
          }
          buffer.append(0xEF)
          pendingFFFx = 0
        } else {
          pendingFFFx = 0
          if byte == 0xBE || byte == 0xBF {
            buffer.append(contentsOf: [0xEF, 0xBF, 0xBD])
            replacedCharacters += 1
            continue
          }
          buffer.append(contentsOf: [0xEF, 0xBF])
        }
      }
      switch byte {
      case UInt8(ascii: "&"): buffer.append(contentsOf: "&amp;".utf8)
      case UInt8(ascii: "<"): buffer.append(contentsOf: "&lt;".utf8)
      case UInt8(ascii: ">"): buffer.append(contentsOf: "&gt;".utf8)
      case UInt8(ascii: "\"") where inAttribute: buffer.append(contentsOf: "&quot;".utf8)
      case 0x0D: buffer.append(contentsOf: "&#13;".utf8)
      case 0x09 where inAttribute: buffer.append(contentsOf: "&#9;".utf8)
      case 0x0A where inAttribute: buffer.append(contentsOf: "&#10;".utf8)
      case 0x09, 0x0A: buffer.append(byte)
      case 0x00..<0x20:
        buffer.append(contentsOf: [0xEF, 0xBF, 0xBD])
        replacedCharacters += 1
      case 0xEF: pendingFFFx = 1
      default: buffer.append(byte)
      }
    }
    if pendingFFFx == 1 { buffer.append(0xEF) }
    if pendingFFFx == 2 { buffer.append(contentsOf: [0xEF, 0xBF]) }
  }

  private func flush() throws {
    guard !buffer.isEmpty else { return }
    do {
      try handle.write(contentsOf: buffer)
    } catch {
      throw TMXError.cannotWrite(file: url.path, reason: error.localizedDescription)
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
