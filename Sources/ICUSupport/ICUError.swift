// `@_implementationOnly`, not `internal import`: debug builds enable testing, which makes an internal
// import visible to clients, and a client that also imports Foundation then sees two ICUs
// (Foundation's `_FoundationICU` and the system's) and fails to compile. No stored property
// of a public type here has a CICU type, so hiding the module is safe without library evolution.
@_implementationOnly import CICU

/// An error reported by ICU, with the call that failed and ICU's own name for the error.
public struct ICUError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The ICU function that failed, with its main argument (`ubrk_open(fr)`).
  public let operation: String
  /// ICU's name for the error code (`U_ILLEGAL_ARGUMENT_ERROR`).
  public let code: String

  public var description: String { "ICU \(operation) failed: \(code)" }

  static func check(_ status: UErrorCode, _ operation: @autoclosure () -> String) throws(ICUError) {
    // U_FAILURE(x) is `x > U_ZERO_ERROR`; warnings are negative.
    if status.rawValue > U_ZERO_ERROR.rawValue {
      throw ICUError(operation: operation(), code: String(cString: cicu_errorName(status)))
    }
  }
}

/// Facts about the ICU library linked at run time.
public enum ICU {
  /// The ICU version, such as `72.1`.
  public static var version: String {
    var info: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    withUnsafeMutableBytes(of: &info) { raw in
      if let base = raw.baseAddress { cicu_getVersion(base.assumingMemoryBound(to: UInt8.self)) }
    }
    return "\(info.0).\(info.1)"
  }
}
