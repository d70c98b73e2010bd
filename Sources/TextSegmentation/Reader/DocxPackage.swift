import Foundation
internal import ZIPFoundation

/// The parts of a Word document's ZIP package (Open Packaging Conventions), read with bounds.
///
/// Opening checks the whole archive before anything is read: an entry whose name climbs out of
/// the package (`../`, an absolute path) is refused, and so is an archive whose entries would
/// decompress to more than ``maximumTotalSize`` or at a ratio above ``maximumRatio`` (a zip
/// bomb). The bounds are checked again while decompressing, since the sizes an archive declares
/// can lie.
struct DocxPackage {
  /// The most a whole package may decompress to (the largest UN documents hold a few MiB).
  static let maximumTotalSize: UInt64 = 256 << 20
  /// The largest ratio of decompressed to compressed size for an entry larger than 1 MiB.
  /// XML compresses 10 to 30 times; a zip bomb, thousands of times.
  static let maximumRatio: UInt64 = 200

  private let archive: Archive
  private let path: String
  private var budget: UInt64 = maximumTotalSize

  /// The main document part (`word/document.xml` in practice), found through
  /// `[Content_Types].xml`, else through the package relationships.
  private(set) var mainPart = ""

  init(data: Data, path: String) throws(DocumentReadError) {
    self.path = path
    do {
      archive = try Archive(data: data, accessMode: .read)
    } catch {
      throw .corruptWordFile(path: path, reason: "the ZIP archive is damaged or truncated (\(error))")
    }
    var total: UInt64 = 0
    var count = 0
    for entry in archive {
      count += 1
      let name = entry.path
      if name.hasPrefix("/") || name.hasPrefix("\\") || name.contains("\\")
        || name.split(separator: "/", omittingEmptySubsequences: false).contains("..")
      {
        throw .unsafeWordFile(path: path, reason: "the ZIP entry \"\(name)\" points outside the package")
      }
      let size = entry.uncompressedSize
      total += size
      if total > Self.maximumTotalSize {
        throw .unsafeWordFile(
          path: path,
          reason: "its parts would decompress to more than \(Self.maximumTotalSize >> 20) MiB (a zip bomb?)")
      }
      if size > 1 << 20, size / max(entry.compressedSize, 1) > Self.maximumRatio {
        throw .unsafeWordFile(
          path: path,
          reason:
            "the ZIP entry \"\(name)\" decompresses \(size / max(entry.compressedSize, 1)) times its size (a zip bomb?)"
        )
      }
    }
    if count == 0 { throw .corruptWordFile(path: path, reason: "the ZIP archive holds no entry") }
    mainPart = try findMainPart()
  }

  /// The main part's content types: a document, a macro-enabled document or a template.
  static let mainContentTypes: Set<String> = [
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
  ]

  private mutating func findMainPart() throws(DocumentReadError) -> String {
    guard let types = try xml("[Content_Types].xml") else {
      if let mimetype = try data("mimetype"),
        String(decoding: mimetype, as: UTF8.self).contains("opendocument")
      {
        throw .notWordDocument(path: path, reason: "it is an OpenDocument file: save it as .docx first")
      }
      throw .notWordDocument(path: path, reason: "it is a ZIP archive without [Content_Types].xml")
    }
    for override in types.elements where override.name == "Override" {
      if let type = override.plainAttribute("ContentType"), Self.mainContentTypes.contains(type),
        let name = override.plainAttribute("PartName")
      {
        return Self.normalize(name)
      }
    }
    let kinds = types.elements.compactMap { $0.plainAttribute("ContentType") }
    if kinds.contains(where: { $0.contains("spreadsheetml") || $0.contains("presentationml") }) {
      throw .notWordDocument(path: path, reason: "it is an Excel or PowerPoint file, not a Word document")
    }
    if kinds.contains(where: { $0.contains("opendocument") }) {
      throw .notWordDocument(path: path, reason: "it is an OpenDocument file: save it as .docx first")
    }
    throw .notWordDocument(path: path, reason: "[Content_Types].xml names no Word main document part")
  }

  /// A part name without its leading slash, with `.` and `..` resolved.
  static func normalize(_ name: String) -> String {
    var parts: [Substring] = []
    for part in name.split(separator: "/") {
      if part == "." { continue }
      if part == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(part)
    }
    return parts.joined(separator: "/")
  }

  /// The bytes of a part, or nil when the package lacks it (names compare without case, as
  /// the packaging rules say).
  mutating func data(_ name: String) throws(DocumentReadError) -> Data? {
    let entry = archive[name] ?? archive.first { $0.path.lowercased() == name.lowercased() }
    guard let entry, entry.type == .file else { return nil }
    var data = Data()
    let limit = budget
    do {
      _ = try archive.extract(entry, skipCRC32: false) { chunk in
        data.append(chunk)
        if UInt64(data.count) > limit { throw DocxLimitExceeded() }
      }
    } catch is DocxLimitExceeded {
      throw .unsafeWordFile(
        path: path,
        reason: "\"\(name)\" decompresses to more than its archive declared (a zip bomb?)")
    } catch {
      throw .corruptWordFile(path: path, reason: "the part \"\(name)\" cannot be decompressed (\(error))")
    }
    budget -= UInt64(data.count)
    return data
  }

  /// A part parsed as XML, or nil when the package lacks it.
  mutating func xml(_ name: String) throws(DocumentReadError) -> DocxElement? {
    guard let data = try data(name) else { return nil }
    do {
      return try DocxXML.parse(data)
    } catch {
      throw .malformedWordPart(path: path, part: name, line: error.line, reason: error.reason)
    }
  }

  /// A part's relationships by id: target part name (resolved against the part) or external
  /// address, and type.
  mutating func relationships(of part: String) throws(DocumentReadError) -> [String: DocxRelationship] {
    let folder = part.split(separator: "/").dropLast().joined(separator: "/")
    let file = part.split(separator: "/").last.map(String.init) ?? part
    let relsName = (folder.isEmpty ? "" : folder + "/") + "_rels/" + file + ".rels"
    guard let rels = try xml(relsName) else { return [:] }
    var result: [String: DocxRelationship] = [:]
    for relationship in rels.elements where relationship.name == "Relationship" {
      guard let id = relationship.plainAttribute("Id"), let target = relationship.plainAttribute("Target")
      else { continue }
      let type = relationship.plainAttribute("Type") ?? ""
      let external = relationship.plainAttribute("TargetMode") == "External"
      let resolved =
        external ? target : Self.normalize(target.hasPrefix("/") ? target : folder + "/" + target)
      result[id] = DocxRelationship(type: type, target: resolved, isExternal: external)
    }
    return result
  }
}

struct DocxRelationship {
  var type: String
  var target: String
  var isExternal: Bool

  /// The last path component of the type (`footnotes`, `header`, `hyperlink`, `styles`).
  var kind: String { type.split(separator: "/").last.map(String.init) ?? type }
}

private struct DocxLimitExceeded: Error {}
