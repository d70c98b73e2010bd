/// The unit row's insert for a transaction that only inserts units: without a statement journal.
///
/// The change log's trigger (migration 7, `unit_change_on_insert`) makes every unit insert write
/// two rows, and its `NOT NULL` and `CHECK` constraints may abort it: so SQLite keeps a statement
/// journal for each insert inside a transaction, a copy of every page the statement touches
/// (the unit's page, each index's, the log's: some 64 KiB a unit at 16 KiB pages), spilled to
/// a temporary file beyond 64 KiB. That journal, with its allocations and copies, was most of
/// what an import into a non-empty memory lost when the trigger came.
///
/// `INSERT OR FAIL` needs no statement journal: a failing constraint keeps what the statement
/// wrote before it, and a one-row insert writes nothing before its constraints are checked (the
/// trigger runs after the row is in). SQLite applies the outer statement's conflict policy to
/// the trigger's `INSERT OR IGNORE INTO unit_change` too, which then fails instead of ignoring
/// a row already logged: (generation, id) can be logged already only when a unit of that id was
/// deleted (or inserted) earlier in the same transaction. So this insert is used only in a
/// transaction that has inserted units and deleted none (an import that opened its own), where
/// every new id is larger than any logged in it.
///
/// PostgreSQL has no statement journal: its store keeps the plain insert.
enum UnitInsertion {
  /// ``UnitColumn/insertSQL`` as `INSERT OR FAIL`.
  static let sql: String = {
    let plain = UnitColumn.insertSQL
    precondition(plain.hasPrefix("INSERT INTO "))
    return "INSERT OR FAIL INTO " + plain.dropFirst("INSERT INTO ".count)
  }()

  static func withoutStatementJournal(_ connection: SQLiteConnection) throws -> SQLiteStatement {
    try connection.cached("insert unit or fail", sql: sql)
  }
}
