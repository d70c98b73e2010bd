import Foundation

/// A stream (a pipe, a FIFO, a terminal) copied into an unnamed temporary file, so that it can be
/// read from its start, looked at first, or read twice. The file has no name: it goes when its
/// descriptor is closed, and a killed process leaves nothing behind.
public enum StreamCopy {
  /// Why a stream could not be copied, in words.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  /// Copies what `stream` gives up to its end into an unnamed temporary file.
  ///
  /// - Returns: The copy's descriptor, rewound (the caller closes it), and its size in bytes.
  public static func copy(_ stream: Int32, chunkSize: Int = 1 << 20) throws(Failure) -> (
    descriptor: Int32, size: Int
  ) {
    guard let file = tmpfile() else {
      throw Failure(description: "no temporary file: \(String(cString: strerror(errno)))")
    }
    let copy = dup(fileno(file))
    fclose(file)
    guard copy >= 0 else {
      throw Failure(description: "no temporary file: \(String(cString: strerror(errno)))")
    }
    var buffer = [UInt8](repeating: 0, count: chunkSize)
    var size = 0
    while true {
      let count = buffer.withUnsafeMutableBytes { Foundation.read(stream, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      if count < 0 {
        let reason = String(cString: strerror(errno))
        close(copy)
        throw Failure(description: "cannot read: \(reason)")
      }
      if count == 0 { break }
      var written = 0
      while written < count {
        let result = buffer.withUnsafeBytes {
          Foundation.write(
            copy, UnsafeRawBufferPointer(rebasing: $0[written..<count]).baseAddress, count - written)
        }
        if result < 0 && errno == EINTR { continue }
        guard result > 0 else {
          let reason = String(cString: strerror(errno))
          close(copy)
          throw Failure(description: "cannot keep the stream: \(reason)")
        }
        written += result
      }
      size += count
    }
    lseek(copy, 0, SEEK_SET)
    return (copy, size)
  }
}
