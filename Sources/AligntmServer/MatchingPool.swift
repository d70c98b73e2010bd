import Foundation

/// Threads of the server's own that run the fuzzy matching, first come first served, so that a
/// long lookup (a whole-document suggest, a long query on a large memory) holds neither
/// SwiftNIO's event loops nor Swift's cooperative threads, which parse and answer the other
/// requests meanwhile, and so that lookups wait in the order they came (a steady p99 under load).
// @unchecked: `jobs`, `head` and `stopped` are accessed holding `condition`.
final class MatchingPool: @unchecked Sendable {
  private let condition = NSCondition()
  private var jobs: [() -> Void] = []
  private var head = 0
  private var stopped = false

  /// Starts `threads` threads (at least one).
  init(threads: Int) {
    for number in 0..<max(1, threads) {
      let thread = Thread { [self] in work() }
      thread.name = "aligntm-match-\(number)"
      thread.start()
    }
  }

  /// Lets the threads end once the jobs queued are done.
  func stop() {
    condition.withLock {
      stopped = true
      condition.broadcast()
    }
  }

  /// Runs `body` on one of the pool's threads and returns what it returns.
  func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
      condition.withLock {
        jobs.append { continuation.resume(with: Swift.Result { try body() }) }
        condition.signal()
      }
    }
  }

  private func work() {
    while true {
      let job: (() -> Void)? = condition.withLock {
        while head == jobs.count && !stopped { condition.wait() }
        guard head < jobs.count else { return nil }
        let job = jobs[head]
        head += 1
        if head > 1_024 && head * 2 > jobs.count {
          jobs.removeFirst(head)
          head = 0
        }
        return job
      }
      guard let job else { return }
      job()
    }
  }
}
