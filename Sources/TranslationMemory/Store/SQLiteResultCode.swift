internal import CSQLite

/// A SQLite result code, primary or extended, as GRDB's `ResultCode`.
///
/// A primary code matches every extended code of its family, so a caller writes
/// `catch SQLiteResultCode.busy` and catches `SQLITE_BUSY_SNAPSHOT` too.
public struct SQLiteResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: Int32

  public init(rawValue: Int32) {
    self.rawValue = rawValue
  }

  /// The primary code: the low byte of an extended one.
  public var primary: SQLiteResultCode { SQLiteResultCode(rawValue: rawValue & 0xFF) }

  /// Whether this is a primary code rather than an extended one.
  public var isPrimary: Bool { rawValue & 0xFF == rawValue }

  public var description: String { String(rawValue) }

  public static let busy = SQLiteResultCode(rawValue: SQLITE_BUSY)
  public static let notADatabase = SQLiteResultCode(rawValue: SQLITE_NOTADB)
  public static let constraint = SQLiteResultCode(rawValue: SQLITE_CONSTRAINT)
  public static let corrupt = SQLiteResultCode(rawValue: SQLITE_CORRUPT)

  /// A primary pattern matches its whole family; an extended one only itself.
  public static func ~= (pattern: SQLiteResultCode, code: SQLiteResultCode) -> Bool {
    pattern.isPrimary ? pattern == code.primary : pattern == code
  }

  /// Matches a ``TranslationMemoryError/sqlite(path:code:message:)`` whose code matches.
  public static func ~= (pattern: SQLiteResultCode, error: any Error) -> Bool {
    guard case .sqlite(_, let code, _) = error as? TranslationMemoryError else { return false }
    return pattern ~= code
  }
}
