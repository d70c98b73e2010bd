import Foundation
import TranslationMemory

/// Keeps the server's indexes current with writes by other processes, on a thread of its own
/// (it blocks while it waits, and the server's tasks share a thread per core).
///
/// On PostgreSQL it waits on the generation trigger's notifications
/// (``TranslationMemory/waitForChange(after:upTo:)``), so that a commit anywhere wakes it within
/// milliseconds; the poll interval is then only the longest wait, a safety net. On SQLite it
/// reads the generation every poll interval. When the database is lost (a restart), it tries
/// every interval to open its session again, and once it can, opens the writer's and the
/// texts' too, then catches up from the change log (``IndexRegistry/refreshIfChanged()``).
final class Watcher: Sendable {
  let registry: IndexRegistry
  /// The server's other connections, opened again after a loss.
  let others: [TranslationMemory]
  let interval: Duration
  private let state = Locked(State())

  struct State: Sendable {
    var stopping = false
  }

  init(registry: IndexRegistry, others: [TranslationMemory], interval: Duration) {
    self.registry = registry
    self.others = others
    self.interval = interval
  }

  func start() {
    let thread = Thread { [self] in run() }
    thread.name = "aligntm-serve watcher"
    thread.start()
  }

  /// Asks the thread to stop; it does within a poll interval.
  func stop() { state.withLock { $0.stopping = true } }

  private var stopping: Bool { state.withLock { $0.stopping } }

  private func run() {
    let memory = registry.watcher
    var lost = false
    while !stopping {
      do {
        if lost {
          try memory.reconnect()
          for other in others { try? other.reconnect() }
          lost = false
          registry.storeReachable = true
        }
        _ = try memory.waitForChange(after: registry.generation, upTo: interval)
        if stopping { break }
        try registry.refreshIfChanged()
      } catch TranslationMemoryError.connectionLost {
        lost = true
        registry.storeReachable = false
        pause()
      } catch {
        // The memory locked, a disk error: retried at the next poll.
        pause()
      }
    }
  }

  /// Waits one poll interval, or less when asked to stop.
  private func pause() {
    let deadline = ContinuousClock.now.advanced(by: interval)
    while !stopping && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
  }
}
