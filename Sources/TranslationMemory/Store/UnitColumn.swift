/// The columns of the `unit` table after `id`, in the order the insert binds them and the
/// select reads them: a column's raw value is both its parameter index in ``insertSQL`` and its
/// column index in ``selectSQL`` (where `id` is column 0).
enum UnitColumn: Int32, CaseIterable {
  case tuid = 1
  case sourceLanguage, creationDate, creationID, changeDate, changeID, usageCount,
    contentKey, propertyOrder, document, paragraph, score, sourceFile, targetFile, tool,
    segmentType, dataType, creationTool, creationToolVersion, lastUsageDate

  /// The column's name in the schema.
  var name: String {
    switch self {
    case .tuid: "tuid"
    case .sourceLanguage: "source_language"
    case .creationDate: "creation_date"
    case .creationID: "creation_id"
    case .changeDate: "change_date"
    case .changeID: "change_id"
    case .usageCount: "usage_count"
    case .contentKey: "content_key"
    case .propertyOrder: "property_order"
    case .document: "document"
    case .paragraph: "paragraph"
    case .score: "score"
    case .sourceFile: "source_file"
    case .targetFile: "target_file"
    case .tool: "tool"
    case .segmentType: "segment_type"
    case .dataType: "data_type"
    case .creationTool: "creation_tool"
    case .creationToolVersion: "creation_tool_version"
    case .lastUsageDate: "last_usage_date"
    }
  }

  /// Every column in order, made once: the synthesized `allCases` makes an array per call.
  static let inOrder = allCases

  /// The columns that hold aligntm's own properties, in ``Property/Name`` order (the order of
  /// ``PropertyColumns/values``).
  static let properties: [UnitColumn] = [.document, .paragraph, .score, .sourceFile, .targetFile, .tool]

  /// Inserts one unit row, every column bound at its raw value.
  static let insertSQL = """
    INSERT INTO unit (\(inOrder.map(\.name).joined(separator: ", ")))
    VALUES (\(inOrder.map { "?\($0.rawValue)" }.joined(separator: ", ")))
    """

  /// ``insertSQL`` for PostgreSQL: returning the new row's `id` (there is no last row id to ask
  /// for), which is SQLite's rowid rule, one more than the largest (writers take turns, see
  /// ``TranslationMemory/write(_:)``), so that ids are the same in both stores after the same
  /// writes, and a write rolled back leaves no gap as a sequence would.
  static let insertReturningSQL = """
    INSERT INTO unit (id, \(inOrder.map(\.name).joined(separator: ", ")))
    VALUES ((SELECT coalesce(max(id), 0) + 1 FROM unit), \(inOrder.map { "?\($0.rawValue)" }.joined(separator: ", ")))
    RETURNING id
    """

  /// Selects `id` and every column, each at its raw value; add the `WHERE` and `ORDER BY`.
  static let selectSQL = "SELECT id, \(inOrder.map(\.name).joined(separator: ", ")) FROM unit"
}

extension StoreStatement {
  /// A column of a row of ``UnitColumn/selectSQL``.
  func isNull(_ column: UnitColumn) -> Bool { isNull(column.rawValue) }
  func int64(_ column: UnitColumn) -> Int64 { int64(column.rawValue) }
  func string(_ column: UnitColumn) -> String { string(column.rawValue) }
  func optionalString(_ column: UnitColumn) -> String? { optionalString(column.rawValue) }
  func optionalInt64(_ column: UnitColumn) -> Int64? { optionalInt64(column.rawValue) }
  func utf8(_ column: UnitColumn) -> UnsafeBufferPointer<UInt8> { utf8(column.rawValue) }

  /// The property column values of a row of ``UnitColumn/selectSQL``, in ``Property/Name`` order.
  func propertyColumnValues() -> [String?] { UnitColumn.properties.map { optionalString($0) } }
}
