import Alignment
import ArgumentParser
import Foundation
import TextSegmentation

/// The options every command that aligns shares.
struct LanguagePairOptions: ParsableArguments {
  @Option(name: .customLong("source-lang"), help: "The source (original) language.")
  var sourceLanguage: Language = .english

  @Option(name: .customLong("target-lang"), help: "The target (translation) language.")
  var targetLanguage: Language = .french

  @Option(help: "Folder holding FreeDict dictionaries (freedict-eng-fra.dict.dz …).")
  var dictionaries: String = Lexicon.freedictDirectory.path

  @Flag(help: "Align without a bilingual dictionary.")
  var noDictionary = false

  /// The sentence aligner for the pair, with the dictionary when one is installed.
  func makeSentenceAligner(verbose: Bool = true) -> SentenceAligner {
    var lexicon = Lexicon()
    if !noDictionary {
      let loaded = Lexicon.freedict(
        sourceLanguage: sourceLanguage, targetLanguage: targetLanguage,
        directory: URL(fileURLWithPath: dictionaries))
      lexicon = loaded.lexicon
      if let note = loaded.note, verbose { printError("note: \(note)") }
    }
    return SentenceAligner(sourceLanguage: sourceLanguage, targetLanguage: targetLanguage, lexicon: lexicon)
  }
}

struct Align: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Align a document with its translation, paragraph by paragraph, then sentence by sentence.",
    discussion: """
      SOURCE is the original (English by default), TARGET its translation (French by default). \
      Both are read as UN documents come (Markdown-ish, pdftotext pages, OCR text), unless \
      --presegmented says they are one sentence a line (a blank line or <p> between paragraphs). \
      Every bead gets a confidence score in 0…1.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case links, jsonl, tsv, html
  }

  @Argument(help: "The original document.")
  var source: String

  @Argument(help: "Its translation.")
  var target: String

  @OptionGroup var languages: LanguagePairOptions

  @Flag(help: "Both inputs hold one sentence a line; a blank line or <p> marks a paragraph.")
  var presegmented = false

  @Option(help: "Output format: links, jsonl, tsv or html (a side-by-side review page).")
  var format: Format = .jsonl

  @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
  var output: String?

  @OptionGroup var store: StoreOptions

  func validate() throws {
    if store.minimumScore < 0 || store.minimumScore > 1 {
      throw ValidationError("Use --min-score between 0 and 1.")
    }
    if presegmented && store.intoTM {
      throw ValidationError("--into-tm needs documents, not --presegmented sentence files.")
    }
  }

  func run() throws {
    let aligner = languages.makeSentenceAligner()
    var sink = try OutputSink(path: output)
    if presegmented {
      let sourceText = try readPresegmented(source)
      let targetText = try readPresegmented(target)
      let alignment = aligner.align(source: sourceText.sentences, target: targetText.sentences)
      let beads = alignment.beads.map {
        AlignedRecord(
          sourceIds: $0.sourceIndices, targetIds: $0.targetIndices,
          sources: $0.sourceIndices.map { sourceText.sentences[$0] },
          targets: $0.targetIndices.map { targetText.sentences[$0] }, score: $0.score,
          paragraph: nil, kind: nil)
      }
      write(beads, title: "\(source) ↔ \(target)", to: &sink)
      sink.flush()
      return
    }
    let sourceDocument = try readDocument(source, language: languages.sourceLanguage)
    let targetDocument = try readDocument(target, language: languages.targetLanguage)
    let documentAligner = try DocumentAligner(sentenceAligner: aligner)
    let alignment = documentAligner.align(source: sourceDocument, target: targetDocument)
    let records = alignment.beads.map { AlignedRecord(alignment: alignment, bead: $0) }
    write(records, title: "\(sourceDocument.symbol ?? source) — \(source) ↔ \(target)", to: &sink)
    sink.flush()
    if store.intoTM {
      try store.storeAlignment(alignment, sourceFile: source, targetFile: target)
    }
  }

  private func readPresegmented(_ path: String) throws -> PresegmentedText {
    do {
      return try PresegmentedText(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw CommandError("\(error)")
    }
  }

  private func write(_ records: [AlignedRecord], title: String, to sink: inout OutputSink) {
    switch format {
    case .links:
      for record in records {
        sink.line(Link(source: record.sourceIds, target: record.targetIds).description)
      }
    case .jsonl:
      for record in records { sink.line(jsonLine(record)) }
    case .tsv:
      for record in records {
        sink.line([record.source, record.target, String(format: "%.3f", record.score)]
          .map(tsvField).joined(separator: "\t"))
      }
    case .html:
      let page = ReviewPage(
        title: title, sourceLanguage: languages.sourceLanguage,
        targetLanguage: languages.targetLanguage,
        rows: records.map {
          ReviewPage.Row(paragraph: $0.paragraph.map(String.init), source: $0.sources, target: $0.targets, score: $0.score)
        })
      sink.write(page.html())
    }
  }
}

/// Tabs and line breaks inside a TSV field become spaces.
func tsvField(_ text: String) -> String {
  String(text.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
}

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
    if let list = try container.decodeIfPresent([String].self, forKey: .sources) {
      sources = list
    } else {
      let text = try container.decodeIfPresent(String.self, forKey: .source) ?? ""
      sources = text.isEmpty ? [] : [text]
    }
    if let list = try container.decodeIfPresent([String].self, forKey: .targets) {
      targets = list
    } else {
      let text = try container.decodeIfPresent(String.self, forKey: .target) ?? ""
      targets = text.isEmpty ? [] : [text]
    }
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
