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

  /// The fuzzy index over the units with a variant in `source` and `target`, built from the
  /// memory with every text held in the process (none read from the store by a query), and the
  /// generation it is current with: for a process that must go on answering while the store is
  /// unreachable (the server on a PostgreSQL memory). Unlike
  /// ``liveFuzzyIndex(from:to:notSaved:)``, nothing is mapped from or saved to a file.
  ///
  /// - Throws: ``TranslationMemoryError`` when the memory cannot be read, or
  ///   ``FuzzyError/unsupportedLanguage(_:)``.
  /// - Complexity: O(total length of the units' texts).
  public func liveFuzzyIndexInMemory(from source: Language, to target: Language) throws -> LiveFuzzyIndex {
    let (index, generation) = try builtFuzzyIndex(from: source, to: target)
    return LiveFuzzyIndex(index, generation: generation)
  }

  private static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }
}
