import Foundation

/// How a `<seg>`'s white space is read: what `xml:space` says on it or its nearest ancestor.
///
/// TMX 1.4b's DTD doesn't declare `xml:space`, but XML 1.0 (§2.10) lets any element carry it and
/// makes it inherited. With nothing said, a segment's text is kept as it is (``preserve``): it is
/// data, tools write it verbatim, and translate-toolkit reads TMX the same way. `default` lets the
/// reader collapse white space, as XPath's `normalize-space()` does.
///
/// This rule is shared by every TMX parser in the module (the SAX reader and any other), so that
/// they read the same text from the same file.
enum _TMXWhiteSpace: Sendable, Hashable {
  /// The text is kept byte for byte.
  case preserve
  /// Runs of XML white space (space, tab, CR, LF) become one space; the segment's ends are trimmed.
  case `default`

  /// The mode an `xml:space` value names; nil for a value XML doesn't define.
  init?(value: some StringProtocol) {
    switch value {
    case "preserve": self = .preserve
    case "default": self = .default
    default: return nil
    }
  }

  /// The mode of a `<seg>`: the nearest `xml:space` among it and its ancestors, ``preserve``
  /// when none says.
  @inline(__always)
  static func effective(
    segment: _TMXWhiteSpace?, variant: _TMXWhiteSpace?, unit: _TMXWhiteSpace?, body: _TMXWhiteSpace?,
    document: _TMXWhiteSpace?
  ) -> _TMXWhiteSpace {
    segment ?? variant ?? unit ?? body ?? document ?? .preserve
  }

  /// Whether a UTF-8 byte is XML white space.
  @inline(__always)
  static func isWhiteSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// Collapses a segment's white space for `xml:space="default"`, moving its codes with the text.
  ///
  /// Each run of white space becomes one space; a run at the start or the end of the segment goes.
  /// A code (a position in UTF-16 units, in nondecreasing order) splits a run: `a  <ph/>  b` keeps
  /// one space on each side of the code, so nothing written next to a code is glued to it.
  ///
  /// - Complexity: O(*n*) in the length of `bytes`.
  static func collapse(_ bytes: inout [UInt8], codes: inout [InlineCode]) {
    guard bytes.contains(where: isWhiteSpace) else { return }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var inputPosition = 0
    var outputPosition = 0
    var pendingSpace = false
    var wroteAny = false
    var nextCode = 0
    func placeCodes(upTo position: Int) {
      while nextCode < codes.count && codes[nextCode].position <= position {
        if pendingSpace && wroteAny {
          output.append(0x20)
          outputPosition += 1
        }
        pendingSpace = false
        codes[nextCode].position = outputPosition
        wroteAny = true
        nextCode += 1
      }
    }
    for byte in bytes {
      let startsScalar = byte & 0xC0 != 0x80
      if startsScalar { placeCodes(upTo: inputPosition) }
      if isWhiteSpace(byte) {
        pendingSpace = true
        inputPosition += 1
        continue
      }
      if pendingSpace && wroteAny {
        output.append(0x20)
        outputPosition += 1
      }
      pendingSpace = false
      wroteAny = true
      output.append(byte)
      if startsScalar {
        let units = byte >= 0xF0 ? 2 : 1
        inputPosition += units
        outputPosition += units
      }
    }
    placeCodes(upTo: Int.max)
    bytes = output
  }
}

extension TMXReader.Header {
  /// The `segtype` of a `<tu>`: its own, else the header's (TMX: a unit without the attribute
  /// inherits the header's).
  func unitSegmentType(_ own: String?) -> String? { own ?? segmentType }

  /// The `datatype` of a `<tu>`: its own, else the header's.
  func unitDataType(_ own: String?) -> String? { own ?? dataType }

  /// The source language of a `<tu>`: its own `srclang`, else the header's; `*all*` or nothing
  /// means the language of its first variant.
  func unitSourceLanguage(_ own: String?, firstVariant: @autoclosure () -> String) -> String {
    let source = own ?? sourceLanguage ?? ""
    return source.isEmpty || source == "*all*" ? firstVariant() : source
  }
}
