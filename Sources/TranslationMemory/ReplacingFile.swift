import Foundation

/// A file written in place of the one at a path, for `-o` outputs and TMX exports.
///
/// A regular file (or a path that does not exist yet) is replaced atomically: the bytes go to a
/// hidden temporary file beside it, synced and renamed over it by ``commit()``. Until then the old
/// file stays as it was, and a file never committed leaves no temporary file behind. The
/// temporary file is named `.NAME.aligntm-PID-XXXXXX`: one that a killed process left (its PID
/// is no longer running) is removed the next time the same path is written. A symbolic
/// link is resolved and its target replaced, the link kept. What is not a regular file (a FIFO, a
/// device such as `/dev/null`) is written through, never replaced.
public final class ReplacingFile {
  /// Why the file could not be written: `cannot write PATH: reason`.
  public struct WriteError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }

    public init(path: String, reason: String) {
      self.path = path
      self.reason = reason
    }
  }

  /// Where to write.
  public let descriptor: Int32
  /// The path as given, for messages.
  public let path: String
  /// The temporary file and the path it replaces, for a regular file.
  private var pending: (temporary: String, final: String)?

  /// Opens the temporary file beside `path`, or `path` itself when it is not a regular file.
  ///
  /// - Throws: ``WriteError``.
  public init(path: String) throws(WriteError) {
    self.path = path
    let final = try Self.resolvingLinks(path)
    var status = stat()
    let exists = stat(final, &status) == 0
    if exists && status.st_mode & S_IFMT != S_IFREG {
      // A FIFO, a device or a socket: written through, never replaced.
      descriptor = open(final, O_WRONLY | O_CLOEXEC)
      guard descriptor >= 0 else { throw Self.error(path, errno) }
      return
    }
    let folder = (final as NSString).deletingLastPathComponent
    let base = (final as NSString).lastPathComponent
    let prefix = ".\(base).aligntm-"
    Self.removeStaleTemporaryFiles(in: folder, prefix: prefix)
    var template = Array(((folder.isEmpty ? "" : folder + "/") + prefix + "\(getpid())-XXXXXX").utf8CString)
    let temporary = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
    guard temporary >= 0 else { throw Self.error(path, errno) }
    descriptor = temporary
    let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    pending = (temporaryPath, final)
    // mkstemp makes the file 0600: give it the old file's mode, or what a new file gets.
    let mask = umask(0)
    umask(mask)
    _ = fchmod(descriptor, exists ? status.st_mode & 0o7777 : 0o666 & ~mask)
  }

  deinit {
    close(descriptor)
    if let pending { unlink(pending.temporary) }
  }

  /// Syncs the temporary file and renames it over the path; nothing to do when writing through.
  ///
  /// - Throws: ``WriteError``.
  public func commit() throws(WriteError) {
    guard let pending else { return }
    if fsync(descriptor) != 0 || rename(pending.temporary, pending.final) != 0 {
      throw Self.error(path, errno)
    }
    self.pending = nil
  }

  /// Removes the temporary files `prefix` + `PID-XXXXXX` in `folder` whose process is gone:
  /// what a writer killed before its commit (`kill -9`, a crash) left behind.
  ///
  /// A PID still running (or not ours to signal) keeps its file; so does a name of another form.
  static func removeStaleTemporaryFiles(in folder: String, prefix: String) {
    guard let directory = opendir(folder.isEmpty ? "." : folder) else { return }
    defer { closedir(directory) }
    let own = getpid()
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) {
        String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard let pid = stalePID(name, prefix: prefix), pid != own else { continue }
      // ESRCH: no such process. EPERM means it runs under another user: keep its file.
      guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
      let path = (folder.isEmpty ? "" : folder + "/") + name
      var status = stat()
      guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
      unlink(path)
    }
  }

  /// The PID in a temporary file's name `prefix` + `PID-XXXXXX`; nil for another name.
  static func stalePID(_ name: String, prefix: String) -> pid_t? {
    guard name.hasPrefix(prefix) else { return nil }
    let rest = name.utf8.dropFirst(prefix.utf8.count)
    guard let dash = rest.firstIndex(of: UInt8(ascii: "-")) else { return nil }
    let digits = rest[..<dash]
    guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      rest[rest.index(after: dash)...].count == 6,
      let pid = pid_t(String(decoding: digits, as: UTF8.self)), pid > 0
    else { return nil }
    return pid
  }

  /// The path with every symbolic link along it followed to its target, which may not exist yet.
  private static func resolvingLinks(_ path: String) throws(WriteError) -> String {
    var current = path
    for _ in 0..<40 {
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let length = readlink(current, &buffer, buffer.count - 1)
      if length < 0 { return current }
      let target = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      current =
        target.hasPrefix("/")
        ? target
        : ((current as NSString).deletingLastPathComponent as NSString)
          .appendingPathComponent(target)
    }
    throw WriteError(path: path, reason: "too many levels of symbolic links")
  }

  private static func error(_ path: String, _ code: Int32) -> WriteError {
    WriteError(path: path, reason: String(cString: strerror(code)))
  }
}
