import Foundation
import TextSegmentation
import TranslationMemory

/// A file argument that a library reads by path, with the name its errors give.
///
/// `-` is standard input, named ``DocumentReader/standardInputName`` (`<stdin>`). A stream (a
/// pipe) is first copied into an unnamed temporary file, so that it can be looked at (XLIFF or
/// TMX?) and then read, or read twice; the copy goes when the value does, and a killed process
/// leaves nothing behind (the file has no name). Any other path is read as it is.
final class InputFile {
  /// Where the library reads.
  let url: URL
  /// The file's name in messages: the path as given, or `<stdin>`.
  let name: String
  private var spool: Int32 = -1

  init(_ path: String) throws {
    guard path == "-" else {
      url = URL(fileURLWithPath: path)
      name = path
      return
    }
    name = DocumentReader.standardInputName
    var status = stat()
    if fstat(STDIN_FILENO, &status) == 0 && status.st_mode & S_IFMT == S_IFREG {
      // A redirected file can be opened again from its start.
      url = URL(fileURLWithPath: "/dev/stdin")
      return
    }
    do {
      let (copy, _) = try StreamCopy.copy(STDIN_FILENO)
      spool = copy
      // The unnamed file is reached through its descriptor (Linux opens /dev/fd/N anew, at 0).
      url = URL(fileURLWithPath: "/dev/fd/\(copy)")
    } catch {
      throw CommandError("\(name): \(error.description)")
    }
  }

  deinit { if spool >= 0 { close(spool) } }
}
