import Alignment
import ArgumentParser
import Foundation
import TextSegmentation
import TranslationMemory

// The options that mean the same thing in several commands, spelled once. An old spelling is a
// second, hidden option whose value `validate()` moves into the canonical one: SAP has no hidden
// name for a visible option, and a name listed beside the canonical one would show in `--help`.

extension ArgumentHelp {
  /// The help of a hidden alias: shown only by `--help-hidden`.
  static func oldSpelling(of canonical: String) -> ArgumentHelp {
    ArgumentHelp("The old spelling of \(canonical).", visibility: .hidden)
  }
}

extension Language: ExpressibleByArgument {
  /// A BCP 47 code of the forms translation tools write: an ISO 639 language, then optionally a
  /// script and an ISO 3166 region or UN M49 number (`fr`, `en-GB`, `pt_BR`, `zh-Hans`,
  /// `es-419`). `xx` and `fr-invalid` are refused.
  public init?(argument: String) {
    let pattern = #"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$"#
    guard argument.range(of: pattern, options: .regularExpression) != nil else { return nil }
    let subtags = argument.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { $0.uppercased() }
    guard Self.languages.contains(subtags[0].lowercased()) else { return nil }
    if let region = subtags.last, subtags.count > 1, region.count == 2, !Self.regions.contains(region) {
      return nil
    }
    self.init(argument)
  }

  /// The ISO 639 and ISO 3166 codes ICU knows.
  private static let languages = Set(Locale.LanguageCode.isoLanguageCodes.map(\.identifier))
  private static let regions = Set(Locale.Region.isoRegions.map(\.identifier))
}

/// `--lang fr|en|auto` of `segment`: the language of the one document it reads, or detection.
enum LanguageChoice: ExpressibleByArgument, Equatable {
  case auto
  case language(Language)

  init?(argument: String) {
    if argument.lowercased() == "auto" {
      self = .auto
    } else if let language = Language(argument: argument) {
      self = .language(language)
    } else {
      return nil
    }
  }

  var language: Language? {
    if case .language(let language) = self { return language }
    return nil
  }

  static var defaultCompletionKind: CompletionKind { .list(["auto", "fr", "en", "de"]) }
}

/// `--source-lang` and `--target-lang`: the language pair of every command that has one.
struct LanguagePairOptions: ParsableArguments {
  @Option(name: .customLong("source-lang"), help: "The source (original) language.")
  var sourceLanguage: Language = .english

  @Option(name: .customLong("target-lang"), help: "The target (translation) language.")
  var targetLanguage: Language = .french

  /// The old spellings of `query` and `suggest` (`--from`, `--to`).
  @Option(name: .customLong("from"), help: .oldSpelling(of: "--source-lang"))
  var oldSourceLanguage: Language?
  @Option(name: .customLong("to"), help: .oldSpelling(of: "--target-lang"))
  var oldTargetLanguage: Language?

  mutating func validate() throws {
    if let oldSourceLanguage { sourceLanguage = oldSourceLanguage }
    if let oldTargetLanguage { targetLanguage = oldTargetLanguage }
  }
}

/// What `--min-score` means to one command: its default and what a score below it does.
protocol MinimumScoreRule {
  /// The default percentage.
  static var defaultPercentage: Double { get }
  /// The help sentence.
  static var help: String { get }
}

/// `--min-score P`: a percentage, 0–100, in every command (`--min` is the old spelling).
///
/// A value in (0, 1] is refused: `align` and `tm add` took a fraction until `--min-score` became
/// a percentage, and an old script must get an error, not a threshold a hundred times too low.
struct MinimumScoreOptions<Rule: MinimumScoreRule>: ParsableArguments {
  @Option(
    name: .customLong("min-score"),
    help: ArgumentHelp(Rule.help, valueName: "percent"))
  var percentage: Double = Rule.defaultPercentage

  /// The old spelling of `query` and `suggest`, already a percentage.
  @Option(name: .customLong("min"), help: .oldSpelling(of: "--min-score"))
  var oldPercentage: Double?

  mutating func validate() throws {
    if percentage > 0 && percentage <= 1 && oldPercentage == nil {
      let suggestion = String(format: "%g", percentage * 100)
      throw ValidationError("--min-score is a percentage (0–100): did you mean \(suggestion)?")
    }
    if let oldPercentage { percentage = oldPercentage }
    if !(0...100).contains(percentage) { throw ValidationError("Use --min-score between 0 and 100.") }
  }

  /// The threshold as a fraction (0…1), the scale of bead scores.
  var fraction: Double { percentage / 100 }
}

/// `-o/--output FILE` (`--out` is the old spelling of `tm export`).
struct OutputOptions: ParsableArguments {
  @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
  var output: String?

  @Option(name: .customLong("out"), help: .oldSpelling(of: "-o/--output"))
  var oldOutput: String?

  mutating func validate() throws {
    if let oldOutput { output = oldOutput }
  }

  /// Where to write: the file, or standard output.
  func sink() throws -> OutputSink { try OutputSink(path: output) }
}

/// `--limit N`: how many results at most (`--top` is the old spelling of `query`).
protocol LimitRule {
  static var defaultLimit: Int { get }
  static var help: String { get }
}

struct LimitOptions<Rule: LimitRule>: ParsableArguments {
  @Option(help: ArgumentHelp(Rule.help))
  var limit: Int = Rule.defaultLimit

  @Option(name: .customLong("top"), help: .oldSpelling(of: "--limit"))
  var oldLimit: Int?

  mutating func validate() throws {
    if let oldLimit { limit = oldLimit }
    if limit < 1 { throw ValidationError("Use --limit 1 or more.") }
  }
}

/// `--tm PATH|URL`: which memory a command uses (default `tm/memory.sqlite`, or `$ALIGNTM_TM`): a
/// SQLite file, or a PostgreSQL database (`postgresql://USER@HOST:PORT/DB`).
struct MemoryOptions: ParsableArguments {
  @Option(
    name: .customLong("tm"),
    help: "The memory: a file or a postgresql:// URL (default: $ALIGNTM_TM, else tm/memory.sqlite).")
  var path: String?

  /// Where the memory is stored.
  var address: StoreAddress { TranslationMemoryLocation.resolveAddress(explicitValue: path) }

  /// The memory's path for messages: relative to the working directory when it lies inside it;
  /// a PostgreSQL URL without its password.
  var displayPath: String {
    guard case .file(let url) = address else { return address.displayForm }
    let full = url.standardizedFileURL.path
    let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path + "/"
    return full.hasPrefix(here) ? String(full.dropFirst(here.count)) : full
  }

  /// Opens a memory that must exist already: read-only unless told (nothing is created, upgraded
  /// or locked, so a shared read-only memory can be read, and another process's import doesn't
  /// block it). A PostgreSQL database without a memory is refused as a missing file is.
  func openExisting(access: TranslationMemory.Access = .readOnly) throws -> TranslationMemory {
    let noMemory = CommandError(
      "\(displayPath): no translation memory yet; fill it with `aligntm align EN FR --into-tm` "
        + "or `aligntm tm import FILE.tmx`")
    switch address {
    case .file(let url):
      guard FileManager.default.fileExists(atPath: url.path) else { throw noMemory }
      return try TranslationMemory(url: url, access: access)
    case .postgresql:
      do {
        return try TranslationMemory(address: address, access: access)
      } catch TranslationMemoryError.needsUpgrade(_, 0, _) {
        throw noMemory
      }
    }
  }

  func open() throws -> TranslationMemory {
    let address = self.address
    if case .file(let url) = address {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    }
    return try TranslationMemory(address: address)
  }

  /// The memory's fuzzy index for a language pair, saved beside it; a failure to save is a note.
  /// A pair with no unit is an error that names the pairs the memory holds.
  func fuzzyIndex(_ languages: LanguagePairOptions) throws -> FuzzyIndex {
    let memory = try openExisting()
    let (source, target) = (languages.sourceLanguage, languages.targetLanguage)
    let index = try memory.fuzzyIndex(from: source, to: target) { error in
      printError("note: the fuzzy index could not be saved (\(error)); it will be rebuilt next time")
    }
    if index.count == 0 {
      throw TranslationMemoryError.missingLanguagePair(
        path: displayPath, source: source, target: target, pairs: try memory.languagePairs())
    }
    return index
  }
}

/// Reads a document; the reader's errors name the file and line themselves. `-` is standard
/// input; a FIFO or `/dev/stdin` is read to its end like a file.
func readDocument(_ path: String, language: Language?) throws -> Document {
  if path == "-" {
    return try DocumentReader().read(
      bytes: DocumentReader.bytes(ofFile: "-"), source: DocumentReader.standardInputName, language: language)
  }
  return try DocumentReader().read(contentsOf: URL(fileURLWithPath: path), language: language)
}

/// The text of a UTF-8 file (`-` is standard input), or an error that names it.
func readTextFile(_ path: String) throws -> String {
  let bytes = try DocumentReader.bytes(ofFile: path)
  guard let text = String(validating: bytes, as: UTF8.self) else {
    throw CommandError("\(path == "-" ? DocumentReader.standardInputName : path): not UTF-8 text")
  }
  return text
}

/// At most one of the inputs of a command is standard input: it can be read only once.
func validateStandardInput(_ paths: [String]) throws {
  if paths.filter({ $0 == "-" }).count > 1 {
    throw ValidationError("Only one input can be standard input (-).")
  }
}
