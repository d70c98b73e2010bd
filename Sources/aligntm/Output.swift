import Foundation

/// Where a command writes: standard output or a file given with `--output`.
struct OutputSink {
  private let handle: FileHandle
  private var buffer = Data()

  init(path: String?) throws {
    if let path, path != "-" {
      // open(2) on the path itself: a symbolic link is followed and a FIFO or a device such as
      // /dev/null is written through. FileManager.createFile would rename a new file over it.
      let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else {
        throw CommandError("cannot write \(path): \(String(cString: strerror(errno)))")
      }
      self.handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    } else {
      self.handle = FileHandle.standardOutput
    }
  }

  mutating func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count > 1 << 16 { flush() }
  }

  mutating func line(_ text: String) { write(text + "\n") }

  mutating func flush() {
    if buffer.isEmpty { return }
    handle.write(buffer)
    buffer.removeAll(keepingCapacity: true)
  }
}

/// Tabs and line breaks inside a TSV field become spaces.
func tsvField(_ text: String) -> String {
  String(text.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
}

/// Progress on standard error, shown only when standard error is a terminal.
struct Progress {
  let enabled = isatty(2) != 0
  let label: String
  private var lastShown = Date.distantPast

  init(_ label: String) { self.label = label }

  mutating func update(_ done: Int, of total: Int) {
    guard enabled, Date().timeIntervalSince(lastShown) > 0.1 || done == total else { return }
    lastShown = Date()
    let percent = total > 0 ? done * 100 / total : 100
    FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) (\(percent) %)".utf8))
    if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}

/// Writes a line to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Encodes a value as one line of JSON with keys in a stable order.
func jsonLine<T: Encodable>(_ value: T) -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  guard let data = try? encoder.encode(value) else { return "{}" }
  return String(decoding: data, as: UTF8.self)
}

/// An error the command line reports as `Error: …` with exit code 1.
struct CommandError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
