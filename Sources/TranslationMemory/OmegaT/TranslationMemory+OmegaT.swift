import Foundation
import TextSegmentation

extension TranslationMemory {
  /// What an OmegaT export wrote.
  public struct OmegaTExportSummary: Sendable, Hashable {
    /// Distinct OmegaT segments (without tags) in the segments file.
    public var segments = 0
    /// Of them, those a unit of the memory fills.
    public var filled = 0
    /// Units written.
    public var units = 0
  }

  /// Writes the memory as OmegaT segments a project's documents: a TMX 1.4b for the project's
  /// `tm/auto/` folder, each unit's source an OmegaT segment with its tags, as
  /// ``OmegaTSegmentMap`` cuts and tags them.
  ///
  /// - Parameters:
  ///   - url: The TMX file to write.
  ///   - segmentsFile: OmegaT's pseudo-translation TMX of the project
  ///     (`--mode=console-createpseudotranslatetmx --pseudotranslatetype=equal`): its sources
  ///     are the project's segments as OmegaT made them.
  ///   - sourceLanguage: The project's source language.
  ///   - targetLanguage: The project's target language.
  ///   - document: Only the units of this document, when set.
  /// - Throws: ``TMXError`` or ``TranslationMemoryError``.
  @discardableResult
  public func exportOmegaT(
    to url: URL, segmentsFile: URL, sourceLanguage: Language, targetLanguage: Language,
    document: String? = nil
  ) throws -> OmegaTExportSummary {
    var segments: [String] = []
    try TMXReader(url: segmentsFile).read { unit in
      if let source = unit[sourceLanguage] ?? unit.variants.first { segments.append(source.text) }
    }
    let map = OmegaTSegmentMap(segments: segments)
    var summary = OmegaTExportSummary()
    var written: Set<String> = []
    var filledTexts: Set<String> = []
    let writer = try TMXWriter(
      url: url, header: TMXWriter.Header(sourceLanguage: sourceLanguage.rawValue))
    for unit in try units(document: document) {
      guard let source = unit[sourceLanguage], let target = unit[targetLanguage] else { continue }
      for entry in map.entries(source: source.text, target: target.text, unitID: unit.id)
      where written.insert(entry.source).inserted {
        filledTexts.insert(OmegaTSegmentMap.withoutTags(entry.source))
        var properties = unit.properties
        properties.append(
          Property(type: "x-omegat-segment", value: "aligntm \(TranslationMemory.toolVersion)"))
        try writer.write(
          TranslationUnit(
            tuid: unit.id.map { "\($0)-\(written.count)" }, sourceLanguage: sourceLanguage,
            variants: [
              Variant(language: sourceLanguage, text: entry.source),
              Variant(language: targetLanguage, text: entry.target),
            ], properties: properties, creationDate: unit.creationDate))
      }
    }
    try writer.finish()
    summary.segments = Set(segments.map(OmegaTSegmentMap.withoutTags).filter { !$0.isEmpty }).count
    summary.filled = filledTexts.count
    summary.units = writer.unitCount
    return summary
  }
}
