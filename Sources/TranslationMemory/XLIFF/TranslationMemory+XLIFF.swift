import Foundation
import TextSegmentation

extension TranslationMemory {
  /// What an XLIFF import did.
  public struct XLIFFImportSummary: Sendable, Hashable {
    /// Trans-units in the file.
    public var unitsRead = 0
    /// Units whose target a translator confirmed (``XLIFFReader/Unit/isConfirmed``).
    public var confirmed = 0
    /// Confirmed units stored as new.
    public var inserted = 0
    /// Confirmed units whose texts were already stored.
    public var merged = 0
  }

  /// Imports the confirmed targets of a translated XLIFF 1.0–1.2 file, in one transaction.
  ///
  /// A unit is stored when its target is confirmed: `approved="yes"` on the trans-unit, or the
  /// target's `state` is `translated`, `final` or `signed-off`. Other targets (aligntm's own
  /// suggestions in `needs-review-translation`, `new`, no state) are left out. Each stored unit
  /// keeps its provenance: the document symbol (`x-document`, from `aligntm:document` on
  /// `<file>`), the paragraph (`x-paragraph`, the group's `resname`), the XLIFF file
  /// (`x-source-file`), the `<file original>` (`x-target-file` is not set; `x-xliff-original`
  /// is), the trans-unit id (`x-xliff-unit`) and its state (`x-xliff-state`).
  ///
  /// - Parameters:
  ///   - url: The file to read.
  ///   - name: The file's name in errors and in `x-source-file` (its path unless told; `<stdin>`
  ///     for what was standard input).
  /// - Throws: ``XLIFFError``, ``TMXError/cannotOpen(file:reason:)`` or ``TranslationMemoryError``.
  @discardableResult
  public func importXLIFF(from url: URL, name: String? = nil, date: Date = Date()) throws
    -> XLIFFImportSummary
  {
    let name = name ?? url.path
    let read = try XLIFFReader(url: url, name: name).units()
    var summary = XLIFFImportSummary(unitsRead: read.count)
    var units: [TranslationUnit] = []
    for unit in read where unit.isConfirmed {
      guard let target = unit.target else { continue }
      var stored = TranslationUnit.aligned(
        source: unit.source, target: target, document: unit.document, paragraph: unit.paragraph,
        sourceFile: name, date: date)
      if let original = unit.original {
        stored.properties.append(Property(type: "x-xliff-original", value: original))
      }
      stored.properties.append(Property(type: "x-xliff-unit", value: unit.id))
      stored.properties.append(
        Property(type: "x-xliff-state", value: unit.state ?? (unit.approved ? "approved" : "")))
      units.append(stored)
    }
    summary.confirmed = units.count
    let added = try write { try $0.add(units) }
    summary.inserted = added.inserted
    summary.merged = added.merged
    return summary
  }
}
