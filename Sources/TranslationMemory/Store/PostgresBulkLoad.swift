import Foundation

/// A TMX import into an empty PostgreSQL memory through `COPY … FROM STDIN`: the rows of the
/// units that are certainly new are streamed to the server table by table, where the usual
/// path sends one `INSERT` per row and waits for its answer.
///
/// The rules are the usual path's: the load runs inside the import's one write transaction (all
/// or nothing), and a unit whose duplicate key was seen before in the file (a key filter, exact
/// for "never seen") ends the run of copied units and goes through the usual merge-or-insert
/// (``TranslationMemory/insert(_:keys:range:_:)``), which then finds the copied units. Ids are
/// given as that path gives them (the largest plus one), in file order, so a COPY load stores
/// the same rows as the usual path. The change log's insert triggers are switched off for the
/// transaction (`aligntm.bulk_load`), and the log made to start after the load's generation, as
/// SQLite's bulk load does: a fuzzy index older than the load is built again.
struct _PostgresCopyLoad {
  /// The id the next copied unit gets.
  var nextID: Int64 = 1
  /// The keys of every unit stored so far.
  var keys: _ContentKeyFilter? = _ContentKeyFilter()
}

extension TranslationMemory {
  /// A COPY load when the memory is a PostgreSQL one with no unit; nil otherwise. Inside the
  /// import's write transaction.
  func startCopyLoad() throws -> _PostgresCopyLoad? {
    guard connection is PostgresConnection, try connection.scalarInt("SELECT max(id) FROM unit") == nil
    else { return nil }
    try connection.execute("SET LOCAL aligntm.bulk_load = 'on'")
    return _PostgresCopyLoad()
  }

  /// Ends a COPY load: the change log starts at the generation the import's write makes, and the
  /// loaded tables get planner statistics (without them, PostgreSQL took the tables for empty
  /// and joined the change log with every unit by a sequential scan).
  func finishCopyLoad() throws {
    try connection.execute(
      """
      SET LOCAL aligntm.bulk_load = 'off';
      UPDATE unit_change_start SET generation = (SELECT value + 1 FROM generation WHERE id = 1) WHERE id = 1;
      ANALYZE unit, variant, property, note, variant_detail
      """)
  }

  /// Stores a batch: runs of new units by COPY, a unit whose key was seen before by the usual
  /// path; tells `outcome` what became of each, in order.
  func copy(_ batch: _UnitBatch, load: inout _PostgresCopyLoad, _ outcome: (AddOutcome) -> Void) throws {
    guard let postgres = connection as? PostgresConnection else {
      preconditionFailure("a COPY load needs a PostgreSQL connection")
    }
    // The parsing thread may have computed them already (when the writer was behind).
    let keys =
      batch.keys.count == batch.units.count
      ? batch.keys : batch.withArena { arena in batch.units.map { batch.key(of: $0, in: arena.base) } }
    var runStart = 0
    for index in batch.units.indices {
      guard load.keys?.mightContain(keys[index]) == true else {
        load.keys?.insert(keys[index])
        continue
      }
      try copyUnits(of: batch, runStart..<index, keys: keys, load: &load, postgres, outcome)
      try insert(batch, keys: &load.keys, range: index..<index + 1) { result in
        if case .inserted(let id) = result { load.nextID = id + 1 }
        outcome(result)
      }
      runStart = index + 1
    }
    try copyUnits(of: batch, runStart..<batch.units.count, keys: keys, load: &load, postgres, outcome)
  }

  /// Copies the rows of units known to be new: the unit rows, then their variants, properties,
  /// notes and variant details.
  private func copyUnits(
    of batch: _UnitBatch, _ range: Range<Int>, keys: [Int64], load: inout _PostgresCopyLoad,
    _ postgres: PostgresConnection, _ outcome: (AddOutcome) -> Void
  ) throws {
    guard !range.isEmpty else { return }
    let firstID = load.nextID
    func id(_ index: Int) -> Int64 { firstID + Int64(index - range.lowerBound) }
    let extras = range.compactMap { index in
      batch.units[index].extra >= 0 ? (index, batch.extras[batch.units[index].extra]) : nil
    }
    try batch.withArena { arena in
      func append(_ text: _UnitBatch.Text, to writer: inout PostgresCopyWriter) {
        if text.isNull { writer.append(nil as String?) } else { writer.append(utf8: arena.buffer(text)) }
      }
      try postgres.copy(
        "COPY unit (id, \(UnitColumn.inOrder.map(\.name).joined(separator: ", "))) FROM STDIN"
      ) { writer in
        for index in range {
          let unit = batch.units[index]
          let fields = batch.fields(of: unit)
          writer.append(id(index))
          for column in UnitColumn.inOrder {
            switch column {
            case .creationDate: writer.append(unit.creationDate)
            case .changeDate: writer.append(unit.changeDate)
            case .usageCount: writer.append(max(unit.usageCount, 0))
            case .contentKey: writer.append(keys[index])
            case .propertyOrder: writer.append(unit.propertyOrder)
            case .lastUsageDate: writer.append(unit.lastUsageDate)
            case .tuid, .sourceLanguage, .creationID, .changeID, .document, .paragraph, .score, .sourceFile,
              .targetFile, .tool, .segmentType, .dataType, .creationTool, .creationToolVersion:
              append(fields[column], to: &writer)
            }
          }
          try writer.endRow()
        }
      }
      try postgres.copy(
        """
        COPY variant (unit_id, position, language, text, codes, creation_date, creation_id, change_date,
          change_id) FROM STDIN
        """
      ) { writer in
        for index in range {
          let unit = batch.units[index]
          let fields = batch.fields(of: unit)
          let extra = unit.extra >= 0 ? batch.extras[unit.extra] : nil
          for position in 0..<unit.variantCount {
            let texts = fields.variant(position)
            writer.append(id(index))
            writer.append(Int64(position))
            append(texts.language, to: &writer)
            append(texts.text, to: &writer)
            writer.append(blob: texts.codes.isNull ? nil : Array(arena.buffer(texts.codes)))
            let metadata = extra.flatMap { $0.variants.isEmpty ? nil : $0.variants[position] }
            writer.append(metadata?.creationDate.map { Int64($0.timeIntervalSince1970) })
            writer.append(metadata?.creationID)
            writer.append(metadata?.changeDate.map { Int64($0.timeIntervalSince1970) })
            writer.append(metadata?.changeID)
            try writer.endRow()
          }
        }
      }
    }
    if extras.contains(where: { !$0.1.others.isEmpty }) {
      try postgres.copy("COPY property (unit_id, position, type, value) FROM STDIN") { writer in
        for (index, extra) in extras {
          for (position, property) in extra.others {
            writer.append(id(index))
            writer.append(Int64(position))
            writer.append(property.type)
            writer.append(property.value)
            try writer.endRow()
          }
        }
      }
    }
    if extras.contains(where: { !$0.1.notes.isEmpty }) {
      try postgres.copy("COPY note (unit_id, position, text) FROM STDIN") { writer in
        for (index, extra) in extras {
          for (position, note) in extra.notes.enumerated() {
            writer.append(id(index))
            writer.append(Int64(position))
            writer.append(note)
            try writer.endRow()
          }
        }
      }
    }
    if extras.contains(where: { !$0.1.variants.isEmpty }) {
      try postgres.copy("COPY variant_detail (unit_id, variant, position, type, value) FROM STDIN") {
        writer in
        for (index, extra) in extras {
          for (variantIndex, variant) in extra.variants.enumerated() {
            guard let variant else { continue }
            let details =
              variant.properties.map { ($0.type as String?, $0.value) }
              + variant.notes.map { (nil as String?, $0) }
            for (position, detail) in details.enumerated() {
              writer.append(id(index))
              writer.append(Int64(variantIndex))
              writer.append(Int64(position))
              writer.append(detail.0)
              writer.append(detail.1)
              try writer.endRow()
            }
          }
        }
      }
    }
    load.nextID = firstID + Int64(range.count)
    for index in range { outcome(.inserted(id: id(index))) }
  }
}
