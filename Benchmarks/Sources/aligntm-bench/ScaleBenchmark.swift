import Alignment
import Foundation
import TextSegmentation

/// `aligntm-bench scale [--sizes 0.1,1,10,30] [--dir DIR] [--keep]`: aligns ever larger documents
/// made from the UN pairs of `corpus/un`, each size in its own process, so that each peak RSS is
/// its own. A size (of the English side, in MB) is made of copies of one cycle (001, 002, 003 and
/// 004 one after the other, both sides the same way); below one cycle, of the first documents.
/// Each copy must align as the cycle aligns alone.
///
/// The child's phase is also a command: `scale-align EN FR LINKS`, which prints one line of
/// `key=value` figures and writes the links to LINKS.
enum ScaleBenchmark {
  static let documents = ["001", "002", "003", "004"]

  static func run(_ arguments: [String]) throws {
    var sizes = [0.1, 1, 10, 30]
    let folder = try WorkingFolder(arguments, name: "scale") { option, value in
      guard option == "--sizes" else { return false }
      let values = value?.split(separator: ",").compactMap { Double($0) } ?? []
      guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else {
        throw BenchmarkError.usage("--sizes needs positive sizes in MB, e.g. 0.1,1,10,30")
      }
      sizes = values
      return true
    }
    defer { folder.finish() }
    let directory = folder.url
    let corpus = repositoryRoot.appendingPathComponent("corpus/un")
    var texts: [(en: String, fr: String)] = []
    for document in documents {
      let folder = corpus.appendingPathComponent(document)
      texts.append(
        (
          try String(contentsOf: folder.appendingPathComponent("en.txt"), encoding: .utf8),
          try String(contentsOf: folder.appendingPathComponent("fr.txt"), encoding: .utf8)
        ))
    }
    print(
      "== scale: align on ever larger documents (corpus/un 001–004 appended whole) in \(directory.path) ==")
    // One cycle of the four documents, aligned alone: what each copy of it must align to.
    let cycle = (
      en: texts.map(\.en).joined(separator: "\n\n") + "\n\n",
      fr: texts.map(\.fr).joined(separator: "\n\n") + "\n\n"
    )
    let alone = directory.appendingPathComponent("cycle")
    try FileManager.default.createDirectory(at: alone, withIntermediateDirectories: true)
    let alonePair = try write(cycle.en, cycle.fr, to: alone)
    _ = try child(alonePair.en, alonePair.fr, alone.appendingPathComponent("links.txt"))
    let reference = try readLinks(alone.appendingPathComponent("links.txt"))
    let cycleSource = reference.reduce(0) { $0 + $1.source.count }
    let cycleTarget = reference.reduce(0) { $0 + $1.target.count }
    print(
      "one cycle (001–004): \(format(Double(cycle.en.utf8.count) / 1e6, 3)) MB EN, "
        + "\(format(Double(cycle.fr.utf8.count) / 1e6, 3)) MB FR, \(reference.count) beads")
    print(
      pad("size", 8) + pad("EN MB", 8) + pad("FR MB", 8) + pad("copies", 8) + pad("beads", 9)
        + pad("wall s", 9)
        + pad("CPU s", 9) + pad("peak MB", 9) + pad("s/MB", 7) + "as one cycle")
    for size in sizes {
      let folder = directory.appendingPathComponent("size-\(size)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      // Below one cycle, the first documents whole (nothing to compare with); else whole cycles.
      let en: String
      let fr: String
      let copies: Int?
      if size * 1e6 < Double(cycle.en.utf8.count) {
        var count = 1
        while count < texts.count
          && Double(texts[0...count].reduce(0) { $0 + $1.en.utf8.count + 2 }) <= size * 1e6
        {
          count += 1
        }
        en = texts[..<count].map(\.en).joined(separator: "\n\n")
        fr = texts[..<count].map(\.fr).joined(separator: "\n\n")
        copies = nil
      } else {
        let count = max(1, Int((size * 1e6 / Double(cycle.en.utf8.count)).rounded()))
        en = String(repeating: cycle.en, count: count)
        fr = String(repeating: cycle.fr, count: count)
        copies = count
      }
      let pair = try write(en, fr, to: folder)
      let links = folder.appendingPathComponent("links.txt")
      let figures = try child(pair.en, pair.fr, links)
      let found = try readLinks(links)
      var check = "-"
      if let copies {
        // The links of one cycle, shifted past the copies before.
        var expected: Set<Link> = []
        for copy in 0..<copies {
          for link in reference {
            expected.insert(
              Link(
                source: link.source.map { $0 + copy * cycleSource },
                target: link.target.map { $0 + copy * cycleTarget }))
          }
        }
        let same = found.filter { expected.contains($0) }.count
        check =
          "\(same)/\(expected.count)"
          + (same == expected.count && found.count == expected.count ? "" : " DIFFERENT")
      }
      let megabytes = Double(en.utf8.count + fr.utf8.count) / 1e6
      let wall = figures["wall"] ?? .nan
      print(
        pad(format(size, 1), 8) + pad(format(Double(en.utf8.count) / 1e6, 2), 8)
          + pad(format(Double(fr.utf8.count) / 1e6, 2), 8) + pad(copies.map(String.init) ?? "-", 8)
          + pad("\(found.count)", 9) + pad(format(wall, 2), 9) + pad(format(figures["cpu"] ?? .nan, 2), 9)
          + pad(format(figures["peak"] ?? .nan, 0), 9) + pad(format(wall / megabytes, 2), 7) + check)
    }
    print(
      "wall and CPU: reading both documents and aligning them in a fresh process (the dictionary load not "
        + "counted); s/MB: wall per MB of both sides; peak: the process's peak RSS, dictionary included; "
        + "as one cycle: beads identical to those of one cycle aligned alone, shifted to each copy")
  }

  private static func write(_ en: String, _ fr: String, to folder: URL) throws -> (en: URL, fr: URL) {
    let pair = (folder.appendingPathComponent("en.txt"), folder.appendingPathComponent("fr.txt"))
    try Data(en.utf8).write(to: pair.0)
    try Data(fr.utf8).write(to: pair.1)
    return pair
  }

  private static func readLinks(_ url: URL) throws -> [Link] {
    try Link.links(parsing: String(contentsOf: url, encoding: .utf8), file: url.path)
  }

  /// Runs `scale-align` in a child process and returns the figures it printed.
  private static func child(_ en: URL, _ fr: URL, _ links: URL) throws -> [String: Double] {
    fflush(nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    process.arguments = ["scale-align", en.path, fr.path, links.path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw BenchmarkError.failed("scale-align \(en.path) exited with \(process.terminationStatus)")
    }
    var figures: [String: Double] = [:]
    for field in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace) {
      let parts = field.split(separator: "=")
      if parts.count == 2, let value = Double(parts[1]) { figures[String(parts[0])] = value }
    }
    return figures
  }

  /// The child: reads and aligns two documents as `aligntm align` does, writes the links, and
  /// prints `wall=… cpu=… peak=…` (seconds, seconds, MB).
  static func runChild(_ arguments: [String]) throws {
    guard arguments.count == 3 else { throw BenchmarkError.usage("scale-align EN FR LINKS") }
    let loaded = Lexicon.freedict(sourceLanguage: .english, targetLanguage: .french)
    let aligner = try DocumentAligner(
      sentenceAligner: SentenceAligner(
        sourceLanguage: .english, targetLanguage: .french, lexicon: loaded.lexicon))
    let cpuStart = processCPUSeconds()
    let start = ContinuousClock.now
    let reader = DocumentReader()
    let english = try reader.read(contentsOf: URL(fileURLWithPath: arguments[0]), language: .english)
    let french = try reader.read(contentsOf: URL(fileURLWithPath: arguments[1]), language: .french)
    let alignment = aligner.align(source: english, target: french)
    var text = ""
    for bead in alignment.beads {
      text += Link(source: bead.sourceIds, target: bead.targetIds).description + "\n"
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: arguments[2]))
    let wall = seconds(since: start)
    let cpu = processCPUSeconds() - cpuStart
    print("wall=\(format(wall)) cpu=\(format(cpu)) peak=\(format(peakResidentMegabytes(), 1))")
  }

  /// User and system CPU time of this process, in seconds.
  private static func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
      + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
  }
}
