import Foundation

/// Writes full buffers to a file descriptor on a thread of its own, so that the kernel's copy of
/// the bytes into the page cache (a third of a large export's time) runs beside the formatting
/// of the next buffer rather than after it.
///
/// At most `depth` buffers exist: ``exchange(_:)`` hands a full one over and waits for an empty
/// one, so memory stays flat. The first write error is kept and thrown by the next call.
// @unchecked: the buffers and flags are read and written only while `condition` is locked.
final class _BackgroundFileWriter: @unchecked Sendable {
  private let descriptor: Int32
  private let condition = NSCondition()
  // Guarded by `condition`.
  private var full: [[UInt8]] = []
  private var empty: [[UInt8]] = []
  private var failure: Int32?
  private var closing = false
  private var done = false

  /// - Parameters:
  ///   - capacity: The capacity each buffer is made with.
  ///   - depth: How many buffers may exist besides the caller's.
  init(descriptor: Int32, capacity: Int, depth: Int = 2) {
    self.descriptor = descriptor
    for _ in 0..<depth {
      var buffer: [UInt8] = []
      buffer.reserveCapacity(capacity)
      empty.append(buffer)
    }
    let thread = Thread { [self] in run() }
    thread.stackSize = 256 << 10
    thread.start()
  }

  /// Queues `buffer` for writing and replaces it with an empty one, waiting for one if needed.
  ///
  /// - Returns: An errno when an earlier write failed (nothing more is written then).
  func exchange(_ buffer: inout [UInt8]) -> Int32? {
    condition.lock()
    defer { condition.unlock() }
    if let failure { return failure }
    while empty.isEmpty && failure == nil { condition.wait() }
    if let failure { return failure }
    var replacement = empty.removeLast()
    swap(&replacement, &buffer)
    full.append(replacement)
    condition.broadcast()
    return nil
  }

  /// Waits until every queued buffer is written and ends the thread.
  ///
  /// - Returns: An errno when a write failed.
  func close() -> Int32? {
    condition.lock()
    defer { condition.unlock() }
    closing = true
    condition.broadcast()
    while !done { condition.wait() }
    return failure
  }

  private func run() {
    condition.lock()
    while true {
      while full.isEmpty && !closing { condition.wait() }
      guard !full.isEmpty else { break }
      var buffer = full.removeFirst()
      let failed = failure != nil
      condition.unlock()
      let error = failed ? nil : Self.write(buffer, to: descriptor)
      buffer.removeAll(keepingCapacity: true)
      condition.lock()
      if let error, failure == nil { failure = error }
      empty.append(buffer)
      condition.broadcast()
    }
    done = true
    condition.broadcast()
    condition.unlock()
  }

  /// Writes all of `buffer`; an errno when it can't.
  static func write(_ buffer: [UInt8], to descriptor: Int32) -> Int32? {
    buffer.withUnsafeBytes { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = Foundation.write(
          descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += written
      }
      return nil
    }
  }
}
