// `@_implementationOnly`, not `internal import`: debug builds enable testing, which makes an internal
// import visible to clients, and a client that also imports Foundation then sees two ICUs
// (Foundation's `_FoundationICU` and the system's) and fails to compile. No stored property
// of a public type here has a CICU type, so hiding the module is safe without library evolution.
@_implementationOnly import CICU

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
    var status = U_ZERO_ERROR
    let normalizer: OpaquePointer?
    switch form {
    case .nfc: normalizer = cicu_unorm2_getNFCInstance(&status)
    case .nfd: normalizer = cicu_unorm2_getNFDInstance(&status)
    case .nfkc: normalizer = cicu_unorm2_getNFKCInstance(&status)
    case .nfkcCasefold: normalizer = cicu_unorm2_getNFKCCasefoldInstance(&status)
    }
    try ICUError.check(status, "unorm2_get\(form)Instance")
    let source = Array(text.utf16)
    if source.isEmpty { return text }
    let normalized = cicu_unorm2_isNormalized(normalizer, source, Int32(source.count), &status)
    if status.rawValue <= 0 && normalized != 0 { return text }
    status = U_ZERO_ERROR
    return try fill(capacity: source.count * 2 + 8, operation: "unorm2_normalize") {
      cicu_unorm2_normalize(normalizer, source, Int32(source.count), $0, $1, &$2)
    }
  }

  /// Folds case the Unicode way (`Straße` → `strasse`), for matching, not display.
  public static func foldCase(_ text: String) throws(ICUError) -> String {
    let source = Array(text.utf16)
    if source.isEmpty { return text }
    return try fill(capacity: source.count + 8, operation: "u_strFoldCase") {
      cicu_u_strFoldCase($0, $1, source, Int32(source.count), &$2)
    }
  }

  /// Lowercases with a locale's rules (Turkish dotless i, for instance).
  public static func lowercase(_ text: String, locale: String) throws(ICUError) -> String {
    let source = Array(text.utf16)
    if source.isEmpty { return text }
    return try fill(capacity: source.count + 8, operation: "u_strToLower(\(locale))") {
      cicu_u_strToLower($0, $1, source, Int32(source.count), locale, &$2)
    }
  }

  /// Calls an ICU function that writes UTF-16 into a buffer, growing the buffer once on overflow.
  static func fill(
    capacity: Int, operation: @autoclosure () -> String,
    _ body: (UnsafeMutablePointer<UChar>, Int32, inout UErrorCode) -> Int32
  ) throws(ICUError) -> String {
    var capacity = capacity
    for _ in 0..<2 {
      var status = U_ZERO_ERROR
      var buffer = [UChar](repeating: 0, count: capacity)
      let length = buffer.withUnsafeMutableBufferPointer { pointer in
        body(pointer.baseAddress!, Int32(capacity), &status)
      }
      if status == U_BUFFER_OVERFLOW_ERROR {
        capacity = Int(length) + 1
        continue
      }
      try ICUError.check(status, operation())
      return String(decoding: buffer[0..<Int(length)], as: UTF16.self)
    }
    throw ICUError(operation: operation(), code: "U_BUFFER_OVERFLOW_ERROR")
  }
}
