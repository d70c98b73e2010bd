// `@_implementationOnly`, not `internal import`: debug builds enable testing, which makes an internal
// import visible to clients, and a client that also imports Foundation then sees two ICUs
// (Foundation's `_FoundationICU` and the system's) and fails to compile. No stored property
// of a public type here has a CICU type, so hiding the module is safe without library evolution.
@_implementationOnly import CICU

/// What a break iterator splits text into.
public enum TextUnit: Sendable {
  case character, word, line, sentence
}

/// The kind of a word segment, from ICU's rule status.
public enum WordSegmentKind: Sendable, Equatable {
  /// Spaces and punctuation (`UBRK_WORD_NONE`).
  case none
  /// Numbers (`UBRK_WORD_NUMBER`).
  case number
  /// Letters (`UBRK_WORD_LETTER`).
  case letter
  /// Kana (`UBRK_WORD_KANA`).
  case kana
  /// Ideographs (`UBRK_WORD_IDEO`).
  case ideographic

  init(ruleStatus: Int32) {
    switch ruleStatus {
    case ..<100: self = .none
    case 100..<200: self = .number
    case 200..<300: self = .letter
    case 300..<400: self = .kana
    default: self = .ideographic
    }
  }
}

/// A segment found by a break iterator: its range in UTF-16 code units and, for words, its kind.
public struct BreakSegment: Sendable, Equatable {
  /// The range of the segment, in UTF-16 offsets from the start of the text.
  public let utf16Range: Range<Int>
  /// The kind of segment; `.none` for units other than words.
  public let kind: WordSegmentKind
}

/// ICU's rule-based break iterator for one locale and one unit.
///
/// ICU's iterator is not thread-safe and keeps a pointer to the text, so each call to
/// ``segments(of:)`` works on its own copy of the text under a lock-free clone.
public final class BreakIterator: @unchecked Sendable {
  private let prototype: OpaquePointer
  /// The unit this iterator splits into.
  public let unit: TextUnit
  /// The ICU locale, such as `fr` or `en_US`.
  public let locale: String

  /// Opens an ICU break iterator.
  ///
  /// - Throws: ``ICUError`` when ICU has no rules for the unit or the locale is malformed.
  public init(_ unit: TextUnit, locale: String) throws(ICUError) {
    var status = U_ZERO_ERROR
    let type: UBreakIteratorType
    switch unit {
    case .character: type = UBRK_CHARACTER
    case .word: type = UBRK_WORD
    case .line: type = UBRK_LINE
    case .sentence: type = UBRK_SENTENCE
    }
    let iterator = cicu_ubrk_open(type, locale, nil, 0, &status)
    try ICUError.check(status, "ubrk_open(\(locale))")
    guard let iterator else { throw ICUError(operation: "ubrk_open(\(locale))", code: "NULL") }
    self.prototype = iterator
    self.unit = unit
    self.locale = locale
  }

  deinit { cicu_ubrk_close(prototype) }

  /// Splits UTF-16 text into segments that cover it whole, in order, with no gaps.
  ///
  /// - Complexity: O(*n*) in the length of `text`.
  public func segments(ofUTF16 text: [UInt16]) -> [BreakSegment] {
    if text.isEmpty { return [] }
    var status = U_ZERO_ERROR
    guard let iterator = cicu_ubrk_clone(prototype, &status), status.rawValue <= 0 else {
      // Cloning fails only when ICU is out of memory; fall back to one segment.
      return [BreakSegment(utf16Range: 0..<text.count, kind: .none)]
    }
    defer { cicu_ubrk_close(iterator) }
    return text.withUnsafeBufferPointer { buffer -> [BreakSegment] in
      var status = U_ZERO_ERROR
      cicu_ubrk_setText(iterator, buffer.baseAddress, Int32(buffer.count), &status)
      if status.rawValue > 0 { return [BreakSegment(utf16Range: 0..<text.count, kind: .none)] }
      var result: [BreakSegment] = []
      var start = Int(cicu_ubrk_first(iterator))
      var end = Int(cicu_ubrk_next(iterator))
      let wantsKind = unit == .word
      while end != Int(UBRK_DONE) {
        let kind =
          wantsKind ? WordSegmentKind(ruleStatus: cicu_ubrk_getRuleStatus(iterator)) : .none
        result.append(BreakSegment(utf16Range: start..<end, kind: kind))
        start = end
        end = Int(cicu_ubrk_next(iterator))
      }
      return result
    }
  }

  /// Splits a string into segments that cover it whole, in order, with no gaps.
  ///
  /// - Returns: One range per segment, including trailing whitespace.
  /// - Complexity: O(*n*) in the length of `text`.
  public func ranges(in text: String) -> [Range<String.Index>] {
    let utf16 = Array(text.utf16)
    return segments(ofUTF16: utf16).map { segment in
      let lower = String.Index(utf16Offset: segment.utf16Range.lowerBound, in: text)
      let upper = String.Index(utf16Offset: segment.utf16Range.upperBound, in: text)
      return lower..<upper
    }
  }
}
