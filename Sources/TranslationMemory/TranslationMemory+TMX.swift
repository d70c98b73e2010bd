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
      try forEachUnit(document: document, languages: languages) { unit in
        if unit.variants.count >= minimumVariants { try writer.write(unit) }
      }
      try writer.finish()
      return TMXExportSummary(units: writer.unitCount, replacedCharacters: writer.replacedCharacters)
    }
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
  /// - Parameters:
  ///   - url: The TMX file (1.1 to 1.4b, UTF-8 or UTF-16).
  ///   - skipBad: Skip bad units (reported in the summary) instead of failing.
  ///   - progress: Called every `progressInterval` units.
  /// - Throws: ``TMXError`` naming `FILE:LINE:COLUMN`, or ``TranslationMemoryError``.
  @discardableResult
  public func importTMX(
    from url: URL, skipBad: Bool = false, progressInterval: Int = 10_000,
    progress: ((TMXReader.Progress) -> Void)? = nil
  ) throws -> TMXImportSummary {
    try write { memory in
      var summary = TMXImportSummary()
      var skipped: [TMXError] = []
      try TMXReader(url: url).read(
        skipBad: skipBad, onSkip: { skipped.append($0) }, progressInterval: progressInterval,
        progress: progress
      ) { unit in
        summary.unitsRead += 1
        switch try memory.add(unit) {
        case .inserted: summary.inserted += 1
        case .merged: summary.merged += 1
        }
      }
      summary.skipped = skipped
      return summary
    }
  }
}
