/// aligntm's own properties (``Property/Name``) in columns of the unit row, the others in the
/// `property` table.
///
/// The first property of each of the six types goes to its column; every other property goes to
/// the `property` table with its position among all of the unit's properties. Reading fills the
/// positions the table doesn't hold with the column values, in column order, or in the order
/// `property_order` records when the unit had them in another order. So a unit's properties come
/// back exactly as they were, and a unit made by ``TranslationUnit/aligned(source:target:document:paragraph:score:sourceFile:targetFile:tool:date:)``
/// is one row.
struct PropertyColumns {
  private static let names = Property.Name.allCases

  /// One value per column; nil when the unit has no property of that type.
  var values: [String?]
  /// The column ranks in the order the properties came, encoded by ``encode(_:)``; nil when that
  /// is column order.
  var order: Int64?
  /// The other properties, with their positions among all of the unit's properties.
  var others: [(position: Int, property: Property)]

  /// Splits a unit's properties.
  init(splitting properties: [Property]) {
    values = [nil, nil, nil, nil, nil, nil]
    others = []
    var ranks: [Int] = []
    var sorted = true
    for (position, property) in properties.enumerated() {
      if let rank = Self.rank(of: property.type), values[rank] == nil {
        values[rank] = property.value
        if let last = ranks.last, last > rank { sorted = false }
        ranks.append(rank)
      } else {
        others.append((position, property))
      }
    }
    order = sorted ? nil : Self.encode(ranks)
  }

  /// The column of a property type, or nil for a type without one.
  static func rank(of type: String) -> Int? {
    switch type {
    case "x-document": return 0
    case "x-paragraph": return 1
    case "x-score": return 2
    case "x-source-file": return 3
    case "x-target-file": return 4
    case "x-tool": return 5
    default: return nil
    }
  }

  /// Ranks as decimal digits, each plus one: [2, 0, 1] is 312.
  static func encode(_ ranks: [Int]) -> Int64 {
    ranks.reduce(0) { $0 * 10 + Int64($1 + 1) }
  }

  static func decode(_ order: Int64) -> [Int] {
    var ranks: [Int] = []
    var rest = order
    while rest > 0 {
      let digit = Int(rest % 10) - 1
      if (0..<6).contains(digit) { ranks.append(digit) }
      rest /= 10
    }
    return ranks.reversed()
  }

  /// The unit's properties in their first order.
  ///
  /// - Parameters:
  ///   - values: The column values, in column order.
  ///   - order: `property_order`.
  ///   - others: The `property` rows, sorted by position.
  static func merge(values: [String?], order: Int64?, others: [(position: Int, property: Property)])
    -> [Property]
  {
    var ranks = order.map(decode) ?? values.indices.filter { values[$0] != nil }
    ranks.removeAll { values[$0] == nil }
    if others.isEmpty {
      return ranks.map { Property(type: names[$0].rawValue, value: values[$0] ?? "") }
    }
    var result: [Property] = []
    result.reserveCapacity(ranks.count + others.count)
    var other = 0
    var column = 0
    while other < others.count || column < ranks.count {
      if other < others.count && (others[other].position <= result.count || column == ranks.count) {
        result.append(others[other].property)
        other += 1
      } else {
        let rank = ranks[column]
        result.append(Property(type: names[rank].rawValue, value: values[rank] ?? ""))
        column += 1
      }
    }
    return result
  }

  /// Migration 2: moves the properties of memories made by schema 1 into the new columns.
  static func moveIntoColumns(_ connection: SQLiteConnection) throws {
    let known = names.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    let units = try connection.prepare(
      "SELECT DISTINCT unit_id FROM property WHERE type IN (\(known)) ORDER BY unit_id")
    var ids: [Int64] = []
    while try units.step() { ids.append(units.int64(0)) }
    let read = try connection.prepare(
      "SELECT type, value FROM property WHERE unit_id = ?1 ORDER BY position")
    // The property columns at ?1…?6, in the order of `values`.
    let columns = UnitColumn.properties.enumerated().map { "\($0.element.name) = ?\($0.offset + 1)" }
    let update = try connection.prepare(
      "UPDATE unit SET \(columns.joined(separator: ", ")), property_order = ?7 WHERE id = ?8")
    let delete = try connection.prepare("DELETE FROM property WHERE unit_id = ?1")
    for id in ids {
      read.reset()
      read.bind(1, id)
      var properties: [Property] = []
      while try read.step() { properties.append(Property(type: read.string(0), value: read.string(1))) }
      let split = PropertyColumns(splitting: properties)
      update.reset()
      for (index, value) in split.values.enumerated() { update.bind(Int32(index + 1), value) }
      update.bind(7, split.order)
      update.bind(8, id)
      try update.step()
      delete.reset()
      delete.bind(1, id)
      try delete.step()
      try connection.insertProperties(split.others, unitID: id)
    }
  }
}
