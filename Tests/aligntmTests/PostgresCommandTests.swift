import Foundation
import TestSupport
import Testing

/// Every command that works on a SQLite memory works on a PostgreSQL one (`--tm postgresql://…`
/// or `$ALIGNTM_TM`), with the same results: the same steps are run on both and their outputs
/// compared. Each test has a database of its own on the test server (``PostgresTestServer``).
@Suite("PostgreSQL commands", .serialized, .requiresPostgres)
struct PostgresCommandTests {
  let folder: URL
  let started = Date()

  init() throws { folder = try TestSupport.makeTemporaryDirectory() }

  func corpus(_ path: String) -> String { TestSupport.corpusFile(path).path }

  /// Runs aligntm on a memory: by `--tm` when `byOption`, else by `$ALIGNTM_TM`.
  func aligntm(_ arguments: [String], tm: String, byOption: Bool = false) throws -> CommandRunner.Result {
    var environment = ["ALIGNTM_CACHE_DIR": folder.appendingPathComponent("cache").path]
    if byOption {
      environment["ALIGNTM_TM"] = ""
      return try CommandRunner.run(arguments + ["--tm", tm], environment: environment)
    }
    environment["ALIGNTM_TM"] = tm
    return try CommandRunner.run(arguments, environment: environment)
  }

  /// What a step printed, with the memory's name made `TM` and the test folder `DIR`, so that
  /// the two stores' outputs compare.
  func normalised(_ text: String, tm: String) -> String {
    text.replacingOccurrences(of: tm, with: "TM").replacingOccurrences(of: folder.path, with: "DIR")
      // `align --pairs` says how long it took.
      .replacingOccurrences(
        of: #" in [0-9.]+ s \([0-9.]+ pairs/s\)"#, with: " in T", options: .regularExpression)
  }

  /// A TMX export with the dates written during this test (the aligned units' creation dates,
  /// the merges' change dates) made `NOW`: both stores are filled in turn, seconds apart. Dates
  /// from the imported files stay as they are.
  func exportedWithoutTodaysDates(_ file: URL) throws -> String {
    let text = try String(contentsOf: file, encoding: .utf8)
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    let window = started.addingTimeInterval(-2)...Date().addingTimeInterval(2)
    let pattern = try NSRegularExpression(pattern: #"(date)="(\d{8}T\d{6}Z)""#)
    var result = text
    for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
      guard let range = Range(match.range(at: 2), in: text),
        let date = formatter.date(from: String(text[range])),
        window.contains(date), let whole = Range(match.range, in: result)
      else { continue }
      result.replaceSubrange(whole, with: #"date="NOW""#)
    }
    return result
  }

  /// The interop TMX files of ../shared, or nil (with a notice) when absent.
  static var interopFiles: [URL]? {
    let folder = ExternalData.shared.url.appendingPathComponent("interop/tmx")
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
      print(
        "note: missing \(ExternalData.shared.displayPath)/interop/tmx (set ALIGNTM_SHARED): imports skipped")
      return nil
    }
    return names.filter { $0.hasSuffix(".tmx") }.sorted().map { folder.appendingPathComponent($0) }
  }

  /// One store's run of the quickstart and more: every step's status and output, by name.
  func walk(tm: String) throws -> [(step: String, status: Int32, output: String)] {
    var steps: [(String, Int32, String)] = []
    func step(_ name: String, _ arguments: [String], byOption: Bool = false) throws {
      let result = try aligntm(arguments, tm: tm, byOption: byOption)
      steps.append(
        (name, result.status, normalised(result.standardOutput + "\n--\n" + result.standardError, tm: tm)))
    }
    try step(
      "align 003",
      ["align", corpus("un/003/en.txt"), corpus("un/003/fr.txt"), "--into-tm", "-o", "/dev/null"])
    try step(
      "align 004",
      ["align", corpus("un/004/en.txt"), corpus("un/004/fr.txt"), "--into-tm", "-o", "/dev/null"],
      byOption: true)
    let files = Self.interopFiles ?? []
    for file in files { try step("import \(file.lastPathComponent)", ["tm", "import", file.path]) }
    // Again: everything merges. A second later, so that units the files give no date (dated by
    // their import) come back with another date in both stores, whatever the speed of each.
    Thread.sleep(forTimeInterval: 1.1)
    for file in files.prefix(6) {
      try step("import again \(file.lastPathComponent)", ["tm", "import", file.path], byOption: true)
    }
    try step(
      "align 003 again",
      ["align", corpus("un/003/en.txt"), corpus("un/003/fr.txt"), "--into-tm", "-o", "/dev/null"])
    let list = folder.appendingPathComponent("pairs.tsv")
    try
      "\(corpus("un/001/en.txt"))\t\(corpus("un/001/fr.txt"))\n\(corpus("un/002/en.txt"))\t\(corpus("un/002/fr.txt"))\tA/TEST/2\n"
      .write(to: list, atomically: true, encoding: .utf8)
    try step("align --pairs", ["align", "--pairs", list.path, "--into-tm"])
    try step("align --pairs again", ["align", "--pairs", list.path, "--into-tm"], byOption: true)
    let beads = folder.appendingPathComponent("001.jsonl").path
    try step(
      "align to jsonl",
      ["align", corpus("un/001/en.txt"), corpus("un/001/fr.txt"), "--format", "jsonl", "-o", beads])
    Thread.sleep(forTimeInterval: 1.1)
    try step("tm add", ["tm", "add", beads, "--document", "A/TEST/1"], byOption: true)
    let xliff = folder.appendingPathComponent("suggest.xlf").path
    try step("suggest xliff", ["suggest", corpus("new/asean-2022/en.txt"), "--format", "xliff", "-o", xliff])
    // A second later again: a unit dated by its import merges by whether the stored one has the
    // same date (TMX's rule), so a step in the same second as the one before it in one walk but
    // not in the other would merge differently.
    Thread.sleep(forTimeInterval: 1.1)
    try step("tm import xliff", ["tm", "import", xliff])
    try step("tm remove", ["tm", "remove", "--document", "A/TEST/2"])
    try step("tm stats", ["tm", "stats"], byOption: true)
    try step("tm list", ["tm", "list", "--document", "A/RES/75/15"])
    try step(
      "query",
      [
        "query",
        "Recalling all its resolutions on cooperation between the United Nations and the Association of Southeast Asian Nations",
        "--format", "json",
      ],
      byOption: true)
    try step("query text", ["query", "Welcomes the efforts of the Secretary-General", "--min-score", "50"])
    try step("suggest", ["suggest", corpus("new/asean-2022/en.txt")], byOption: true)
    try step("concord", ["concord", "General Assembly", "--limit", "5"])
    let export = folder.appendingPathComponent("export.tmx")
    try step("tm export", ["tm", "export", "-o", export.path])
    steps.append(("exported file", 0, try exportedWithoutTodaysDates(export)))
    return steps
  }

  /// The main proof that the two stores follow the same rules: the same aligning, importing
  /// (every interop file, accepted or refused alike), merging, removing, counting, querying and
  /// exporting give the same outputs, and the same TMX byte for byte.
  @Test func theQuickstartAndMoreGiveTheSameOnBothStores() throws {
    let database = try PostgresTestServer.freshDatabase()
    defer { PostgresTestServer.drop(database) }
    let sqlite = try walk(tm: folder.appendingPathComponent("memory.sqlite").path)
    let postgres = try walk(tm: database)
    #expect(sqlite.count == postgres.count)
    for (expected, actual) in zip(sqlite, postgres) {
      #expect(actual.step == expected.step)
      #expect(actual.status == expected.status, "\(expected.step): \(actual.output)")
      if actual.output != expected.output {
        // Both kept for a diff: the values are too long for the message.
        let name = expected.step.replacingOccurrences(of: " ", with: "-").replacingOccurrences(
          of: "/", with: "-")
        let kept = folder.appendingPathComponent("differs-\(name)")
        try expected.output.write(
          to: kept.appendingPathExtension("sqlite"), atomically: true, encoding: .utf8)
        try actual.output.write(
          to: kept.appendingPathExtension("postgresql"), atomically: true, encoding: .utf8)
        Issue.record("\(expected.step) differs: diff \(kept.path).sqlite \(kept.path).postgresql")
      }
    }
    // Not a walk of nothing: the commands ran, stored and found units.
    for name in [
      "align 003", "align 004", "align --pairs", "tm add", "suggest xliff", "tm import xliff", "tm remove",
      "tm stats", "tm list", "query", "suggest", "concord", "tm export",
    ] {
      #expect(postgres.first { $0.step == name }?.status == 0, "\(name)")
    }
    let stats = try #require(postgres.first { $0.step == "tm stats" })
    #expect(stats.output.contains("A/RES/75/15: 67 units"), "\(stats.output)")
    #expect(!stats.output.contains("A/TEST/2"), "\(stats.output)")
    let query = try #require(postgres.first { $0.step == "query" })
    #expect(query.output.contains("\"target\""), "\(query.output)")
  }

  /// A database with no memory is refused by a reading command as a missing file is, and named
  /// without its password.
  @Test func aReadingCommandOnAnEmptyDatabaseSaysThereIsNoMemory() throws {
    let database = try PostgresTestServer.freshDatabase()
    defer { PostgresTestServer.drop(database) }
    let withPassword = database.replacingOccurrences(of: "aligntm@", with: "aligntm:hunter2@")
    let result = try aligntm(["tm", "stats"], tm: withPassword)
    #expect(result.status == 1)
    #expect(
      result.standardError.contains("\(database): no translation memory yet"), "\(result.standardError)")
    #expect(!result.standardError.contains("hunter2"))
  }

  /// A TMX file of the units `range` numbers (English and French), made by the test itself.
  func generatedTMX(_ name: String, units range: Range<Int>) throws -> URL {
    var text =
      #"<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>"#
    for index in range {
      text +=
        "<tu><tuv xml:lang=\"en\"><seg>Paragraph \(index) of the report on cooperation.</seg></tuv>"
        + "<tuv xml:lang=\"fr\"><seg>Paragraphe \(index) du rapport sur la coopération.</seg></tuv></tu>\n"
    }
    let file = folder.appendingPathComponent(name)
    try (text + "</body></tmx>").write(to: file, atomically: true, encoding: .utf8)
    return file
  }

  /// Two `tm import`s of different files and an `align --into-tm` at once, into one memory: every
  /// unit is there once, the counts are a serial run's, and no process fails.
  @Test func concurrentWritersLoseAndDuplicateNothing() throws {
    // The second and third overlap the first and each other: their shared units must merge.
    let files = [
      try generatedTMX("first.tmx", units: 0..<2_000), try generatedTMX("second.tmx", units: 1_500..<5_000),
      try generatedTMX("third.tmx", units: 4_000..<8_000),
    ]
    // The same units under another name: two writers insert them at once, and one must merge.
    let copy = folder.appendingPathComponent("copy-of-\(files[1].lastPathComponent)")
    try FileManager.default.copyItem(at: files[1], to: copy)
    let concurrent: [[String]] = [
      ["tm", "import", files[1].path], ["tm", "import", copy.path], ["tm", "import", files[2].path],
      ["align", corpus("un/003/en.txt"), corpus("un/003/fr.txt"), "--into-tm", "-o", "/dev/null"],
    ]
    let serial = folder.appendingPathComponent("serial.sqlite").path
    for command in [["tm", "import", files[0].path]] + concurrent {
      #expect(try aligntm(command, tm: serial).status == 0)
    }
    let database = try PostgresTestServer.freshDatabase()
    defer { PostgresTestServer.drop(database) }
    // Made first, so that the writers race on the rows (making the schema at once has a test of
    // its own).
    #expect(try aligntm(["tm", "import", files[0].path], tm: database).status == 0)
    let remaining = concurrent
    let results = try runAtOnce(remaining, tm: database)
    for (command, result) in zip(remaining, results) {
      #expect(result.status == 0, "\(command): \(result.standardError)")
    }
    let export = folder.appendingPathComponent("concurrent.tmx")
    let serialExport = folder.appendingPathComponent("serial.tmx")
    #expect(try aligntm(["tm", "export", "-o", export.path], tm: database).status == 0)
    #expect(try aligntm(["tm", "export", "-o", serialExport.path], tm: serial).status == 0)
    let stats = try aligntm(["tm", "stats"], tm: database)
    let serialStats = try aligntm(["tm", "stats"], tm: serial)
    #expect(
      normalised(stats.standardOutput, tm: database) == normalised(serialStats.standardOutput, tm: serial))
    // The same units (ids and dates may differ with the order the writers took turns in).
    #expect(try unitTexts(export) == unitTexts(serialExport))
    #expect(try unitTexts(export).count == Set(try unitTexts(export)).count, "a unit is stored twice")
  }

  /// The `<seg>` texts of each `<tu>`, sorted: the units whatever their order and ids.
  func unitTexts(_ file: URL) throws -> [String] {
    let text = try String(contentsOf: file, encoding: .utf8)
    return text.components(separatedBy: "<tu ").dropFirst().map { unit in
      unit.components(separatedBy: "<seg>").dropFirst().map { $0.components(separatedBy: "</seg>")[0] }
        .joined(separator: " | ")
    }.sorted()
  }

  /// Runs the commands as processes at the same time; their results, in order.
  func runAtOnce(_ commands: [[String]], tm: String) throws -> [CommandRunner.Result] {
    let results = LockedResults(count: commands.count)
    DispatchQueue.concurrentPerform(iterations: commands.count) { index in
      results.set(index, Result { try aligntm(commands[index], tm: tm) })
    }
    return try results.values.map { try $0.get() }
  }
}

private struct NotRun: Error {}

/// Results filled in by concurrent threads.
private final class LockedResults: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<CommandRunner.Result, any Error>?]
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: Result<CommandRunner.Result, any Error>) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }
  var values: [Result<CommandRunner.Result, any Error>] {
    lock.lock()
    defer { lock.unlock() }
    return slots.map { $0 ?? .failure(NotRun()) }
  }
}
