import CLibXML2
import CSQLite
import Foundation
import TranslationMemory

/// What the two halves of an import cost on their own on this machine, to read the import's
/// rate against: the libxml2 parse with callbacks that do nothing, and SQLite storing the same
/// rows with no parsing at all.
///
/// The import runs them on two threads, so it can't be faster than the slower of the two plus
/// the commit, which comes after both.
enum TMXCeiling {
  /// `tmx-ceiling-parse FILE`: one pass of libxml2's SAX2 push parser, counting `<tu>`s.
  static func parse(_ file: String) throws -> (units: Int, seconds: Double) {
    guard let input = fopen(file, "rb") else { throw BenchmarkError.failed("cannot open \(file)") }
    defer { fclose(input) }
    final class Counter { var units = 0 }
    let counter = Counter()
    var handler = xmlSAXHandler()
    handler.initialized = XML_SAX2_MAGIC
    handler.startElementNs = { context, name, _, _, _, _, _, _, _ in
      guard let context, let name else { return }
      // "tu" and nothing longer.
      if name[0] == UInt8(ascii: "t") && name[1] == UInt8(ascii: "u") && name[2] == 0 {
        let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
        Unmanaged<Counter>.fromOpaque(parser.pointee._private).takeUnretainedValue().units += 1
      }
    }
    handler.characters = { _, _, _ in }
    let start = ContinuousClock.now
    let chunk = 1 << 20
    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: chunk)
    defer { buffer.deallocate() }
    var count = fread(buffer, 1, 4, input)
    guard let parser = xmlCreatePushParserCtxt(&handler, nil, buffer, Int32(count), file) else {
      throw BenchmarkError.failed("libxml2 cannot start")
    }
    defer { xmlFreeParserCtxt(parser) }
    parser.pointee._private = Unmanaged.passUnretained(counter).toOpaque()
    // The options the import uses: no network, no entity substitution, huge texts allowed.
    xmlCtxtUseOptions(parser, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue))
    repeat {
      count = fread(buffer, 1, chunk, input)
      if count > 0 { xmlParseChunk(parser, buffer, Int32(count), 0) }
    } while count > 0
    xmlParseChunk(parser, nil, 0, 1)
    guard parser.pointee.wellFormed != 0 else { throw BenchmarkError.failed("\(file) is not well-formed") }
    return (counter.units, seconds(since: start))
  }

  /// `tmx-ceiling-sqlite DB EMPTY`: copies the rows of the memory DB (made by an import) into
  /// the new memory EMPTY in one WAL transaction, with the import's settings, and times the
  /// inserts and the commit apart.
  ///
  /// `INSERT … SELECT … WHERE` rather than a bare `INSERT … SELECT *`, which SQLite turns into a
  /// copy of whole B-tree pages, each index in its own order: a shortcut no import can take.
  static func store(from database: String, into empty: String) throws
    -> (units: Int, inserts: Double, commit: Double)
  {
    // The schema, pragmas and page size of a new memory.
    _ = try TranslationMemory(url: URL(fileURLWithPath: empty))
    let db = try openDatabase(empty)
    defer { sqlite3_close(db) }
    func execute(_ sql: String) throws { try TMXCeiling.execute(sql, in: db) }
    // TranslationMemory's settings while importing: 32 MiB of cache, no foreign key checks.
    try execute("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA foreign_keys = OFF")
    try execute("ATTACH '\(database.replacingOccurrences(of: "'", with: "''"))' AS source")
    try execute("BEGIN IMMEDIATE")
    let start = ContinuousClock.now
    try copyRows(in: db)
    let inserts = seconds(since: start)
    let committing = ContinuousClock.now
    try execute("COMMIT")
    let commit = seconds(since: committing)
    var statement: OpaquePointer?
    sqlite3_prepare_v2(db, "SELECT count(*) FROM unit", -1, &statement, nil)
    defer { sqlite3_finalize(statement) }
    let units = sqlite3_step(statement) == SQLITE_ROW ? Int(sqlite3_column_int64(statement, 0)) : 0
    return (units, inserts, commit)
  }
  /// `tmx-ceiling`'s bulk half: copies the rows of DB into the new file EMPTY as the bulk import
  /// writes its file (no journal, no syncs, the duplicate key index only), then makes the other
  /// indexes and syncs the file, timed apart.
  static func storeInBulk(from database: String, into empty: String) throws
    -> (units: Int, inserts: Double, commit: Double)
  {
    let db = try openDatabase(empty)
    defer { sqlite3_close(db) }
    func execute(_ sql: String) throws { try TMXCeiling.execute(sql, in: db) }
    try execute(
      """
      PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
      PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -32768; PRAGMA foreign_keys = OFF
      """)
    try execute("ATTACH '\(database.replacingOccurrences(of: "'", with: "''"))' AS source")
    var schema: OpaquePointer?
    sqlite3_prepare_v2(
      db, "SELECT type, name, sql FROM source.sqlite_master WHERE sql IS NOT NULL ORDER BY rowid", -1,
      &schema, nil)
    var deferred: [String] = []
    var immediate: [String] = []
    while sqlite3_step(schema) == SQLITE_ROW {
      let type = String(cString: sqlite3_column_text(schema, 0))
      let name = String(cString: sqlite3_column_text(schema, 1))
      let sql = String(cString: sqlite3_column_text(schema, 2))
      // As the bulk import: the indexes (but the duplicate key's) and the change log's triggers
      // are made after the load.
      if (type == "index" && name != "unit_by_content_key") || type == "trigger" {
        deferred.append(sql)
      } else {
        immediate.append(sql)
      }
    }
    sqlite3_finalize(schema)
    for sql in immediate { try execute(sql) }
    let start = ContinuousClock.now
    try execute("BEGIN")
    try copyRows(in: db)
    try execute("COMMIT")
    let inserts = seconds(since: start)
    let finishing = ContinuousClock.now
    for sql in deferred { try execute(sql) }
    let descriptor = open(empty, O_RDONLY)
    if descriptor >= 0 {
      fsync(descriptor)
      close(descriptor)
    }
    let commit = seconds(since: finishing)
    var statement: OpaquePointer?
    sqlite3_prepare_v2(db, "SELECT count(*) FROM unit", -1, &statement, nil)
    defer { sqlite3_finalize(statement) }
    let units = sqlite3_step(statement) == SQLITE_ROW ? Int(sqlite3_column_int64(statement, 0)) : 0
    return (units, inserts, commit)
  }

  /// `tmx-reference FILE`: translate-toolkit (`translate.storage.tmx.tmxfile`) parsing the file,
  /// the reference of the import's target (at least five times its rate); a notice when its
  /// Python package is not installed.
  static func translateToolkitParse(_ file: String, bulkSeconds: Double?) throws {
    let script = """
      import sys, time
      try:
          from translate.storage import tmx
          import translate.__version__ as version
      except ImportError:
          sys.exit(3)
      start = time.perf_counter()
      with open(sys.argv[1], "rb") as f:
          store = tmx.tmxfile(f)
      print(len(store.units), time.perf_counter() - start, version.sver)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, file]
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch {
      print("reference translate-toolkit: not run (no python3)")
      return
    }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let fields = output.split(whereSeparator: \.isWhitespace)
    guard process.terminationStatus == 0, fields.count == 3, let units = Int(fields[0]),
      let time = Double(fields[1])
    else {
      print(
        process.terminationStatus == 3
          ? "reference translate-toolkit: not installed (pip install translate-toolkit), not run"
          : "reference translate-toolkit: failed (exit \(process.terminationStatus))")
      return
    }
    var line = String(
      format: "reference translate-toolkit %@ parsing the file (tmxfile): %d units in %.2f s = %.0f units/s",
      String(fields[2]), units, time, Double(units) / time)
    if let bulkSeconds {
      line += String(
        format: "; the import into an empty memory is %.1f× as fast (target ≥ 5×)", time / bulkSeconds)
    }
    print(line)
  }

  /// Opens (or makes) a SQLite file.
  static func openDatabase(_ path: String) throws -> OpaquePointer {
    var handle: OpaquePointer?
    guard sqlite3_open(path, &handle) == SQLITE_OK, let db = handle else {
      throw BenchmarkError.failed("cannot open \(path)")
    }
    return db
  }

  static func execute(_ sql: String, in db: OpaquePointer) throws {
    guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
      throw BenchmarkError.failed("\(sql): \(String(cString: sqlite3_errmsg(db)))")
    }
  }

  /// Copies every row an import writes from the attached memory `source`, table by table.
  static func copyRows(in db: OpaquePointer) throws {
    for (table, unit) in [
      ("unit", "id"), ("variant", "unit_id"), ("variant_detail", "unit_id"), ("property", "unit_id"),
      ("note", "unit_id"),
    ] {
      try execute("INSERT INTO \(table) SELECT * FROM source.\(table) WHERE \(unit) > 0", in: db)
    }
  }
}
