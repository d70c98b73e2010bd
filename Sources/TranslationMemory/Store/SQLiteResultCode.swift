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
  public static let locked = SQLiteResultCode(rawValue: SQLITE_LOCKED)
  public static let readOnly = SQLiteResultCode(rawValue: SQLITE_READONLY)
  public static let ioError = SQLiteResultCode(rawValue: SQLITE_IOERR)
  public static let full = SQLiteResultCode(rawValue: SQLITE_FULL)
  public static let cantOpen = SQLiteResultCode(rawValue: SQLITE_CANTOPEN)

  /// What the code means for the memory file and what to do about it, for the common failures;
  /// nil for the others. `path` is the file, `message` SQLite's own words.
  func explanation(path: String, message: String) -> String? {
    let sqlite = "(SQLite: \(message))"
    switch self {
    case .corrupt:
      return "\(path) is damaged \(sqlite): restore it from a copy, or save what can still be read "
        + "with `sqlite3 \(path) .recover | sqlite3 recovered.sqlite`"
    case .notADatabase:
      return "\(path) is not a SQLite database \(sqlite): check the --tm path, or restore the memory "
        + "from a copy"
    case .busy, .locked:
      return "\(path) is locked by another process \(sqlite): try again when it is done"
    case .readOnly:
      return "\(path) cannot be written \(sqlite): check the permissions of the file and its folder, "
        + "or work on a copy"
    case .full:
      return "the disk holding \(path) is full \(sqlite): free some space and run the command again; "
        + "the memory is as it was before it"
    case .cantOpen:
      return "\(path) cannot be opened \(sqlite): check that the file and its folder exist and may be "
        + "read (and written, to change it)"
    case .ioError:
      return "\(path) could not be read or written \(sqlite): check the disk and the file's "
        + "permissions, then run the command again"
    default:
      return nil
    }
  }

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
