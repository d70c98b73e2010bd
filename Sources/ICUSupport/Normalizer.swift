internal import CICU

/// Unicode normalization and case folding through ICU.
public enum Normalizer {
  /// A Unicode normalization form.
  public enum Form: Sendable {
    case nfc, nfd, nfkc, nfkcCasefold
  }

  /// Returns `text` in the given normalization form.
  ///
  /// - Throws: ``ICUError`` if ICU's normalization data is missing.
  public static func normalize(_ text: String, to form: Form) throws(ICUError) -> String {
    var status: Int32 = 0
    let normalizer: OpaquePointer?
    switch form {
    case .nfc: normalizer = cicu_normalizer_nfc(&status)
    case .nfd: normalizer = cicu_normalizer_nfd(&status)
    case .nfkc: normalizer = cicu_normalizer_nfkc(&status)
    case .nfkcCasefold: normalizer = cicu_normalizer_nfkc_casefold(&status)
    }
    try ICUError.check(status, "unorm2_get\(form)Instance")
    let source = Array(text.utf16)
    if source.isEmpty { return text }
    let normalized = cicu_normalizer_is_normalized(normalizer, source, Int32(source.count), &status)
    if !ICUError.isFailure(status) && normalized != 0 { return text }
    return try fill(capacity: source.count * 2 + 8, operation: "unorm2_normalize") {
      cicu_normalizer_normalize(normalizer, source, Int32(source.count), $0, $1, &$2)
    }
  }

  /// Folds case the Unicode way (`Straße` → `strasse`), for matching, not display.
  public static func foldCase(_ text: String) throws(ICUError) -> String {
    let source = Array(text.utf16)
    if source.isEmpty { return text }
    return try fill(capacity: source.count + 8, operation: "u_strFoldCase") {
      cicu_fold_case($0, $1, source, Int32(source.count), &$2)
    }
  }

  /// Lowercases with a locale's rules (Turkish dotless i, for instance).
  public static func lowercase(_ text: String, locale: String) throws(ICUError) -> String {
    let source = Array(text.utf16)
    if source.isEmpty { return text }
    return try fill(capacity: source.count + 8, operation: "u_strToLower(\(locale))") {
      cicu_to_lower($0, $1, source, Int32(source.count), locale, &$2)
    }
  }

  /// Calls an ICU function that writes UTF-16 into a buffer, growing the buffer once on overflow.
  static func fill(
    capacity: Int, operation: @autoclosure () -> String,
    _ body: (UnsafeMutablePointer<UInt16>, Int32, inout Int32) -> Int32
  ) throws(ICUError) -> String {
    var capacity = capacity
    for _ in 0..<2 {
      var status: Int32 = 0
      var buffer = [UInt16](repeating: 0, count: max(capacity, 1))
      let length = buffer.withUnsafeMutableBufferPointer { pointer -> Int32 in
        // A buffer of one or more units always has a base address.
        guard let base = pointer.baseAddress else { return 0 }
        return body(base, Int32(pointer.count), &status)
      }
      if status == CICU_BUFFER_OVERFLOW_ERROR {
        capacity = Int(length) + 1
        continue
      }
      try ICUError.check(status, operation())
      return String(decoding: buffer[0..<Int(length)], as: UTF16.self)
    }
    throw ICUError(operation: operation(), code: "U_BUFFER_OVERFLOW_ERROR")
  }
}
