import Foundation

/// Where the translation memory lives: an explicit path or PostgreSQL URL, else `$ALIGNTM_TM`,
/// else `tm/memory.sqlite`.
public enum TranslationMemoryLocation {
  /// The environment variable that names the memory file.
  public static let environmentVariable = "ALIGNTM_TM"
  /// The default path, relative to the working directory.
  public static let defaultRelativePath = "tm/memory.sqlite"

  /// The memory file to use.
  ///
  /// - Parameters:
  ///   - explicitPath: A path given by the user (`--tm PATH`); it wins when set and not empty.
  ///   - environment: The process environment, read for ``environmentVariable``.
  ///   - currentDirectory: The folder relative paths start from.
  /// - Returns: An absolute file URL.
  public static func resolve(
    explicitPath: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  ) -> URL {
    let chosen: String
    if let explicitPath, !explicitPath.isEmpty {
      chosen = explicitPath
    } else if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
      chosen = fromEnvironment
    } else {
      chosen = defaultRelativePath
    }
    let expanded = (chosen as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
    return currentDirectory.appendingPathComponent(expanded).standardizedFileURL
  }

  /// The store to use: a value starting with `postgresql://` or `postgres://` is a PostgreSQL
  /// database, anything else a file path resolved as ``resolve(explicitPath:environment:currentDirectory:)``
  /// resolves it.
  ///
  /// - Parameters:
  ///   - explicitValue: What the user gave (`--tm VALUE`); it wins when set and not empty.
  ///   - environment: The process environment, read for ``environmentVariable``.
  ///   - currentDirectory: The folder relative paths start from.
  public static func resolveAddress(
    explicitValue: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  ) -> StoreAddress {
    let chosen =
      [explicitValue, environment[environmentVariable]].compactMap { $0 }.first { !$0.isEmpty }
    if let chosen, StoreAddress.isPostgreSQL(chosen) { return .postgresql(chosen) }
    return .file(resolve(explicitPath: chosen, environment: [:], currentDirectory: currentDirectory))
  }
}
