import Alignment
import ArgumentParser
import Foundation
import TextSegmentation
import TranslationMemory

/// `--tm PATH`: which memory a command uses (default `tm/memory.sqlite`, or `$ALIGNTM_TM`).
struct MemoryOptions: ParsableArguments {
  @Option(name: .customLong("tm"), help: "The memory file (default: $ALIGNTM_TM, else tm/memory.sqlite).")
  var path: String?

  var url: URL { TranslationMemoryLocation.resolve(explicitPath: path) }

  /// The memory's path for messages: relative to the working directory when it lies inside it.
  var displayPath: String {
    let full = url.standardizedFileURL.path
    let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path + "/"
    return full.hasPrefix(here) ? String(full.dropFirst(here.count)) : full
  }

  /// Opens the memory for reading: it must exist already.
  func openExisting() throws -> TranslationMemory {
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw CommandError("\(displayPath): no translation memory yet; fill it with `aligntm align EN FR --into-tm` or `aligntm tm import FILE.tmx`")
    }
    return try TranslationMemory(url: url)
  }

  func open() throws -> TranslationMemory {
    let url = self.url
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    return try TranslationMemory(url: url)
  }
}

/// Options of `align` that store what it aligned.
struct StoreOptions: ParsableArguments {
  @Flag(name: .customLong("into-tm"), help: "Store the aligned pairs in the translation memory.")
  var intoTM = false

  @Option(name: .customLong("min-score"), help: "Keep beads scoring below this (0…1) out of the memory.")
  var minimumScore: Double = 0.5

  @OptionGroup var memory: MemoryOptions

  func storeAlignment(_ alignment: DocumentAlignment, sourceFile: String, targetFile: String) throws {
    let units = TranslationUnit.units(
      from: alignment, minimumScore: minimumScore, sourceFile: sourceFile, targetFile: targetFile)
    let store = try memory.open()
    let summary = try store.write { try $0.add(units) }
    let left = alignment.beads.filter { !$0.sourceIds.isEmpty && !$0.targetIds.isEmpty }.count - units.count
    printError(
      "\(memory.displayPath): \(summary.inserted) units added, \(summary.merged) already there"
        + (left > 0 ? ", \(left) beads below --min-score \(minimumScore) left out" : "")
        + " (document \(alignment.source.symbol ?? alignment.target.symbol ?? "without symbol"))")
  }
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
      for (language, count) in stats.languages.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
        print("  \(language): \(count) variants")
      }
      for document in stats.documents {
        print("  \(document.document ?? "(no document)"): \(document.unitCount) units")
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List units, one a line: id, document, paragraph, texts.")
    @OptionGroup var memory: MemoryOptions
    @Option(help: "Only units of this document symbol.")
    var document: String?

    func run() throws {
      var sink = try OutputSink(path: nil)
      try memory.openExisting().forEachUnit(document: document) { unit in
        let texts = unit.variants.map { "\($0.language): \($0.text)" }
        let fields = [
          String(unit.id ?? 0), unit.document ?? "-", unit.property(.paragraph) ?? "-",
        ] + texts
        sink.line(fields.map(tsvField).joined(separator: "\t"))
      }
      sink.flush()
    }
  }

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Add the beads of an `aligntm align --format jsonl` file to the memory.")
    @Argument(help: "The aligner's jsonl output.")
    var file: String
    @OptionGroup var languages: LanguagePairOptions
    @Option(help: "The document symbol to record (A/75/15).")
    var document: String?
    @Option(name: .customLong("min-score"), help: "Keep beads scoring below this (0…1) out.")
    var minimumScore: Double = 0.5
    @OptionGroup var memory: MemoryOptions

    func validate() throws {
      if minimumScore < 0 || minimumScore > 1 { throw ValidationError("Use --min-score between 0 and 1.") }
    }

    func run() throws {
      let text: String
      do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
        throw CommandError("\(file): cannot read: \(error.localizedDescription)")
      }
      var units: [TranslationUnit] = []
      let decoder = JSONDecoder()
      for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
      where !line.trimmingCharacters(in: .whitespaces).isEmpty {
        let record: AlignedRecord
        do { record = try decoder.decode(AlignedRecord.self, from: Data(line.utf8)) } catch {
          throw CommandError("\(file):\(index + 1): not a bead of `aligntm align --format jsonl`")
        }
        guard !record.sources.isEmpty, !record.targets.isEmpty, record.score >= minimumScore else { continue }
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
      let removed = try memory.openExisting().write { try $0.remove(document: document) }
      print("\(memory.displayPath): \(removed) units of \(document) removed")
    }
  }

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the memory as TMX 1.4b.")
    @OptionGroup var memory: MemoryOptions
    @Option(help: "The TMX file to write.")
    var out: String
    @Option(help: "Only these languages, comma-separated (en,fr).")
    var languages: String?
    @Option(help: "Only units of this document symbol.")
    var document: String?

    func run() throws {
      let set = languages.map { Set($0.split(separator: ",").map { Language(String($0).trimmingCharacters(in: .whitespaces)) }) }
      let summary = try memory.openExisting().exportTMX(
        to: URL(fileURLWithPath: out), languages: set, document: document)
      print("\(out): \(summary.units) units written")
    }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Read a TMX file (1.1–1.4b) into the memory, all of it or nothing.")
    @OptionGroup var memory: MemoryOptions
    @Argument(help: "The TMX file.")
    var file: String
    @Flag(help: "Import the good units and report each bad one, instead of importing nothing.")
    var skipBad = false

    func run() throws {
      let interactive = isatty(2) != 0
      let summary = try memory.open().importTMX(from: URL(fileURLWithPath: file), skipBad: skipBad) { progress in
        if interactive { FileHandle.standardError.write(Data("\rimport \(file): \(progress.units) units".utf8)) }
      }
      if interactive { printError("") }
      for skipped in summary.skipped { printError("skipped: \(skipped)") }
      print("\(file): \(summary.unitsRead) units read, \(summary.inserted) added, \(summary.merged) already there, \(summary.skipped.count) skipped")
    }
  }
}
