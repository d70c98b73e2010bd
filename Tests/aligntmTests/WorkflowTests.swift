import Foundation
import TestSupport
import Testing
import TextSegmentation

/// The translator's workflow through the command line, on the bundled corpus: align a pair into a
/// memory, export and re-import TMX, and pre-translate a new text.
@Suite(.serialized) struct WorkflowTests {
  let folder: URL
  var memory: String { folder.appendingPathComponent("memory.sqlite").path }

  init() throws { folder = try TestSupport.makeTemporaryDirectory() }

  func aligntm(_ arguments: [String]) throws -> CommandRunner.Result {
    try CommandRunner.run(arguments, environment: ["ALIGNTM_TM": memory])
  }

  func corpus(_ path: String) -> String { TestSupport.corpusFile(path).path }

  @discardableResult
  func alignInto(_ pair: String) throws -> CommandRunner.Result {
    let result = try aligntm([
      "align", corpus("un/\(pair)/en.txt"), corpus("un/\(pair)/fr.txt"), "--into-tm", "--format", "links",
      "-o", folder.appendingPathComponent("\(pair).links").path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    return result
  }

  func jsonObjects(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  @Test func alignedBeadsScoreAgainstTheGold() throws {
    let output = folder.appendingPathComponent("003.jsonl").path
    let align = try aligntm(["align", corpus("un/003/en.txt"), corpus("un/003/fr.txt"), "-o", output])
    #expect(align.status == 0)
    let beads = try jsonObjects(String(contentsOfFile: output, encoding: .utf8))
    #expect(beads.count == 67)
    let first = try #require(beads.first)
    for key in ["source", "target", "sourceIds", "targetIds", "score", "paragraph"] {
      #expect(first.keys.contains(key), "jsonl bead has \(key)")
    }
    let eval = try aligntm(["eval", "--beads", corpus("un/003/gold.jsonl"), "--test", output])
    #expect(eval.status == 0)
    let strict = try #require(eval.standardOutput.split(separator: "\n").first)
    let f1 = try #require(Double(strict.split(separator: " ").last ?? ""))
    #expect(f1 >= 0.97, "\(eval.standardOutput)")
  }

  @Test func storingTwiceMergesDuplicates() throws {
    let first = try alignInto("003")
    #expect(first.standardError.contains("67 units added"))
    let second = try alignInto("003")
    #expect(second.standardError.contains("0 units added, 67 already there"))
    let stats = try aligntm(["tm", "stats"])
    #expect(stats.standardOutput.contains("67 units"))
    #expect(stats.standardOutput.contains("A/RES/75/15: 67 units"))
  }

  @Test func exportValidatesAndRoundTrips() throws {
    try alignInto("003")
    try alignInto("002")
    let tmx = folder.appendingPathComponent("memory.tmx").path
    let export = try aligntm(["tm", "export", "-o", tmx])
    #expect(export.status == 0, "\(export.standardError)")
    let xmllint = "/usr/bin/xmllint"
    if !FileManager.default.isExecutableFile(atPath: xmllint) {
      Issue.record("xmllint is not installed: Scripts/install-deps.sh --test installs it")
    } else if !ExternalData.tmxDTD.exists {
      Issue.record("DTD validation skipped: \(ExternalData.tmxDTD.missingNotice)", severity: .warning)
    } else {
      let check = Process()
      check.executableURL = URL(fileURLWithPath: xmllint)
      check.arguments = ["--noout", "--dtdvalid", ExternalData.tmxDTD.url.path, tmx]
      try check.run()
      check.waitUntilExit()
      #expect(check.terminationStatus == 0, "xmllint --dtdvalid accepts the export")
    }
    let copy = folder.appendingPathComponent("copy.sqlite").path
    let imported = try CommandRunner.run(["tm", "import", tmx, "--tm", copy])
    #expect(imported.status == 0, "\(imported.standardError)")
    let again = folder.appendingPathComponent("again.tmx").path
    #expect(try CommandRunner.run(["tm", "export", "--output", again, "--tm", copy]).status == 0)
    // The header's creation date differs between the two exports; the units must not.
    func units(_ path: String) throws -> String {
      let text = try String(contentsOfFile: path, encoding: .utf8)
      let body = try #require(text.range(of: "<body>"))
      return String(text[body.lowerBound...])
    }
    #expect(try units(tmx) == units(again))
    let removed = try aligntm(["tm", "remove", "--document", "A/RES/77/13"])
    #expect(removed.standardOutput.contains("units of A/RES/77/13 removed"))
    #expect(try aligntm(["tm", "list", "--document", "A/RES/77/13"]).standardOutput.isEmpty)
  }

  @Test func badTMXIsRefusedWithItsPlace() throws {
    let bad = folder.appendingPathComponent("bad.tmx")
    try """
    <?xml version="1.0" encoding="UTF-8"?>
    <tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
    <body><tu><tuv xml:lang="en"><seg>One</seg></tuv><tuv xml:lang="fr"><seg>Un</seg></tuv></tu>
    <tu><tuv xml:lang="en"><seg>Two</seg></tuv><tuv xml:lang="fr"><seg>Deux</tuv></tu>
    </body></tmx>
    """.write(to: bad, atomically: true, encoding: .utf8)
    let result = try aligntm(["tm", "import", bad.path])
    #expect(result.status != 0)
    #expect(result.standardError.contains("bad.tmx:4:"), "\(result.standardError)")
    if FileManager.default.fileExists(atPath: memory) {
      let stats = try aligntm(["tm", "stats"])
      #expect(stats.standardOutput.contains(": 0 units"), "nothing imported: \(stats.standardOutput)")
    }
  }

  /// Issue 10: with --skip-bad, XML that breaks keeps the units before it but fails, saying where
  /// reading stopped and how much was not read; bad UTF-16 is refused at its place, without
  /// libxml2's own lines on standard error.
  @Test func importSaysWhereReadingStopped() throws {
    let head = """
      <?xml version="1.0" encoding="UTF-8"?>
      <tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" \
      o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>

      """
    func unit(_ index: Int) -> String {
      "<tu><tuv xml:lang=\"en\"><seg>Unit \(index).</seg></tuv>"
        + "<tuv xml:lang=\"fr\"><seg>Unité \(index).</seg></tuv></tu>\n"
    }
    let broken = folder.appendingPathComponent("broken.tmx")
    let text =
      head + (1...3).map(unit).joined() + "<tu><tuv xml:lang=\"en\"><seg>a < b</seg></tuv></tu>\n"
      + (5...6).map(unit).joined() + "</body></tmx>\n"
    try text.write(to: broken, atomically: true, encoding: .utf8)
    let skipping = try aligntm(["tm", "import", "--skip-bad", broken.path])
    #expect(skipping.status != 0)
    #expect(skipping.standardOutput.contains("3 units read, 3 added, 0 already there, 0 skipped"))
    #expect(
      skipping.standardError.contains("broken.tmx:6:")
        && skipping.standardError.contains("reading stopped there: the rest of the file, "),
      "\(skipping.standardError)")
    #expect(try aligntm(["tm", "stats"]).standardOutput.contains(": 3 units"))

    var utf16: [UInt8] = [0xFF, 0xFE]
    for code
      in (head.replacingOccurrences(of: "UTF-8", with: "UTF-16") + unit(1) + unit(2) + "</body></tmx>\n")
      .utf16
    {
      utf16 += [UInt8(code & 0xFF), UInt8(code >> 8)]
    }
    let bad = folder.appendingPathComponent("utf16.tmx")
    let at = utf16.count - 60
    try Data(utf16[..<at] + [0x00, 0xD8] + utf16[at...]).write(to: bad)
    let refused = try aligntm(["tm", "import", bad.path])
    #expect(refused.status != 0)
    #expect(
      refused.standardError.contains("utf16.tmx:4:") && refused.standardError.contains("lone surrogate"),
      "\(refused.standardError)")
    #expect(!refused.standardError.contains("encoding error"), "\(refused.standardError)")
    #expect(try aligntm(["tm", "stats"]).standardOutput.contains(": 3 units"), "nothing more imported")
  }

  /// Issue 5's test: a memory of pair 003, aligned by aligntm, pre-translates the asean-2022 text.
  @Test func suggestsForTheFollowUpResolution() throws {
    try alignInto("003")
    let result = try aligntm(["suggest", corpus("new/asean-2022/en.txt"), "--format", "jsonl"])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(
      result.standardError.contains("100%") && result.standardError.contains("no match"), "analysis printed")
    let records = try jsonObjects(result.standardOutput)
    let gold = try TestSupport.jsonLines("new/asean-2022/gold.jsonl", as: GoldBead.self)
    let originals = Dictionary(
      try TestSupport.jsonLines("un/003/gold.jsonl", as: GoldBead.self).map { ($0.p, $0) },
      uniquingKeysWith: { first, _ in first })
    let key = TextNormalizer.comparisonKey
    var bySource: [String: [String: Any]] = [:]
    for record in records { bySource[key(record["source"] as? String ?? "")] = record }
    var numbersRight = 0
    var numbersTotal = 0
    for bead in gold {
      let record = try #require(bySource[key(bead.en[0])], "a suggestion for \(bead.p)")
      let score = record["score"] as? Double ?? 0
      let suggestion = (record["suggestion"] as? String).map(key)
      switch bead.edit {
      case "same":
        #expect(score == 100, "\(bead.p) at 100 %")
        #expect(suggestion == key(bead.fr[0]), "\(bead.p) gives the stored French")
      case "numbers":
        numbersTotal += 1
        if score >= 75 && suggestion == key(bead.fr[0]) { numbersRight += 1 }
      case "wording":
        let match = record["match"] as? [String: Any]
        let from = try #require(bead.from.flatMap { originals[$0] })
        #expect((match?["source"] as? String).map(key) == key(from.en[0]), "\(bead.p) matched to \(from.p)")
      default: break
      }
    }
    #expect(Double(numbersRight) >= 0.9 * Double(numbersTotal), "numbers: \(numbersRight)/\(numbersTotal)")
  }

  @Test func queryShowsDifferencesAndProvenance() throws {
    try alignInto("003")
    let result = try aligntm([
      "query",
      "Recalling all its resolutions on cooperation between the United Nations and the Association of Southeast Asian Nations",
      "--format", "json",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    let best = try #require((object["matches"] as? [[String: Any]])?.first)
    #expect((best["score"] as? Double ?? 0) >= 90)
    #expect(best["document"] as? String == "A/RES/75/15")
    #expect(!(best["differences"] as? [Any] ?? []).isEmpty, "the missing footnote marker is a difference")
    let concord = try aligntm(["concord", "Bangkok Declaration"])
    #expect(concord.standardOutput.contains("[[Bangkok Declaration]]"))
    #expect(concord.standardOutput.contains("Déclaration de Bangkok"))
  }

  /// The spellings before issue 9 (`--from`/`--to`, `--lang`, `--min`, `--top`, `--out`) are hidden
  /// aliases: each gives what its canonical spelling gives.
  @Test func oldSpellingsGiveWhatTheCanonicalOnesGive() throws {
    try alignInto("003")
    let text = "Recalling all its resolutions on cooperation between the United Nations and the Association"
    let query = try aligntm([
      "query", text, "--source-lang", "en", "--target-lang", "fr", "--min-score", "10", "--limit", "2",
      "--format", "json",
    ])
    #expect(query.status == 0, "\(query.standardError)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(query.standardOutput.utf8)) as? [String: Any])
    #expect((object["matches"] as? [Any])?.count == 2, "--limit 2")
    let oldQuery = try aligntm([
      "query", text, "--from", "en", "--to", "fr", "--min", "10", "--top", "2", "--format", "json",
    ])
    #expect(oldQuery.standardOutput == query.standardOutput)

    let concord = try aligntm([
      "concord", "association", "--source-lang", "fr", "--target-lang", "en", "--limit", "1",
    ])
    #expect(concord.standardOutput.hasPrefix("fr: ") && concord.standardOutput.contains("[[Association]]"))
    #expect(concord.standardOutput.contains("\nen: "), "the English translation is shown")
    #expect(concord.standardOutput.contains("; 1 shown (--limit)"), "\(concord.standardOutput)")
    let oldConcord = try aligntm(["concord", "association", "--lang", "fr", "--to", "en", "--limit", "1"])
    #expect(oldConcord.standardOutput == concord.standardOutput)

    let suggest = ["suggest", corpus("new/asean-2022/en.txt"), "--format", "tsv"]
    let canonicalFile = folder.appendingPathComponent("a.tsv").path
    let oldFile = folder.appendingPathComponent("b.tsv").path
    let strict = try aligntm(suggest + ["--min-score", "100", "-o", canonicalFile])
    let oldStrict = try aligntm(suggest + ["--min", "100", "--from", "en", "--out", oldFile])
    #expect(strict.status == 0 && oldStrict.status == 0, "\(oldStrict.standardError)")
    let tsv = try String(contentsOfFile: canonicalFile, encoding: .utf8)
    #expect(tsv == (try String(contentsOfFile: oldFile, encoding: .utf8)))
    #expect(!tsv.contains("\t99") && tsv.contains("\t100.0\t"), "only exact matches at --min-score 100")

    let tmx = folder.appendingPathComponent("old.tmx").path
    #expect(try aligntm(["tm", "export", "--out", tmx]).status == 0)
    #expect(try String(contentsOfFile: tmx, encoding: .utf8).contains("<tmx version=\"1.4\">"))
  }

  /// `--min-score` is a percentage in `tm add` as in `query`: 90 keeps the beads scoring 0.9 or more.
  @Test func addKeepsTheBeadsAboveThePercentage() throws {
    let beads = folder.appendingPathComponent("003.jsonl").path
    #expect(
      try aligntm(["align", corpus("un/003/en.txt"), corpus("un/003/fr.txt"), "-o", beads]).status == 0)
    let records = try jsonObjects(String(contentsOfFile: beads, encoding: .utf8))
    let confident = records.filter { ($0["score"] as? Double ?? 0) >= 0.9 }.count
    #expect(confident > 0 && confident < records.count, "the test needs beads on both sides of 0.9")
    let add = try aligntm(["tm", "add", beads, "--min-score", "90"])
    #expect(add.status == 0, "\(add.standardError)")
    #expect(add.standardOutput.contains(": \(confident) units added"), "\(add.standardOutput)")
  }

  /// The libraries' errors name their file and line themselves; the command line adds only `Error: `.
  @Test func badInputIsReportedWithItsPlace() throws {
    let bad = folder.appendingPathComponent("bad.jsonl")
    try "{\"source\": \"One.\", \"target\": \"Un.\"}\n\n{\"score\": 1}\n"
      .write(to: bad, atomically: true, encoding: .utf8)
    let add = try aligntm(["tm", "add", bad.path])
    #expect(add.status == 1)
    #expect(
      add.standardError.hasPrefix("Error: \(bad.path):3: not a bead of `aligntm align --format jsonl`"),
      "\(add.standardError)")
    let eval = try aligntm(["eval", "--beads", corpus("un/003/gold.jsonl"), "--test", bad.path])
    #expect(eval.status == 1)
    #expect(eval.standardError.hasPrefix("Error: \(bad.path):3: not a bead"), "\(eval.standardError)")
    let links = folder.appendingPathComponent("bad.links")
    try "[1]:[1]\nnonsense\n".write(to: links, atomically: true, encoding: .utf8)
    let evalLinks = try aligntm(["eval", "--gold", links.path, "--test", links.path])
    #expect(
      evalLinks.standardError.hasPrefix("Error: \(links.path):2: expected a link"),
      "\(evalLinks.standardError)")
    let missing = folder.appendingPathComponent("missing.txt").path
    let presegmented = try aligntm(["align", missing, missing, "--presegmented"])
    #expect(presegmented.status == 1)
    #expect(
      presegmented.standardError.hasPrefix("Error: \(missing): cannot read the file:"),
      "\(presegmented.standardError)")
  }

  @Test func reviewPageRendersInABrowser() throws {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
    let page = folder.appendingPathComponent("review.html")
    let align = try aligntm([
      "align", corpus("un/004/en.txt"), corpus("un/004/fr.txt"), "--format", "html", "-o", page.path,
    ])
    #expect(align.status == 0)
    let html = try String(contentsOf: page, encoding: .utf8)
    #expect(html.contains("<table>") && html.contains("class=\"empty\""))
    guard let chromium else {
      Issue.record("chromium is not installed: Scripts/install-deps.sh --test installs it")
      return
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium)
    process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.absoluteString]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let dom = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let rows = dom.components(separatedBy: "<tr").count - 2  // minus the split head and the header row
    let beads = html.components(separatedBy: "<tr").count - 2
    #expect(rows == beads && rows > 250, "the browser builds one row per bead (\(rows))")
    #expect(dom.contains("Nations Unies"))
  }
}

@Suite struct FuzzyIndexFileTests {
  @Test func suggestSavesTheIndexAndRebuildsItAfterAWrite() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    let memory = folder.appendingPathComponent("memory.sqlite").path
    let env = ["ALIGNTM_TM": memory]
    let corpus = { (path: String) in TestSupport.corpusFile(path).path }
    #expect(
      try CommandRunner.run(
        ["align", corpus("un/002/en.txt"), corpus("un/002/fr.txt"), "--into-tm", "-o", "/dev/null"],
        environment: env
      ).status == 0)
    let query = [
      "query", "Recalling all previous relevant resolutions of the Security Council", "--format", "json",
    ]
    let first = try CommandRunner.run(query, environment: env)
    let indexFile = memory + ".fuzzy-en-fr"
    #expect(FileManager.default.fileExists(atPath: indexFile), "the index is saved beside the memory")
    let saved = try FileManager.default.attributesOfItem(atPath: indexFile)[.modificationDate] as? Date
    let second = try CommandRunner.run(query, environment: env)
    #expect(second.standardOutput == first.standardOutput)
    #expect(
      try FileManager.default.attributesOfItem(atPath: indexFile)[.modificationDate] as? Date == saved,
      "reused, not rebuilt")
    // A write makes the saved index stale: the next look-up sees the new units.
    #expect(
      try CommandRunner.run(
        ["align", corpus("un/003/en.txt"), corpus("un/003/fr.txt"), "--into-tm", "-o", "/dev/null"],
        environment: env
      ).status == 0)
    let third = try CommandRunner.run(
      [
        "query",
        "Recalling all its resolutions on cooperation between the United Nations and the Association of Southeast Asian Nations,",
        "--format", "json",
      ], environment: env)
    #expect(third.standardOutput.contains("A/RES/75/15"))
  }
}

/// `-o` writes through what is not a regular file and follow symbolic links: a device, a FIFO
/// or a link is never replaced by a new plain file.
@Suite struct OutputPathTests {
  private func fileType(_ path: String) throws -> FileAttributeType? {
    try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
  }

  @Test func outputsFollowSymbolicLinksAndWriteThroughDevices() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let memory = folder.appendingPathComponent("memory.sqlite").path
    let env = ["ALIGNTM_TM": memory]
    let corpus = { (path: String) in TestSupport.corpusFile(path).path }
    let target = folder.appendingPathComponent("links.txt").path
    let link = folder.appendingPathComponent("link.txt").path
    try Data("old".utf8).write(to: URL(fileURLWithPath: target))
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    let align = ["align", corpus("un/002/en.txt"), corpus("un/002/fr.txt"), "--into-tm"]
    #expect(try CommandRunner.run(align + ["-o", link], environment: env).status == 0)
    #expect(try fileType(link) == .typeSymbolicLink, "the link stays a link")
    #expect(
      try String(contentsOfFile: target, encoding: .utf8).contains("\"sourceIds\""),
      "the beads went to its target")
    #expect(try CommandRunner.run(align + ["-o", "/dev/null"], environment: env).status == 0)
    #expect(try fileType("/dev/null") == .typeCharacterSpecial, "/dev/null is still a device")

    let tmx = folder.appendingPathComponent("memory.tmx").path
    let tmxLink = folder.appendingPathComponent("export.tmx").path
    try Data().write(to: URL(fileURLWithPath: tmx))
    try FileManager.default.createSymbolicLink(atPath: tmxLink, withDestinationPath: tmx)
    #expect(try CommandRunner.run(["tm", "export", "-o", tmxLink], environment: env).status == 0)
    #expect(try fileType(tmxLink) == .typeSymbolicLink)
    #expect(try String(contentsOfFile: tmx, encoding: .utf8).contains("<tmx version=\"1.4\">"))
    #expect(try CommandRunner.run(["tm", "export", "-o", "/dev/null"], environment: env).status == 0)
    #expect(try fileType("/dev/null") == .typeCharacterSpecial, "/dev/null is still a device")
  }
}
