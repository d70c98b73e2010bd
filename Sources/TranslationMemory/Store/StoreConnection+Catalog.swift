/// What the store's catalogue says, asked the same way of both dialects.
extension StoreConnection {
  /// How many of the tables `names` exist: SQLite's `sqlite_master`, PostgreSQL's
  /// `information_schema` (in the connection's schema).
  func tableCount(_ names: [String]) throws -> Int {
    let list = names.map { "'\($0)'" }.joined(separator: ", ")
    switch dialect {
    case .sqlite:
      return Int(
        try scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (\(list))") ?? 0)
    case .postgresql:
      return Int(
        try scalarInt(
          """
          SELECT count(*) FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_name IN (\(list))
          """) ?? 0)
    }
  }

  /// Whether every table of `names` exists.
  func hasTables(_ names: String...) throws -> Bool { try tableCount(names) == names.count }
}
