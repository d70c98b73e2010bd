// `@_implementationOnly`, not `internal import`: debug builds enable testing, which makes an internal
// import visible to clients, and a client that also imports Foundation then sees two ICUs
// (Foundation's `_FoundationICU` and the system's) and fails to compile. No stored property
// of a public type here has a CICU type, so hiding the module is safe without library evolution.
@_implementationOnly import CICU

/// An ICU transliterator, such as `Any-Latin; Latin-ASCII`.
public final class Transliterator: @unchecked Sendable {
  private let handle: UnsafeMutablePointer<UTransliterator?>
  /// The transliterator's ICU id.
  public let id: String

  /// Opens a transliterator by its ICU id.
  ///
  /// - Throws: ``ICUError`` when ICU does not know the id.
  public init(id: String) throws(ICUError) {
    let idUnits = Array(id.utf16)
    var status = U_ZERO_ERROR
    let handle = cicu_utrans_openU(idUnits, Int32(idUnits.count), UTRANS_FORWARD, &status)
    try ICUError.check(status, "utrans_openU(\(id))")
    guard let handle else { throw ICUError(operation: "utrans_openU(\(id))", code: "NULL") }
    self.handle = handle
    self.id = id
  }

  deinit { cicu_utrans_close(handle) }

  /// Transliterates `text`.
  public func transliterate(_ text: String) throws(ICUError) -> String {
    let source = Array(text.utf16)
    if source.isEmpty { return text }
    var capacity = source.count * 4 + 16
    for _ in 0..<4 {
      var buffer = source + [UChar](repeating: 0, count: capacity - source.count)
      var length = Int32(source.count)
      var limit = length
      var status = U_ZERO_ERROR
      cicu_utrans_transUChars(handle, &buffer, &length, Int32(capacity), 0, &limit, &status)
      if status == U_BUFFER_OVERFLOW_ERROR {
        capacity = Int(length) * 2 + 16
        continue
      }
      try ICUError.check(status, "utrans_transUChars(\(id))")
      return String(decoding: buffer[0..<Int(length)], as: UTF16.self)
    }
    throw ICUError(operation: "utrans_transUChars(\(id))", code: "U_BUFFER_OVERFLOW_ERROR")
  }
}
