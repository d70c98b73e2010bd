/// Bad input met by the Alignment module.
public enum AlignmentError: Error, Equatable, CustomStringConvertible {
  /// A line of a links file is not of the form `[1, 2]:[3]`.
  case malformedLink(file: String, line: Int, text: String)
  /// A file could not be read.
  case unreadableFile(file: String, reason: String)
  /// A dictionary file is damaged.
  case malformedDictionary(file: String, line: Int, reason: String)

  /// The problem, as `file:line: what is wrong`.
  public var description: String {
    switch self {
    case .malformedLink(let file, let line, let text):
      return "\(file):\(line): expected a link like '[1, 2]:[3]', found '\(text)'"
    case .unreadableFile(let file, let reason):
      return "\(file): cannot read the file: \(reason)"
    case .malformedDictionary(let file, let line, let reason):
      return "\(file):\(line): \(reason)"
    }
  }
}
