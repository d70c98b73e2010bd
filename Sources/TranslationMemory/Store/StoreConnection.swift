/// The SQL dialects a memory's store speaks.
enum SQLDialect: Sendable, Hashable {
  /// One SQLite file (``SQLiteConnection``).
  case sqlite
  /// A PostgreSQL database shared by a team (``PostgresConnection``).
  case postgresql
}

/// What the memory's code asks of a database connection. ``SQLiteConnection`` and
/// ``PostgresConnection`` sit side by side behind it, so ``TranslationMemory`` does not know which
/// it has except where the SQL of the two differs (``dialect``).
///
/// Parameters are written `?1`, `?2` … (or `?`, numbered in order) in both dialects; the
/// PostgreSQL connection rewrites them as `$1`, `$2` …. Not thread-safe: ``TranslationMemory``
/// serialises access.
protocol StoreConnection: AnyObject {
  associatedtype Statement: StoreStatement

  /// Which SQL this connection speaks.
  var dialect: SQLDialect { get }
  /// The store as messages name it: a file's path, or a PostgreSQL URL without its password.
  var path: String { get }

  /// Runs one or more statements, separated by `;`, without parameters or results.
  func execute(_ sql: String) throws
  /// A new prepared statement, released with its last reference.
  func prepare(_ sql: String) throws -> Statement
  /// A prepared statement kept for reuse, keyed by the address of the SQL literal: the next
  /// caller gets it reset and unbound.
  func cached(_ sql: StaticString) throws -> Statement
  /// A prepared statement for SQL built at run time, kept under `name` as ``cached(_:)`` keeps
  /// its own.
  func cached(_ name: StaticString, sql: @autoclosure () -> String) throws -> Statement
  /// A statement for reading many rows (an export, an index build): PostgreSQL's connection
  /// fetches them in batches through a cursor, inside the open transaction, rather than all at
  /// once; SQLite's is ``prepare(_:)``.
  func prepareScan(_ sql: String) throws -> Statement
  /// The single integer a query returns, or nil (no row, or NULL).
  func scalarInt(_ sql: String) throws -> Int64?
  /// The number of rows the last INSERT, UPDATE or DELETE changed.
  var changes: Int { get }
}

/// A prepared statement. Binding indexes are 1-based, column indexes 0-based, as in SQLite. The
/// first ``step()`` runs it; each later one moves to the next row.
protocol StoreStatement: AnyObject {
  /// Resets the statement to run it again.
  ///
  /// - Parameter clearingBindings: False keeps the bindings, for a statement whose parameters
  ///   are all bound again before the next step.
  func reset(clearingBindings: Bool)

  func bind(_ index: Int32, _ value: Int64)
  func bind(_ index: Int32, _ value: Int64?)
  func bind(_ index: Int32, _ value: Double?)
  func bind(_ index: Int32, _ value: String?)
  func bind(_ index: Int32, _ value: [UInt8]?)
  /// Binds UTF-8 that must stay put until the statement is reset and bound again (SQLite reads
  /// it in place; PostgreSQL's connection may copy it).
  func bindStatic(_ index: Int32, _ text: UnsafePointer<UInt8>, count: Int)
  /// Binds a blob as ``bindStatic(_:_:count:)`` binds text.
  func bindStaticBlob(_ index: Int32, _ bytes: UnsafePointer<UInt8>, count: Int)

  /// Runs the statement or moves to its next row: true when a row is ready, false when done.
  @discardableResult
  func step() throws -> Bool

  func isNull(_ column: Int32) -> Bool
  /// A column as an integer (a boolean column reads as 0 or 1).
  func int64(_ column: Int32) -> Int64
  func double(_ column: Int32) -> Double
  func string(_ column: Int32) -> String
  /// A column's UTF-8, valid until the next step or reset; empty for NULL.
  func utf8(_ column: Int32) -> UnsafeBufferPointer<UInt8>
  func blob(_ column: Int32) -> [UInt8]
}

extension StoreStatement {
  /// Resets the statement and clears its bindings.
  func reset() { reset(clearingBindings: true) }
  func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }
  func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
}

/// A connection's prepared statements kept for reuse (``StoreConnection/cached(_:)``), keyed by
/// the address of a static string: hashing a pointer is cheap, hashing the SQL text on every call
/// was not.
struct StatementCache<Statement: StoreStatement> {
  private var statements: [UnsafeRawPointer: Statement] = [:]

  /// The statement kept under `key`, reset and unbound, or the one `prepare` makes, kept.
  mutating func statement(for key: StaticString, prepare: () throws -> Statement) rethrows -> Statement {
    let address = UnsafeRawPointer(key.utf8Start)
    if let statement = statements[address] {
      statement.reset()
      return statement
    }
    let statement = try prepare()
    statements[address] = statement
    return statement
  }

  /// Forgets every statement (before the connection closes, or when its statements are gone).
  mutating func removeAll() { statements.removeAll() }
}

extension StoreConnection {
  /// Runs `body` in a transaction begun by `begin` (`BEGIN IMMEDIATE`, `BEGIN ISOLATION LEVEL …`):
  /// committed when `body` returns, rolled back when it throws.
  func inTransaction<T>(_ begin: String, _ body: () throws -> T) throws -> T {
    try execute(begin)
    do {
      let result = try body()
      try execute("COMMIT")
      return result
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }
}
