import Foundation
import TextSegmentation

/// Reads TMX 1.1 to 1.4b files unit by unit with libxml2's SAX2 push parser, fed 1 MiB at a
/// time: memory stays flat whatever the file's size.
///
/// ``XMLPushParser`` wraps libxml2 and ``_TMXParser`` is the TMX state machine over its events;
/// this is the public face of the two.
///
/// The reader never loads a DTD, never touches the network and never expands entities: a
/// reference to an entity declared in the file (an entity bomb, an external entity) is an error,
/// which ends the reading even with `skipBad`. UTF-8 and UTF-16 (with a byte order mark) are read.
///
/// A `<tu>` without `srclang`, `segtype` or `datatype` takes the header's. A `<seg>` keeps its
/// white space as written unless the nearest `xml:space` (on it, its `<tuv>`, `<tu>`, `<body>` or
/// `<tmx>`) says `default`: then runs of white space become one space and its ends are trimmed.
/// The rules are in `TMXUnitRules.swift`, shared by every TMX parser of the module.
public struct TMXReader: Sendable {
  /// What the `<header>` says.
  public struct Header: Sendable, Hashable {
    public var version: String
    public var sourceLanguage: String?
    public var creationTool: String?
    public var creationToolVersion: String?
    public var dataType: String?
    /// `segtype`.
    public var segmentType: String?
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

  /// What the reader refuses to hold, so that memory stays bounded whatever the file.
  public struct Limits: Sendable, Hashable {
    /// The most UTF-8 bytes of text in one `<seg>` (with its inline codes' markup), `<prop>` or
    /// `<note>`: 1 MiB by default, some 150,000 words; a real segment is a sentence or a paragraph.
    public var maxTextBytes: Int
    /// The most units in one file: 50 million by default, some 15 GB of TMX.
    public var maxUnits: Int

    public init(maxTextBytes: Int = 1 << 20, maxUnits: Int = 50_000_000) {
      self.maxTextBytes = maxTextBytes
      self.maxUnits = maxUnits
    }
  }

  /// The file to read.
  public let url: URL
  /// The file's name in errors and warnings: its path, or `<stdin>` for what was standard input.
  public let name: String
  /// The creation date of units without `creationdate`.
  public var defaultDate: Date
  public var limits: Limits

  public init(url: URL, name: String? = nil, defaultDate: Date = Date(), limits: Limits = Limits()) {
    self.url = url
    self.name = name ?? url.path
    self.defaultDate = defaultDate._wholeSeconds
    self.limits = limits
  }

  /// Reads the file and calls `body` with each good unit, in file order.
  ///
  /// - Parameters:
  ///   - skipBad: When false, the first problem throws. When true, a bad unit is reported to
  ///     `onSkip` and reading goes on; a problem no unit can be skipped past (malformed XML, bytes
  ///     not in the file's encoding, an entity reference, too many units) ends the reading: it
  ///     is reported to `onSkip`, last, as ``TMXError/readingStopped(_:bytesNotRead:)``, and the
  ///     units before it are kept.
  ///   - onWarning: Called once per kind of deviation the file has and aligntm accepted (such as
  ///     a date not in TMX's form), with its first place and how many times it happened, before
  ///     the read returns.
  ///   - progressInterval: Units between two calls of `progress`.
  /// - Returns: The header.
  /// - Throws: ``TMXError`` for the first problem (unless `skipBad`), or what `body` throws.
  @discardableResult
  public func read(
    skipBad: Bool = false,
    onSkip: @escaping (TMXError) -> Void = { _ in },
    onWarning: (TMXWarning) -> Void = { _ in },
    progressInterval: Int = 10_000,
    progress: ((Progress) -> Void)? = nil,
    _ body: (TranslationUnit) throws -> Void
  ) throws -> Header {
    try withoutActuallyEscaping(body) { body in
      try read(
        skipBad: skipBad, onSkip: onSkip, onWarning: onWarning, progressInterval: progressInterval,
        progress: progress, body: body, packing: nil)
    }
  }

  /// ``read(skipBad:onSkip:onWarning:progressInterval:progress:_:)`` for the import: each good
  /// unit is packed into `packing`'s batch (``_TMXPacking``) instead of being made a
  /// ``TranslationUnit``. The last batch, not full, is left in `packing`.
  @discardableResult
  func readPacked(
    skipBad: Bool, onSkip: @escaping (TMXError) -> Void, onWarning: (TMXWarning) -> Void,
    progressInterval: Int, progress: ((Progress) -> Void)?, into packing: _TMXPacking
  ) throws -> Header {
    try read(
      skipBad: skipBad, onSkip: onSkip, onWarning: onWarning, progressInterval: progressInterval,
      progress: progress, body: nil, packing: packing)
  }

  private func read(
    skipBad: Bool, onSkip: @escaping (TMXError) -> Void, onWarning: (TMXWarning) -> Void,
    progressInterval: Int, progress: ((Progress) -> Void)?,
    body: ((TranslationUnit) throws -> Void)?, packing: _TMXPacking?
  ) throws -> Header {
    let path = name
    // The state lives at a fixed address the events reach: no copy, no reference counting.
    let state = UnsafeMutablePointer<_TMXParser>.allocate(capacity: 1)
    state.initialize(
      to: _TMXParser(
        file: path, defaultDate: defaultDate, limits: limits, skipBad: skipBad, onSkip: onSkip))
    defer {
      state.deinitialize(count: 1)
      state.deallocate()
    }
    let xml = try XMLPushParser(file: url.path)
    let totalBytes = xml.fileSize
    state.pointee.xml = xml
    state.pointee.body = body
    state.pointee.packing = packing
    if let progress {
      state.pointee.progressInterval = max(progressInterval, 1)
      state.pointee.progress = { units, bytes in
        progress(Progress(units: units, bytesRead: bytes, totalBytes: totalBytes))
      }
    }
    // libxml2 would say "Extra content at the end of the document" for an empty file.
    if totalBytes > 0 { try xml.parse(reportingTo: _TMXEvents(state)) }
    if let thrown = state.pointee.thrown { throw thrown }
    state.pointee.warnings.forEach(onWarning)
    var stop = state.pointee.firstError
    if stop == nil && !state.pointee.sawRoot {
      let reason = totalBytes > 0 ? "the document is empty" : "the file is empty"
      stop = .truncated(TMXLocation(file: path, line: 1, column: 1), reason: reason)
    }
    if let stop {
      guard skipBad else { throw stop }
      let offset = min(state.pointee.stopOffset ?? totalBytes, totalBytes)
      onSkip(.readingStopped(stop, bytesNotRead: totalBytes - offset))
    }
    progress?(Progress(units: state.pointee.unitsSeen, bytesRead: totalBytes, totalBytes: totalBytes))
    return state.pointee.header
  }
}

/// Hands an ``XMLPushParser``'s events to the state machine at its fixed address.
private final class _TMXEvents: XMLEventHandler {
  let state: UnsafeMutablePointer<_TMXParser>

  init(_ state: UnsafeMutablePointer<_TMXParser>) {
    self.state = state
  }

  override func startElement(_ name: UnsafePointer<UInt8>, attributes: XMLAttributes) {
    state.pointee.startElement(name, attributes: attributes)
  }
  override func endElement() { state.pointee.endElement() }
  override func characters(_ text: UnsafeBufferPointer<UInt8>) { state.pointee.characters(text) }
  override func entityDeclared(_ name: String, isExternal: Bool, systemID: String, content: String) {
    state.pointee.declareEntity(name, isExternal: isExternal, systemID: systemID, content: content)
  }
  override func entityLookedUp(_ name: String) { state.pointee.entityReferenced(name) }
  override func undeclaredEntityReferenced(_ name: String) { state.pointee.undeclaredEntityReferenced(name) }
  override func error(_ error: XMLParseError) { state.pointee.recordXMLError(error) }
}
