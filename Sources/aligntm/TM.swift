import Alignment
import ArgumentParser
import Foundation
import TextSegmentation
import TranslationMemory

/// Options of `align` that store what it aligned.
struct StoreOptions: ParsableArguments {
  @Flag(name: .customLong("into-tm"), help: "Store the aligned pairs in the translation memory.")
  var intoTM = false

  @OptionGroup var minimumScore: MinimumScoreOptions<StoredBeadScore>

  @OptionGroup var memory: MemoryOptions

  func storeAlignment(_ alignment: DocumentAlignment, sourceFile: String, targetFile: String) throws {
    let scored = TranslationUnit.units(
      from: alignment, minimumScore: minimumScore.fraction, sourceFile: sourceFile, targetFile: targetFile)
    // A bead whose text is only white space is no translation; the store refuses it.
    let units = scored.filter { !$0.variants.contains { $0.text.allSatisfy(\.isWhitespace) } }
    let store = try memory.open()
    let summary = try store.write { try $0.add(units) }
    let left = alignment.beads.filter { !$0.sourceIds.isEmpty && !$0.targetIds.isEmpty }.count - scored.count
    printError(
      "\(memory.displayPath): \(summary.inserted) units added, \(summary.merged) already there"
        + (left > 0
          ? ", \(left) beads below --min-score \(String(format: "%g", minimumScore.percentage)) left out"
          : "")
        + (scored.count > units.count ? ", \(scored.count - units.count) blank beads left out" : "")
        + " (document \(alignment.source.symbol ?? alignment.target.symbol ?? "without symbol"))")
  }
}

/// `--min-score` of `align --into-tm` and `tm add`.
enum StoredBeadScore: MinimumScoreRule {
  static let defaultPercentage = 50.0
  static let help = "Keep beads scoring below this percentage out of the memory."
}

struct TM: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tm",
    abstract: "Look after the translation memory: add, list, remove, export and import TMX.",
    subcommands: [Stats.self, List.self, Add.self, Remove.self, Export.self, Import.self]
  )

  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Count units, languages and documents.")
    @OptionGroup var memory: MemoryOptions

    func run() throws {
      let stats = try memory.openExisting().statistics()
      print("\(memory.displayPath): \(stats.unitCount) units, \(stats.variantCount) variants")
      if stats.mergedUnitCount > 0 {
        print("  \(stats.mergedUnitCount) units merged into the same stored unit")
      }
      if stats.singleVariantUnitCount > 0 {
        print("  \(stats.singleVariantUnitCount) units with one variant (exported with one <tuv>)")
      }
      for (language, count) in stats.languages.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
        print("  \(language): \(count) variants")
      }
      for document in stats.documents {
        print("  \(terminalText(document.document ?? "(no document)")): \(document.unitCount) units")
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List units, one a line: id, document, paragraph, texts.")
    @OptionGroup var memory: MemoryOptions
    @Option(help: "Only units of this document symbol.")
    var document: String?

    func run() throws {
      var sink = try OutputSink(path: nil)
      try memory.openExisting().forEachUnit(document: document) { unit in
        let texts = unit.variants.map { variant in
          // Who wrote the variant when, as CAT tools keep it on the <tuv>.
          var who: [String] = []
          if let id = variant.changeID ?? variant.creationID { who.append(id) }
          if let date = variant.changeDate ?? variant.creationDate { who.append(date.formatted(.iso8601)) }
          who += variant.properties.map { "\($0.type)=\($0.value)" }
          return
            "\(variant.language)\(who.isEmpty ? "" : " (\(who.joined(separator: ", ")))"): \(variant.text)"
        }
        let fields =
          [
            String(unit.id ?? 0), unit.document ?? "-", unit.property(.paragraph) ?? "-",
          ] + texts
        sink.line(fields.map(tsvField).joined(separator: "\t"))
      }
      try sink.finish()
    }
  }

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Add the beads of an `aligntm align --format jsonl` file to the memory.")
    @Argument(help: "The aligner's jsonl output (- reads standard input).")
    var file: String
    @OptionGroup var languages: LanguagePairOptions
    @Option(help: "The document symbol to record (A/75/15).")
    var document: String?
    @OptionGroup var minimumScore: MinimumScoreOptions<StoredBeadScore>
    @OptionGroup var memory: MemoryOptions

    func run() throws {
      var units: [TranslationUnit] = []
      for record in try AlignedRecord.records(inFile: file) {
        // A side with no text (no sentence, or only white space) is no translation.
        guard !record.source.allSatisfy(\.isWhitespace), !record.target.allSatisfy(\.isWhitespace),
          record.score >= minimumScore.fraction
        else { continue }
        units.append(
          .aligned(
            source: Variant(language: languages.sourceLanguage, text: record.source),
            target: Variant(language: languages.targetLanguage, text: record.target), document: document,
            paragraph: record.paragraph.map(String.init), score: record.score, sourceFile: file,
            tool: TranslationMemory.tool))
      }
      let summary = try memory.open().write { try $0.add(units) }
      print("\(memory.displayPath): \(summary.inserted) units added, \(summary.merged) already there")
    }
  }

  struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove every unit of a document.")
    @OptionGroup var memory: MemoryOptions
    @Option(help: "The document symbol (A/67/280).")
    var document: String

    func run() throws {
      let removed = try memory.openExisting(access: .readWrite).write { try $0.remove(document: document) }
      print("\(memory.displayPath): \(removed) units of \(document) removed")
    }
  }

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the memory as TMX 1.4b.")
    @OptionGroup var memory: MemoryOptions
    @Option(name: [.short, .long], help: "The TMX file to write.")
    var output: String?
    /// The old spelling.
    @Option(name: .customLong("out"), help: .oldSpelling(of: "-o/--output"))
    var oldOutput: String?
    @Option(help: "Only these languages, comma-separated (en,fr).")
    var languages: String?
    @Option(help: "Only units of this document symbol.")
    var document: String?
    @Option(
      name: .customLong("omegat-segments"),
      help: ArgumentHelp(
        "For OmegaT's tm/auto/: cut and tag the units as the segments of this OmegaT pseudo-translation TMX (console-createpseudotranslatetmx).",
        valueName: "tmx")
    )
    var omegaTSegments: String?
    @OptionGroup var pair: LanguagePairOptions

    mutating func validate() throws {
      if let oldOutput { output = oldOutput }
      if output == nil { throw ValidationError("Give the TMX file to write with -o/--output.") }
      if omegaTSegments != nil && languages != nil {
        throw ValidationError(
          "--omegat-segments writes the --source-lang and --target-lang pair: leave out --languages.")
      }
    }

    func run() throws {
      let out = output ?? ""
      if let omegaTSegments {
        let summary = try memory.openExisting().exportOmegaT(
          to: URL(fileURLWithPath: out), segmentsFile: URL(fileURLWithPath: omegaTSegments),
          sourceLanguage: pair.sourceLanguage, targetLanguage: pair.targetLanguage, document: document)
        print(
          "\(out): \(summary.units) units written for OmegaT; \(summary.filled) of the \(summary.segments) segments of \(omegaTSegments) filled"
        )
        return
      }
      let set = languages.map {
        Set($0.split(separator: ",").map { Language(String($0).trimmingCharacters(in: .whitespaces)) })
      }
      let summary = try memory.openExisting().exportTMX(
        to: URL(fileURLWithPath: out), languages: set, document: document)
      print(
        "\(out): \(summary.units) units written"
          + (summary.leftOut > 0
            ? ", \(summary.leftOut) left out (fewer than \(min(2, set?.count ?? 2)) of the asked languages)"
            : ""))
    }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Read a TMX file (1.1–1.4b) into the memory, all of it or nothing.")
    @OptionGroup var memory: MemoryOptions
    @Argument(
      help: "The TMX file, or an XLIFF 1.2 file (its confirmed targets); - reads either from standard input.")
    var file: String
    @Flag(help: "Import the good units and report each bad one, instead of importing nothing.")
    var skipBad = false

    func run() throws {
      let input = try InputFile(file)
      // XLIFF is told by its content (an <xliff> root), whatever the file's name; standard
      // input too, read once into a temporary file.
      if XLIFFReader.looksLikeXLIFF(input.url) {
        let summary = try memory.open().importXLIFF(from: input.url, name: input.name)
        print(
          "\(file): \(summary.unitsRead) trans-units read, \(summary.confirmed) confirmed, \(summary.inserted) added, \(summary.merged) already there"
        )
        return
      }
      let interactive = isatty(2) != 0
      let summary = try memory.open().importTMX(from: input.url, name: input.name, skipBad: skipBad) {
        progress in
        if interactive {
          FileHandle.standardError.write(Data("\rimport \(file): \(progress.units) units".utf8))
        }
      }
      if interactive { printError("") }
      for warning in summary.warnings { printError("\(warning)") }
      for skipped in summary.skipped { printError("skipped: \(skipped)") }
      print(
        "\(file): \(summary.unitsRead) units read, \(summary.inserted) added, \(summary.merged) already there, \(summary.skipped.count) skipped"
      )
      // The units before it are imported, but the file was not read to its end.
      if let stopped = summary.stoppedReading { throw CommandError("\(stopped)") }
    }
  }
}
