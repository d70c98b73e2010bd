import Foundation
import TextSegmentation
import TranslationMemory

/// `aligntm-bench fuzzy [--units N] [--queries N] [--recall-sample N] [--corpus DIR] [--keep]
/// [--processes N] [--suggest-units N] [--sentences N] [--toolkit-sentences N] [--no-processes]
/// [--memory PATH]`:
/// builds a synthetic UN-like memory, indexes it, times queries at threshold 70, writes the
/// mapped index file, maps it back and checks that it answers like the built one; then, with
/// the release `aligntm` beside this binary, times fresh `aligntm query` processes on a memory
/// of the same units (wall time, peak resident memory from `wait4`), and `aligntm suggest` on
/// the first 100,000 units against translate-toolkit's matcher. `--memory PATH` times only the
/// processes, on a memory kept by an earlier run with `--keep`.
enum FuzzyBenchmark {
  static func run(_ arguments: [String]) throws {
    if arguments.first == "--measure" { return try measure(Array(arguments.dropFirst())) }
    if arguments.first == "--phases" { return try phases(Array(arguments.dropFirst())) }
    func option(_ name: String, _ fallback: Int) -> Int {
      guard let position = arguments.firstIndex(of: name), position + 1 < arguments.count,
        let value = Int(arguments[position + 1])
      else { return fallback }
      return value
    }
    let unitCount = option("--units", 1_000_000)
    let queryCount = option("--queries", 1000)
    let recallSample = option("--recall-sample", 20)
    let corpus: String = {
      if let position = arguments.firstIndex(of: "--corpus"), position + 1 < arguments.count {
        return arguments[position + 1]
      }
      return "corpus"
    }()

    var generator = SyntheticMemory(corpus: corpus, seed: 2024)
    if let position = arguments.firstIndex(of: "--memory"), position + 1 < arguments.count {
      // Only the processes, on a memory kept by an earlier run (`--keep`).
      guard let aligntm = aligntmBinary() else { return }
      let memory = URL(fileURLWithPath: arguments[position + 1])
      let count = try TranslationMemory(url: memory).fuzzyIndex(from: .english, to: .french).count
      let queries = (0..<queryCount).map { generator.query(number: $0) }
      return try timeQueries(
        aligntm, memory: memory, unitCount: count, queries: queries, processes: option("--processes", 30))
    }
    print("fuzzy: \(generator.baseCount) corpus sentences, \(generator.vocabularyCount) corpus words")
    let started = ContinuousClock.now
    let entries = (0..<unitCount).map { generator.entry(id: Int64($0)) }
    print("fuzzy: generated \(entries.count) units in \(seconds(ContinuousClock.now - started)) s")
    let memoryBefore = maximumResidentMegabytes()

    let buildStart = ContinuousClock.now
    let cpuBefore = cpuSeconds()
    let index = try FuzzyIndex(entries: entries, from: .english, to: .french)
    let buildTime = ContinuousClock.now - buildStart
    let memoryAfter = maximumResidentMegabytes()
    print(
      "fuzzy: index build \(seconds(buildTime)) s wall, "
        + String(format: "%.1f", cpuSeconds() - cpuBefore)
        + " s CPU on \(ProcessInfo.processInfo.activeProcessorCount) cores; "
        + "max RSS \(memoryBefore) MB before build (units in memory), \(memoryAfter) MB after")

    let queries = (0..<queryCount).map { generator.query(number: $0) }
    var latencies: [Double] = []
    var slowest: [(milliseconds: Double, query: String, matches: Int)] = []
    var found = 0
    var hundred = 0
    for query in queries {
      let start = ContinuousClock.now
      let matches = try index.matches(for: query, minimumScore: 70, limit: 5)
      let elapsed = milliseconds(ContinuousClock.now - start)
      latencies.append(elapsed)
      slowest.append((elapsed, query, matches.count))
      if !matches.isEmpty { found += 1 }
      if matches.first?.score.value == 100 { hundred += 1 }
    }
    slowest.sort { $0.milliseconds > $1.milliseconds }
    if arguments.contains("--slowest") {
      for item in slowest.prefix(8) {
        let start = ContinuousClock.now
        _ = try index._indexedScores(for: item.query, minimumScore: 70, limit: 5)
        let scoring = milliseconds(ContinuousClock.now - start)
        print(
          String(
            format: "fuzzy: slow query %.2f ms (%.2f ms without suggestions), %d words, %d matches: %@",
            item.milliseconds, scoring, item.query.split(separator: " ").count, item.matches,
            String(item.query.prefix(100))))
      }
    }
    latencies.sort()
    func percentile(_ p: Double) -> Double {
      latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
    }
    let mean = latencies.reduce(0, +) / Double(max(1, latencies.count))
    print(
      String(
        format:
          "fuzzy: %d queries at 70 %%, one core: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, mean %.2f ms",
        latencies.count, percentile(0.5), percentile(0.9), percentile(0.99), latencies.last ?? 0, mean))
    print("fuzzy: \(found) queries with a match ≥ 70 %, \(hundred) with a 100 % match")

    var missing = 0
    var expected = 0
    let bruteStart = ContinuousClock.now
    for query in queries.prefix(recallSample) {
      let brute = try index._bruteForceScores(for: query, minimumScore: 70)
      let indexed = try index._indexedScores(for: query, minimumScore: 70)
      expected += brute.count
      missing += Set(brute.map(\.id)).subtracting(indexed.map(\.id)).count
      // The top five, which stop the scan early, must be the brute force's five, in order.
      let top = try index._indexedScores(for: query, minimumScore: 70, limit: 5)
      if top.map(\.id) != brute.prefix(5).map(\.id) { missing += 1 }
    }
    let recall = expected == 0 ? 100 : 100 * Double(expected - missing) / Double(expected)
    print(
      String(
        format:
          "fuzzy: recall against brute force on %d queries: %.2f %% (%d of %d matches; brute force %.0f ms/query)",
        min(recallSample, queries.count), recall, expected - missing, expected,
        milliseconds(ContinuousClock.now - bruteStart) / Double(max(1, min(recallSample, queries.count)))))
    if missing > 0 { throw BenchmarkFailure("fuzzy index missed \(missing) matches") }

    let keep = arguments.contains("--keep")
    try saveAndLoad(index, entries: entries, queries: queries, keep: keep)
    if arguments.contains("--no-processes") { return }
    try queryProcesses(entries, queries: queries, processes: option("--processes", 30), keep: keep)
    let suggestUnits = min(entries.count, option("--suggest-units", 100_000))
    try suggestAgainstToolkit(
      entries.prefix(suggestUnits), sentences: Array(queries.prefix(option("--sentences", 300))),
      toolkitSentences: option("--toolkit-sentences", 20), keep: keep)
  }

  /// Writes the index as a mapped file, maps it back and checks it answers like the built one.
  static func saveAndLoad(_ index: FuzzyIndex, entries: [FuzzyEntry], queries: [String], keep: Bool) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aligntm-bench-fuzzy-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
    let url = directory.appendingPathComponent("index.fuzzy-en-fr")
    let saveStart = ContinuousClock.now
    try index._writeMapped(to: url, signature: "bench", generation: 0)
    let saveTime = ContinuousClock.now - saveStart
    let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    let byID = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let loadStart = ContinuousClock.now
    let mapped = try FuzzyIndex._openMapped(at: url, expectedSignature: "bench") { byID[$0] }
    let loadTime = ContinuousClock.now - loadStart
    print(
      "fuzzy: mapped index written in \(seconds(saveTime)) s, file \(size / 1_000_000) MB (no texts); "
        + "mapped and checked in \(String(format: "%.1f", milliseconds(loadTime))) ms")
    var differing = 0
    for query in queries {
      let built = try index._indexedScores(for: query, minimumScore: 50)
      let read = try mapped._indexedScores(for: query, minimumScore: 50)
      if built.map(\.id) != read.map(\.id) || built.map(\.score) != read.map(\.score) { differing += 1 }
      let builtTop = try index.matches(for: query, minimumScore: 70, limit: 5)
      let readTop = try mapped.matches(for: query, minimumScore: 70, limit: 5)
      if builtTop.map(\.entry) != readTop.map(\.entry)
        || builtTop.map(\.suggestion) != readTop.map(\.suggestion)
      {
        differing += 1
      }
    }
    print(
      "fuzzy: mapped index answers like the built one on \(queries.count - differing) of \(queries.count) queries"
    )
    if differing > 0 { throw BenchmarkFailure("mapped index differs on \(differing) queries") }
  }

  /// The release `aligntm` beside this benchmark's binary, or `nil` after a notice.
  static func aligntmBinary() -> String? {
    let path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("aligntm").path
    if FileManager.default.isExecutableFile(atPath: path) { return path }
    print("fuzzy: skipped the aligntm processes: no \(path) (swift build -c release --product aligntm)")
    return nil
  }

  static func unit(_ entry: FuzzyEntry, suffix: String = "") -> TranslationUnit {
    .aligned(
      source: Variant(language: .english, text: entry.source + suffix),
      target: Variant(language: .french, text: entry.target), document: entry.document,
      paragraph: entry.paragraph, date: Date(timeIntervalSince1970: 1_700_000_000))
  }

  /// A memory at `url` holding `entries`, written in one transaction; the seconds it took.
  static func makeMemory(at url: URL, _ entries: ArraySlice<FuzzyEntry>) throws -> Double {
    let start = ContinuousClock.now
    let memory = try TranslationMemory(url: url)
    try memory.write { memory in
      var start = entries.startIndex
      while start < entries.endIndex {
        let end = min(start + 10_000, entries.endIndex)
        try memory.add(entries[start..<end].map { unit($0) })
        start = end
      }
    }
    return milliseconds(ContinuousClock.now - start) / 1000
  }

  static func percentile(_ values: [Double], _ p: Double) -> Double {
    values.isEmpty ? 0 : values[min(values.count - 1, Int(Double(values.count) * p))]
  }

  /// `aligntm query` in fresh processes on a memory of `entries`: the first builds and saves the
  /// index, the others map it (warm page cache); wall time and peak resident memory of each.
  static func queryProcesses(_ entries: [FuzzyEntry], queries: [String], processes: Int, keep: Bool) throws {
    guard let aligntm = aligntmBinary() else { return }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aligntm-bench-fuzzy-query-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
    let memory = directory.appendingPathComponent("memory.sqlite")
    let written = try makeMemory(at: memory, entries[...])
    print("fuzzy: memory of \(entries.count) units written in \(String(format: "%.1f", written)) s")
    try timeQueries(aligntm, memory: memory, unitCount: entries.count, queries: queries, processes: processes)
    // After a write of a few units, the next query lays them over the mapped index.
    let more = try TranslationMemory(url: memory)
    try more.write { try $0.add(entries.prefix(100).map { unit($0, suffix: " (revised)") }) }
    let output = directory.appendingPathComponent("out.json").path
    let after = try spawn(
      aligntm, ["query", queries[2], "--tm", memory.path, "--format", "json"], output: output)
    if after.status != 0 { throw BenchmarkFailure("aligntm query exited with \(after.status)") }
    print(
      String(
        format:
          "fuzzy: after adding 100 units: aligntm query %.1f ms, max RSS %d MB (the changes laid over the mapped index)",
        after.wall * 1000, after.residentMegabytes))
  }

  /// Times fresh `aligntm query` processes on `memory` (the first builds the index when it has
  /// none), the start-up floor beside them, and the stages of a query in a fresh process.
  static func timeQueries(_ aligntm: String, memory: URL, unitCount: Int, queries: [String], processes: Int)
    throws
  {
    let directory = memory.deletingLastPathComponent()
    let output = directory.appendingPathComponent("out.json").path
    func query(_ text: String) throws -> SpawnResult {
      let result = try spawn(
        aligntm, ["query", text, "--tm", memory.path, "--format", "json"], output: output)
      if result.status != 0 { throw BenchmarkFailure("aligntm query exited with \(result.status)") }
      return result
    }
    let first = try query(queries[0])
    let indexFile = FuzzyIndex.defaultURL(forMemory: memory, from: .english, to: .french)
    let size = (try FileManager.default.attributesOfItem(atPath: indexFile.path)[.size] as? Int) ?? 0
    print(
      String(
        format:
          "fuzzy: aligntm query, first run (builds and saves the index unless saved): %.1f s, max RSS %d MB; index file %d MB",
        first.wall, first.residentMegabytes, size / 1_000_000))
    _ = try query(queries[1])  // the page cache warm
    var results: [SpawnResult] = []
    for number in 0..<processes { results.append(try query(queries[number % queries.count])) }
    let walls = results.map(\.wall).sorted()
    let cpus = results.map(\.cpu).sorted()
    let resident = results.map(\.residentMegabytes).sorted()
    print(
      String(
        format:
          "fuzzy: aligntm query on %d units, %d fresh processes (warm page cache): wall p50 %.1f ms, p99 %.1f ms; "
          + "CPU p50 %.1f ms, p99 %.1f ms; max RSS p50 %d MB, max %d MB (targets ≤ 50 ms, ≤ 80 MB)",
        unitCount, processes, percentile(walls, 0.5) * 1000, percentile(walls, 0.99) * 1000,
        percentile(cpus, 0.5) * 1000, percentile(cpus, 0.99) * 1000, resident[resident.count / 2],
        resident.last ?? 0))
    // The ceiling: what any aligntm process costs before it reads a memory.
    var floors: [SpawnResult] = []
    for _ in 0..<processes {
      let result = try spawn(aligntm, ["--version"], output: "/dev/null")
      if result.status != 0 { throw BenchmarkFailure("aligntm --version exited with \(result.status)") }
      floors.append(result)
    }
    let floorWalls = floors.map(\.wall).sorted()
    let floorCPUs = floors.map(\.cpu).sorted()
    print(
      String(
        format:
          "fuzzy: start-up floor, `aligntm --version`, %d fresh processes: wall p50 %.1f ms, p99 %.1f ms; "
          + "CPU p50 %.1f ms, p99 %.1f ms: the query itself adds p50 %.1f ms wall, %.1f ms CPU",
        processes, percentile(floorWalls, 0.5) * 1000, percentile(floorWalls, 0.99) * 1000,
        percentile(floorCPUs, 0.5) * 1000, percentile(floorCPUs, 0.99) * 1000,
        (percentile(walls, 0.5) - percentile(floorWalls, 0.5)) * 1000,
        (percentile(cpus, 0.5) - percentile(floorCPUs, 0.5)) * 1000))
    // The stages of one query, timed inside a fresh process (this binary, linked like aligntm).
    let report = directory.appendingPathComponent("phases.txt").path
    var stages: [String: [Double]] = [:]
    for number in 0..<min(processes, 10) {
      let sample = (0..<6).map { queries[(number * 6 + $0) % queries.count] }
      let result = try spawnDirectly(
        CommandLine.arguments[0], ["fuzzy", "--phases", memory.path] + sample, output: report)
      if result.status != 0 { throw BenchmarkFailure("fuzzy --phases exited with \(result.status)") }
      let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
      for field in text.split(whereSeparator: \.isWhitespace) {
        let parts = field.split(separator: "=")
        if parts.count == 2, let value = Double(parts[1]) {
          stages[String(parts[0]), default: []].append(value)
        }
      }
    }
    func median(_ name: String) -> Double {
      let values = (stages[name] ?? []).sorted()
      return values.isEmpty ? 0 : values[values.count / 2]
    }
    print(
      String(
        format:
          "fuzzy: stages of a query in a fresh process (medians of %d): open the memory %.1f ms, map and check "
          + "the index %.1f ms, first query %.1f ms (analysers made, texts fetched), later queries %.1f ms",
        stages["open"]?.count ?? 0, median("open"), median("map"), median("first"), median("later")))
  }

  /// `aligntm suggest` on a document of `sentences` against a memory of `entries`, start-up
  /// included, beside translate-toolkit's matcher on the same units where it is installed.
  static func suggestAgainstToolkit(
    _ entries: ArraySlice<FuzzyEntry>, sentences: [String], toolkitSentences: Int, keep: Bool
  ) throws {
    guard let aligntm = aligntmBinary() else { return }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aligntm-bench-fuzzy-suggest-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
    let memory = directory.appendingPathComponent("memory.sqlite")
    _ = try makeMemory(at: memory, entries)
    let document = directory.appendingPathComponent("new.txt")
    try sentences.joined(separator: "\n\n").write(to: document, atomically: true, encoding: .utf8)
    let output = directory.appendingPathComponent("out.tsv")
    func suggest() throws -> SpawnResult {
      let result = try spawn(
        aligntm, ["suggest", document.path, "--tm", memory.path, "--format", "tsv", "-o", output.path],
        output: "/dev/null")
      if result.status != 0 { throw BenchmarkFailure("aligntm suggest exited with \(result.status)") }
      return result
    }
    _ = try suggest()  // builds and saves the index
    var runs: [SpawnResult] = []
    for _ in 0..<3 { runs.append(try suggest()) }
    let best = runs.map(\.wall).min() ?? 0
    let lines = (try String(contentsOf: output, encoding: .utf8)).split(separator: "\n").count
    let ours = best / Double(max(1, lines)) * 1000
    print(
      String(
        format:
          "fuzzy: aligntm suggest on %d units: %d sentences in %.2f s (best of 3), start-up included: %.2f ms a sentence, max RSS %d MB",
        entries.count, lines, best, ours, runs.map(\.residentMegabytes).max() ?? 0))
    let table = directory.appendingPathComponent("units.tsv")
    func clean(_ text: String) -> String {
      text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
    try entries.map { "\(clean($0.source))\t\(clean($0.target))" }.joined(separator: "\n")
      .write(to: table, atomically: true, encoding: .utf8)
    let queries = directory.appendingPathComponent("queries.txt")
    try sentences.prefix(toolkitSentences).map(clean).joined(separator: "\n")
      .write(to: queries, atomically: true, encoding: .utf8)
    let script = directory.appendingPathComponent("toolkit.py")
    try Self.toolkitScript.write(to: script, atomically: true, encoding: .utf8)
    let report = directory.appendingPathComponent("toolkit.txt")
    let toolkit = try spawn(
      "/usr/bin/env", ["python3", script.path, table.path, queries.path], output: report.path)
    let fields =
      (try? String(contentsOf: report, encoding: .utf8))?.split(whereSeparator: \.isWhitespace).compactMap {
        Double($0)
      } ?? []
    guard toolkit.status == 0, fields.count == 2 else {
      print(
        "fuzzy: translate-toolkit's matcher not run (python3 -c 'import translate' fails here): no comparison"
      )
      return
    }
    let (setup, perQuery) = (fields[0], fields[1])
    let theirs = (perQuery + setup / Double(max(1, lines))) * 1000
    print(
      String(
        format:
          "fuzzy: translate-toolkit's matcher (max_length 1000, min_similarity 50) on the same units: set-up %.1f s, "
          + "%.1f ms a sentence (%d sentences), %.1f ms with its set-up spread over %d sentences: "
          + "aligntm %.0f× faster (target ≥ 100×)",
        setup, perQuery * 1000, toolkitSentences, theirs, lines, theirs / max(ours, 0.001)))
  }

  /// Builds translate-toolkit's matcher over `units.tsv` and times it on `queries.txt`; prints
  /// the set-up seconds and the seconds a query.
  static let toolkitScript = #"""
    import sys, time
    from translate.search import match
    from translate.storage import po
    start = time.perf_counter()
    store = po.pofile()
    for line in open(sys.argv[1], encoding="utf-8"):
        source, _, target = line.rstrip("\n").partition("\t")
        unit = store.addsourceunit(source)
        unit.target = target
    matcher = match.matcher(store, max_candidates=1, min_similarity=50, max_length=1000)
    setup = time.perf_counter() - start
    queries = [line.rstrip("\n") for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
    start = time.perf_counter()
    for query in queries:
        matcher.matches(query)
    print(setup, (time.perf_counter() - start) / max(1, len(queries)))
    """#

  struct SpawnResult {
    var wall: Double
    var residentMegabytes: Int
    var status: Int32
    /// User and system CPU seconds of the child (which other processes on the cores do not inflate).
    var cpu: Double = 0
  }

  /// Runs `executable` with `arguments`, its standard output to `output`; its wall time and
  /// peak resident memory.
  ///
  /// A child spawned straight from this process would report this process's peak as its own
  /// (Linux carries the peak of the memory it replaces across `exec`), so a fresh copy of this
  /// binary, small, spawns it and reads its `wait4` figures (`fuzzy --measure`). The peak is
  /// then at least that copy's (about 15 MB).
  static func spawn(_ executable: String, _ arguments: [String], output: String) throws -> SpawnResult {
    let report = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aligntm-bench-measure-\(getpid())"
    ).path
    defer { unlink(report) }
    let helper = try spawnDirectly(
      CommandLine.arguments[0], ["fuzzy", "--measure", output, executable] + arguments, output: report)
    let fields =
      (try? String(contentsOfFile: report, encoding: .utf8))?.split(whereSeparator: \.isWhitespace) ?? []
    guard helper.status == 0, fields.count == 4, let wall = Double(fields[0]), let resident = Int(fields[1]),
      let status = Int32(fields[2]), let cpu = Double(fields[3])
    else { throw BenchmarkFailure("cannot measure \(executable)") }
    return SpawnResult(wall: wall, residentMegabytes: resident, status: status, cpu: cpu)
  }

  /// `fuzzy --measure OUTPUT EXECUTABLE ARGUMENTS…`: runs the executable and prints its wall
  /// seconds, peak resident megabytes, exit status and CPU seconds.
  static func measure(_ arguments: [String]) throws {
    guard arguments.count >= 2 else { throw BenchmarkFailure("--measure OUTPUT EXECUTABLE ARGUMENTS…") }
    let result = try spawnDirectly(arguments[1], Array(arguments.dropFirst(2)), output: arguments[0])
    print("\(result.wall) \(result.residentMegabytes) \(result.status) \(result.cpu)")
  }

  /// `fuzzy --phases MEMORY QUERY…`: in this fresh process, the milliseconds of each stage of
  /// `aligntm query`, as `name=milliseconds` pairs: opening the memory, mapping and checking the
  /// index, the first query (which makes the analysers' tables and break iterators), and the
  /// later queries (the mean), each with the fetch of its matches' texts.
  static func phases(_ arguments: [String]) throws {
    guard arguments.count >= 2 else { throw BenchmarkFailure("--phases MEMORY QUERY…") }
    var clock = ContinuousClock.now
    func lap() -> Double {
      let now = ContinuousClock.now
      defer { clock = now }
      return milliseconds(now - clock)
    }
    let memory = try TranslationMemory(url: URL(fileURLWithPath: arguments[0]))
    let open = lap()
    let index = try memory.fuzzyIndex(from: .english, to: .french)
    let map = lap()
    _ = try index.matches(for: arguments[1], minimumScore: 70, limit: 5)
    let first = lap()
    for query in arguments.dropFirst(2) { _ = try index.matches(for: query, minimumScore: 70, limit: 5) }
    let later = lap() / Double(max(1, arguments.count - 2))
    print(String(format: "open=%.2f map=%.2f first=%.2f later=%.2f", open, map, first, later))
  }

  /// ``spawn(_:_:output:)`` without the fresh copy in between.
  static func spawnDirectly(
    _ executable: String, _ arguments: [String], output: String, errors: String = "/dev/null"
  ) throws -> SpawnResult {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    fflush(nil)
    var pid: pid_t = 0
    let start = ContinuousClock.now
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else {
      throw BenchmarkFailure("cannot run \(executable): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let wall = milliseconds(ContinuousClock.now - start) / 1000
    func value(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return SpawnResult(
      wall: wall, residentMegabytes: usage.ru_maxrss / 1024, status: (status >> 8) & 0xFF,
      cpu: value(usage.ru_utime) + value(usage.ru_stime))
  }

  static func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
      + Double(usage.ru_stime.tv_sec)
      + Double(usage.ru_stime.tv_usec) / 1e6
  }

  static func seconds(_ duration: Duration) -> String {
    String(
      format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
  }

  static func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
  }

  static func maximumResidentMegabytes() -> Int {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024  // kilobytes on Linux
    #else
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss / (1024 * 1024)  // bytes on macOS
    #endif
  }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// UN-like sentences: corpus sentences with their numbers, dates, symbols and sessions
/// changed, words swapped, dropped or added, and clauses of two sentences joined.
struct SyntheticMemory {
  private var random: SplitMix
  private var sentences: [(en: String, fr: String)] = []
  private var words: [String] = []
  private let months = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]
  private let names: [String]

  var baseCount: Int { sentences.count }
  var vocabularyCount: Int { words.count }

  init(corpus: String, seed: UInt64) {
    random = SplitMix(seed: seed)
    var wordSet = Set<String>()
    for pair in ["un/001", "un/002", "un/003", "un/004", "new/asean-2022"] {
      let english = (try? String(contentsOfFile: "\(corpus)/\(pair)/en.txt", encoding: .utf8)) ?? ""
      let french = (try? String(contentsOfFile: "\(corpus)/\(pair)/fr.txt", encoding: .utf8)) ?? ""
      let frenchLines = french.split(separator: "\n").map(String.init)
      for (offset, line) in english.split(separator: "\n").enumerated() {
        for sentence in Self.sentences(in: String(line)) where sentence.count > 12 {
          let target = offset < frenchLines.count ? frenchLines[offset] : sentence
          sentences.append((sentence, target))
          for word in sentence.split(separator: " ") where word.allSatisfy(\.isLetter) {
            wordSet.insert(String(word))
          }
        }
      }
    }
    if sentences.isEmpty {
      sentences = [
        ("The General Assembly, recalling its resolution 75/15 of 23 November 2020,", "L'Assemblée générale")
      ]
    }
    words = wordSet.sorted()
    if words.isEmpty { words = ["cooperation"] }
    // Proper names and terms a real memory holds in thousands: made-up, pronounceable.
    var generator = SplitMix(seed: seed &+ 1)
    let syllables = ["ka", "ro", "mi", "ta", "ne", "lu", "sa", "vo", "di", "bre", "qua", "zen", "tor", "ia"]
    names = (0..<20_000).map { _ in
      let count = 2 + Int(generator.next() % 3)
      let name = (0..<count).map { _ in syllables[Int(generator.next() % UInt64(syllables.count))] }.joined()
      return name.prefix(1).uppercased() + name.dropFirst()
    }
  }

  /// Sentences split at `. ` and `; ` (good enough for a generator).
  static func sentences(in paragraph: String) -> [String] {
    var result: [String] = []
    var current = ""
    for word in paragraph.split(separator: " ") {
      current += current.isEmpty ? String(word) : " " + word
      if (word.hasSuffix(".") && word.count > 3) || word.hasSuffix(";") {
        result.append(current)
        current = ""
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }

  private mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
  private mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
  private mutating func number(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(random.next() % UInt64(range.count))
  }

  mutating func variant(of sentence: String) -> String {
    var tokens = sentence.split(separator: " ").map(String.init)
    if chance(30), let other = Optional(pick(sentences).en.split(separator: " ").map(String.init)),
      let cut = tokens.firstIndex(where: { $0.hasSuffix(",") }),
      let otherCut = other.firstIndex(where: { $0.hasSuffix(",") })
    {
      tokens = Array(tokens[...cut]) + Array(other[(otherCut + 1)...])
    }
    for position in tokens.indices {
      let token = tokens[position]
      let trailing = token.last.map { ",.;:)".contains($0) } == true ? String(token.last ?? " ") : ""
      let core = trailing.isEmpty ? token : String(token.dropLast())
      if core.allSatisfy(\.isNumber), !core.isEmpty {
        tokens[position] = String(core.count == 4 ? number(1990...2030) : number(1...300)) + trailing
      } else if core.contains("/"), core.first?.isNumber == true || core.first == "A" || core.first == "S" {
        tokens[position] = "A/\(number(50...80))/\(number(1...999))" + trailing
      } else if months.contains(core) {
        tokens[position] = pick(months) + trailing
      }
    }
    for _ in 0..<number(0...4) {
      guard !tokens.isEmpty else { break }
      let position = number(0...(tokens.count - 1))
      switch number(0...3) {
      case 0: tokens.remove(at: position)
      case 1: tokens.insert(pick(words), at: position)
      case 2: tokens[position] = pick(names)
      default: tokens[position] = pick(words)
      }
    }
    return tokens.joined(separator: " ")
  }

  mutating func entry(id: Int64) -> FuzzyEntry {
    let base = pick(sentences)
    let source = chance(5) ? base.en : variant(of: base.en)
    return FuzzyEntry(
      id: id, source: source, target: base.fr, sourceLanguage: .english, targetLanguage: .french,
      document: "A/\(number(50...80))/\(number(1...999))", paragraph: String(number(1...120)))
  }

  mutating func query(number index: Int) -> String {
    switch index % 10 {
    case 0, 1, 2: return pick(sentences).en
    case 3, 4, 5, 6: return variant(of: pick(sentences).en)
    default:
      // New text: random corpus words and names, rarely matching anything.
      return (0..<number(8...40)).map { _ in chance(20) ? pick(names) : pick(words) }.joined(separator: " ")
    }
  }
}

/// SplitMix64, so that runs are repeatable.
struct SplitMix {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
