import Foundation
import TextSegmentation
import TranslationMemory

/// `aligntm-bench tmx [--units N] [--dir DIR]`: generates a TMX file of N units from the corpus,
/// imports it into an empty memory and exports it again, each phase in its own process so that
/// each peak RSS is its own.
///
/// The import runs twice: into an empty memory (the bulk path, a new file renamed into place)
/// and into a memory holding one unit (one WAL transaction).
///
/// The phases are also commands (used by the crash tests):
/// `tmx-generate FILE N`, `tmx-import FILE DB [--progress] [--non-empty]`, `tmx-export DB FILE`,
/// `tmx-ceiling FILE DB EMPTY`, which times libxml2 and SQLite alone on the same data
/// (``TMXCeiling``), and `tmx-reference FILE`, translate-toolkit parsing the file (when its
/// Python package is installed).
enum TMXBenchmark {
  static func run(_ arguments: [String]) throws {
    var units = 1_000_000
    let folder = try WorkingFolder(arguments, name: "tmx") { option, value in
      guard option == "--units" else { return false }
      guard let value, let count = Int(value), count > 0 else {
        throw BenchmarkError.usage("--units needs a positive number")
      }
      units = count
      return true
    }
    defer { folder.finish() }
    let directory = folder.url
    let input = directory.appendingPathComponent("generated.tmx")
    let database = directory.appendingPathComponent("memory.sqlite")
    let output = directory.appendingPathComponent("exported.tmx")
    print("TMX benchmark: \(units) units in \(directory.path)")
    let phases = directory.appendingPathComponent("phases.txt")
    try? FileManager.default.removeItem(at: phases)
    try child(["tmx-generate", input.path, String(units)], phases: phases)
    // Into an empty memory (the bulk path: a new file renamed into place), then into a memory
    // that holds a unit already (one WAL transaction).
    try child(["tmx-import", input.path, database.path], phases: phases)
    let nonEmpty = directory.appendingPathComponent("non-empty.sqlite")
    try? FileManager.default.removeItem(at: nonEmpty)
    try child(["tmx-import", input.path, nonEmpty.path, "--non-empty"], phases: phases)
    try child(["tmx-export", database.path, output.path], phases: phases)
    let copy = directory.appendingPathComponent("copy.sqlite")
    try child(["tmx-ceiling", input.path, database.path, copy.path], phases: phases)
    try child(["tmx-reference", input.path], phases: phases)
  }

  private static func child(_ arguments: [String], phases: URL) throws {
    fflush(nil)
    // Written back first, so that the kernel isn't still flushing the last phase's gigabyte
    // while this one is timed.
    sync()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    process.arguments = arguments
    // Each phase notes its time there, so that the ceiling phase can set the import against it.
    process.environment = ProcessInfo.processInfo.environment.merging([resultsVariable: phases.path]) {
      _, new in new
    }
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw BenchmarkError.failed("\(arguments[0]) exited with \(process.terminationStatus)")
    }
  }

  /// Runs one phase in this process and prints its rate and peak RSS.
  static func runPhase(_ name: String, _ arguments: [String]) throws {
    switch name {
    case "tmx-generate":
      guard arguments.count == 2, let count = Int(arguments[1]) else {
        throw BenchmarkError.usage("tmx-generate FILE UNITS")
      }
      let start = ContinuousClock.now
      let bytes = try generate(to: URL(fileURLWithPath: arguments[0]), units: count)
      report("generate", units: count, since: start, extra: "\(bytes / 1_048_576) MiB")
    case "tmx-import":
      let options = Set(arguments.dropFirst(2))
      guard arguments.count >= 2, options.isSubset(of: ["--progress", "--non-empty"]) else {
        throw BenchmarkError.usage("tmx-import FILE DB [--progress] [--non-empty]")
      }
      let memory = try TranslationMemory(url: URL(fileURLWithPath: arguments[1]))
      // --non-empty: one unit first, so that the import takes the WAL transaction.
      let nonEmpty = options.contains("--non-empty")
      if nonEmpty {
        try memory.add(
          TranslationUnit.aligned(
            source: Variant(language: .english, text: "Stored before the import."),
            target: Variant(language: .french, text: "Stocké avant l’import."), document: nil,
            paragraph: nil, score: 1, sourceFile: nil, targetFile: nil, tool: "aligntm-bench",
            date: Date(timeIntervalSince1970: 0)))
      }
      let start = ContinuousClock.now
      let startCPU = threadCPUSeconds()
      let startProcessCPU = processCPUSeconds()
      // --progress: one line per 5000 units on stderr (the crash tests wait for them).
      let progress: ((TMXReader.Progress) -> Void)? =
        options.contains("--progress")
        ? { FileHandle.standardError.write(Data("progress \($0.units)\n".utf8)) } : nil
      let summary = try memory.importTMX(
        from: URL(fileURLWithPath: arguments[0]), progressInterval: 5000, progress: progress)
      if options.contains("--progress") { FileHandle.standardError.write(Data("imported\n".utf8)) }
      // The writing thread is this one (it also makes the indexes and syncs); the parsing
      // thread is the rest of the process's CPU time, near enough.
      let writing = threadCPUSeconds() - startCPU
      let process = processCPUSeconds()
      let all = process.user + process.system - startProcessCPU.user - startProcessCPU.system
      report(
        nonEmpty ? "import-wal" : "import", units: summary.unitsRead, since: start,
        extra: "\(summary.inserted) new, "
          + (nonEmpty ? "into a non-empty memory (WAL)" : "into an empty memory (bulk)")
          + String(format: "; CPU writing thread %.2f s, parsing thread %.2f s", writing, all - writing))
    case "tmx-export":
      guard arguments.count == 2 else { throw BenchmarkError.usage("tmx-export DB FILE") }
      let memory = try TranslationMemory(url: URL(fileURLWithPath: arguments[0]))
      let start = ContinuousClock.now
      let summary = try memory.exportTMX(
        to: URL(fileURLWithPath: arguments[1]), creationDate: Date(timeIntervalSince1970: 0))
      report("export", units: summary.units, since: start, extra: "")
    case "tmx-ceiling":
      guard arguments.count == 3 else { throw BenchmarkError.usage("tmx-ceiling FILE DB EMPTY") }
      let parse = try TMXCeiling.parse(arguments[0])
      print(
        String(
          format:
            "ceiling  libxml2 alone (SAX2, callbacks that do nothing): %d units in %.2f s = %.0f units/s",
          parse.units, parse.seconds, Double(parse.units) / parse.seconds))
      // The import's parsing thread alone: libxml2 and the TMX reader packing the batches.
      let reading = ContinuousClock.now
      let readingCPU = threadCPUSeconds()
      let packed = try TMXReader(url: URL(fileURLWithPath: arguments[0]))._packWithoutStoring()
      let readSeconds = seconds(since: reading)
      print(
        String(
          format:
            "         the import's reader alone (libxml2 and packing, nothing stored): %d units in %.2f s (CPU %.2f s) = %.0f units/s",
          packed, readSeconds, threadCPUSeconds() - readingCPU, Double(packed) / readSeconds))
      /// The slower half plus what comes after both, against the phase's measured time.
      func ceiling(
        _ name: String, _ store: (units: Int, inserts: Double, commit: Double), commit: String,
        phase: String, memory: String
      ) {
        let best = max(parse.seconds, store.inserts) + store.commit
        let kind = phase == "import" ? "bulk" : "WAL"
        print(
          "         SQLite alone, \(name): inserts \(String(format: "%.2f", store.inserts)) s + \(commit) "
            + String(format: "%.2f s", store.commit))
        print(
          "         so no \(kind) import on two threads beats "
            + String(
              format: "max(%.2f, %.2f) + %.2f = %.2f s = %.0f units/s", parse.seconds, store.inserts,
              store.commit, best, Double(store.units) / best))
        if let imported = phaseSeconds(phase) {
          print(
            "         the import into \(memory) took "
              + String(
                format: "%.2f s: %.0f %% of the rate this ceiling allows", imported, 100 * best / imported))
        }
      }
      try? FileManager.default.removeItem(atPath: arguments[2])
      ceiling(
        "bulk (the imported rows into a new file without a journal, then its indexes and sync)",
        try TMXCeiling.storeInBulk(from: arguments[1], into: arguments[2]), commit: "indexes and sync",
        phase: "import", memory: "an empty memory")
      try? FileManager.default.removeItem(atPath: arguments[2])
      ceiling(
        "WAL (the imported rows into a memory, one WAL transaction)",
        try TMXCeiling.store(from: arguments[1], into: arguments[2]), commit: "commit",
        phase: "import-wal", memory: "a non-empty memory")
    case "tmx-reference":
      guard arguments.count == 1 else { throw BenchmarkError.usage("tmx-reference FILE") }
      try TMXCeiling.translateToolkitParse(arguments[0], bulkSeconds: phaseSeconds("import"))
      print()
    default:
      throw BenchmarkError.usage("unknown phase \(name)")
    }
  }

  /// The environment variable naming the file where phases note their times.
  static let resultsVariable = "ALIGNTM_BENCH_PHASES"

  /// The time a phase of this run noted, if any.
  static func phaseSeconds(_ phase: String) -> Double? {
    guard let path = ProcessInfo.processInfo.environment[resultsVariable],
      let text = try? String(contentsOfFile: path, encoding: .utf8)
    else { return nil }
    return text.split(separator: "\n").reversed().lazy.compactMap { line -> Double? in
      let fields = line.split(separator: " ")
      return fields.count == 2 && fields[0] == phase ? Double(fields[1]) : nil
    }.first
  }

  private static func report(_ phase: String, units: Int, since start: ContinuousClock.Instant, extra: String)
  {
    let wall = seconds(since: start)
    if let path = ProcessInfo.processInfo.environment[resultsVariable],
      let file = FileHandle(forUpdatingAtPath: path)
        ?? {
          _ = FileManager.default.createFile(atPath: path, contents: nil)
          return FileHandle(forUpdatingAtPath: path)
        }()
    {
      file.seekToEndOfFile()
      file.write(Data("\(phase) \(wall)\n".utf8))
      try? file.close()
    }
    let rate = Double(units) / max(wall, 1e-9)
    // CPU time of the whole process (all threads), user and system apart: the import parses on
    // one thread and writes on another, system time is mostly the kernel copying files in and
    // out of the page cache, and the machine may be shared.
    let (user, system) = processCPUSeconds()
    let cpu = user + system
    print(
      String(
        format:
          "  %-10@ %9d units in %7.2f s = %9.0f units/s, CPU %6.2f s (%5.1f µs/unit; system %5.2f s), peak RSS %6.1f MiB %@",
        phase, units, wall, rate, cpu, cpu * 1e6 / Double(max(units, 1)), system, peakResidentMebibytes(),
        extra))
    fflush(nil)
  }

  /// User and system CPU time of this process so far.
  static func processCPUSeconds() -> (user: Double, system: Double) {
    var usage = rusage()
    #if os(macOS)
    getrusage(RUSAGE_SELF, &usage)
    #else
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #endif
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return (seconds(usage.ru_utime), seconds(usage.ru_stime))
  }

  /// The process's peak resident set size (`ru_maxrss`, KiB on Linux, bytes on macOS).
  static func peakResidentMebibytes() -> Double {
    var usage = rusage()
    #if os(macOS)
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1_048_576
    #else
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
    #endif
  }

  /// Writes a TMX file of `units` distinct units made from the corpus's gold sentence pairs, with
  /// numbers woven in, provenance properties, and inline codes on every tenth unit.
  /// - Returns: The file's size in bytes.
  static func generate(to url: URL, units: Int) throws -> Int {
    let pairs = try corpusPairs()
    let writer = try TMXWriter(
      url: url,
      header: TMXWriter.Header(sourceLanguage: "en", creationDate: Date(timeIntervalSince1970: 0)))
    let base = Date(timeIntervalSince1970: 1_600_000_000)
    for index in 0..<units {
      let (english, french) = pairs[index % pairs.count]
      let round = index / pairs.count
      let en = "\(english) (ref. \(round + 1)/\(index % 997))"
      let fr = "\(french) (réf. \(round + 1)/\(index % 997))"
      var source = Variant(language: .english, text: en)
      var target = Variant(language: .french, text: fr)
      if index % 10 == 0 {
        source.codes = [
          InlineCode(kind: .begin, position: 0, pairID: 1, type: "italic", content: "<i>"),
          InlineCode(kind: .end, position: min(4, en.utf16.count), pairID: 1, content: "</i>"),
        ]
        target.codes = [InlineCode(kind: .placeholder, position: 0, type: "footnoteMarker", content: "^{1}")]
      }
      let symbol = "A/\(60 + round % 20)/\(100 + index % 500)"
      var unit = TranslationUnit.aligned(
        source: source, target: target, document: symbol, paragraph: String(index % 150 + 1),
        score: Double(index % 100) / 100, sourceFile: "un/\(symbol)/en.txt",
        targetFile: "un/\(symbol)/fr.txt", tool: "aligntm-bench",
        date: base.addingTimeInterval(TimeInterval(index)))
      unit.tuid = String(index + 1)
      try writer.write(unit)
    }
    try writer.finish()
    return (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
  }

  /// The one-to-one sentence pairs of the corpus gold (un/003, un/004).
  static func corpusPairs() throws -> [(String, String)] {
    struct Bead: Decodable {
      var fr: [String]
      var en: [String]
    }
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { root.deleteLastPathComponent() }  // Benchmarks/Sources/aligntm-bench/x.swift
    var pairs: [(String, String)] = []
    for name in ["un/003/gold.jsonl", "un/004/gold.jsonl"] {
      let url = root.appendingPathComponent("corpus").appendingPathComponent(name)
      let text = try String(contentsOf: url, encoding: .utf8)
      for line in text.split(separator: "\n") {
        let bead = try JSONDecoder().decode(Bead.self, from: Data(line.utf8))
        if !bead.en.isEmpty, !bead.fr.isEmpty {
          pairs.append((bead.en.joined(separator: " "), bead.fr.joined(separator: " ")))
        }
      }
    }
    guard !pairs.isEmpty else { throw BenchmarkError.failed("no sentence pairs in the corpus gold") }
    return pairs
  }
}

enum BenchmarkError: Error, CustomStringConvertible {
  case usage(String)
  case failed(String)

  var description: String {
    switch self {
    case .usage(let message): return "usage: \(message)"
    case .failed(let message): return "failed: \(message)"
    }
  }
}
