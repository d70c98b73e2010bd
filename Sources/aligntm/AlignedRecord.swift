import Alignment
import Foundation
import TextSegmentation

/// One bead as the `jsonl` format writes it.
struct AlignedRecord: Codable {
  var sourceIds: [Int]
  var targetIds: [Int]
  var sources: [String]
  var targets: [String]
  var score: Double
  /// The UN paragraph number, when the paragraph has a plain number.
  var paragraph: Int?
  var kind: String?

  var source: String { sources.joined(separator: " ") }
  var target: String { targets.joined(separator: " ") }

  init(
    sourceIds: [Int], targetIds: [Int], sources: [String], targets: [String], score: Double,
    paragraph: Int?, kind: String?
  ) {
    self.sourceIds = sourceIds
    self.targetIds = targetIds
    self.sources = sources
    self.targets = targets
    self.score = score
    self.paragraph = paragraph
    self.kind = kind
  }

  init(alignment: DocumentAlignment, bead: DocumentBead) {
    self.init(
      sourceIds: bead.sourceIds, targetIds: bead.targetIds, sources: alignment.sourceTexts(bead),
      targets: alignment.targetTexts(bead), score: bead.score,
      paragraph: bead.paragraphNumber.flatMap { Int($0) }, kind: bead.kind.rawValue)
  }

  enum CodingKeys: String, CodingKey {
    case source, target, sourceIds, targetIds, score, paragraph, kind
    case sources = "sourceSentences"
    case targets = "targetSentences"
  }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    sourceIds = try container.decodeIfPresent([Int].self, forKey: .sourceIds) ?? []
    targetIds = try container.decodeIfPresent([Int].self, forKey: .targetIds) ?? []
    score = try container.decodeIfPresent(Double.self, forKey: .score) ?? 1
    paragraph = try container.decodeIfPresent(Int.self, forKey: .paragraph)
    kind = try container.decodeIfPresent(String.self, forKey: .kind)
    // The sentence lists, or the joined texts of older files; one or the other is required.
    func sentences(_ list: CodingKeys, else joined: CodingKeys) throws -> [String] {
      if let sentences = try container.decodeIfPresent([String].self, forKey: list) { return sentences }
      let text = try container.decode(String.self, forKey: joined)
      return text.isEmpty ? [] : [text]
    }
    sources = try sentences(.sources, else: .source)
    targets = try sentences(.targets, else: .target)
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(source, forKey: .source)
    try container.encode(target, forKey: .target)
    try container.encode(sourceIds, forKey: .sourceIds)
    try container.encode(targetIds, forKey: .targetIds)
    try container.encode((score * 1000).rounded() / 1000, forKey: .score)
    try container.encode(paragraph, forKey: .paragraph)
    try container.encodeIfPresent(kind, forKey: .kind)
    try container.encode(sources, forKey: .sources)
    try container.encode(targets, forKey: .targets)
  }
}

extension AlignedRecord {
  /// The beads of a file `aligntm align --format jsonl` wrote, one JSON object a line; blank
  /// lines are skipped.
  ///
  /// - Throws: `FILE:LINE: not a bead …` for the first line that is not one, and
  ///   `FILE:LINE: control character …` for a text holding one (the rule of the document reader,
  ///   `Unicode.Scalar.isForbiddenInText`).
  static func records(inFile path: String) throws -> [AlignedRecord] {
    let decoder = JSONDecoder()
    var records: [AlignedRecord] = []
    for (index, line) in try readTextFile(path).split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    where !line.trimmingCharacters(in: .whitespaces).isEmpty {
      let record: AlignedRecord
      do { record = try decoder.decode(AlignedRecord.self, from: Data(line.utf8)) } catch {
        throw CommandError(
          "\(path):\(index + 1): not a bead of `aligntm align --format jsonl`: a bead needs "
            + "\"sourceSentences\" and \"targetSentences\" (or \"source\" and \"target\")")
      }
      for text in record.sources + record.targets {
        if let scalar = text.unicodeScalars.first(where: \.isForbiddenInText) {
          throw CommandError(
            "\(path):\(index + 1): \(scalar.characterKind) \(scalar.codePointName) in a bead's text; "
              + "a bead holds text only (of the controls, tab, line feed, carriage return and form feed)")
        }
      }
      records.append(record)
    }
    return records
  }
}
