import Foundation

/// The bulk path of a TMX import into an empty memory: the units go into a new database file
/// written without a journal, which is then synced and renamed over the memory.
///
/// In WAL mode SQLite writes every page twice (to the log, then at the checkpoint) and the commit
/// of one large transaction takes seconds; a file nobody else can see needs neither a journal
/// nor syncs until it is complete. The load runs the import's own code (``_UnitBatch``,
/// `insert(_:keys:_:)`, the same migrations), on a connection to the new file:
///
/// 1. The new file `.NAME.bulk-PID` is made beside the memory with the schema of every migration,
///    `journal_mode = OFF`, `synchronous = OFF`, and every index dropped but the duplicate keys'
///    (the import looks keys up in it); the indexes are made again after the load, from the SQL
///    the migrations left in `sqlite_master`.
/// 2. After the load: generation set, file closed and `fsync`ed.
/// 3. The memory is locked exclusively (SQLite's `EXCLUSIVE` lock on the database file, which
///    every open connection in WAL mode holds a shared lock on: getting it proves no other
///    connection, in any process, has the memory open), checked still empty and unchanged,
///    switched out of WAL mode (its log checkpointed and removed, so that nothing of the old
///    file's log can be taken for the new file's), and the new file renamed over it, then the
///    folder `fsync`ed.
///
/// A kill at any moment leaves the old memory (before the rename: the new file is only a
/// leftover, removed by the next bulk import) or the new one, complete (after it): never a mix.
///
/// **Identity**: the memory keeps its ``TranslationMemory/identity()`` and its
/// ``TranslationMemory/generation()`` goes up by one, as after the same import in a WAL
/// transaction: the memory at the path is the same memory, written once, so that a saved fuzzy
/// index of the empty memory is stale by its generation, and nothing derived from another memory
/// can be taken for this one.
///
/// The WAL transaction is taken instead when another connection has the memory open at the
/// start (a server, say), and at the end (the file then read again) when the memory can't be
/// locked within ``lockTimeoutMilliseconds`` or was written meanwhile. Readers go on reading the
/// old state during the load, as with a WAL import. Input that is not a regular file (a pipe)
/// can't be read twice, so it always takes the WAL path, as does an import inside an open
/// ``TranslationMemory/write(_:)``.
///
/// A process that opened the file in the instant of the swap, and waited for the lock, gets the
/// old, replaced file, marked with schema version ``TranslationMemory/replacedMemoryVersion``: its
/// open fails with ``TranslationMemoryError/newerSchema(path:version:supported:)`` (opening again
/// opens the new file), instead of switching the old file to WAL mode with a log of the same
/// name as the new file's.
final class _BulkLoad {
  /// How long the swap waits for other connections to close the memory before falling back.
  static let lockTimeoutMilliseconds = 2000

  /// The new file.
  let url: URL
  /// The indexes to make after the load, as the migrations wrote them.
  private var deferredSchema: [String] = []
  /// The connection to the new file; nil once it is closed.
  private(set) var connection: SQLiteConnection?

  /// Makes the new file beside `memory`, with `identity`.
  init(besides memory: URL, identity: String?) throws {
    Self.removeLeftovers(besides: memory)
    let folder = memory.deletingLastPathComponent()
    url = folder.appendingPathComponent(".\(memory.lastPathComponent).bulk-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    let connection = try SQLiteConnection(path: url.path)
    self.connection = connection
    do {
      try connection.execute(
        """
        PRAGMA page_size = \(TranslationMemory.pageSize); PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
        PRAGMA cache_size = -\(TranslationMemory.cacheKiB)
        """)
      // temp_store stays FILE: building an index sorts all its keys, which in memory would grow
      // with the file (30 MB more at 1M units); on file the sort spills beyond the cache size.
      try Schema.migrate(connection)
      if let identity {
        let statement = try connection.prepare("UPDATE identity SET value = ?1 WHERE id = 1")
        statement.bind(1, identity)
        try statement.step()
      }
      // Indexes, and the triggers that log changed units for the fuzzy index (migration 7: a
      // log of a load into an empty memory would only say "everything", which its start says).
      var deferred: [(type: String, name: String, sql: String)] = []
      let list = try connection.prepare(
        """
        SELECT type, name, sql FROM sqlite_master
        WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid
        """)
      while try list.step() {
        guard list.string(1) != "unit_by_content_key" else { continue }
        deferred.append((list.string(0), list.string(1), list.string(2)))
      }
      list.reset()
      for item in deferred { try connection.execute("DROP \(item.type.uppercased()) \(item.name)") }
      deferredSchema = deferred.map(\.sql)
    } catch {
      try? FileManager.default.removeItem(at: url)
      throw error
    }
  }

  /// Makes the indexes, sets the generation, closes the file and writes it to disk.
  func finish(generation: Int64) throws {
    guard let connection else { preconditionFailure("the bulk load is finished already") }
    // The sorts that build the indexes take as much memory as the page cache may, on top of it:
    // a smaller cache keeps the peak where the load had it.
    try connection.execute("PRAGMA cache_size = -\(TranslationMemory.cacheKiB / 4)")
    for sql in deferredSchema { try connection.execute(sql) }
    let statement = try connection.prepare("UPDATE generation SET value = ?1 WHERE id = 1")
    statement.bind(1, generation)
    try statement.step()
    statement.reset()
    // The change log starts at the new generation: an index of the memory before it is rebuilt.
    let logStart = try connection.prepare("UPDATE unit_change_start SET generation = ?1 WHERE id = 1")
    logStart.bind(1, generation)
    try logStart.step()
    logStart.reset()
    // Closed first: its exclusive lock must be gone before the memory is opened again.
    self.connection = nil
    try Self.sync(url)
  }

  func discard() {
    connection = nil
    try? FileManager.default.removeItem(at: url)
  }

  /// Gives the new file the mode, owner and group of the memory it replaces (a team memory may be
  /// group-writable); owner and group only as far as this process may.
  func takeOwnership(of memory: URL) {
    var status = stat()
    guard stat(memory.path, &status) == 0 else { return }
    chmod(url.path, status.st_mode & 0o7777)
    _ = chown(url.path, status.st_uid, status.st_gid)
  }

  /// `fsync`s a file or a folder.
  static func sync(_ url: URL) throws {
    let descriptor = open(url.path, O_RDONLY)
    guard descriptor >= 0 else {
      throw TranslationMemoryError.cannotOpen(path: url.path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else {
      throw TranslationMemoryError.cannotOpen(
        path: url.path, reason: "cannot sync: \(String(cString: strerror(errno)))")
    }
  }

  /// Removes the new files of bulk imports killed before they were done (their process is gone).
  static func removeLeftovers(besides memory: URL) {
    let folder = memory.deletingLastPathComponent()
    let prefix = ".\(memory.lastPathComponent).bulk-"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
    for name in names where name.hasPrefix(prefix) {
      guard let pid = Int32(name.dropFirst(prefix.count)) else { continue }
      if pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
      }
    }
  }

  /// Whether `url` is a regular file (after links), which can be read a second time.
  static func isRegularFile(_ url: URL) -> Bool {
    var status = stat()
    return stat(url.path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
  }
}

extension TranslationMemory {
  /// The bulk import (``_BulkLoad``) when the memory is empty and the input a regular file; nil
  /// when it does not apply or the memory could not be swapped (the caller then imports in a WAL
  /// transaction).
  func importTMXInBulk(
    from input: URL, name: String? = nil, skipBad: Bool, limits: TMXReader.Limits, progressInterval: Int,
    progress: ((TMXReader.Progress) -> Void)?
  ) throws -> TMXImportSummary? {
    try locked {
      // Someone holding the memory open now (a server, say) would likely hold it at the swap too:
      // the WAL transaction at once rather than a load thrown away.
      // A file swap is SQLite's: a PostgreSQL memory takes the transaction.
      guard connection.dialect == .sqlite, access == .readWrite, transactionDepth == 0,
        _BulkLoad.isRegularFile(input),
        try isEmptyForBulkLoad(), try isOpenOnlyHere()
      else { return nil }
      let generation = try generation()
      // A memory reached through a link is replaced where the link points, and the link kept.
      let load = try _BulkLoad(besides: url.resolvingSymlinksInPath(), identity: try identity())
      let original = connection
      let summary: TMXImportSummary
      do {
        guard let bulk = load.connection else { preconditionFailure("a new bulk load has a connection") }
        connection = bulk
        defer { connection = original }
        summary = try importTMXInTransaction(
          from: input, name: name, skipBad: skipBad, limits: limits, progressInterval: progressInterval,
          progress: progress)
        try load.finish(generation: generation + 1)
      } catch {
        load.discard()
        throw error
      }
      do {
        guard try swapIn(load, expectedGeneration: generation) else {
          load.discard()
          return nil
        }
      } catch {
        load.discard()
        throw error
      }
      return summary
    }
  }

  /// The schema version written into the file a bulk import replaced.
  static let replacedMemoryVersion = Int32.max

  /// Whether the memory holds no unit.
  private func isEmptyForBulkLoad() throws -> Bool {
    try read { try connection.scalarInt("SELECT max(id) FROM unit") == nil }
  }

  /// Whether no other connection has the memory open: the exclusive lock is free, taken and left.
  private func isOpenOnlyHere() throws -> Bool {
    let timeout = try connection.scalarInt("PRAGMA busy_timeout") ?? 0
    try connection.execute("PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE")
    defer { try? releaseExclusiveLock(busyTimeout: timeout) }
    do {
      try connection.execute("BEGIN EXCLUSIVE")
    } catch SQLiteResultCode.busy {
      return false
    }
    try connection.execute("COMMIT")
    return true
  }

  /// Back to shared locks after `PRAGMA locking_mode = EXCLUSIVE`: the next read drops the
  /// exclusive lock.
  private func releaseExclusiveLock(busyTimeout: Int64) throws {
    try connection.execute("PRAGMA locking_mode = NORMAL; PRAGMA busy_timeout = \(busyTimeout)")
    _ = try connection.scalarInt("SELECT count(*) FROM generation")
  }

  /// Renames the loaded file over the memory, once no other connection has it open and it is
  /// still empty at `expectedGeneration`; then reopens the memory. False when it could not.
  private func swapIn(_ load: _BulkLoad, expectedGeneration: Int64) throws -> Bool {
    let old = connection
    let timeout = try old.scalarInt("PRAGMA busy_timeout") ?? 0
    try old.execute("PRAGMA busy_timeout = \(min(Int(timeout), _BulkLoad.lockTimeoutMilliseconds))")
    try old.execute("PRAGMA locking_mode = EXCLUSIVE")
    do {
      try old.execute("BEGIN EXCLUSIVE")
    } catch SQLiteResultCode.busy {
      try releaseExclusiveLock(busyTimeout: timeout)
      return false
    }
    let unchanged =
      try old.scalarInt("SELECT max(id) FROM unit") == nil
      && old.scalarInt("SELECT value FROM generation WHERE id = 1") == expectedGeneration
    try old.execute("COMMIT")
    guard unchanged else {
      try releaseExclusiveLock(busyTimeout: timeout)
      return false
    }
    // Still holding the exclusive lock: the log is checkpointed and removed, and the rollback
    // journal SQLite leaves (zeroed) removed too, so that no file beside the memory belongs to
    // the old one once the new one is in place.
    try old.execute("PRAGMA journal_mode = DELETE")
    let target = url.resolvingSymlinksInPath()
    try? FileManager.default.removeItem(atPath: target.path + "-journal")
    try old.execute("PRAGMA journal_mode = OFF")
    load.takeOwnership(of: target)
    guard rename(load.url.path, target.path) == 0 else {
      let reason = String(cString: strerror(errno))
      // The old memory stays: back to WAL mode and shared locks.
      try? old.execute("PRAGMA journal_mode = WAL")
      try? releaseExclusiveLock(busyTimeout: timeout)
      throw TranslationMemoryError.cannotOpen(
        path: url.path,
        reason: "cannot rename \(load.url.path) into place: \(reason)")
    }
    try _BulkLoad.sync(target.deletingLastPathComponent())
    // A process that opened the path before the rename and waits for the lock gets the old file:
    // marked as a newer schema (written in place, no journal: the file is no longer the
    // memory), its open fails instead of making a log beside the new file that both would use.
    try? old.execute("PRAGMA user_version = \(Self.replacedMemoryVersion)")
    connection = try Self.openForWriting(url: url, busyTimeout: .milliseconds(timeout))
    return true
  }
}
