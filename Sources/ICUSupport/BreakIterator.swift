internal import CICU

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
/// ``segments(ofUTF16:)`` works on its own copy of the text under a lock-free clone.
public final class BreakIterator: @unchecked Sendable {
  // @unchecked: after `init`, `prototype` is only cloned, which ICU documents as thread-safe.
  private let prototype: OpaquePointer
  /// The unit this iterator splits into.
  public let unit: TextUnit
  /// The ICU locale, such as `fr` or `en_US`.
  public let locale: String

  /// Opens an ICU break iterator.
  ///
  /// - Throws: ``ICUError`` when ICU has no rules for the unit or the locale is malformed.
  public init(_ unit: TextUnit, locale: String) throws(ICUError) {
    let type: Int32
    switch unit {
    case .character: type = CICU_BREAK_CHARACTER
    case .word: type = CICU_BREAK_WORD
    case .line: type = CICU_BREAK_LINE
    case .sentence: type = CICU_BREAK_SENTENCE
    }
    var status: Int32 = 0
    let iterator = cicu_break_iterator_open(type, locale, &status)
    try ICUError.check(status, "ubrk_open(\(locale))")
    guard let iterator else { throw ICUError(operation: "ubrk_open(\(locale))", code: "NULL") }
    self.prototype = iterator
    self.unit = unit
    self.locale = locale
  }

  deinit { cicu_break_iterator_close(prototype) }

  /// Splits UTF-16 text into segments that cover it whole, in order, with no gaps.
  ///
  /// - Complexity: O(*n*) in the length of `text`.
  public func segments(ofUTF16 text: [UInt16]) -> [BreakSegment] {
    if text.isEmpty { return [] }
    var status: Int32 = 0
    guard let iterator = cicu_break_iterator_clone(prototype, &status),
      !ICUError.isFailure(status)
    else {
      // Cloning fails only when ICU is out of memory; fall back to one segment.
      return [BreakSegment(utf16Range: 0..<text.count, kind: .none)]
    }
    defer { cicu_break_iterator_close(iterator) }
    return text.withUnsafeBufferPointer { buffer -> [BreakSegment] in
      var status: Int32 = 0
      cicu_break_iterator_set_text(iterator, buffer.baseAddress, Int32(buffer.count), &status)
      if ICUError.isFailure(status) {
        return [BreakSegment(utf16Range: 0..<text.count, kind: .none)]
      }
      var result: [BreakSegment] = []
      var start = Int(cicu_break_iterator_first(iterator))
      var end = Int(cicu_break_iterator_next(iterator))
      let wantsKind = unit == .word
      while end != Int(CICU_BREAK_DONE) {
        let kind =
          wantsKind ? WordSegmentKind(ruleStatus: cicu_break_iterator_rule_status(iterator)) : .none
        result.append(BreakSegment(utf16Range: start..<end, kind: kind))
        start = end
        end = Int(cicu_break_iterator_next(iterator))
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
