import TextSegmentation

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
  /// The memory was opened read-only, and something tried to change it.
  case openedReadOnly(path: String)
  /// The memory opened read-only has a schema too old to read (0: no schema yet): a command that
  /// writes upgrades it.
  case needsUpgrade(path: String, version: Int, readable: Int)
  /// No unit has both languages of a lookup; `pairs` are the pairs the memory holds.
  case missingLanguagePair(
    path: String, source: Language, target: Language, pairs: [TranslationMemory.LanguagePairCount])
  /// PostgreSQL reported an error; `state` is its five-character SQLSTATE (`23505` for a unique
  /// violation, `42P01` for an unknown table …).
  case postgresql(path: String, state: String, message: String)
  /// The connection to the PostgreSQL server was lost (the server stopped or restarted, the
  /// network failed, an administrator ended the session).
  case connectionLost(path: String, reason: String)

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
      return code.explanation(path: path, message: message) ?? "\(path): SQLite error \(code): \(message)"
    case .busy(let path):
      return "\(path): the memory is locked by another process; try again"
    case .invalidUnit(let path, let reason):
      return "\(path): invalid translation unit: \(reason)"
    case .openedReadOnly(let path):
      return "\(path): the memory was opened read-only and cannot be changed"
    case .needsUpgrade(let path, let version, let readable):
      let state = version == 0 ? "has no tables yet" : "has schema version \(version)"
      return "\(path): the memory \(state); reading needs version \(readable) or later: run a writing "
        + "command (such as `aligntm tm import` or `align --into-tm`) to upgrade it"
    case .missingLanguagePair(let path, let source, let target, let pairs):
      let held =
        pairs.isEmpty
        ? "it holds no units yet"
        : "it holds "
          + pairs.map { "\($0.source)→\($0.target) (\($0.unitCount) unit\($0.unitCount == 1 ? "" : "s"))" }
          .joined(separator: ", ")
      return "\(path) has no \(source)→\(target) units; \(held)"
    case .postgresql(let path, let state, let message):
      return "\(path): PostgreSQL error \(state): \(message)"
    case .connectionLost(let path, let reason):
      return "\(path): the connection to the PostgreSQL server was lost: \(reason)"
    }
  }
}
