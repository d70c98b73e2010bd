import Foundation
import TextSegmentation

/// The stored units with their variants, properties and notes, read by a merge join: four
/// cursors in unit id order, each read once from start to end.
///
/// ``next()`` moves to the next unit; then ``forEachVariant(_:)``, ``forEachProperty(_:)`` and
/// ``forEachNote(_:)`` give that unit's rows, in any order, each at most once. Rows of a unit
/// whose children were not asked for are skipped on the way to the next one.
struct UnitCursor {
  /// Which units.
  enum Filter {
    case all
    case document(String)
    case id(Int64)
  }

  /// The current unit's row: columns as in ``UnitColumn/selectSQL``.
  let unit: any StoreStatement
  /// Columns: unit id, language, text, codes, position, creation date, creation id, change date,
  /// change id.
  private let variants: any StoreStatement
  /// Columns: unit id, variant, type (NULL for a note), value.
  private let details: any StoreStatement
  private var hasDetail: Bool
  /// Columns: unit id, position, type, value.
  private let properties: any StoreStatement
  /// Columns: unit id, text.
  private let notes: any StoreStatement
  private var hasVariant: Bool
  private var hasProperty: Bool
  private var hasNote: Bool
  /// The current unit's id.
  private(set) var id: Int64 = 0

  init(_ connection: any StoreConnection, filter: Filter) throws {
    let unitWhere: String
    let childWhere: String
    switch filter {
    case .all:
      unitWhere = ""
      childWhere = ""
    case .document:
      unitWhere = "WHERE document = ?1"
      childWhere = "WHERE unit_id IN (SELECT id FROM unit WHERE document = ?1)"
    case .id:
      unitWhere = "WHERE id = ?1"
      childWhere = "WHERE unit_id = ?1"
    }
    // One unit (a merge reads the stored unit): statements kept by the connection, prepared once.
    let byID: Bool
    if case .id = filter { byID = true } else { byID = false }
    func statement(_ name: StaticString, _ sql: String) throws -> any StoreStatement {
      // Many rows: PostgreSQL reads them in batches through a cursor.
      guard byID else { return try connection.prepareScan(sql) }
      let statement = try connection.cached(name, sql: sql)
      statement.reset()
      return statement
    }
    unit = try statement("cursor by id: unit", "\(UnitColumn.selectSQL) \(unitWhere) ORDER BY id")
    variants = try statement(
      "cursor by id: variants",
      """
      SELECT unit_id, language, text, codes, position, creation_date, creation_id, change_date,
        change_id FROM variant \(childWhere) ORDER BY unit_id, position
      """)
    details = try statement(
      "cursor by id: details",
      """
      SELECT unit_id, variant, type, value FROM variant_detail \(childWhere)
      ORDER BY unit_id, variant, position
      """)
    properties = try statement(
      "cursor by id: properties",
      "SELECT unit_id, position, type, value FROM property \(childWhere) ORDER BY unit_id, position")
    notes = try statement(
      "cursor by id: notes", "SELECT unit_id, text FROM note \(childWhere) ORDER BY unit_id, position")
    for statement in [unit, variants, properties, notes, details] {
      switch filter {
      case .all: break
      case .document(let symbol): statement.bind(1, symbol)
      case .id(let id): statement.bind(1, id)
      }
    }
    hasVariant = try variants.step()
    hasProperty = try properties.step()
    hasNote = try notes.step()
    hasDetail = try details.step()
  }

  /// Moves to the next unit: false after the last.
  mutating func next() throws -> Bool {
    guard try unit.step() else { return false }
    id = unit.int64(0)
    return true
  }

  /// Calls `body` with the statement on each variant row of the current unit, by language.
  mutating func forEachVariant(_ body: (any StoreStatement) throws -> Void) throws {
    try Self.forEachRow(of: variants, id: id, more: &hasVariant, body)
  }

  /// Calls `body` with the statement on each `variant_detail` row of the current unit, by variant
  /// and position.
  mutating func forEachVariantDetail(_ body: (any StoreStatement) throws -> Void) throws {
    try Self.forEachRow(of: details, id: id, more: &hasDetail, body)
  }

  /// The current unit's variants, whole: texts, codes and their own metadata, in order.
  mutating func variantsWithMetadata() throws -> [Variant] {
    var result: [Variant] = []
    try forEachVariant { row in
      result.append(
        Variant(
          language: Language(row.string(1)), text: row.string(2),
          codes: row.isNull(3) ? [] : InlineCodeCoding.decode(row.blob(3)),
          creationDate: row.optionalInt64(5).map { Date(timeIntervalSince1970: TimeInterval($0)) },
          creationID: row.optionalString(6),
          changeDate: row.optionalInt64(7).map { Date(timeIntervalSince1970: TimeInterval($0)) },
          changeID: row.optionalString(8)))
    }
    try forEachVariantDetail { row in
      let index = Int(row.int64(1))
      guard result.indices.contains(index) else { return }
      if let type = row.optionalString(2) {
        result[index].properties.append(Property(type: type, value: row.string(3)))
      } else {
        result[index].notes.append(row.string(3))
      }
    }
    return result
  }

  /// Calls `body` with the statement on each `property` row of the current unit, by position.
  mutating func forEachProperty(_ body: (any StoreStatement) throws -> Void) throws {
    try Self.forEachRow(of: properties, id: id, more: &hasProperty, body)
  }

  /// Calls `body` with the statement on each note row of the current unit, by position.
  mutating func forEachNote(_ body: (any StoreStatement) throws -> Void) throws {
    try Self.forEachRow(of: notes, id: id, more: &hasNote, body)
  }

  /// The current unit's `property` rows, with their positions.
  mutating func otherProperties() throws -> [(position: Int, property: Property)] {
    var others: [(position: Int, property: Property)] = []
    try forEachProperty { row in
      others.append((Int(row.int64(1)), Property(type: row.string(2), value: row.string(3))))
    }
    return others
  }

  private static func forEachRow(
    of statement: any StoreStatement, id: Int64, more: inout Bool, _ body: (any StoreStatement) throws -> Void
  ) throws {
    while more && statement.int64(0) <= id {
      if statement.int64(0) == id { try body(statement) }
      more = try statement.step()
    }
  }
}
