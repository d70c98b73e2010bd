import Foundation
import TextSegmentation

extension TranslationMemory {
  /// What an export wrote.
  public struct TMXExportSummary: Sendable, Hashable {
    public var units: Int
    /// Characters XML forbids, written as U+FFFD.
    public var replacedCharacters: Int
  }

  /// Writes the memory (or part of it) as TMX 1.4b, streaming.
  ///
  /// - Parameters:
  ///   - url: The file to write; replaced only when the export succeeds.
  ///   - languages: Only these languages, when set. A unit keeps at least two of them (or one,
  ///     when one is asked for), or it is left out.
  ///   - document: Only the units of this document (`x-document`), when set.
  ///   - creationDate: The header's `creationdate`; nil leaves it out, so the same memory always
  ///     gives the same bytes.
  /// - Throws: ``TMXError/cannotWrite(file:reason:)`` or ``TranslationMemoryError``.
  @discardableResult
  public func exportTMX(
    to url: URL, languages: Set<Language>? = nil, document: String? = nil,
    creationDate: Date? = nil
  ) throws -> TMXExportSummary {
    let minimumVariants = min(2, languages?.count ?? 2)
    return try read {
      let sources = try sourceLanguages(document: document)
      let header = TMXWriter.Header(
        sourceLanguage: sources.count == 1 ? sources[0].rawValue : "*all*",
        creationDate: creationDate)
      let writer = try TMXWriter(url: url, header: header)
      try writeUnits(to: writer, document: document, languages: languages, minimumVariants: minimumVariants)
      try writer.finish()
      return TMXExportSummary(units: writer.unitCount, replacedCharacters: writer.replacedCharacters)
    }
  }

  /// Writes the units as ``TMXWriter/write(_:)`` would, straight from SQLite's rows: no
  /// ``TranslationUnit`` and no `String` per unit, except for units with inline codes or
  /// properties of other types.
  ///
  /// The rows come from four cursors in unit id order, merged as ``forEachUnit(filter:languages:_:)``
  /// merges them.
  private func writeUnits(
    to writer: TMXWriter, document: String?, languages: Set<Language>?, minimumVariants: Int
  ) throws {
    let (units, variants, properties, notes) = try unitCursors(document.map { .document($0) } ?? .all)
    let propertyNames = Property.Name.allCases
    var hasVariant = try variants.step()
    var hasProperty = try properties.step()
    var hasNote = try notes.step()
    var sourceLanguage: [UInt8] = []
    // Variants after the source one wait here.
    var rest = _XMLOutput()
    while try units.step() {
      let id = units.int64(0)
      var others: [(position: Int, property: Property)] = []
      while hasProperty && properties.int64(0) <= id {
        if properties.int64(0) == id {
          others.append(
            (Int(properties.int64(1)), Property(type: properties.string(2), value: properties.string(3))))
        }
        hasProperty = try properties.step()
      }
      try writer._write { out in
        let start = out.bytes.count
        let replaced = out.replacedCharacters
        out.append("    <tu")
        if units.isNull(1) {
          out.attribute("tuid", number: Int(id))
        } else {
          out.attribute("tuid", utf8: units.utf8(1))
        }
        sourceLanguage.removeAll(keepingCapacity: true)
        sourceLanguage.append(contentsOf: units.utf8(2))
        out.attribute("srclang", utf8: units.utf8(2))
        out.attribute("creationdate", date: units.int64(3))
        if !units.isNull(4) { out.attribute("creationid", utf8: units.utf8(4)) }
        if !units.isNull(5) { out.attribute("changedate", date: units.int64(5)) }
        if !units.isNull(6) { out.attribute("changeid", utf8: units.utf8(6)) }
        out.attribute("usagecount", number: Int(units.int64(7)))
        out.append(">\n")
        if others.isEmpty && units.isNull(8) {
          for column in Int32(9)..<15 where !units.isNull(column) {
            out.append("      <prop type=\"")
            out.bytes.append(contentsOf: propertyNames[Int(column) - 9].rawValue.utf8)
            out.append("\">")
            out.escape(units.utf8(column), inAttribute: false)
            out.append("</prop>\n")
          }
        } else {
          let merged = PropertyColumns.merge(
            values: (9..<15).map { units.optionalString($0) }, order: units.optionalInt64(8),
            others: others)
          for property in merged { TMXWriter.property(type: property.type, value: property.value, to: &out) }
        }
        while hasNote && notes.int64(0) <= id {
          if notes.int64(0) == id {
            out.append("      <note>")
            out.escape(notes.utf8(1), inAttribute: false)
            out.append("</note>\n")
          }
          hasNote = try notes.step()
        }
        var variantCount = 0
        rest.bytes.removeAll(keepingCapacity: true)
        rest.replacedCharacters = 0
        while hasVariant && variants.int64(0) <= id {
          if variants.int64(0) == id {
            let language = variants.utf8(1)
            if languages?.contains(Language(String(decoding: language, as: UTF8.self))) ?? true {
              variantCount += 1
              let isSource = language.elementsEqual(sourceLanguage)
              if variants.isNull(3) {
                if isSource {
                  Self.writeVariant(language: language, text: variants.utf8(2), to: &out)
                } else {
                  Self.writeVariant(language: language, text: variants.utf8(2), to: &rest)
                }
              } else {
                let variant = Variant(
                  language: Language(String(decoding: language, as: UTF8.self)),
                  text: variants.string(2), codes: InlineCodeCoding.decode(variants.blob(3)))
                if isSource {
                  TMXWriter.variant(variant, to: &out)
                } else {
                  TMXWriter.variant(variant, to: &rest)
                }
              }
            }
          }
          hasVariant = try variants.step()
        }
        if variantCount == 0 || variantCount < minimumVariants {
          out.bytes.removeSubrange(start...)
          out.replacedCharacters = replaced
          return false
        }
        out.bytes.append(contentsOf: rest.bytes)
        out.replacedCharacters += rest.replacedCharacters
        out.append("    </tu>\n")
        return true
      }
    }
  }

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
    /// Units whose texts were already stored (usage count and change date updated).
    public var merged = 0
    /// Problems skipped with `skipBad`, in file order.
    public var skipped: [TMXError] = []
  }

  /// Imports a TMX file in one transaction: on any error nothing of the file is stored.
  ///
  /// One thread parses the file and packs the units (property columns, inline codes, every text
  /// in one arena per batch of 1,000 units); the calling thread computes their duplicate keys and
  /// writes them. At most four batches wait between the two, so memory stays flat.
  ///
  /// - Parameters:
  ///   - url: The TMX file (1.1 to 1.4b, UTF-8 or UTF-16).
  ///   - skipBad: Skip bad units (reported in the summary) instead of failing.
  ///   - progress: Called every `progressInterval` units, on the calling thread.
  /// - Throws: ``TMXError`` naming `FILE:LINE:COLUMN`, or ``TranslationMemoryError``.
  @discardableResult
  public func importTMX(
    from url: URL, skipBad: Bool = false, progressInterval: Int = 10_000,
    progress: ((TMXReader.Progress) -> Void)? = nil
  ) throws -> TMXImportSummary {
    // Variant, property and note rows reference the unit inserted just before them. The page
    // cache stays at its usual size: parsing is the slower half, and 64 or 128 MiB gained
    // nothing measurable on 1M units (76–80k units/s whichever the size).
    try writeWithoutForeignKeyChecks { memory in
      var summary = TMXImportSummary()
      let queue = _ImportQueue(capacity: Self.importQueueDepth)
      let wantsProgress = progress != nil
      let path = memory.url.path
      let parser = Thread {
        let batch = _ImportBatchBuilder()
        do {
          try TMXReader(url: url).read(
            skipBad: skipBad, onSkip: { batch.current.skipped.append($0) },
            progressInterval: progressInterval,
            progress: wantsProgress ? { batch.current.progress.append($0) } : nil
          ) { unit in
            try _UnitBatch.validate(unit, path: path)
            batch.current.append(unit)
            if batch.current.units.count >= Self.importBatchSize {
              try queue.put(batch.take())
            }
          }
          try queue.put(batch.take())
          queue.finish(nil)
        } catch {
          queue.finish(error)
        }
      }
      parser.stackSize = 4 << 20
      parser.start()
      var keys = try memory.contentKeyFilter(forImportOf: url)
      var failure: Error?
      while true {
        switch queue.take() {
        case .batch(let batch):
          guard failure == nil else { continue }
          do {
            try memory.insert(batch, into: &summary, keys: &keys)
            summary.skipped += batch.skipped
            if let progress { batch.progress.forEach(progress) }
          } catch {
            // Stop the parser and wait for it to end before rolling back.
            failure = error
            queue.cancel()
          }
        case .end(let error):
          if let error = failure ?? error { throw error }
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

extension _UnitBatch {
  /// What ``TranslationMemory/add(_:)-(TranslationUnit)`` checks, without the store.
  static func validate(_ unit: TranslationUnit, path: String) throws {
    guard !unit.variants.isEmpty else {
      throw TranslationMemoryError.invalidUnit(path: path, reason: "it has no variant")
    }
    for (index, variant) in unit.variants.enumerated()
    where unit.variants[..<index].contains(where: { $0.language == variant.language }) {
      throw TranslationMemoryError.invalidUnit(
        path: path, reason: "two variants in language '\(variant.language)'")
    }
  }
}

/// The batch being filled on the parsing thread.
private final class _ImportBatchBuilder {
  var current = _UnitBatch(capacity: TranslationMemory.importBatchSize)

  func take() -> _UnitBatch {
    defer { current = _UnitBatch(capacity: TranslationMemory.importBatchSize) }
    return current
  }
}

/// A bounded queue of batches from the parsing thread to the writing one.
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
