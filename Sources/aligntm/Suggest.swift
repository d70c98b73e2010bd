import Alignment
import ArgumentParser
import Foundation
import TextSegmentation
import TranslationMemory

/// The source and target languages of a memory look-up.
struct LookupOptions: ParsableArguments {
  @Option(help: "The language of the new text.")
  var from: Language = .english

  @Option(help: "The language to suggest in.")
  var to: Language = .french

  @OptionGroup var memory: MemoryOptions

  /// Builds the fuzzy index over the memory's units that have both languages.
  func loadIndex() throws -> FuzzyIndex {
    let url = memory.url
    let store = try memory.openExisting()
    // The index is saved beside the memory and used again while no write has changed the memory.
    let signature = "generation \(try store.generation()) \(from)-\(to)"
    let indexURL = FuzzyIndex.defaultURL(forMemory: url, from: from, to: to)
    if let index = FuzzyIndex.load(from: indexURL, expectedSignature: signature) { return index }
    var entries: [FuzzyEntry] = []
    try store.forEachUnit(languages: [from, to]) { unit in
      guard let id = unit.id, let source = unit[from], let target = unit[to] else { return }
      entries.append(
        FuzzyEntry(
          id: id, source: source.text, target: target.text, sourceLanguage: from, targetLanguage: to,
          document: unit.document, paragraph: unit.property(.paragraph)))
    }
    let index = try FuzzyIndex(entries: entries, from: from, to: to)
    do {
      try index.save(to: indexURL, signature: signature)
    } catch {
      printError("note: the fuzzy index could not be saved (\(error)); it will be rebuilt next time")
    }
    return index
  }
}

/// Marks differences and substitutions: colour on a terminal, plain brackets otherwise.
struct Highlighter {
  let colour: Bool

  init(colour: Bool) { self.colour = colour }

  /// The text with the given UTF-16 ranges wrapped in markers.
  func mark(_ text: String, _ ranges: [Range<Int>], open: String, close: String, ansi: String) -> String {
    let units = Array(text.utf16)
    var out = ""
    var position = 0
    for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound >= position && range.upperBound <= units.count && !range.isEmpty {
      out += String(decoding: units[position..<range.lowerBound], as: UTF16.self)
      let inner = String(decoding: units[range], as: UTF16.self)
      out += colour ? "\u{1B}[\(ansi)m\(inner)\u{1B}[0m" : open + inner + close
      position = range.upperBound
    }
    out += String(decoding: units[position...], as: UTF16.self)
    return out
  }

  /// The query with what the stored source lacks marked `{+…+}`.
  func query(_ match: FuzzyMatch, _ query: String) -> String {
    mark(query, match.differences.filter { $0.kind == .inserted || $0.kind == .replaced }.map(\.queryRange),
         open: "{+", close: "+}", ansi: "1;32")
  }

  /// The stored source with what the query lacks marked `[-…-]`.
  func source(_ match: FuzzyMatch) -> String {
    mark(match.entry.source, match.differences.filter { $0.kind == .deleted || $0.kind == .replaced }.map(\.sourceRange),
         open: "[-", close: "-]", ansi: "1;31")
  }

  /// The suggestion with substituted placeables marked `⟦…⟧`.
  func suggestion(_ match: FuzzyMatch) -> String {
    mark(match.suggestion.text, match.suggestion.substitutions.map(\.range), open: "⟦", close: "⟧", ansi: "1;36")
  }
}

/// A match as JSON.
struct MatchRecord: Encodable {
  struct Span: Encodable {
    var kind: String
    var query: [Int]
    var source: [Int]
  }
  struct Substitution: Encodable {
    var kind: String
    var original: String
    var replacement: String
    var range: [Int]
  }
  var score: Double
  var source: String
  var target: String
  var suggestion: String
  var document: String?
  var paragraph: String?
  var differences: [Span]
  var substitutions: [Substitution]

  init(_ match: FuzzyMatch) {
    score = (match.score.value * 10).rounded() / 10
    source = match.entry.source
    target = match.entry.target
    suggestion = match.suggestion.text
    document = match.entry.document
    paragraph = match.entry.paragraph
    differences = match.differences.filter { $0.kind != .equal }.map {
      Span(kind: $0.kind.rawValue, query: [$0.queryRange.lowerBound, $0.queryRange.upperBound],
           source: [$0.sourceRange.lowerBound, $0.sourceRange.upperBound])
    }
    substitutions = match.suggestion.substitutions.map {
      Substitution(kind: $0.kind.rawValue, original: $0.original, replacement: $0.replacement,
                   range: [$0.range.lowerBound, $0.range.upperBound])
    }
  }
}

struct Query: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Find the stored sentences closest to a text, with their translations.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

  @Argument(help: "The sentence to look up.")
  var text: String
  @OptionGroup var lookup: LookupOptions
  @Option(help: "How many matches at most.")
  var top = 5
  @Option(help: "The lowest match percentage to show (0…100).")
  var min = 70.0
  @Option(help: "Output format: text or json.")
  var format: Format = .text

  func validate() throws {
    if !(0...100).contains(min) { throw ValidationError("Use --min between 0 and 100.") }
    if top < 1 { throw ValidationError("Use --top 1 or more.") }
  }

  func run() throws {
    let index = try lookup.loadIndex()
    let matches = try index.matches(for: text, minimumScore: min, limit: top)
    switch format {
    case .json:
      struct Output: Encodable {
        var query: String
        var matches: [MatchRecord]
      }
      print(jsonLine(Output(query: text, matches: matches.map(MatchRecord.init))))
    case .text:
      if matches.isEmpty {
        print("No match at \(Int(min)) % or more among \(index.count) units.")
        return
      }
      let highlighter = Highlighter(colour: isatty(1) != 0)
      for (rank, match) in matches.enumerated() {
        let provenance = [match.entry.document, match.entry.paragraph.map { "¶ \($0)" }].compactMap { $0 }.joined(separator: ", ")
        print("\(rank + 1). \(String(format: "%.1f", match.score.value)) %  \(provenance)")
        print("   query:  \(highlighter.query(match, text))")
        print("   stored: \(highlighter.source(match))")
        print("   \(lookup.to):     \(match.entry.target)")
        if !match.suggestion.substitutions.isEmpty {
          print("   suggest: \(highlighter.suggestion(match))")
        }
      }
    }
  }
}

struct Suggest: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Pre-translate a new document from the memory, sentence by sentence, with an analysis.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, jsonl, tsv, html }

  @Argument(help: "The new document.")
  var document: String
  @OptionGroup var lookup: LookupOptions
  @Option(help: "The lowest match percentage to use (0…100).")
  var min = 50.0
  @Option(help: "Output format: text, jsonl, tsv or html.")
  var format: Format = .text
  @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
  var output: String?

  func validate() throws {
    if !(0...100).contains(min) { throw ValidationError("Use --min between 0 and 100.") }
  }

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
    let newDocument = try readDocument(document, language: lookup.from)
    let index = try lookup.loadIndex()
    let segmenter = try SentenceSegmenter(language: lookup.from)
    let tokenizer = try WordTokenizer(language: lookup.from)
    let sentences = newDocument.paragraphs.flatMap { paragraph in
      segmenter.sentences(in: paragraph.text).map { String(paragraph.text[$0]) }
    }
    var progress = Progress("suggest \(document)")
    var best: [FuzzyMatch?] = []
    for (number, sentence) in sentences.enumerated() {
      best.append(try index.matches(for: sentence, minimumScore: min, limit: 1).first)
      progress.update(number + 1, of: sentences.count)
    }
    let context = MatchAnalysis.contextMatches(best.map { ($0?.score.value, $0?.entry.document) })
    var analysis = MatchAnalysis()
    var records: [Record] = []
    for (number, sentence) in sentences.enumerated() {
      let match = best[number]
      let words = tokenizer.tokens(in: sentence).filter { $0.kind != .punctuation }.count
      analysis.add(band: context[number] ? .context : MatchAnalysis.Band(score: match?.score.value), words: words)
      records.append(Record(
        source: sentence, score: match.map { ($0.score.value * 10).rounded() / 10 } ?? 0,
        suggestion: match?.suggestion.text,
        match: match.map { Record.Match(source: $0.entry.source, target: $0.entry.target, document: $0.entry.document, paragraph: $0.entry.paragraph) },
        context: context[number], substitutions: match.map { MatchRecord($0).substitutions } ?? []))
    }
    var sink = try OutputSink(path: output)
    let highlighter = Highlighter(colour: output == nil && isatty(1) != 0)
    switch format {
    case .jsonl:
      for record in records { sink.line(jsonLine(record)) }
    case .tsv:
      for record in records {
        sink.line([record.source, String(record.score), record.suggestion ?? ""].map(tsvField).joined(separator: "\t"))
      }
    case .text:
      for (number, record) in records.enumerated() {
        let band = record.context ? "context" : record.suggestion == nil ? "no match" : String(format: "%.1f %%", record.score)
        sink.line("[\(band)] \(record.source)")
        if let match = best[number] {
          sink.line("  → \(highlighter.suggestion(match))")
          let provenance = [match.entry.document, match.entry.paragraph.map { "¶ \($0)" }].compactMap { $0 }.joined(separator: ", ")
          if record.score < 100 { sink.line("    from: \(highlighter.source(match)) (\(provenance))") }
        }
      }
    case .html:
      sink.write(SuggestionPage(title: "\(newDocument.symbol ?? document): suggestions", records: records, matches: best).html())
    }
    sink.flush()
    // The analysis goes to standard error for machine formats, after the text otherwise.
    let table = "\nAnalysis of \(document) against \(lookup.memory.displayPath) (\(index.count) units):\n" + analysis.table()
    if format == .text && output == nil { print(table) } else { printError(table) }
  }
}

/// A pre-translated document as an HTML page: source, suggestion, score and provenance.
struct SuggestionPage {
  var title: String
  var records: [Suggest.Record]
  var matches: [FuzzyMatch?]

  func html() -> String {
    let escape = ReviewPage.escapeHTML
    let marker = Highlighter(colour: false)
    var out = """
      <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(escape(title))</title><style>
      body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5em; }
      table { border-collapse: collapse; width: 100%; table-layout: fixed; }
      td, th { border-bottom: 1px solid #ddd; padding: .35em .6em; vertical-align: top; text-align: left; }
      col.score { width: 5em; } td.score { text-align: right; }
      tr.none td { color: #888; } tr.exact td.score { color: #2d6a2d; font-weight: bold; }
      mark { background: #cdeffd; }
      </style></head><body><h1>\(escape(title))</h1><table>
      <colgroup><col><col><col class="score"></colgroup>
      <thead><tr><th>source</th><th>suggestion</th><th>match</th></tr></thead><tbody>

      """
    for (record, match) in zip(records, matches) {
      let rowClass = match == nil ? "none" : record.score >= 100 ? "exact" : "fuzzy"
      var suggestion = ""
      if let match {
        suggestion = escape(marker.mark(match.suggestion.text, match.suggestion.substitutions.map(\.range), open: "\u{1}", close: "\u{2}", ansi: ""))
          .replacingOccurrences(of: "\u{1}", with: "<mark>").replacingOccurrences(of: "\u{2}", with: "</mark>")
      }
      let score = match == nil ? "—" : record.context ? "context" : String(format: "%.1f %%", record.score)
      out += "<tr class=\"\(rowClass)\"><td>\(escape(record.source))</td><td>\(suggestion)</td><td class=\"score\">\(score)</td></tr>\n"
    }
    return out + "</tbody></table></body></html>\n"
  }
}

struct Concord: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show every stored unit holding a word or phrase, in context, with its translation.")

  @Argument(help: "The word or phrase (case and accents are ignored).")
  var term: String
  @Option(help: "The language to search in.")
  var lang: Language = .english
  @Option(help: "The language of the translations to show.")
  var to: Language?
  @OptionGroup var memory: MemoryOptions
  @Option(help: "How many units at most.")
  var limit = 50

  func run() throws {
    let key = TextNormalizer.matchKey(term)
    guard !key.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("Give a word or phrase.") }
    let store = try memory.openExisting()
    let highlighter = Highlighter(colour: isatty(1) != 0)
    var shown = 0
    var total = 0
    try store.forEachUnit { unit in
      guard let variant = unit[lang] else { return }
      let ranges = Self.occurrences(of: key, in: variant.text)
      if ranges.isEmpty { return }
      total += 1
      guard shown < limit else { return }
      shown += 1
      let provenance = [unit.document, unit.property(.paragraph).map { "¶ \($0)" }].compactMap { $0 }.joined(separator: ", ")
      print("\(lang): \(highlighter.mark(variant.text, ranges, open: "«", close: "»", ansi: "1;33"))")
      for other in unit.variants where other.language != lang && (to == nil || other.language == to) {
        print("\(other.language): \(other.text)")
      }
      print("   (\(provenance.isEmpty ? "unit \(unit.id ?? 0)" : provenance))\n")
    }
    print("\(total) units hold “\(term)”" + (total > shown ? "; \(shown) shown (--limit)" : ""))
  }

  /// Where the folded term occurs in a text on word boundaries, as UTF-16 ranges of the text.
  static func occurrences(of key: String, in text: String) -> [Range<Int>] {
    // Fold character by character so offsets map back to the original text.
    var folded = ""
    var offsets: [Int] = []
    var offset = 0
    for character in text {
      let piece = TextNormalizer.matchKey(String(character))
      for _ in piece.utf16 { offsets.append(offset) }
      folded += piece
      offset += character.utf16.count
    }
    offsets.append(offset)
    let haystack = Array(folded.utf16)
    let needle = Array(key.utf16)
    guard !needle.isEmpty, haystack.count >= needle.count else { return [] }
    func isWordUnit(_ unit: UInt16) -> Bool {
      guard let scalar = Unicode.Scalar(unit) else { return true }
      return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }
    var result: [Range<Int>] = []
    var start = 0
    while start + needle.count <= haystack.count {
      if haystack[start..<(start + needle.count)].elementsEqual(needle) {
        let before = start == 0 || !isWordUnit(haystack[start - 1])
        let end = start + needle.count
        let after = end == haystack.count || !isWordUnit(haystack[end])
        if before && after {
          result.append(offsets[start]..<offsets[end])
          start = end
          continue
        }
      }
      start += 1
    }
    return result
  }
}
