import Foundation

/// Per-query working memory, reused across queries.
final class Scratch: @unchecked Sendable {  // One query at a time: `ScratchPool` hands it out.
  var stamps: [UInt32] = []
  private var stamp: UInt32 = 0
  var rows: [Int32] = []
  /// Blocks of a mapped file found intact (1) by this scratch memory's queries.
  var verified: [UInt8] = []
  /// What a query found wrong in a mapped file, if anything.
  var damage: String?
  private var tableKeys: [UInt32] = []
  private var tableCounts: [Int32] = []
  private var tableUsed: [Int32] = []
  private var tableMask = 0

  func nextStamp() -> UInt32 {
    stamp &+= 1
    if stamp == 0 {
      for index in stamps.indices { stamps[index] = 0 }
      stamp = 1
    }
    return stamp
  }

  /// An open-addressing table of the query's key counts.
  func prepareTable(for keys: UnsafeBufferPointer<UInt32>) {
    var size = 16
    while size < keys.count * 2 { size *= 2 }
    tableMask = size - 1
    tableKeys = [UInt32](repeating: UInt32.max, count: size)
    tableCounts = [Int32](repeating: 0, count: size)
    tableUsed = [Int32](repeating: 0, count: size)
    for key in keys {
      var slot = Int(key &* 2_654_435_761) & tableMask
      while tableKeys[slot] != UInt32.max && tableKeys[slot] != key { slot = (slot + 1) & tableMask }
      tableKeys[slot] = key
      tableCounts[slot] += 1
    }
  }

  /// The size of the multiset intersection with the query, or `nil` when it is below `needed`.
  func sharedCount(with keys: UnsafeBufferPointer<UInt32>, atLeast needed: Int) -> Int? {
    for index in tableUsed.indices { tableUsed[index] = 0 }
    var shared = 0
    var remaining = keys.count
    for key in keys {
      remaining -= 1
      var slot = Int(key &* 2_654_435_761) & tableMask
      while true {
        let stored = tableKeys[slot]
        if stored == key {
          if tableUsed[slot] < tableCounts[slot] {
            tableUsed[slot] += 1
            shared += 1
          }
          break
        }
        if stored == UInt32.max { break }
        slot = (slot + 1) & tableMask
      }
      if shared + remaining < needed { return nil }
    }
    return shared >= needed ? shared : nil
  }
}

/// Scratch memory for concurrent queries.
final class ScratchPool: @unchecked Sendable {  // Every access to `free` holds `lock`.
  private let lock = NSLock()
  private var free: [Scratch] = []

  func take(entryCount: Int) -> Scratch {
    lock.lock()
    let scratch = free.popLast() ?? Scratch()
    lock.unlock()
    if scratch.stamps.count < entryCount {
      scratch.stamps = [UInt32](repeating: 0, count: entryCount)
    }
    return scratch
  }

  func give(back scratch: Scratch) {
    lock.lock()
    free.append(scratch)
    lock.unlock()
  }
}
