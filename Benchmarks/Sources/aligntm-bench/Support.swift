import Foundation

/// The repository root, found from this file's path.
let repositoryRoot: URL = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<4 { url.deleteLastPathComponent() }  // Benchmarks/Sources/aligntm-bench/main.swift
  return url
}()

/// The eval folder of gold sets from other people's repositories, never committed here:
/// `$ALIGNTM_EVAL`, else `$ALIGNTM_SHARED/eval`, else `../shared/eval` beside the repository.
/// Nil, after a one-line notice naming what is missing, when one of `sets` is not in it.
func evalFolder(needing sets: [String]) -> URL? {
  let environment = ProcessInfo.processInfo.environment
  let folder: URL
  let shown: String
  if let path = environment["ALIGNTM_EVAL"], !path.isEmpty {
    (folder, shown) = (URL(fileURLWithPath: path), path)
  } else if let path = environment["ALIGNTM_SHARED"], !path.isEmpty {
    (folder, shown) = (URL(fileURLWithPath: path).appendingPathComponent("eval"), path + "/eval")
  } else {
    folder = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/eval")
    shown = "../shared/eval"
  }
  let missing = sets.filter {
    !FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
  }
  if missing.isEmpty { return folder }
  let names = missing.map { "\(shown)/\($0)" }.joined(separator: ", ")
  print("skipped: missing \(names) (set ALIGNTM_EVAL or ALIGNTM_SHARED)")
  return nil
}

func peakResidentMegabytes() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Wall time since `start`, in seconds.
func seconds(since start: ContinuousClock.Instant) -> Double {
  let elapsed = start.duration(to: .now)
  return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func format(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }

func pad(_ text: String, _ width: Int) -> String {
  text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

/// CPU time of the calling thread, in seconds: unlike wall time, it does not grow when other
/// processes share the machine.
func threadCPUSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// The folder a benchmark writes its inputs and outputs in: `--dir DIR` (default a new folder in
/// the temporary directory), removed at the end unless `--keep` is given.
struct WorkingFolder {
  let url: URL
  let keep: Bool

  /// Reads `--dir` and `--keep`; any other option and the value after it go to `option`, which
  /// returns false for an option it does not know.
  init(
    _ arguments: [String], name: String, option: (_ name: String, _ value: String?) throws -> Bool
  ) throws {
    var url = FileManager.default.temporaryDirectory
      .appendingPathComponent("aligntm-bench-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
    var keep = false
    var index = 0
    while index < arguments.count {
      let value = index + 1 < arguments.count ? arguments[index + 1] : nil
      switch arguments[index] {
      case "--dir":
        guard let value else { throw BenchmarkError.usage("--dir needs a folder") }
        url = URL(fileURLWithPath: value)
        index += 1
      case "--keep":
        keep = true
      default:
        guard try option(arguments[index], value) else {
          throw BenchmarkError.usage("unknown option \(arguments[index])")
        }
        index += 1
      }
      index += 1
    }
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    self.url = url
    self.keep = keep
  }

  /// Removes the folder unless `--keep` was given.
  func finish() {
    if !keep { try? FileManager.default.removeItem(at: url) }
  }
}
