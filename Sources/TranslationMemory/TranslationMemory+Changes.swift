import Foundation
import TextSegmentation

extension TranslationMemory {
  /// The channel PostgreSQL's generation trigger notifies on every generation bump, with the new
  /// value as payload (``PostgresSchema``).
  static let generationChannel = "aligntm_generation"

  /// Waits until the memory's ``generation()`` differs from `generation`, or `timeout` has
  /// passed: for a process that keeps something derived from the memory current (the server's
  /// fuzzy indexes).
  ///
  /// On PostgreSQL the first call LISTENs on the generation trigger's channel, so a commit by any
  /// session wakes the call within milliseconds; the channel is listened to again after
  /// ``reconnect()``. On SQLite, which tells no one, the call sleeps `timeout` and reads the
  /// generation once.
  ///
  /// The memory's lock is held for at most a twentieth of a second at a time, so other calls on
  /// the same instance go on while this one waits.
  ///
  /// - Returns: Whether the generation differs from `generation`.
  /// - Throws: ``TranslationMemoryError/connectionLost(path:reason:)`` when PostgreSQL went
  ///   away (``reconnect()`` then opens the session again), or what reading the generation throws.
  public func waitForChange(after generation: Int64, upTo timeout: Duration) throws -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    guard connection is PostgresConnection else {
      let left = ContinuousClock.now.duration(to: deadline)
      if left > .zero { Thread.sleep(forTimeInterval: Self.seconds(left)) }
      return try self.generation() != generation
    }
    // LISTEN before reading the generation: a commit between the two is then notified.
    try locked {
      guard let postgres = connection as? PostgresConnection else { return }
      if !postgres.channels.contains(Self.generationChannel) { try postgres.listen(Self.generationChannel) }
    }
    if try self.generation() != generation { return true }
    while true {
      let left = ContinuousClock.now.duration(to: deadline)
      if left <= .zero { return false }
      let arrived = try locked {
        guard let postgres = connection as? PostgresConnection else { return false }
        return !(try postgres.notifications(waitingUpTo: min(left, .milliseconds(50)))).isEmpty
      }
      if arrived { return try self.generation() != generation }
    }
  }

  /// Opens the session with the store again after it was lost
  /// (``TranslationMemoryError/connectionLost(path:reason:)``: PostgreSQL restarted, the network
  /// cut): statements are prepared again at their next use and the channel of
  /// ``waitForChange(after:upTo:)`` is listened to again. Nothing to do for a SQLite file.
  ///
  /// - Throws: ``TranslationMemoryError/connectionLost(path:reason:)`` when the server is still
  ///   unreachable.
  public func reconnect() throws {
    try locked {
      precondition(transactionDepth == 0, "reconnect() inside a transaction")
      try (connection as? PostgresConnection)?.reconnect()
    }
  }

  /// What ``pruneChangeLog(keeping:)`` did.
  public struct ChangeLogPruning: Sendable, Hashable {
    /// The generation the log now starts at: an index made before it is built again from the
    /// memory, one made at or after it is brought up to date from the log.
    public var start: Int64
    /// How many entries were deleted.
    public var deleted: Int
    /// The generations of the saved indexes found (those that decided ``start``).
    public var savedIndexGenerations: [Int64]
  }

  /// The generations recorded by the fuzzy indexes of this memory saved on this machine: the
  /// mapped files beside a memory file, or in the cache folder of a PostgreSQL memory
  /// (``StoreAddress/localURL(environment:)``), and the server's indexes saved with their texts
  /// there; a file of another memory (another identity) is not counted.
  public func savedIndexGenerations(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> [Int64] {
    guard let identity = try identity() else { return [] }
    let local = address.localURL(environment: environment)
    let folder = local.deletingLastPathComponent()
    let prefix = local.lastPathComponent + ".fuzzy-"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
    return names.filter { $0.hasPrefix(prefix) }.sorted().compactMap { name in
      let url = folder.appendingPathComponent(name)
      if name.hasSuffix(".texts") {
        // An index saved with its texts (the server's on PostgreSQL): `… at GENERATION`.
        guard let signature = FuzzyIndex.savedSignature(at: url), signature.hasPrefix("memory \(identity) "),
          let at = signature.range(of: " at ", options: .backwards)
        else { return nil }
        return Int64(signature[at.upperBound...])
      }
      guard let meta = FuzzyIndex.mappedMeta(at: url), meta.signature.hasPrefix("memory \(identity) ")
      else { return nil }
      return meta.generation
    }
  }

  /// Deletes the change log's entries (migration 7, `unit_change`) that every saved index of
  /// this memory has already consumed, and those before `keeping`, whichever is earlier: the log
  /// is pruned through the least of the generations of ``savedIndexGenerations()``, of
  /// `keeping` (a process's own indexes, held in memory: the server's) and of the memory's
  /// current generation. `unit_change_start` moves there, so that an index made before it (on
  /// another machine, or saved since) is built again from the memory instead of missing
  /// changes, and one made at or after it is still brought up to date from the log. One write
  /// transaction (it bumps the generation).
  ///
  /// - Parameter keeping: The generations of indexes that are not saved (or not on this machine)
  ///   and must still be brought up to date from the log.
  /// - Throws: ``TranslationMemoryError`` when the memory cannot be written.
  @discardableResult
  public func pruneChangeLog(keeping: [Int64] = []) throws -> ChangeLogPruning {
    let saved = try savedIndexGenerations()
    let through = try min(generation(), (saved + keeping).min() ?? .max)
    var pruning = try pruneChangeLog(through: through)
    pruning.savedIndexGenerations = saved
    return pruning
  }

  /// Deletes the change log's entries of the writes up to generation `generation` (at most the
  /// current one) and moves the log's start there; a start already later is kept. See
  /// ``pruneChangeLog(keeping:)``.
  @discardableResult
  public func pruneChangeLog(through generation: Int64) throws -> ChangeLogPruning {
    try write { memory in
      let connection = memory.connection
      guard try connection.hasTables("unit_change", "unit_change_start") else {
        return ChangeLogPruning(start: 0, deleted: 0, savedIndexGenerations: [])
      }
      let current = try connection.scalarInt("SELECT value FROM generation WHERE id = 1") ?? 0
      let start = try connection.scalarInt("SELECT generation FROM unit_change_start WHERE id = 1") ?? 0
      let through = min(generation, current)
      guard through > start else {
        return ChangeLogPruning(start: start, deleted: 0, savedIndexGenerations: [])
      }
      let count = try connection.prepare("SELECT count(*) FROM unit_change WHERE generation <= ?1")
      defer { count.reset() }
      count.bind(1, through)
      let deleted = try count.step() ? Int(count.int64(0)) : 0
      let delete = try connection.prepare("DELETE FROM unit_change WHERE generation <= ?1")
      defer { delete.reset() }
      delete.bind(1, through)
      _ = try delete.step()
      let move = try connection.prepare("UPDATE unit_change_start SET generation = ?1 WHERE id = 1")
      defer { move.reset() }
      move.bind(1, through)
      _ = try move.step()
      return ChangeLogPruning(start: through, deleted: deleted, savedIndexGenerations: [])
    }
  }

  /// The fuzzy index over the units with a variant in `source` and `target`, with every text
  /// held in the process (none read from the store by a query), and the generation it is
  /// current with: for a process that must go on answering while the store is unreachable (the
  /// server on a PostgreSQL memory).
  ///
  /// Unlike ``liveFuzzyIndex(from:to:notSaved:)``, nothing is mapped: the index is saved with its
  /// texts (``FuzzyIndex/save(to:signature:)``), in the background, in the memory's cache folder
  /// (``StoreAddress/localURL(environment:)``: `~/.cache/aligntm/postgresql/HOST-PORT-DB/`,
  /// `memory.fuzzy-SOURCE-TARGET.texts`) when it is built and after each compaction; the next
  /// start reads that file back (its checksum checked) and catches up from the change log, and
  /// builds the index from the memory only when the file is missing, damaged, of another
  /// memory, or older than the change log (``pruneChangeLog(keeping:)``), or the changes since
  /// are many. `ALIGNTM_CACHE_DIR=off` saves nothing (the index is built at each start), nor is
  /// anything saved for a memory file.
  ///
  /// - Throws: ``TranslationMemoryError`` when the memory cannot be read, or
  ///   ``FuzzyError/unsupportedLanguage(_:)``.
  /// - Complexity: O(size of the file + units changed since) when the saved index is used, else
  ///   O(total length of the units' texts).
  public func liveFuzzyIndexInMemory(
    from source: Language, to target: Language,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> LiveFuzzyIndex {
    let saving = try textsSaving(from: source, to: target, environment: environment)
    if let saving, let signature = FuzzyIndex.savedSignature(at: saving.url),
      let savedAt = saving.generation(of: signature), savedAt <= (try generation()),
      let loaded = try? FuzzyIndex._load(from: saving.url, expectedSignature: signature)
    {
      let live = LiveFuzzyIndex(loaded, generation: savedAt, saving: nil, textsSaving: saving)
      try live.refresh(from: self)
      return live
    }
    let (index, generation) = try builtFuzzyIndex(from: source, to: target)
    saving?.saveInBackground(index, generation: generation)
    return LiveFuzzyIndex(index, generation: generation, saving: nil, textsSaving: saving)
  }

  /// Where ``liveFuzzyIndexInMemory(from:to:environment:)`` saves the index: `nil` for a memory
  /// file (its index is mapped beside it), a memory without an identity, or the cache turned off.
  func textsSaving(from source: Language, to target: Language, environment: [String: String]) throws
    -> TextsSaving?
  {
    guard case .postgresql = address else { return nil }  // a file's index is mapped beside it
    if let cache = environment["ALIGNTM_CACHE_DIR"], cache == "off" { return nil }
    guard let identity = try identity() else { return nil }
    let local = address.localURL(environment: environment)
    let url = FuzzyIndex.defaultURL(forMemory: local, from: source, to: target)
    return TextsSaving(
      url: url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".texts"),
      signaturePrefix: "memory \(identity) \(source)-\(target) at ")
  }

  /// How a live index over the mapped file at `url` writes the file its compactions make and
  /// reads the memory (a connection of its own for the reading of every unit, so that the
  /// queries' reads of texts do not wait on it).
  func mappedSaving(at url: URL, signature: String, from source: Language, to target: Language)
    -> MappedSaving
  {
    let address = self.address
    return MappedSaving(
      url: url, signature: signature,
      fetch: { [self] id in try? fuzzyEntry(id: id, from: source, to: target) },
      recovery: {
        Recovery { [self] _ in
          unlink(url.path)
          return try fuzzyIndex(from: source, to: target)
        }
      },
      readAll: {
        let reader = try TranslationMemory(address: address, access: .readOnly)
        return try reader.read {
          (try reader.allFuzzyEntries(from: source, to: target), try reader.generation())
        }
      })
  }

  private static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }
}
