/// What went wrong with a translation memory file.
public enum TranslationMemoryError: Error, Equatable, CustomStringConvertible {
  /// The database file can't be opened or created.
  case cannotOpen(path: String, reason: String)
  /// The file is not a translation memory (or is damaged).
  case notAMemory(path: String, reason: String)
  /// The memory was made by a newer aligntm, with a schema this version doesn't know.
  case newerSchema(path: String, version: Int, supported: Int)
  /// SQLite reported an error: match its code with `catch SQLiteResultCode.busy` and the like.
  case sqlite(path: String, code: SQLiteResultCode, message: String)
  /// Another process holds the memory for too long.
  case busy(path: String)
  /// A unit can't be stored as it is.
  case invalidUnit(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason):
      return "\(path): cannot open the translation memory: \(reason)"
    case .notAMemory(let path, let reason):
      return "\(path): not a translation memory: \(reason)"
    case .newerSchema(let path, let version, let supported):
      return
        "\(path): the memory has schema version \(version); this aligntm knows up to \(supported)"
    case .sqlite(let path, let code, let message):
      return "\(path): SQLite error \(code): \(message)"
    case .busy(let path):
      return "\(path): the memory is locked by another process; try again"
    case .invalidUnit(let path, let reason):
      return "\(path): invalid translation unit: \(reason)"
    }
  }
}
