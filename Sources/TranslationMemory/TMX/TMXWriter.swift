import Foundation

/// Writes a TMX 1.4b file unit by unit, streaming through a buffer.
///
/// A regular file appears at its path only when ``finish()`` succeeds, through a
/// ``ReplacingFile``: a failed export never leaves half a file, a symbolic link is followed, and
/// what is not a regular file (a FIFO, a device such as `/dev/null`) is written through.
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
  /// The header written: a unit's `segtype` or `datatype` equal to its is inherited, not repeated.
  public let header: Header
  /// How many units were written.
  public private(set) var unitCount = 0

  private let file: ReplacingFile
  private let sink: _BackgroundFileWriter
  private var output = _XMLOutput()
  private var finished = false
  private static let flushSize = 1 << 20

  /// Creates the file and writes the XML declaration and the header.
  ///
  /// - Throws: ``TMXError/cannotWrite(file:reason:)``.
  public init(url: URL, header: Header) throws {
    self.url = url
    self.header = header
    do {
      file = try ReplacingFile(path: url.path)
    } catch {
      throw TMXError.cannotWrite(file: url.path, reason: error.reason)
    }
    sink = _BackgroundFileWriter(descriptor: file.descriptor, capacity: Self.flushSize + 65_536)
    output.bytes.reserveCapacity(Self.flushSize + 65_536)
    output.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    output.append("<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n")
    output.append("<tmx version=\"1.4\">\n  <header")
    output.attribute("creationtool", header.creationTool)
    output.attribute("creationtoolversion", header.creationToolVersion)
    output.attribute("segtype", header.segmentType)
    output.attribute("o-tmf", header.originalFormat)
    output.attribute("adminlang", header.adminLanguage)
    output.attribute("srclang", header.sourceLanguage)
    output.attribute("datatype", header.dataType)
    output.attribute("o-encoding", "UTF-8")
    if let date = header.creationDate {
      output.attribute("creationdate", date: Int64(date.timeIntervalSince1970.rounded(.down)))
    }
    output.append("/>\n  <body>\n")
  }

  // An unfinished file: `file` removes its temporary file once the writing thread is done.
  deinit { if !finished { _ = sink.close() } }

  /// How many characters XML forbids were replaced by U+FFFD.
  public var replacedCharacters: Int { output.replacedCharacters }

  /// Writes one unit. Its variants are written in order; codes become `<bpt>`, `<ept>`, `<ph>`,
  /// `<it>`, `<ut>` and `<hi>`.
  public func write(_ unit: TranslationUnit) throws {
    try _write { out in
      out.append("    <tu")
      if let tuid = unit.tuid {
        out.attribute("tuid", tuid)
      } else if let id = unit.id {
        out.attribute("tuid", number: Int(id))
      }
      out.attribute("srclang", Self.tag(unit.sourceLanguage.rawValue))
      out.attribute("creationdate", date: Int64(unit.creationDate.timeIntervalSince1970.rounded(.down)))
      if let creationID = unit.creationID { out.attribute("creationid", creationID) }
      if let changeDate = unit.changeDate {
        out.attribute("changedate", date: Int64(changeDate.timeIntervalSince1970.rounded(.down)))
      }
      if let changeID = unit.changeID { out.attribute("changeid", changeID) }
      out.attribute("usagecount", number: unit.usageCount)
      Self.unitAttributes(of: unit, header: header, to: &out)
      out.append(">\n")
      for property in unit.properties {
        Self.property(type: property.type, value: Self.exported(property), to: &out)
      }
      for note in unit.notes {
        out.append("      <note>")
        out.text(note)
        out.append("</note>\n")
      }
      for variant in unit.variants {
        Self.variant(variant, to: &out)
      }
      out.append("    </tu>\n")
      return true
    }
  }

  /// Runs `body` on the output buffer, counts one unit when `body` returns true (it wrote one)
  /// and flushes when the buffer is full.
  ///
  /// The buffer is moved out of the object while `body` runs, so appends are plain array appends.
  func _write(_ body: (inout _XMLOutput) throws -> Bool) throws {
    var out = _XMLOutput()
    swap(&out, &output)
    defer { swap(&out, &output) }
    if try body(&out) { unitCount += 1 }
    if out.bytes.count >= Self.flushSize { try flush(&out) }
  }

  static func property(
    type: some StringProtocol, value: some StringProtocol, to out: inout _XMLOutput, indent: Bool = false
  ) {
    out.append(indent ? "        <prop" : "      <prop")
    out.attribute("type", type)
    out.append(">")
    out.text(value)
    out.append("</prop>\n")
  }

  /// The value a property is exported with: a file's path is cut to its name, so that an export
  /// never carries a folder of the machine that aligned the documents.
  static func exported(_ property: Property) -> String {
    guard
      property.type == Property.Name.sourceFile.rawValue || property.type == Property.Name.targetFile.rawValue
    else { return property.value }
    return fileName(property.value)
  }

  /// The last component of a path, `/` or `\\` separated.
  static func fileName(_ path: String) -> String {
    path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? path
  }

  /// `segtype`, `datatype`, `creationtool`, `creationtoolversion` and `lastusagedate` of a unit.
  ///
  /// A `segtype` or `datatype` the header already says is left out: the unit inherits it, as the
  /// reader applies the header's to units without their own.
  static func unitAttributes(of unit: TranslationUnit, header: Header, to out: inout _XMLOutput) {
    if let date = unit.lastUsageDate {
      out.attribute("lastusagedate", date: Int64(date.timeIntervalSince1970.rounded(.down)))
    }
    if let value = unit.segmentType, value != header.segmentType { out.attribute("segtype", value) }
    if let value = unit.dataType, value != header.dataType { out.attribute("datatype", value) }
    if let value = unit.creationTool { out.attribute("creationtool", value) }
    if let value = unit.creationToolVersion { out.attribute("creationtoolversion", value) }
  }

  static func variant(_ variant: Variant, to out: inout _XMLOutput) {
    out.append("      <tuv")
    out.attribute("xml:lang", tag(variant.language.rawValue))
    if let date = variant.creationDate {
      out.attribute("creationdate", date: Int64(date.timeIntervalSince1970.rounded(.down)))
    }
    if let value = variant.creationID { out.attribute("creationid", value) }
    if let date = variant.changeDate {
      out.attribute("changedate", date: Int64(date.timeIntervalSince1970.rounded(.down)))
    }
    if let value = variant.changeID { out.attribute("changeid", value) }
    out.append(">")
    if !variant.properties.isEmpty || !variant.notes.isEmpty {
      out.append("\n")
      for property in variant.properties {
        Self.property(type: property.type, value: property.value, to: &out, indent: true)
      }
      for note in variant.notes {
        out.append("        <note>")
        out.text(note)
        out.append("</note>\n")
      }
      out.append("        ")
    }
    out.append("<seg>")
    segment(variant, to: &out)
    out.append("</seg></tuv>\n")
  }

  /// A language tag in its usual case: the language lower-case, a script title-case, a region
  /// upper-case (`en-US`, `pt-BR`, `zh-Hant-TW`); the store keeps tags lower-case.
  static func tag(_ code: String) -> String {
    var result = ""
    for (index, part) in code.split(separator: "-", omittingEmptySubsequences: false).enumerated() {
      if index > 0 { result += "-" }
      if index == 0 {
        result += part.lowercased()
      } else if part.count == 2 && part.allSatisfy(\.isLetter) {
        result += part.uppercased()
      } else if part.count == 4 && part.allSatisfy(\.isLetter) {
        result += part.prefix(1).uppercased() + part.dropFirst().lowercased()
      } else {
        result += part.lowercased()
      }
    }
    return result
  }

  /// Closes the document and moves the file into place.
  public func finish() throws {
    guard !finished else { return }
    var out = _XMLOutput()
    swap(&out, &output)
    defer { swap(&out, &output) }
    out.append("  </body>\n</tmx>\n")
    try flush(&out)
    if let failure = sink.close() {
      throw TMXError.cannotWrite(file: url.path, reason: String(cString: strerror(failure)))
    }
    do {
      try file.commit()
    } catch {
      throw TMXError.cannotWrite(file: url.path, reason: error.reason)
    }
    finished = true
  }

  // MARK: Segments

  private static func segment(_ variant: Variant, to out: inout _XMLOutput) {
    if variant.codes.isEmpty {
      out.text(variant.text)
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
        out.text(slice(variant.text, from: written, to: position))
        written = position
      }
      switch code.kind {
      case .highlightStart:
        out.append("<hi")
        if let matchID = code.matchID { out.attribute("x", number: matchID) }
        if let type = code.type { out.attribute("type", type) }
        out.append(">")
        openHighlights += 1
      case .highlightEnd:
        // An end without a start can't be written as well-formed XML: drop it.
        if openHighlights > 0 {
          out.append("</hi>")
          openHighlights -= 1
        }
      case .begin, .end, .placeholder, .isolated, .unknown:
        let name = code.kind.rawValue
        out.append("<")
        out.bytes.append(contentsOf: name.utf8)
        if code.kind == .begin || code.kind == .end {
          out.attribute("i", number: code.pairID ?? 0)
        }
        if code.kind == .isolated {
          out.attribute("pos", (code.isolatedPosition ?? .begin).rawValue)
        }
        if code.kind != .end, let matchID = code.matchID { out.attribute("x", number: matchID) }
        if code.kind != .end && code.kind != .unknown, let type = code.type {
          out.attribute("type", type)
        }
        if code.kind == .placeholder, let association = code.association {
          out.attribute("assoc", association)
        }
        out.append(">")
        out.text(code.content)
        out.append("</")
        out.bytes.append(contentsOf: name.utf8)
        out.append(">")
      }
    }
    if written < length { out.text(slice(variant.text, from: written, to: length)) }
    for _ in 0..<openHighlights { out.append("</hi>") }
  }

  private static func slice(_ text: String, from: Int, to: Int) -> Substring {
    let utf16 = text.utf16
    let start = utf16.index(utf16.startIndex, offsetBy: from)
    let end = utf16.index(start, offsetBy: to - from)
    // A position inside a surrogate pair rounds down to the scalar's start.
    let lower = start.samePosition(in: text.unicodeScalars) ?? text.unicodeScalars.index(before: start)
    let upper = end.samePosition(in: text.unicodeScalars) ?? text.unicodeScalars.index(before: end)
    return text.unicodeScalars[lower..<upper].isEmpty ? "" : Substring(text.unicodeScalars[lower..<upper])
  }

  /// Hands the full buffer to the writing thread and goes on with an empty one.
  private func flush(_ out: inout _XMLOutput) throws {
    guard !out.bytes.isEmpty else { return }
    if let failure = sink.exchange(&out.bytes) {
      throw TMXError.cannotWrite(file: url.path, reason: String(cString: strerror(failure)))
    }
  }
}
