import Foundation
import TextSegmentation

extension TranslationMemory {
  /// What an export wrote.
  public struct TMXExportSummary: Sendable, Hashable {
    public var units: Int
    /// Characters XML forbids, written as U+FFFD.
    public var replacedCharacters: Int
    /// Units left out because they hold fewer of the asked languages than the export needs (two,
    /// or one when one language is asked for). Without a language filter, every unit is written.
    public var leftOut: Int = 0
  }

  /// Writes the memory (or part of it) as TMX 1.4b, streaming.
  ///
  /// Every unit is written, one with a single variant too (TMX allows a `<tu>` with one `<tuv>`),
  /// with its variants in their order and each variant's own dates, ids, properties and notes.
  /// Language tags are written in their usual case (`en-US`); file paths in `x-source-file` and
  /// `x-target-file` are cut to the file's name. A unit without a `tuid` gets its row id, or, when
  /// an imported unit already has that `tuid`, `aligntm-` and its row id (with a number after it
  /// while that is taken too).
  ///
  /// - Parameters:
  ///   - url: The file to write; replaced only when the export succeeds.
  ///   - languages: Only these languages, when set, matched on the primary language (`fr` keeps
  ///     `fr-FR` variants). A unit keeps at least two of them (or one, when one is asked for), or
  ///     it is left out and counted in ``TMXExportSummary/leftOut``.
  ///   - document: Only the units of this document (`x-document`), when set.
  ///   - creationDate: The header's `creationdate`; nil leaves it out, so the same memory always
  ///     gives the same bytes.
  /// - Throws: ``TMXError/cannotWrite(file:reason:)`` or ``TranslationMemoryError``.
  @discardableResult
  public func exportTMX(
    to url: URL, languages: Set<Language>? = nil, document: String? = nil,
    creationDate: Date? = nil
  ) throws -> TMXExportSummary {
    let minimumVariants = languages.map { min(2, $0.count) } ?? 1
    return try read {
      let sources = try sourceLanguages(document: document)
      let header = TMXWriter.Header(
        sourceLanguage: sources.count == 1 ? TMXWriter.tag(sources[0].rawValue) : "*all*",
        creationDate: creationDate)
      let writer = try TMXWriter(url: url, header: header)
      let leftOut = try writeUnits(
        to: writer, document: document, languages: languages, minimumVariants: minimumVariants)
      try writer.finish()
      return TMXExportSummary(
        units: writer.unitCount, replacedCharacters: writer.replacedCharacters, leftOut: leftOut)
    }
  }

  /// The stored `tuid`s that a generated one must not take: those that are a row id, or
  /// `aligntm-` and a row id, as text.
  private func takenTUIDs() throws -> Set<String> {
    let statement = try connection.prepare(
      """
      SELECT tuid FROM unit WHERE tuid IS NOT NULL
        AND (substr(tuid, 1, 1) BETWEEN '0' AND '9' OR substr(tuid, 1, 8) = 'aligntm-')
      """)
    var taken = Set<String>()
    while try statement.step() { taken.insert(statement.string(0)) }
    return taken
  }

  /// The `tuid` written for a unit stored without one.
  static func generatedTUID(id: Int64, taken: Set<String>) -> String {
    let plain = String(id)
    if !taken.contains(plain) { return plain }
    var candidate = "aligntm-\(id)"
    var suffix = 2
    while taken.contains(candidate) {
      candidate = "aligntm-\(id)-\(suffix)"
      suffix += 1
    }
    return candidate
  }

  /// Writes the units as ``TMXWriter/write(_:)`` would, straight from SQLite's rows: no
  /// ``TranslationUnit`` and no `String` per unit, except for units with inline codes, variant
  /// metadata or properties of other types. Returns how many units were left out.
  private func writeUnits(
    to writer: TMXWriter, document: String?, languages: Set<Language>?, minimumVariants: Int
  ) throws -> Int {
    var cursor = try UnitCursor(connection, filter: document.map { .document($0) } ?? .all)
    let selection = languages.map(LanguageSelection.init)
    let propertyNames = Property.Name.allCases
    let taken = try takenTUIDs()
    let segmentType = Array(writer.header.segmentType.utf8)
    let dataType = Array(writer.header.dataType.utf8)
    var leftOut = 0
    while try cursor.next() {
      let row = cursor.unit
      let id = cursor.id
      let others = try cursor.otherProperties()
      var details: [Int: (properties: [Property], notes: [String])] = [:]
      try cursor.forEachVariantDetail { detail in
        let index = Int(detail.int64(1))
        if let type = detail.optionalString(2) {
          details[index, default: ([], [])].properties.append(Property(type: type, value: detail.string(3)))
        } else {
          details[index, default: ([], [])].notes.append(detail.string(3))
        }
      }
      try writer._write { out in
        let start = out.bytes.count
        let replaced = out.replacedCharacters
        out.append("    <tu")
        if row.isNull(.tuid) {
          out.attribute("tuid", Self.generatedTUID(id: id, taken: taken))
        } else {
          out.attribute("tuid", utf8: row.utf8(.tuid))
        }
        out.attribute("srclang", TMXWriter.tag(row.string(.sourceLanguage)))
        out.attribute("creationdate", date: row.int64(.creationDate))
        if !row.isNull(.creationID) { out.attribute("creationid", utf8: row.utf8(.creationID)) }
        if !row.isNull(.changeDate) { out.attribute("changedate", date: row.int64(.changeDate)) }
        if !row.isNull(.changeID) { out.attribute("changeid", utf8: row.utf8(.changeID)) }
        out.attribute("usagecount", number: Int(row.int64(.usageCount)))
        if !row.isNull(.lastUsageDate) { out.attribute("lastusagedate", date: row.int64(.lastUsageDate)) }
        // What the header says is inherited, not repeated (TMXWriter.unitAttributes).
        if !row.isNull(.segmentType), !row.utf8(.segmentType).elementsEqual(segmentType) {
          out.attribute("segtype", utf8: row.utf8(.segmentType))
        }
        if !row.isNull(.dataType), !row.utf8(.dataType).elementsEqual(dataType) {
          out.attribute("datatype", utf8: row.utf8(.dataType))
        }
        if !row.isNull(.creationTool) { out.attribute("creationtool", utf8: row.utf8(.creationTool)) }
        if !row.isNull(.creationToolVersion) {
          out.attribute("creationtoolversion", utf8: row.utf8(.creationToolVersion))
        }
        out.append(">\n")
        if others.isEmpty && row.isNull(.propertyOrder) {
          for (rank, column) in UnitColumn.properties.enumerated() where !row.isNull(column) {
            out.append("      <prop type=\"")
            out.bytes.append(contentsOf: propertyNames[rank].rawValue.utf8)
            out.append("\">")
            if column == .sourceFile || column == .targetFile {
              out.text(TMXWriter.fileName(row.string(column)))
            } else {
              out.escape(row.utf8(column), inAttribute: false)
            }
            out.append("</prop>\n")
          }
        } else {
          let merged = PropertyColumns.merge(
            values: row.propertyColumnValues(), order: row.optionalInt64(.propertyOrder),
            others: others)
          for property in merged {
            TMXWriter.property(type: property.type, value: TMXWriter.exported(property), to: &out)
          }
        }
        try cursor.forEachNote { note in
          out.append("      <note>")
          out.escape(note.utf8(1), inAttribute: false)
          out.append("</note>\n")
        }
        var variantCount = 0
        var index = -1
        try cursor.forEachVariant { variant in
          index += 1
          let language = variant.utf8(1)
          // Only with a filter: a Language per variant would cost the export.
          if let selection, !selection.admits(Language(String(decoding: language, as: UTF8.self))) {
            return
          }
          variantCount += 1
          let plain =
            variant.isNull(3) && variant.isNull(5) && variant.isNull(6) && variant.isNull(7)
            && variant.isNull(8) && details[index] == nil
          if plain && language.allSatisfy({ $0 != UInt8(ascii: "-") }) {
            Self.writeVariant(language: language, text: variant.utf8(2), to: &out)
          } else {
            let item = Variant(
              language: Language(String(decoding: language, as: UTF8.self)),
              text: variant.string(2),
              codes: variant.isNull(3) ? [] : InlineCodeCoding.decode(variant.blob(3)),
              creationDate: variant.optionalInt64(5).map { Date(timeIntervalSince1970: TimeInterval($0)) },
              creationID: variant.optionalString(6),
              changeDate: variant.optionalInt64(7).map { Date(timeIntervalSince1970: TimeInterval($0)) },
              changeID: variant.optionalString(8), properties: details[index]?.properties ?? [],
              notes: details[index]?.notes ?? [])
            TMXWriter.variant(item, to: &out)
          }
        }
        if variantCount == 0 || variantCount < minimumVariants {
          out.bytes.removeSubrange(start...)
          out.replacedCharacters = replaced
          leftOut += 1
          return false
        }
        out.append("    </tu>\n")
        return true
      }
    }
    return leftOut
  }

  /// A variant with a language of one subtag (`en`, `fr`: its usual case is the stored one), no
  /// code and no metadata, straight from its UTF-8.
  private static func writeVariant(
    language: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>, to out: inout _XMLOutput
  ) {
    out.append("      <tuv")
    out.attribute("xml:lang", utf8: language)
    out.append("><seg>")
    out.escape(text, inAttribute: false)
    out.append("</seg></tuv>\n")
  }

  /// What an import did.
  public struct TMXImportSummary: Sendable, Hashable {
    /// Good units read from the file.
    public var unitsRead = 0
    /// Units stored as new.
    public var inserted = 0
    /// Units that were the same unit as one stored (or read before them from the file), merged
    /// into it: usage count, change date, properties and notes kept (see ``TranslationMemory/add(_:)-(TranslationUnit)``).
    public var merged = 0
    /// Deviations from TMX that were accepted, one per kind, with their first place and count.
    public var warnings: [TMXWarning] = []
    /// Problems skipped with `skipBad`, in file order.
    public var skipped: [TMXError] = []
    /// With `skipBad`: the problem that ended the reading before the end of the file, as
    /// ``TMXError/readingStopped(_:bytesNotRead:)``. The units before it are imported; a caller
    /// should still report a failure, since the rest of the file was not read.
    public var stoppedReading: TMXError?
  }

  /// Imports a TMX file in one transaction: on any error nothing of the file is stored.
  ///
  /// One thread parses the file and packs the units (property columns, inline codes, every text
  /// in one arena per batch of 1,000 units); the calling thread computes their duplicate keys
  /// (unless it is the slower of the two: then the parsing thread does) and writes them. At most
  /// four batches wait between the two, so memory stays flat.
  ///
  /// Into an empty memory, the units go into a new file without a journal, renamed over the
  /// memory once complete (``_BulkLoad``): the memory keeps its identity and a kill at any moment
  /// leaves it empty or complete. Readers that hold it open meanwhile make it fall back to the
  /// WAL transaction.
  ///
  /// - Parameters:
  ///   - url: The TMX file (1.1 to 1.4b, UTF-8 or UTF-16).
  ///   - name: The file's name in errors and warnings (its path unless told; `<stdin>` for what
  ///     was standard input).
  ///   - skipBad: Skip bad units (reported in the summary) instead of failing. A problem that
  ///     ends the reading (malformed XML) then keeps the units before it, and is reported as the
  ///     summary's ``TMXImportSummary/stoppedReading``.
  ///   - limits: What a unit and the file may hold at most.
  ///   - progress: Called every `progressInterval` units, on the calling thread.
  /// - Throws: ``TMXError`` naming `FILE:LINE:COLUMN`, or ``TranslationMemoryError``.
  @discardableResult
  public func importTMX(
    from url: URL, name: String? = nil, skipBad: Bool = false, limits: TMXReader.Limits = TMXReader.Limits(),
    progressInterval: Int = 10_000, progress: ((TMXReader.Progress) -> Void)? = nil
  ) throws -> TMXImportSummary {
    // An empty memory is loaded into a new file swapped in at the end (Store/BulkLoad.swift).
    if let summary = try importTMXInBulk(
      from: url, name: name, skipBad: skipBad, limits: limits, progressInterval: progressInterval,
      progress: progress)
    {
      return summary
    }
    return try importTMXInTransaction(
      from: url, name: name, skipBad: skipBad, limits: limits, progressInterval: progressInterval,
      progress: progress)
  }

  /// ``importTMX(from:skipBad:limits:progressInterval:progress:)`` in one WAL transaction of the
  /// open memory: the path of a memory that holds units already.
  func importTMXInTransaction(
    from url: URL, name: String? = nil, skipBad: Bool, limits: TMXReader.Limits, progressInterval: Int,
    progress: ((TMXReader.Progress) -> Void)?
  ) throws -> TMXImportSummary {
    // Variant, property and note rows reference the unit inserted just before them. The page
    // cache stays at its usual size: parsing is the slower half, and a larger cache gained
    // nothing measurable. A transaction of its own only inserts and merges: its unit rows need
    // no statement journal (UnitInsertion). (Another thread's transaction ends before this
    // one begins: the depth is this thread's.)
    let ownTransaction = locked { transactionDepth == 0 }
    return try writeWithoutForeignKeyChecks { memory in
      var summary = TMXImportSummary()
      let queue = _ImportQueue(capacity: Self.importQueueDepth)
      let wantsProgress = progress != nil
      let parser = Thread {
        // The reader packs the units straight into the batches (TMX/TMXPacking.swift); what the
        // store refuses (no variant, every variant blank) it refuses first, with its place.
        // The duplicate keys are the writer's to compute, unless the writer is behind (the
        // queue nearly full): then this thread computes them, so the two balance themselves.
        let packing = _TMXPacking(batchSize: Self.importBatchSize) { batch in
          var batch = batch
          if queue.count >= Self.importQueueDepth - 1 { batch.computeKeys() }
          try queue.put(batch)
        }
        do {
          try TMXReader(url: url, name: name, limits: limits).readPacked(
            skipBad: skipBad, onSkip: { packing.batch.skipped.append($0) },
            onWarning: { packing.batch.warnings.append($0) },
            progressInterval: progressInterval,
            progress: wantsProgress ? { packing.batch.progress.append($0) } : nil, into: packing)
          try queue.put(packing.take())
          queue.finish(nil)
        } catch {
          queue.finish(error)
        }
      }
      parser.stackSize = 4 << 20
      parser.start()
      // An empty PostgreSQL memory is loaded by COPY (Store/PostgresBulkLoad.swift).
      var copyLoad = try memory.startCopyLoad()
      var keys = copyLoad == nil ? try memory.contentKeyFilter(forImportOf: url) : nil
      var failure: Error?
      while true {
        switch queue.take() {
        case .batch(let batch):
          guard failure == nil else { continue }
          do {
            let count = { (outcome: AddOutcome) in
              summary.unitsRead += 1
              switch outcome {
              case .inserted: summary.inserted += 1
              case .merged: summary.merged += 1
              }
            }
            if var load = copyLoad {
              copyLoad = nil  // not copied: the filter is large
              defer { copyLoad = load }
              try memory.copy(batch, load: &load, count)
            } else {
              try memory.insert(batch, keys: &keys, onlyInsertsInTransaction: ownTransaction, count)
            }
            for skipped in batch.skipped {
              if case .readingStopped = skipped {
                summary.stoppedReading = skipped
              } else {
                summary.skipped.append(skipped)
              }
            }
            summary.warnings += batch.warnings
            if let progress { batch.progress.forEach(progress) }
          } catch {
            // Stop the parser and wait for it to end before rolling back.
            failure = error
            queue.cancel()
          }
        case .end(let error):
          if let error = failure ?? error { throw error }
          if copyLoad != nil { try memory.finishCopyLoad() }
          return summary
        }
      }
    }
  }

  /// A filter of the stored units' duplicate keys when reading them all costs less than the
  /// index searches it saves: when the memory holds at most 16 times as many units as the file
  /// may (a unit takes at least some 250 bytes of TMX). Reading a key from the index costs about
  /// a sixteenth of searching for one.
  func contentKeyFilter(forImportOf url: URL) throws -> _ContentKeyFilter? {
    let fileBytes = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
    // max(id) bounds the number of units and costs one B-tree descent, where count(*) reads all.
    let stored = try connection.scalarInt("SELECT max(id) FROM unit") ?? 0
    guard stored <= 16 * Int64(fileBytes / 250) else { return nil }
    var filter = _ContentKeyFilter()
    let keys = try connection.prepare("SELECT content_key FROM unit")
    while try keys.step() { filter.insert(keys.int64(0)) }
    return filter
  }

  /// Units per batch handed from the parsing thread to the writing one.
  static let importBatchSize = 1000
  /// Batches that may wait between the two threads.
  static let importQueueDepth = 4
}

/// A bounded queue of batches from the parsing thread to the writing one.
// @unchecked: `items` and `cancelled` are read and written only while `condition` is locked.
final class _ImportQueue: @unchecked Sendable {
  enum Item {
    case batch(_UnitBatch)
    /// The parser is done; with its error when it failed.
    case end(Error?)
  }

  private let condition = NSCondition()
  // Guarded by `condition`.
  private var items: [Item] = []
  private var cancelled = false
  private let capacity: Int

  init(capacity: Int) {
    self.capacity = capacity
  }

  /// Waits for room, then adds a batch. Throws `CancellationError` once the writer gave up.
  func put(_ batch: _UnitBatch) throws {
    condition.lock()
    defer { condition.unlock() }
    while items.count >= capacity && !cancelled { condition.wait() }
    if cancelled { throw CancellationError() }
    items.append(.batch(batch))
    condition.broadcast()
  }

  /// Adds the end mark, whatever the room.
  func finish(_ error: Error?) {
    condition.lock()
    defer { condition.unlock() }
    items.append(.end(error))
    condition.broadcast()
  }

  /// The items waiting.
  var count: Int {
    condition.lock()
    defer { condition.unlock() }
    return items.count
  }

  /// Waits for the next item.
  func take() -> Item {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty { condition.wait() }
    // A handful of items at most: removing the first is cheap, and a taken batch is freed.
    let item = items.removeFirst()
    condition.broadcast()
    return item
  }

  /// Makes the parser stop at its next batch.
  func cancel() {
    condition.lock()
    defer { condition.unlock() }
    cancelled = true
    condition.broadcast()
  }
}
