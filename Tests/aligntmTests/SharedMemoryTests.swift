import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// The reading commands on a memory they must not change: shared read-only, written by another
/// process meanwhile, another program's database, a damaged file, tags written by CAT tools.
@Suite struct SharedMemoryTests {
  let folder: URL
  var memory: URL { folder.appendingPathComponent("shared/memory.sqlite") }

  init() throws { folder = try TestSupport.makeTemporaryDirectory() }

  func aligntm(_ arguments: [String]) throws -> CommandRunner.Result {
    try CommandRunner.run(arguments, in: folder)
  }

  static func pair(_ english: String, _ french: String) -> TranslationUnit {
    .aligned(
      source: Variant(language: .english, text: english), target: Variant(language: .french, text: french),
      document: "A/75/15")
  }

  /// A memory of three units, closed.
  func makeMemory() throws {
    try TranslationMemory(url: memory).add([
      Self.pair("Agenda item 130.", "Point 130 de l'ordre du jour."),
      Self.pair("The General Assembly,", "L'Assemblée générale,"),
      Self.pair("Recalling its resolution 75/15,", "Rappelant sa résolution 75/15,"),
    ])
  }

  /// Bytes 18 and 19 of a SQLite file: 1 for a rollback journal, 2 for WAL.
  func journalVersions(_ url: URL) throws -> [UInt8] {
    Array(try Data(contentsOf: url)[18...19])
  }

  func setPermissions(_ mode: Int, _ url: URL) throws {
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
  }

  /// Before, every command opened the memory to write: `PRAGMA journal_mode = WAL` and the
  /// migrations in `BEGIN IMMEDIATE`, refused on a read-only memory. As root, as in CI, the
  /// permissions stop nothing: what is asserted is that the reading commands leave the file as
  /// it was, even a memory of an older schema that a writing command would upgrade.
  @Test func theReadingCommandsLeaveAReadOnlyMemoryAsItWas() throws {
    defer {
      try? setPermissions(0o755, memory.deletingLastPathComponent())
      try? FileManager.default.removeItem(at: folder)
    }
    try makeMemory()
    try SQLiteConnection(path: memory.path).execute("PRAGMA user_version = \(Schema.oldestReadableVersion)")
    let bytes = try Data(contentsOf: memory)
    let date = try FileManager.default.attributesOfItem(atPath: memory.path)[.modificationDate] as? Date
    try setPermissions(0o444, memory)
    try setPermissions(0o555, memory.deletingLastPathComponent())
    let tm = ["--tm", memory.path]
    let export = folder.appendingPathComponent("out.tmx").path
    for arguments in [
      ["tm", "stats"], ["tm", "list"], ["tm", "export", "-o", export], ["query", "Agenda item 130."],
      ["concord", "Assembly"],
    ] {
      let result = try aligntm(arguments + tm)
      #expect(result.status == 0, "\(arguments): \(result.standardError)")
    }
    try setPermissions(0o755, memory.deletingLastPathComponent())
    #expect(try Data(contentsOf: memory) == bytes)
    #expect(try FileManager.default.attributesOfItem(atPath: memory.path)[.modificationDate] as? Date == date)
  }

  /// The README says readers query while another process imports: before, they waited 10 s for
  /// the writer's lock and failed with "database is locked".
  @Test func readersAnswerWithTheCommittedStateWhileAWriteIsOpen() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try makeMemory()
    let writer = try TranslationMemory(url: memory)
    try writer.write { writer in
      try writer.add(Self.pair("Not committed yet.", "Pas encore validé."))
      let stats = try aligntm(["tm", "stats", "--tm", memory.path])
      #expect(stats.status == 0, "\(stats.standardError)")
      #expect(stats.standardOutput.contains("3 units"), "\(stats.standardOutput)")
      let query = try aligntm(["query", "--tm", memory.path, "Agenda item 130."])
      #expect(query.status == 0, "\(query.standardError)")
      #expect(query.standardOutput.contains("Point 130 de l'ordre du jour."))
      let missing = try aligntm(["query", "--tm", memory.path, "--min-score", "90", "Not committed yet."])
      #expect(!missing.standardOutput.contains("Pas encore validé."))
    }
  }

  /// Before, `tm stats` switched another program's database to WAL and then refused it.
  @Test func anotherProgramsDatabaseIsRefusedAndLeftInItsJournalMode() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let other = folder.appendingPathComponent("other.sqlite")
    try SQLiteConnection(path: other.path).execute(
      "CREATE TABLE invoice (number INTEGER); INSERT INTO invoice VALUES (1)")
    #expect(try journalVersions(other) == [1, 1])
    let result = try aligntm(["tm", "stats", "--tm", other.path])
    #expect(result.status != 0)
    #expect(result.standardError.contains("not a translation memory"), "\(result.standardError)")
    #expect(try journalVersions(other) == [1, 1], "the file was switched to WAL")
    #expect(!FileManager.default.fileExists(atPath: other.path + "-wal"))
  }

  /// Trados and memoQ write `en-US`, `fr-FR`, `EN-US`, `en_US`: before, such units were imported
  /// and never found with the default `--source-lang en --target-lang fr`.
  @Test func unitsTaggedByCATToolsAreFoundByTheirPrimaryLanguage() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let tmx = folder.appendingPathComponent("trados.tmx")
    try Data(
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <tmx version="1.4"><header creationtool="SDL Trados Studio" creationtoolversion="17" \
      segtype="sentence" o-tmf="SDL TM8 Format" adminlang="en-US" srclang="en-US" datatype="xml"/>
      <body>
      <tu><tuv xml:lang="en-US"><seg>Agenda item 130.</seg></tuv>\
      <tuv xml:lang="fr-FR"><seg>Point 130 de l'ordre du jour.</seg></tuv></tu>
      <tu><tuv xml:lang="EN-US"><seg>The General Assembly,</seg></tuv>\
      <tuv xml:lang="FR-FR"><seg>L'Assemblée générale,</seg></tuv></tu>
      <tu><tuv xml:lang="en_US"><seg>The Security Council met today.</seg></tuv>\
      <tuv xml:lang="fr-CA"><seg>Le Conseil de sécurité s'est réuni aujourd'hui.</seg></tuv>\
      <tuv xml:lang="fr_FR"><seg>Le Conseil de sécurité s'est réuni ce jour.</seg></tuv></tu>
      </body></tmx>
      """.utf8
    ).write(to: tmx)
    let tm = ["--tm", memory.path]
    let imported = try aligntm(["tm", "import", tmx.path] + tm)
    #expect(imported.status == 0, "\(imported.standardError)")
    // `en_US` is stored as `en-us`, beside the `en-US` and `EN-US` units.
    let stats = try aligntm(["tm", "stats"] + tm)
    #expect(stats.standardOutput.contains("en-us: 3 variants"), "\(stats.standardOutput)")

    let query = try aligntm(["query", "Agenda item 130."] + tm)
    #expect(query.standardOutput.contains("Point 130 de l'ordre du jour."), "\(query.standardOutput)")
    // For `fr` the main region (`fr-FR`) comes before another (`fr-CA`); for `fr-CA`, `fr-CA`.
    let french = try aligntm(["query", "The Security Council met today."] + tm)
    #expect(french.standardOutput.contains("ce jour."), "\(french.standardOutput)")
    let canadian = try aligntm(["query", "--target-lang", "fr-CA", "The Security Council met today."] + tm)
    #expect(canadian.standardOutput.contains("aujourd'hui."), "\(canadian.standardOutput)")

    let concord = try aligntm(["concord", "Assembly"] + tm)
    #expect(concord.standardOutput.contains("L'Assemblée générale,"), "\(concord.standardOutput)")
    let out = folder.appendingPathComponent("out.tmx")
    let export = try aligntm(["tm", "export", "--languages", "en,fr", "-o", out.path] + tm)
    #expect(export.standardOutput.contains("3 units written"), "\(export.standardOutput)")
  }

  /// Before: "No match at 70 % or more among 0 units."
  @Test func aLanguagePairTheMemoryLacksNamesThePairsItHas() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try makeMemory()
    let result = try aligntm(["query", "--tm", memory.path, "--target-lang", "de", "Agenda item 130."])
    #expect(result.status != 0)
    let expected = "has no en→de units; it holds en→fr (3 units)"
    #expect(result.standardError.contains(expected), "\(result.standardError)")
    // concord names the pairs too, rather than listing sources without their translation.
    let concord = try aligntm(["concord", "--tm", memory.path, "--target-lang", "de", "Agenda"])
    #expect(concord.status != 0)
    #expect(concord.standardError.contains(expected), "\(concord.standardError)")
    #expect(!concord.standardOutput.contains("Agenda"), "nothing listed")
  }

  /// `tm import -` and `tm import /dev/stdin` read a TMX from standard input (a pipe).
  @Test func importReadsStandardInput() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try makeMemory()
    let tmx = folder.appendingPathComponent("export.tmx")
    #expect(try aligntm(["tm", "export", "--tm", memory.path, "-o", tmx.path]).status == 0)
    let text = try String(contentsOf: tmx, encoding: .utf8)
    for (index, name) in ["-", "/dev/stdin"].enumerated() {
      let other = folder.appendingPathComponent("other\(index).sqlite").path
      let result = try CommandRunner.run(["tm", "import", name, "--tm", other], input: text)
      #expect(result.status == 0, "\(result.standardError)")
      #expect(result.standardOutput.contains("3 units read, 3 added"), "\(result.standardOutput)")
    }
    // A stream cut short is refused with its place, as a file is.
    let cut = try CommandRunner.run(
      ["tm", "import", "-", "--tm", folder.appendingPathComponent("cut.sqlite").path],
      input: String(text.prefix(text.count / 2)))
    #expect(cut.status != 0)
    #expect(cut.standardError.contains("<stdin>:"), "\(cut.standardError)")
  }

  /// Before: "SQLite error 11: database disk image is malformed".
  @Test func aDamagedMemorySaysWhatItMeansAndWhatToDo() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try TranslationMemory(url: memory).add(
      (0..<400).map { Self.pair("Sentence number \($0) of the report.", "Phrase numéro \($0) du rapport.") })
    // Garbage over every page after the first (the header and the schema stay readable).
    var bytes = try Data(contentsOf: memory)
    let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
    #expect(bytes.count > 3 * pageSize)
    for offset in pageSize..<bytes.count { bytes[offset] = UInt8(truncatingIfNeeded: offset &* 131 ^ 0x5A) }
    try bytes.write(to: memory)
    let result = try aligntm(["tm", "stats", "--tm", memory.path])
    #expect(result.status != 0)
    #expect(result.standardError.contains("is damaged"), "\(result.standardError)")
    #expect(result.standardError.contains("restore it from a copy"), "\(result.standardError)")
    #expect(!result.standardError.contains("SQLite error"), "\(result.standardError)")
  }
}
