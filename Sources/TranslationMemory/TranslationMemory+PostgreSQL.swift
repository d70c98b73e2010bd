import Foundation

extension TranslationMemory {
  /// A connection to the PostgreSQL database at `location`, its schema made, upgraded or
  /// checked (``PostgresSchema/prepare(_:access:)``).
  static func openPostgreSQL(_ location: String, access: Access, busyTimeout: Duration) throws
    -> any StoreConnection
  {
    throw TranslationMemoryError.cannotOpen(
      path: StoreAddress.postgresql(location).displayForm,
      reason: "this build of aligntm has no PostgreSQL client yet")
  }
}
