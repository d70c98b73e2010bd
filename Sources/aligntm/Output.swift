import Foundation
import TranslationMemory

/// Where a command writes: standard output or a file given with `--output`.
///
/// A regular file (or a path that does not exist yet) is replaced atomically: the output goes to
/// a hidden temporary file beside it, renamed over it by ``finish()``. A command that fails
/// before, or a sink never finished, leaves the old file as it was and no temporary file behind;
/// the temporary file of a killed command (`kill -9`) is removed by the next write of the same file.
/// A symbolic link is resolved and its target replaced, the link kept. What is not a regular
/// file (a FIFO, a device such as `/dev/null`) is written through, never replaced.
struct OutputSink {
  private let destination: OutputDestination
  private var buffer: [UInt8] = []

  init(path: String?) throws {
    destination = try OutputDestination(path: path)
  }

  mutating func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count > 1 << 16 { flush() }
  }

  mutating func line(_ text: String) { write(text + "\n") }

  /// Hands what is buffered to the file; an error is kept for ``finish()``.
  mutating func flush() {
    if buffer.isEmpty { return }
    destination.write(buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes what is left and puts the file in place: the command succeeded.
  ///
  /// - Throws: The first write error (a full disk), or the rename's.
  mutating func finish() throws {
    flush()
    try destination.commit()
  }
}

/// The file behind an ``OutputSink``: standard output, or a ``ReplacingFile``; a write error is
/// kept for ``commit()``.
private final class OutputDestination {
  private let file: ReplacingFile?
  private var failure: String?

  init(path: String?) throws {
    guard let path, path != "-" else {
      file = nil
      return
    }
    file = try ReplacingFile(path: path)
  }

  func write(_ bytes: [UInt8]) {
    guard failure == nil else { return }
    let descriptor = file?.descriptor ?? STDOUT_FILENO
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        failure = String(cString: strerror(errno))
        return
      }
      offset += count
    }
  }

  func commit() throws {
    if let failure {
      throw ReplacingFile.WriteError(path: file?.path ?? "standard output", reason: failure)
    }
    try file?.commit()
  }
}

/// Tabs and line breaks inside a TSV field become spaces, other controls escapes
/// (``terminalText(_:)``).
func tsvField(_ text: String) -> String {
  terminalText(String(text.map { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 }))
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
///
/// U+2028 and U+2029 are escaped (`\u2028`): JSON allows them raw, but JavaScript before ES2019
/// and line-splitting readers take them for line ends. They can stand only inside strings.
func jsonLine<T: Encodable>(_ value: T) -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  guard let data = try? encoder.encode(value) else { return "{}" }
  let line = String(decoding: data, as: UTF8.self)
  guard line.unicodeScalars.contains(where: { $0 == "\u{2028}" || $0 == "\u{2029}" }) else { return line }
  return line.replacingOccurrences(of: "\u{2028}", with: "\\u2028")
    .replacingOccurrences(of: "\u{2029}", with: "\\u2029")
}

/// Text from a memory or a document made safe for a terminal: each control character but tab
/// and line feed (C0, DEL, C1: ESC would start an escape sequence) is shown as `\u{1B}`.
func terminalText(_ text: String) -> String {
  func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar != "\t" && scalar != "\n" && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
  }
  guard text.unicodeScalars.contains(where: isControl) else { return text }
  var out = String.UnicodeScalarView()
  for scalar in text.unicodeScalars {
    if isControl(scalar) {
      out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
    } else {
      out.append(scalar)
    }
  }
  return String(out)
}

/// An error the command line reports as `Error: …` with exit code 1.
struct CommandError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
