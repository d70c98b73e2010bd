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
public indirect enum TMXError: Error, Hashable, CustomStringConvertible {
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
  /// A `<tu>` whose every `<seg>` is empty or white space: it holds nothing to store.
  case blankUnit(TMXLocation)
  /// A `<tuv>` without a `<seg>`.
  case missingSegment(TMXLocation)
  /// An element where TMX doesn't allow it.
  case unexpectedElement(TMXLocation, element: String, parent: String)
  /// A date that isn't `YYYYMMDDThhmmssZ`.
  case invalidDate(TMXLocation, attribute: String, value: String)
  /// An attribute with a value TMX doesn't allow, such as `<it pos="middle">`.
  case invalidAttribute(TMXLocation, element: String, attribute: String, value: String, allowed: String)
  /// A `<sub>` in an inline code: aligntm can't store a sub-flow, and won't flatten it.
  case unsupportedSubflow(TMXLocation, code: String)
  /// A `<seg>`, `<prop>` or `<note>` with more text than ``TMXReader/Limits/maxTextBytes``.
  case textTooLong(TMXLocation, element: String, limit: Int)
  /// More units than ``TMXReader/Limits/maxUnits``.
  case tooManyUnits(TMXLocation, limit: Int)
  /// With `skipBad`: a problem no unit can be skipped past ended the reading; the units before
  /// it were read, the `bytesNotRead` after it were not.
  case readingStopped(TMXError, bytesNotRead: Int)

  /// Where the problem is, when known.
  public var location: TMXLocation? {
    switch self {
    case .cannotOpen, .cannotWrite: return nil
    case .malformedXML(let location, _), .truncated(let location, _),
      .illegalCharacter(let location, _), .entityReference(let location, _),
      .externalEntity(let location, _, _), .entityExpansion(let location, _),
      .notTMX(let location, _), .unsupportedVersion(let location, _), .missingLanguage(let location),
      .missingAttribute(let location, _, _), .duplicateLanguage(let location, _),
      .emptyUnit(let location), .blankUnit(let location), .missingSegment(let location),
      .unexpectedElement(let location, _, _), .invalidDate(let location, _, _),
      .invalidAttribute(let location, _, _, _, _), .unsupportedSubflow(let location, _),
      .textTooLong(let location, _, _), .tooManyUnits(let location, _):
      return location
    case .readingStopped(let error, _): return error.location
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
    case .blankUnit(let at): return "\(at): <tu> holds no text: every <seg> is empty or white space"
    case .missingSegment(let at): return "\(at): <tuv> has no <seg>"
    case .unexpectedElement(let at, let element, let parent):
      return "\(at): <\(element)> is not allowed in <\(parent)>"
    case .invalidDate(let at, let attribute, let value):
      return "\(at): '\(attribute)' is '\(value)', not a date like 20240131T120000Z"
    case .invalidAttribute(let at, let element, let attribute, let value, let allowed):
      return "\(at): <\(element)> has \(attribute)='\(value)'; TMX allows \(allowed)"
    case .unsupportedSubflow(let at, let code):
      return
        "\(at): <sub> in <\(code)> is not supported: aligntm can't store a sub-flow "
        + "without losing its structure"
    case .textTooLong(let at, let element, let limit):
      return "\(at): <\(element)> holds more than \(Self.bytes(limit)) of text, aligntm's limit"
    case .tooManyUnits(let at, let limit):
      return "\(at): more than \(limit) units in one file, aligntm's limit: split the file"
    case .readingStopped(let error, let bytesNotRead):
      guard bytesNotRead > 0 else { return "\(error); reading stopped there, at the end of the file" }
      return
        "\(error); reading stopped there: the rest of the file, \(Self.bytes(bytesNotRead)), was not read"
    }
  }

  /// `1 MiB (1048576 bytes)` or `12345 bytes`.
  static func bytes(_ count: Int) -> String {
    if count >= 1 << 20 && count % (1 << 20) == 0 { return "\(count >> 20) MiB (\(count) bytes)" }
    return count == 1 ? "1 byte" : "\(count) bytes"
  }
}

/// Something a TMX file does that the standard doesn't allow but that loses nothing: accepted,
/// and reported once per kind, at its first place, with how many times it happened.
public struct TMXWarning: Sendable, Hashable, CustomStringConvertible {
  /// What was accepted.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// `<tmx>` without `version`: read as TMX 1.4.
    case missingVersion
    /// `<header>` without an attribute TMX requires.
    case missingHeaderAttribute
    /// A date not written `YYYYMMDDThhmmssZ` (such as `2019-11-17T23:13:14`): read and written
    /// back in TMX's form.
    case nonstandardDate
    /// A `usagecount` that isn't a number: read as 1.
    case invalidUsageCount
    /// An element TMX doesn't define inside `<seg>` (InterText's TEI milestones): kept as a
    /// `<ph>` holding its XML.
    case foreignElement
    /// Two `<tuv>` in one language: kept as alternative translations.
    case sameLanguageTwice
    /// An `xml:space` that is neither `default` nor `preserve`: ignored, the parent's applies.
    case unknownSpaceValue
  }

  public var kind: Kind
  /// Where it happened first.
  public var location: TMXLocation
  /// What happened there.
  public var detail: String
  /// How many times it happened in the file.
  public var count: Int

  public init(kind: Kind, location: TMXLocation, detail: String, count: Int = 1) {
    self.kind = kind
    self.location = location
    self.detail = detail
    self.count = count
  }

  /// `FILE:LINE:COLUMN: warning: what was accepted (N times in the file)`.
  public var description: String {
    "\(location): warning: \(detail)" + (count > 1 ? " (\(count) times in the file)" : "")
  }
}
