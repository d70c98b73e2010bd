import Foundation
import Testing

/// Paths and helpers shared by the test targets.
public enum TestSupport {
  /// The repository's root folder (the one holding Package.swift).
  public static let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/TestSupport/TestSupport.swift
    return url
  }()

  /// The project's own corpus folder.
  public static var corpus: URL { repositoryRoot.appendingPathComponent("corpus") }

  /// A file of the corpus, such as `un/003/fr.txt`.
  public static func corpusFile(_ relativePath: String) -> URL {
    corpus.appendingPathComponent(relativePath)
  }

  /// The text of a corpus file.
  public static func corpusText(_ relativePath: String) throws -> String {
    try String(contentsOf: corpusFile(relativePath), encoding: .utf8)
  }

  /// Reads a JSON Lines file of the corpus into values.
  public static func jsonLines<T: Decodable>(_ relativePath: String, as type: T.Type) throws -> [T] {
    try jsonLines(at: corpusFile(relativePath), as: type)
  }

  /// Reads a JSON Lines file into values.
  public static func jsonLines<T: Decodable>(at url: URL, as type: T.Type) throws -> [T] {
    let text = try String(contentsOf: url, encoding: .utf8)
    let decoder = JSONDecoder()
    return try text.split(separator: "\n", omittingEmptySubsequences: true).map {
      try decoder.decode(T.self, from: Data($0.utf8))
    }
  }

  /// Runs a program found on the `PATH` (xmllint, python3, java …), optionally in a folder; its
  /// exit status and output (standard output and error together), or nil when it can't start.
  public static func runProgram(_ program: String, _ arguments: [String], in directory: URL? = nil) -> (
    status: Int32, output: String
  )? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [program] + arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// A new empty temporary folder, removed by the caller when done.
  public static func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("aligntm-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// Data from other people's repositories, used by the tests but never committed here: the gold
/// sets of `eval/` (TransRead, Text+Berg, the golden rules) and the TMX 1.4b DTD.
///
/// They are read from `../shared/` beside the repository (`eval/`, `tmx/tmx14.dtd`), or from the
/// folder `ALIGNTM_SHARED` names; `ALIGNTM_EVAL` names the eval folder on its own. A test that
/// needs them carries the trait `.requiresEval("SET")` or `.requiresTMXDTD` and is skipped, with
/// a one-line notice naming what is missing, when they are absent.
public enum ExternalData {
  /// A file or folder of the external data, and how to name it in a notice.
  public struct Location: Sendable {
    public let url: URL
    /// The path as notices show it: `../shared/…` when found by default.
    public let displayPath: String
    /// The environment variables that move it, as notices name them.
    public let variables: String

    public var exists: Bool { FileManager.default.fileExists(atPath: url.path) }
    /// `missing ../shared/eval/golden-rules (set ALIGNTM_EVAL or ALIGNTM_SHARED)`.
    public var missingNotice: String { "missing \(displayPath) (set \(variables))" }

    func appending(_ path: String, variables: String? = nil) -> Location {
      Location(
        url: url.appendingPathComponent(path), displayPath: displayPath + "/" + path,
        variables: variables ?? self.variables)
    }
  }

  /// `$ALIGNTM_SHARED`, or `../shared` beside the repository.
  public static let shared: Location = {
    if let path = ProcessInfo.processInfo.environment["ALIGNTM_SHARED"], !path.isEmpty {
      return Location(url: URL(fileURLWithPath: path), displayPath: path, variables: "ALIGNTM_SHARED")
    }
    let url = TestSupport.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    return Location(url: url, displayPath: "../shared", variables: "ALIGNTM_SHARED")
  }()

  /// `$ALIGNTM_EVAL`, or the shared folder's `eval/`.
  public static let eval: Location = {
    if let path = ProcessInfo.processInfo.environment["ALIGNTM_EVAL"], !path.isEmpty {
      return Location(url: URL(fileURLWithPath: path), displayPath: path, variables: "ALIGNTM_EVAL")
    }
    return shared.appending("eval", variables: "ALIGNTM_EVAL or ALIGNTM_SHARED")
  }()

  /// The TMX 1.4b DTD: the shared folder's `tmx/tmx14.dtd`.
  public static let tmxDTD = shared.appending("tmx/tmx14.dtd")

  /// A file of the eval folder, such as `transread-dev/Emma/en.txt`.
  public static func evalFile(_ relativePath: String) -> URL {
    eval.url.appendingPathComponent(relativePath)
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs the test only when a set of the eval folder is there, such as `transread-dev`;
  /// otherwise skips it with a one-line notice naming the missing folder.
  public static func requiresEval(_ set: String) -> Self {
    let location = ExternalData.eval.appending(set)
    return .enabled(if: location.exists, Comment(rawValue: location.missingNotice))
  }

  /// Runs the test only when the TMX 1.4b DTD is there; otherwise skips it with a notice.
  public static var requiresTMXDTD: Self {
    .enabled(if: ExternalData.tmxDTD.exists, Comment(rawValue: ExternalData.tmxDTD.missingNotice))
  }
}

/// A gold bead of the UN corpus (`corpus/un/00N/gold.jsonl`).
public struct GoldBead: Decodable, Sendable {
  public var p: String
  public var kind: String
  public var fr: [String]
  public var en: [String]
  public var from: String?
  public var edit: String?
}

/// A small, fast, seeded random number generator (SplitMix64) for repeatable property tests.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Runs the built `aligntm` executable, for end-to-end tests of the command line.
public enum CommandRunner {
  public struct Result: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
  }

  /// The `aligntm` binary next to the test bundle (`.build/debug/aligntm`).
  public static var executable: URL {
    let bundleFolder = Bundle.main.bundleURL.deletingLastPathComponent()
    for candidate in [Bundle.main.bundleURL, bundleFolder] {
      let url = candidate.appendingPathComponent("aligntm")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return TestSupport.repositoryRoot.appendingPathComponent(".build/debug/aligntm")
  }

  /// Runs `aligntm` with arguments in a working directory, with extra environment variables.
  public static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
    input: String? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? TestSupport.repositoryRoot
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let inputPipe = Pipe()
    process.standardInput = inputPipe
    try process.run()
    if let input { inputPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try inputPipe.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so a large output cannot fill a pipe and block.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
      standardError: String(decoding: errData, as: UTF8.self))
  }
}
