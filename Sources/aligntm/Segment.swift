import ArgumentParser
import Foundation
import TextSegmentation

struct Segment: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Read a UN document and split it into paragraphs and sentences.",
    discussion: """
      Reads Word .docx, PDF (through poppler's pdftotext), and text conversions: Markdown-ish, \
      pdftotext pages and hard-wrapped OCR text, told apart by their content. Prints one \
      sentence a line with a blank line between paragraphs (text), or one JSON object per \
      sentence (jsonl). OCR repairs are summarised on standard error.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, jsonl
  }

  @Argument(
    help:
      "The document to read (.docx, .pdf, or text in UTF-8 or UTF-16 with a byte-order mark); - reads standard input."
  )
  var file: String

  @Option(name: .long, help: "The document's language: fr, en, another ICU language, or auto.")
  var lang: LanguageChoice = .auto

  @Option(name: .long, help: "Output format: text or jsonl.")
  var format: Format = .text

  @Flag(name: .long, help: "List every repair the reader made on standard error.")
  var showRepairs = false

  @OptionGroup var output: OutputOptions

  struct SentenceRecord: Encodable {
    var paragraph: Int
    var kind: String
    var number: String?
    var text: String

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(paragraph, forKey: .paragraph)
      try container.encode(kind, forKey: .kind)
      try container.encode(number, forKey: .number)  // null when absent, not omitted
      try container.encode(text, forKey: .text)
    }

    enum CodingKeys: String, CodingKey { case paragraph, kind, number, text }
  }

  func run() throws {
    let document = try readDocument(file, language: lang.language)
    let segmenter = try SentenceSegmenter(language: document.language)
    var sink = try output.sink()
    var progress = Progress("segment \(file)")
    let byParagraph = Dictionary(grouping: document.sentences(segmenter: segmenter), by: \.paragraph)
    for (index, paragraph) in document.paragraphs.enumerated() {
      let sentences = (byParagraph[index] ?? []).map(\.text)
      switch format {
      case .text:
        if index > 0 { sink.line("") }
        for sentence in sentences { sink.line(sentence) }
      case .jsonl:
        for sentence in sentences {
          sink.line(
            jsonLine(
              SentenceRecord(
                paragraph: index, kind: paragraph.kind.rawValue, number: paragraph.number, text: sentence)))
        }
      }
      progress.update(index + 1, of: document.paragraphs.count)
    }
    try sink.finish()
    if !document.repairs.isEmpty {
      let reasons = Dictionary(grouping: document.repairs, by: \.reason)
        .map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ")
      printError("\(file): \(document.repairs.count) repairs (\(reasons))")
      if showRepairs {
        for repair in document.repairs { printError("\(file):\(repair)") }
      }
    }
  }
}
