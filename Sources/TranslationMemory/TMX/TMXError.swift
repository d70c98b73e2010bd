/// Where in a TMX file something is: 1-based line and column.
public struct TMXLocation: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// `FILE:LINE:COLUMN`.
  public var description: String { "\(file):\(line):\(column)" }
}

/// What is wrong with a TMX file. The description reads `FILE:LINE:COLUMN: what is wrong`.
public enum TMXError: Error, Hashable, CustomStringConvertible {
  /// The file can't be opened or read.
  case cannotOpen(file: String, reason: String)
  /// The file can't be written.
  case cannotWrite(file: String, reason: String)
  /// The XML is not well formed.
  case malformedXML(TMXLocation, reason: String)
  /// The file ends in the middle of the document.
  case truncated(TMXLocation, reason: String)
  /// A character XML doesn't allow, or bytes that aren't in the declared encoding.
  case illegalCharacter(TMXLocation, reason: String)
  /// A reference to an entity declared in the document; aligntm never expands entities.
  case entityReference(TMXLocation, name: String)
  /// A reference to an external entity (`SYSTEM` or `PUBLIC`); never resolved.
  case externalEntity(TMXLocation, name: String, systemID: String)
  /// Entities that expand without end or far too much (an entity bomb).
  case entityExpansion(TMXLocation, reason: String)
  /// The root element isn't `<tmx>`.
  case notTMX(TMXLocation, root: String)
  /// The `version` isn't 1.1, 1.2, 1.3, 1.4 or 1.4b.
  case unsupportedVersion(TMXLocation, version: String)
  /// A `<tuv>` with neither `xml:lang` nor `lang`.
  case missingLanguage(TMXLocation)
  /// An element lacks an attribute it needs.
  case missingAttribute(TMXLocation, element: String, attribute: String)
  /// A `<tu>` with two `<tuv>` in one language.
  case duplicateLanguage(TMXLocation, language: String)
  /// A `<tu>` with no `<tuv>`.
  case emptyUnit(TMXLocation)
  /// A `<tuv>` without a `<seg>`.
  case missingSegment(TMXLocation)
  /// An element where TMX doesn't allow it.
  case unexpectedElement(TMXLocation, element: String, parent: String)
  /// A date that isn't `YYYYMMDDThhmmssZ`.
  case invalidDate(TMXLocation, attribute: String, value: String)

  /// Where the problem is, when known.
  public var location: TMXLocation? {
    switch self {
    case .cannotOpen, .cannotWrite: return nil
    case .malformedXML(let location, _), .truncated(let location, _),
      .illegalCharacter(let location, _), .entityReference(let location, _),
      .externalEntity(let location, _, _), .entityExpansion(let location, _),
      .notTMX(let location, _), .unsupportedVersion(let location, _), .missingLanguage(let location),
      .missingAttribute(let location, _, _), .duplicateLanguage(let location, _),
      .emptyUnit(let location), .missingSegment(let location),
      .unexpectedElement(let location, _, _), .invalidDate(let location, _, _):
      return location
    }
  }

  public var description: String {
    switch self {
    case .cannotOpen(let file, let reason): return "\(file): cannot read: \(reason)"
    case .cannotWrite(let file, let reason): return "\(file): cannot write: \(reason)"
    case .malformedXML(let at, let reason): return "\(at): malformed XML: \(reason)"
    case .truncated(let at, let reason): return "\(at): the file ends too early: \(reason)"
    case .illegalCharacter(let at, let reason): return "\(at): illegal character: \(reason)"
    case .entityReference(let at, let name):
      return "\(at): entity '&\(name);' is not allowed (aligntm never expands entities)"
    case .externalEntity(let at, let name, let systemID):
      return
        "\(at): external entity '&\(name);' (\(systemID)) is not allowed and was not resolved"
    case .entityExpansion(let at, let reason): return "\(at): entity expansion refused: \(reason)"
    case .notTMX(let at, let root): return "\(at): not a TMX file: the root element is <\(root)>"
    case .unsupportedVersion(let at, let version):
      return "\(at): TMX version '\(version)' is not supported (1.1 to 1.4b are)"
    case .missingLanguage(let at): return "\(at): <tuv> is missing attribute 'xml:lang'"
    case .missingAttribute(let at, let element, let attribute):
      return "\(at): <\(element)> is missing attribute '\(attribute)'"
    case .duplicateLanguage(let at, let language):
      return "\(at): <tu> has two <tuv> in language '\(language)'"
    case .emptyUnit(let at): return "\(at): <tu> has no <tuv>"
    case .missingSegment(let at): return "\(at): <tuv> has no <seg>"
    case .unexpectedElement(let at, let element, let parent):
      return "\(at): <\(element)> is not allowed in <\(parent)>"
    case .invalidDate(let at, let attribute, let value):
      return "\(at): '\(attribute)' is '\(value)', not a date like 20240131T120000Z"
    }
  }
}
