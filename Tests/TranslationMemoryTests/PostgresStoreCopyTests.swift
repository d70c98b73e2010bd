import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// A TMX import into an empty PostgreSQL memory goes by COPY (Store/PostgresBulkLoad.swift) and
/// stores what the usual path stores: the same units, merges and ids, all or nothing.
@Suite("PostgreSQL COPY import", .requiresPostgres)
struct PostgresStoreCopyTests {
  static let interop = ExternalData.shared.url.appendingPathComponent("interop/tmx")

  /// Imports `file` into a new SQLite memory and a new PostgreSQL one; both exports and
  /// summaries, or the two errors' descriptions.
  func importIntoBoth(_ file: URL) throws -> (sqlite: String, postgres: String, copied: Bool) {
    let started = Date()
    let database = try PostgresTestServer.freshDatabase()
    defer { PostgresTestServer.drop(database) }
    let (sqlite, folder) = try Fixture.makeMemory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let postgres = try TranslationMemory(address: .postgresql(database))
    func run(_ memory: TranslationMemory, _ name: String) -> String {
      do {
        let summary = try memory.importTMX(from: file)
        let out = folder.appendingPathComponent("\(name).tmx")
        try memory.exportTMX(to: out)
        return "\(summary.inserted) \(summary.merged) \(summary.warnings.count)\n"
          + Self.withoutDates(from: started, in: try String(contentsOf: out, encoding: .utf8))
      } catch {
        return "\(error)".replacingOccurrences(of: memory.displayPath, with: "TM")
      }
    }
    let expected = run(sqlite, "sqlite")
    let actual = run(postgres, "postgres")
    // The COPY load logs no insert: the log starts after the import instead.
    let copied = try PostgresTestServer.psql(database, "SELECT count(*) FROM unit_change") == "0"
    return (expected, actual, copied)
  }

  /// `text` with the dates since `start` (a unit without a date gets the time of its import:
  /// the two imports run seconds apart) made `NOW`.
  static func withoutDates(from start: Date, in text: String) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    let window = start.addingTimeInterval(-2)...Date().addingTimeInterval(2)
    var result = text
    let pattern = try? NSRegularExpression(pattern: #"date="(\d{8}T\d{6}Z)""#)
    for match in (pattern?.matches(in: text, range: NSRange(text.startIndex..., in: text)) ?? []).reversed() {
      guard let range = Range(match.range(at: 1), in: text),
        let date = formatter.date(from: String(text[range])),
        window.contains(date), let whole = Range(match.range, in: result)
      else { continue }
      result.replaceSubrange(whole, with: #"date="NOW""#)
    }
    return result
  }

  @Test func everyInteropFileImportsAsIntoSQLite() throws {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: Self.interop.path) else {
      print("note: missing \(ExternalData.shared.displayPath)/interop/tmx (set ALIGNTM_SHARED): skipped")
      return
    }
    var copies = 0
    for name in names.sorted() where name.hasSuffix(".tmx") {
      let result = try importIntoBoth(Self.interop.appendingPathComponent(name))
      #expect(result.postgres == result.sqlite, "\(name)")
      if result.copied && !result.sqlite.hasPrefix("0 ") { copies += 1 }
    }
    #expect(copies > 0, "no file went through the COPY load")
  }

  /// Units repeated in one file merge into the first, whether the first was copied in the same
  /// run or an earlier batch; a failure at the end leaves nothing.
  @Test func duplicatesInTheFileMergeAsUsual() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var units = ""
    for index in 0..<3000 {
      // Every seventh unit repeats one 1,100 units back (an earlier batch) or 3 back (this run).
      let number = index % 7 == 6 ? (index > 1100 ? index - 1100 : index - 3) : index
      units += """
        <tu creationdate="20200101T000000Z"><prop type="x-n">\(index)</prop><note>n\(index)</note>\
        <tuv xml:lang="en"><seg>Sentence \(number).</seg></tuv><tuv xml:lang="fr"><seg>Phrase \(number).</seg></tuv></tu>

        """
    }
    let file = folder.appendingPathComponent("repeats.tmx")
    try """
    <?xml version="1.0" encoding="UTF-8"?>
    <tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>
    <body>
    \(units)</body></tmx>
    """.write(to: file, atomically: true, encoding: .utf8)
    let result = try importIntoBoth(file)
    #expect(result.copied)
    #expect(result.sqlite.hasPrefix("2572 428 "), "\(result.sqlite.prefix(40))")
    #expect(result.postgres == result.sqlite)
  }

  /// The loaded tables have planner statistics when the import ends: without them PostgreSQL
  /// took a memory of many units for an empty one and scanned every unit to join the change log.
  @Test func theLoadedTablesHaveStatistics() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let units = (0..<500).map {
      "<tu><tuv xml:lang=\"en\"><seg>Line \($0).</seg></tuv><tuv xml:lang=\"fr\"><seg>Ligne \($0).</seg></tuv></tu>"
    }
    let file = folder.appendingPathComponent("units.tmx")
    try """
    <?xml version="1.0" encoding="UTF-8"?>
    <tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>
    <body>\(units.joined(separator: "\n"))</body></tmx>
    """.write(to: file, atomically: true, encoding: .utf8)
    let database = try PostgresTestServer.freshDatabase()
    defer { PostgresTestServer.drop(database) }
    let memory = try TranslationMemory(address: .postgresql(database))
    #expect(try memory.importTMX(from: file).inserted == 500)
    let tuples = try PostgresTestServer.psql(
      database,
      "SELECT reltuples::bigint || ' ' || (SELECT count(*) FROM pg_stats WHERE tablename = 'variant') FROM pg_class WHERE relname = 'unit'"
    )
    #expect(tuples.split(separator: " ").first == "500", "\(tuples)")
    #expect(tuples.split(separator: " ").last != "0", "no statistics on variant: \(tuples)")
  }
}
