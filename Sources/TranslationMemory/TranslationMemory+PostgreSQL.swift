import Foundation

extension TranslationMemory {
  /// A connection to the PostgreSQL database at `location`, its schema made, upgraded or
  /// checked (``PostgresSchema/prepare(_:access:)``).
  static func openPostgreSQL(_ location: String, access: Access, busyTimeout: Duration) throws
    -> any StoreConnection
  {
    let connection = try PostgresConnection(url: location, busyTimeout: busyTimeout)
    try PostgresSchema.prepare(connection, access: access)
    return connection
  }
}
