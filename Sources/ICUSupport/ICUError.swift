internal import CICU

/// An error reported by ICU, with the call that failed and ICU's own name for the error.
public struct ICUError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The ICU function that failed, with its main argument (`ubrk_open(fr)`).
  public let operation: String
  /// ICU's name for the error code (`U_ILLEGAL_ARGUMENT_ERROR`).
  public let code: String

  public var description: String { "ICU \(operation) failed: \(code)" }

  /// ICU's `U_FAILURE`: errors are positive, warnings negative, success zero.
  static func isFailure(_ status: Int32) -> Bool { status > 0 }

  /// Throws when `status`, a `UErrorCode`, holds an error; warnings pass.
  static func check(_ status: Int32, _ operation: @autoclosure () -> String) throws(ICUError) {
    if isFailure(status) {
      throw ICUError(operation: operation(), code: String(cString: cicu_error_name(status)))
    }
  }
}

/// Facts about the ICU library linked at run time.
public enum ICU {
  /// The ICU version, such as `72.1`.
  public static var version: String {
    var info: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    withUnsafeMutableBytes(of: &info) { raw in
      if let base = raw.baseAddress { cicu_get_version(base.assumingMemoryBound(to: UInt8.self)) }
    }
    return "\(info.0).\(info.1)"
  }
}
