import ArgumentParser
import Foundation
import TextSegmentation
import TranslationMemory

/// `--min-score` of `suggest`.
enum UsedMatchScore: MinimumScoreRule {
  static let defaultPercentage = 50.0
  static let help = "The lowest match percentage to use."
}

struct Suggest: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Pre-translate a new document from the memory, sentence by sentence, with an analysis.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, jsonl, tsv, html, xliff }

  @Argument(help: "The new document (- reads standard input).")
  var document: String
  @OptionGroup var languages: LanguagePairOptions
  @OptionGroup var memory: MemoryOptions
  @OptionGroup var minimumScore: MinimumScoreOptions<UsedMatchScore>
  @Option(
    help:
      "Output format: text, jsonl, tsv, html or xliff (XLIFF 1.2: the best match as target, the top three as alt-trans)."
  )
  var format: Format = .text
  @OptionGroup var output: OutputOptions

  struct Record: Encodable {
    struct Match: Encodable {
      var source: String
      var target: String
      var document: String?
      var paragraph: String?
    }
    var source: String
    var score: Double
    var suggestion: String?
    var match: Match?
    var context: Bool
    var substitutions: [MatchRecord.Substitution]

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(source, forKey: .source)
      try container.encode(score, forKey: .score)
      try container.encode(suggestion, forKey: .suggestion)
      try container.encode(match, forKey: .match)
      try container.encode(context, forKey: .context)
      try container.encode(substitutions, forKey: .substitutions)
    }
    enum CodingKeys: String, CodingKey { case source, score, suggestion, match, context, substitutions }
  }

  func run() throws {
    let newDocument = try readDocument(document, language: languages.sourceLanguage)
    let index = try memory.fuzzyIndex(languages)
    let segmenter = try SentenceSegmenter(language: languages.sourceLanguage)
    let tokenizer = try WordTokenizer(language: languages.sourceLanguage)
    let documentSentences = newDocument.sentences(segmenter: segmenter)
    let sentences = documentSentences.map(\.text)
    var progress = Progress("suggest \(document)")
    // XLIFF offers the top matches as alt-trans; the other formats show the best one.
    let limit = format == .xliff ? XLIFFSuggestions.alternativeCount : 1
    var top: [[FuzzyMatch]] = []
    for (number, sentence) in sentences.enumerated() {
      top.append(try index.matches(for: sentence, minimumScore: minimumScore.percentage, limit: limit))
      progress.update(number + 1, of: sentences.count)
    }
    let best = top.map(\.first)
    let context = MatchAnalysis.contextMatches(best.map { ($0?.score.value, $0?.entry.document) })
    var analysis = MatchAnalysis()
    var records: [Record] = []
    for (number, sentence) in sentences.enumerated() {
      let match = best[number]
      let words = tokenizer.tokens(in: sentence).filter { $0.kind != .punctuation }.count
      analysis.add(
        band: context[number] ? .context : MatchAnalysis.Band(score: match?.score.value), words: words)
      records.append(
        Record(
          source: sentence, score: match.map { ($0.score.value * 10).rounded() / 10 } ?? 0,
          suggestion: match?.suggestion.text,
          match: match.map {
            Record.Match(
              source: $0.entry.source, target: $0.entry.target, document: $0.entry.document,
              paragraph: $0.entry.paragraph)
          },
          context: context[number], substitutions: match.map { MatchRecord($0).substitutions } ?? []))
    }
    var sink = try output.sink()
    let highlighter = Highlighter(colour: output.output == nil && isatty(1) != 0)
    switch format {
    case .jsonl:
      for record in records { sink.line(jsonLine(record)) }
    case .tsv:
      for record in records {
        let fields = [record.source, String(record.score), record.suggestion ?? ""]
        sink.line(fields.map(tsvField).joined(separator: "\t"))
      }
    case .text:
      for (number, record) in records.enumerated() {
        let band =
          record.context
          ? "context" : record.suggestion == nil ? "no match" : String(format: "%.1f %%", record.score)
        sink.line("[\(band)] \(terminalText(record.source))")
        if let match = best[number] {
          sink.line("  → \(highlighter.suggestion(match))")
          if record.score < 100 {
            sink.line("    from: \(highlighter.source(match)) (\(provenance(match.entry)))")
          }
        }
      }
    case .html:
      let rows = zip(records, best).map {
        SuggestionPage.Row(source: $0.source, match: $1, context: $0.context)
      }
      sink.write(SuggestionPage(title: "\(newDocument.symbol ?? document): suggestions", rows: rows).html())
    case .xliff:
      let xliff = XLIFFSuggestions(
        document: newDocument, original: document, targetLanguage: languages.targetLanguage
      ).document(sentences: documentSentences, matches: top, context: context)
      sink.write(String(decoding: XLIFFWriter().data(for: xliff), as: UTF8.self))
    }
    try sink.finish()
    // The analysis goes to standard error for machine formats, after the text otherwise.
    let table =
      "\nAnalysis of \(document) against \(memory.displayPath) (\(index.count) units):\n" + analysis.table()
    if format == .text && output.output == nil { print(table) } else { printError(table) }
  }
}
