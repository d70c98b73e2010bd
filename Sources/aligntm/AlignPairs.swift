import Alignment
import ArgumentParser
import Foundation
import TextSegmentation
import TranslationMemory

/// One line of an `align --pairs` list: a document, its translation and optionally the document
/// symbol to store the units under.
struct PairListEntry: Sendable, Hashable {
  /// The line in the list, from 1.
  var line: Int
  /// The paths as stored in the units' provenance: relative paths are taken from the list's folder.
  var source: String
  var target: String
  var symbol: String?
}

/// A list of pairs that can't be read.
struct PairListError: Error, CustomStringConvertible, Equatable {
  var file: String
  var line: Int
  var reason: String
  var description: String { "\(file):\(line): \(reason)" }
}

/// The lines of an `align --pairs` list (tab-separated values).
enum PairList {
  /// Reads `SOURCE<TAB>TARGET[<TAB>SYMBOL]` lines; blank lines and lines starting with `#` are
  /// skipped. Relative paths are taken from the list's folder.
  ///
  /// - Throws: ``PairListError`` naming `LIST:LINE`, or ``CommandError`` when the list can't be read.
  static func read(_ path: String) throws -> [PairListEntry] {
    let text = try readTextFile(path)
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    let relativeBase = path.contains("/") ? folder : nil
    var entries: [PairListEntry] = []
    var seen: [String: Int] = [:]
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = index + 1
      var content = Substring(raw)
      if content.hasSuffix("\r") { content = content.dropLast() }
      let trimmed = content.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      func failure(_ reason: String) -> PairListError {
        PairListError(file: path, line: line, reason: reason)
      }
      var fields = content.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      // A spreadsheet may leave an empty last column.
      if fields.count == 3 && fields[2].trimmingCharacters(in: .whitespaces).isEmpty { fields.removeLast() }
      guard fields.count == 2 || fields.count == 3 else {
        throw failure(
          "expected 2 or 3 tab-separated fields (source, target, optional document symbol), found \(fields.count)"
        )
      }
      for (name, field) in zip(["source", "target", "document symbol"], fields)
      where field.trimmingCharacters(in: .whitespaces).isEmpty {
        throw failure("the \(name) is empty")
      }
      if fields[0] == "-" || fields[1] == "-" {
        throw failure("standard input (-) can't be one of many pairs")
      }
      func resolved(_ field: String) -> String {
        guard let relativeBase, !field.hasPrefix("/") else { return field }
        return relativeBase + "/" + field
      }
      let entry = PairListEntry(
        line: line, source: resolved(fields[0]), target: resolved(fields[1]),
        symbol: fields.count == 3 ? fields[2].trimmingCharacters(in: .whitespaces) : nil)
      let key = entry.source + "\t" + entry.target
      if let first = seen[key] { throw failure("the same pair as line \(first)") }
      seen[key] = line
      entries.append(entry)
    }
    return entries
  }
}

/// `align --pairs LIST --into-tm`: aligns every pair of the list on all cores and stores each in
/// its own transaction, so that an interrupted run keeps the pairs it finished and a new run
/// skips them.
///
/// A pair is already stored when the memory records it (``TranslationMemory/alignedFilePairs()``,
/// written with its units) with the same hash of its two files' bytes, or, for pairs stored by
/// a single `align --into-tm`, when some unit records its two files as provenance. A file
/// changed since is aligned again (its units merge with those that did not change), and so is a
/// pair whose document was removed from the memory.
struct PairBatch {
  var list: String
  var languages: LanguagePairOptions
  var dictionary: DictionaryOptions
  var store: StoreOptions
  var force: Bool

  /// What became of one pair.
  enum Outcome: Sendable {
    case stored(inserted: Int, merged: Int)
    case skipped
    case failed(String)
  }

  func run() throws {
    let entries = try PairList.read(list)
    let memory = try store.memory.open()
    let recorded = try memory.alignedFilePairs()
    let provenance = try memory.storedFilePairs()
    let pending = entries.filter {
      let pair = TranslationMemory.FilePair(source: $0.source, target: $0.target)
      return recorded[pair] != nil || !provenance.contains(pair)
    }
    let skipped = entries.count - pending.count
    // One dictionary for all: loading it is the slow part of starting.
    let aligner = dictionary.makeSentenceAligner(languages)
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, pending.count))
    let progress = PairProgress(
      total: pending.count, skipped: skipped, interactive: isatty(2) != 0, list: list)
    let queue = PairWorkQueue(pending)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      // Each worker has its own aligner: the sentence segmenters hold ICU break iterators.
      let documentAligner: DocumentAligner
      do {
        documentAligner = try DocumentAligner(sentenceAligner: aligner)
      } catch {
        while let entry = queue.next() { progress.finish(entry, .failed("\(error)")) }
        return
      }
      while let entry = queue.next() {
        progress.finish(entry, align(entry, with: documentAligner, into: memory, recorded: recorded))
      }
    }
    let summary = progress.summary()
    if progress.interactive { printError("") }
    for failure in summary.failures { printError(failure) }
    printError(summary.line(memory: store.memory.displayPath))
    if !summary.failures.isEmpty {
      throw CommandError(
        "\(summary.failures.count) of \(entries.count) pairs failed (listed above); run the same command "
          + "again to retry them: the pairs stored are skipped")
    }
  }

  /// Reads, aligns, checks and stores one pair; any failure is its outcome, nothing is stored.
  private func align(
    _ entry: PairListEntry, with aligner: DocumentAligner, into memory: TranslationMemory,
    recorded: [TranslationMemory.FilePair: Int64]
  ) -> Outcome {
    do {
      let pair = TranslationMemory.FilePair(source: entry.source, target: entry.target)
      let sourceBytes = try DocumentReader.bytes(ofFile: entry.source)
      let targetBytes = try DocumentReader.bytes(ofFile: entry.target)
      let hash = Self.contentHash(sourceBytes, targetBytes)
      if recorded[pair] == hash { return .skipped }
      let reader = DocumentReader()
      let source = try reader.read(
        bytes: sourceBytes, source: entry.source, language: languages.sourceLanguage)
      let target = try reader.read(
        bytes: targetBytes, source: entry.target, language: languages.targetLanguage)
      var alignment = aligner.align(source: source, target: target)
      let findings = PairCheck().findings(alignment)
      if !findings.isEmpty && !force {
        return .failed(
          "does not look like a document and its translation: "
            + findings.map { "\($0)" }.joined(separator: "; ") + " (--force stores it anyway)")
      }
      if let symbol = entry.symbol {
        alignment.source.symbol = symbol
        alignment.target.symbol = symbol
      }
      let units = TranslationUnit.units(
        from: alignment, minimumScore: store.minimumScore.fraction, sourceFile: entry.source,
        targetFile: entry.target
      ).filter { !$0.variants.contains { $0.text.allSatisfy(\.isWhitespace) } }
      let summary = try memory.add(
        units, aligningPair: pair, contentHash: hash,
        document: alignment.source.symbol ?? alignment.target.symbol)
      return .stored(inserted: summary.inserted, merged: summary.merged)
    } catch {
      return .failed("\(error)")
    }
  }

  /// 64-bit FNV-1a of the two files' bytes, each followed by its length.
  static func contentHash(_ source: [UInt8], _ target: [UInt8]) -> Int64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for bytes in [source, target] {
      for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
      for shift in stride(from: 0, to: 64, by: 8) {
        hash = (hash ^ (UInt64(bytes.count) >> UInt64(shift) & 0xFF)) &* 0x100_0000_01B3
      }
    }
    return Int64(bitPattern: hash)
  }
}

/// The pairs still to align, handed out one at a time.
// @unchecked: `next` is read and written only while `lock` is held.
final class PairWorkQueue: @unchecked Sendable {
  private let entries: [PairListEntry]
  private var nextIndex = 0
  private let lock = NSLock()

  init(_ entries: [PairListEntry]) { self.entries = entries }

  func next() -> PairListEntry? {
    lock.withLock {
      guard nextIndex < entries.count else { return nil }
      defer { nextIndex += 1 }
      return entries[nextIndex]
    }
  }
}

/// Counts what the workers finished and draws the progress bar on a terminal.
// @unchecked: every counter is read and written only while `lock` is held.
final class PairProgress: @unchecked Sendable {
  struct Summary {
    var total: Int
    var stored: Int
    var skipped: Int
    var inserted: Int
    var merged: Int
    var failures: [String]
    var seconds: Double

    func line(memory: String) -> String {
      let rate = seconds > 0 ? Double(stored + failures.count) / seconds : 0
      return
        "\(memory): \(stored) pairs aligned and stored (\(inserted) units added, \(merged) already there), "
        + "\(skipped) already stored and skipped, \(failures.count) failed, in "
        + String(format: "%.1f s (%.1f pairs/s)", seconds, rate)
    }
  }

  let total: Int
  let skipped: Int
  let interactive: Bool
  private let list: String
  private let lock = NSLock()
  private let start = ContinuousClock.now
  private var done = 0
  private var stored = 0
  private var inserted = 0
  private var merged = 0
  /// Pairs found stored by their worker (their record's hash matched).
  private var skippedLater = 0
  /// (line, message), sorted at the end.
  private var failures: [(Int, String)] = []
  private var lastDrawn = ContinuousClock.now - .seconds(1)

  init(total: Int, skipped: Int, interactive: Bool, list: String) {
    self.total = total
    self.skipped = skipped
    self.interactive = interactive
    self.list = list
    if interactive { lock.withLock { draw() } }
  }

  func finish(_ entry: PairListEntry, _ outcome: PairBatch.Outcome) {
    lock.withLock {
      done += 1
      switch outcome {
      case .stored(let newUnits, let mergedUnits):
        stored += 1
        inserted += newUnits
        merged += mergedUnits
      case .skipped:
        skippedLater += 1
      case .failed(let reason):
        failures.append((entry.line, "\(list):\(entry.line): \(entry.source) ↔ \(entry.target): \(reason)"))
      }
      // At most ten times a second, and always at the end.
      if interactive && (done == total || ContinuousClock.now - lastDrawn >= .milliseconds(100)) { draw() }
    }
  }

  /// Called with `lock` held.
  private func draw() {
    lastDrawn = ContinuousClock.now
    let width = 30
    let filled = total == 0 ? width : width * done / total
    let elapsed = seconds(since: start)
    let rate = elapsed > 0 ? Double(done) / elapsed : 0
    var line =
      "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
      + "] \(done)/\(total) pairs"
    if !failures.isEmpty { line += ", \(failures.count) failed" }
    if rate > 0 && done < total {
      line += String(format: ", %.1f pairs/s, %.0f s left", rate, Double(total - done) / rate)
    }
    // Clears what a longer line left.
    FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
  }

  func summary() -> Summary {
    lock.withLock {
      Summary(
        total: total, stored: stored, skipped: skipped + skippedLater, inserted: inserted, merged: merged,
        failures: failures.sorted { $0.0 < $1.0 }.map(\.1), seconds: seconds(since: start))
    }
  }

  private func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }
}
