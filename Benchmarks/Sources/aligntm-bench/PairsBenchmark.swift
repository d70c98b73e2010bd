import Foundation

/// `aligntm-bench pairs [--pairs N] [--dir DIR] [--keep]`: `aligntm align --pairs LIST --into-tm`
/// on the UN corpus pairs (corpus/un/001–004) repeated to N (default 1,000) distinct pairs of
/// files (links to the corpus, one folder per pair), in pairs per second; then the same command
/// again, which finds every pair stored and skips it; and, for reference, one `aligntm align
/// --into-tm` process per pair on the four corpus pairs.
///
/// It runs the `aligntm` built beside it (`swift build -c release` builds both).
enum PairsBenchmark {
  static func run(_ arguments: [String]) throws {
    var count = 1000
    let folder = try WorkingFolder(arguments, name: "pairs") { option, value in
      guard option == "--pairs" else { return false }
      guard let value, let number = Int(value), number > 0 else {
        throw BenchmarkError.usage("--pairs needs a positive number")
      }
      count = number
      return true
    }
    defer { folder.finish() }
    let aligntm = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
      .deletingLastPathComponent().appendingPathComponent("aligntm")
    guard FileManager.default.isExecutableFile(atPath: aligntm.path) else {
      throw BenchmarkError.failed("no aligntm beside aligntm-bench: run `swift build -c release` first")
    }
    let corpus = repositoryRoot.appendingPathComponent("corpus/un")
    let documents = ["001", "002", "003", "004"]
    let directory = folder.url
    let pairs = directory.appendingPathComponent("pairs")
    try? FileManager.default.removeItem(at: pairs)
    var list = "# source\ttarget (links to corpus/un/001–004)\n"
    for index in 0..<count {
      let document = documents[index % documents.count]
      let pair = pairs.appendingPathComponent(String(format: "%04d", index + 1))
      try FileManager.default.createDirectory(at: pair, withIntermediateDirectories: true)
      for side in ["en.txt", "fr.txt"] {
        try FileManager.default.createSymbolicLink(
          at: pair.appendingPathComponent(side),
          withDestinationURL: corpus.appendingPathComponent("\(document)/\(side)"))
      }
      list += "pairs/\(pair.lastPathComponent)/en.txt\tpairs/\(pair.lastPathComponent)/fr.txt\n"
    }
    let listFile = directory.appendingPathComponent("pairs.tsv")
    try list.write(to: listFile, atomically: true, encoding: .utf8)
    let memory = directory.appendingPathComponent("memory.sqlite")
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: memory.path + suffix) }
    print(
      "== pairs: align --pairs on the UN corpus pairs repeated to \(count), \(ProcessInfo.processInfo.activeProcessorCount) cores =="
    )

    let batch = try child(aligntm, ["align", "--pairs", listFile.path, "--into-tm", "--tm", memory.path])
    print(
      String(
        format: "  batch     %5d pairs in %7.2f s = %7.1f pairs/s, CPU %6.2f s, peak RSS %6.1f MiB",
        count, batch.wall, Double(count) / batch.wall, batch.cpu, batch.peakMebibytes))
    print("            \(batch.summary)")
    let again = try child(aligntm, ["align", "--pairs", listFile.path, "--into-tm", "--tm", memory.path])
    print(String(format: "  resumed   %5d pairs, all stored already: %.2f s", count, again.wall))
    print("            \(again.summary)")

    // The reference: one process per pair, as a shell loop over the list would run them.
    let single = directory.appendingPathComponent("single.sqlite")
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: single.path + suffix) }
    var wall = 0.0
    var cpu = 0.0
    for document in documents {
      let result = try child(
        aligntm,
        [
          "align", corpus.appendingPathComponent("\(document)/en.txt").path,
          corpus.appendingPathComponent("\(document)/fr.txt").path, "--into-tm", "--tm", single.path, "-o",
          "/dev/null",
        ])
      wall += result.wall
      cpu += result.cpu
    }
    print(
      String(
        format:
          "  reference %5d pairs, one process each: %.2f s = %.1f pairs/s, CPU %.2f s; the batch is %.1f× as fast",
        documents.count, wall, Double(documents.count) / wall, cpu,
        (Double(count) / batch.wall) / (Double(documents.count) / wall)))
    print()
  }

  struct ChildResult {
    var wall: Double
    var cpu: Double
    var peakMebibytes: Double
    /// The last line of its standard error.
    var summary: String
  }

  /// Runs a child to its end, with its wall time, CPU time and peak RSS (of the children so far).
  static func child(_ executable: URL, _ arguments: [String]) throws -> ChildResult {
    fflush(nil)
    let before = childrenUsage()
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = FileHandle.nullDevice
    let start = ContinuousClock.now
    try process.run()
    let errors = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let wall = seconds(since: start)
    guard process.terminationStatus == 0 else {
      throw BenchmarkError.failed(
        "aligntm \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(errors)")
    }
    let after = childrenUsage()
    let summary = errors.split(separator: "\n").last.map(String.init) ?? ""
    return ChildResult(
      wall: wall, cpu: after.cpu - before.cpu, peakMebibytes: after.peakMebibytes, summary: summary)
  }

  static func childrenUsage() -> (cpu: Double, peakMebibytes: Double) {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return (seconds(usage.ru_utime) + seconds(usage.ru_stime), Double(usage.ru_maxrss) / 1024)
  }
}
