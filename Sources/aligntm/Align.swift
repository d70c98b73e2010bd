import Alignment
import ArgumentParser
import Foundation
import TextSegmentation

/// The bilingual dictionary of the commands that align.
struct DictionaryOptions: ParsableArguments {
  @Option(help: "Folder holding FreeDict dictionaries (freedict-eng-fra.dict.dz …).")
  var dictionaries: String = Lexicon.freedictDirectory.path

  @Flag(help: "Align without a bilingual dictionary.")
  var noDictionary = false

  /// The sentence aligner for the pair, with the dictionary when one is installed.
  func makeSentenceAligner(_ languages: LanguagePairOptions, verbose: Bool = true) -> SentenceAligner {
    var lexicon = Lexicon()
    if !noDictionary {
      let loaded = Lexicon.freedict(
        sourceLanguage: languages.sourceLanguage, targetLanguage: languages.targetLanguage,
        directory: URL(fileURLWithPath: dictionaries))
      lexicon = loaded.lexicon
      if let note = loaded.note, verbose { printError("note: \(note)") }
    }
    return SentenceAligner(
      sourceLanguage: languages.sourceLanguage, targetLanguage: languages.targetLanguage, lexicon: lexicon)
  }
}

struct Align: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Align a document with its translation, paragraph by paragraph, then sentence by sentence.",
    discussion: """
      SOURCE is the original (English by default), TARGET its translation (French by default). \
      Both are read as UN documents come (Markdown-ish, pdftotext pages, OCR text), unless \
      --presegmented says they are one sentence a line (a blank line or <p> between paragraphs). \
      Every bead gets a confidence score in 0…1; --into-tm stores those scoring --min-score percent \
      or more. A warning on standard error says when the two do not look like a document and its \
      translation (a side not in its language, different document symbols, few numbers and symbols \
      in common); --into-tm then stores nothing unless --force is given. \
      --pairs LIST.tsv --into-tm aligns many pairs on all cores instead: one line per pair, \
      SOURCE<TAB>TARGET or SOURCE<TAB>TARGET<TAB>DOCUMENT-SYMBOL (relative paths from the list's \
      folder; blank lines and lines starting with # are skipped). Each pair is stored whole or not \
      at all; a pair already stored (units recording its two files) is skipped, so a run that was \
      interrupted goes on where it stopped. The pairs that failed are listed with the reason.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case links, jsonl, tsv, html
  }

  @Argument(help: "The original document (- reads standard input).")
  var source: String?

  @Argument(help: "Its translation (- reads standard input).")
  var target: String?

  @Option(
    help: ArgumentHelp(
      "Align the pairs listed in this file (tab-separated: source, target, optional document symbol) into the memory, on all cores; needs --into-tm.",
      valueName: "list.tsv"))
  var pairs: String?

  @OptionGroup var languages: LanguagePairOptions

  @OptionGroup var dictionary: DictionaryOptions

  @Flag(help: "Both inputs hold one sentence a line; a blank line or <p> marks a paragraph.")
  var presegmented = false

  @Option(help: "Output format: links, jsonl, tsv or html (a side-by-side review page).")
  var format: Format = .jsonl

  @OptionGroup var output: OutputOptions

  @OptionGroup var store: StoreOptions

  @Flag(help: "With --into-tm, store even documents that do not look like a document and its translation.")
  var force = false

  func validate() throws {
    if pairs != nil {
      if source != nil || target != nil {
        throw ValidationError("Give either SOURCE TARGET or --pairs LIST, not both.")
      }
      if !store.intoTM { throw ValidationError("--pairs stores what it aligns: add --into-tm.") }
      if presegmented { throw ValidationError("--pairs needs documents, not --presegmented sentence files.") }
      if output.output != nil { throw ValidationError("--pairs writes no alignment: leave out -o/--output.") }
      return
    }
    guard source != nil, target != nil else {
      throw ValidationError(
        "Give the document and its translation: SOURCE TARGET (or --pairs LIST --into-tm).")
    }
    try validateStandardInput([source, target].compactMap { $0 })
    if presegmented && store.intoTM {
      throw ValidationError("--into-tm needs documents, not --presegmented sentence files.")
    }
  }

  func run() throws {
    if let pairs {
      try PairBatch(list: pairs, languages: languages, dictionary: dictionary, store: store, force: force)
        .run()
      return
    }
    guard let source, let target else { throw ValidationError("Give the document and its translation.") }
    let aligner = dictionary.makeSentenceAligner(languages)
    var sink = try output.sink()
    if presegmented {
      let sourceText = try presegmentedText(source)
      let targetText = try presegmentedText(target)
      let alignment = aligner.align(source: sourceText.sentences, target: targetText.sentences)
      let beads = alignment.beads.map {
        AlignedRecord(
          sourceIds: $0.sourceIndices, targetIds: $0.targetIndices,
          sources: $0.sourceIndices.map { sourceText.sentences[$0] },
          targets: $0.targetIndices.map { targetText.sentences[$0] }, score: $0.score,
          paragraph: nil, kind: nil)
      }
      write(beads, title: "\(source) ↔ \(target)", to: &sink)
      try sink.finish()
      return
    }
    let sourceDocument = try readDocument(source, language: languages.sourceLanguage)
    let targetDocument = try readDocument(target, language: languages.targetLanguage)
    let documentAligner = try DocumentAligner(sentenceAligner: aligner)
    let alignment = documentAligner.align(source: sourceDocument, target: targetDocument)
    let findings = PairCheck().findings(alignment)
    for finding in findings { printError("warning: \(source) ↔ \(target): \(finding)") }
    let records = alignment.beads.map { AlignedRecord(alignment: alignment, bead: $0) }
    write(records, title: "\(sourceDocument.symbol ?? source) — \(source) ↔ \(target)", to: &sink)
    if store.intoTM {
      if !findings.isEmpty && !force {
        // The alignment itself is complete: it is written, so that the pair can be reviewed.
        try sink.finish()
        throw CommandError(
          "\(store.memory.displayPath): nothing stored: \(source) and \(target) do not look like a document "
            + "and its translation (\(findings.count == 1 ? "1 warning" : "\(findings.count) warnings") above); "
            + "check the files and --source-lang/--target-lang, or give --force to store them anyway")
      }
      try store.storeAlignment(alignment, sourceFile: source, targetFile: target)
    }
    // The output replaces the old file only now that the command has succeeded.
    try sink.finish()
  }

  private func presegmentedText(_ path: String) throws -> PresegmentedText {
    if path == "-" { return PresegmentedText(parsing: try readTextFile(path)) }
    return try PresegmentedText(contentsOf: URL(fileURLWithPath: path))
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
        sink.line(
          [record.source, record.target, String(format: "%.3f", record.score)]
            .map(tsvField).joined(separator: "\t"))
      }
    case .html:
      let page = ReviewPage(
        title: title, sourceLanguage: languages.sourceLanguage,
        targetLanguage: languages.targetLanguage,
        rows: records.map {
          ReviewPage.Row(
            paragraph: $0.paragraph.map(String.init), source: $0.sources, target: $0.targets, score: $0.score)
        })
      sink.write(page.html())
    }
  }
}
