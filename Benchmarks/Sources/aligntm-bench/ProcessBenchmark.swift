import Foundation

/// `aligntm align` as a user runs it: one process per document pair, on the five dev documents
/// (four TransRead novels en-fr, Text+Berg de-fr), with the dictionary parsed every time (cache
/// off), compiled on the first run (cold: cache removed before each process) and read from the
/// cache (warm), and without a dictionary (the floor). Wall time of the five processes, best of
/// several rounds, and their CPU time (user + system, which a loaded machine does not inflate).
enum ProcessBenchmark {
  struct Mode {
    var name: String
    var arguments: [String]
    var cache: String
    var clearsCache: Bool
  }

  static func run(_ arguments: [String]) throws {
    let rounds = arguments.firstIndex(of: "--rounds").flatMap { Int(arguments[$0 + 1]) } ?? 3
    let binary =
      arguments.firstIndex(of: "--binary").map { arguments[$0 + 1] }
      ?? repositoryRoot.appendingPathComponent(".build/release/aligntm").path
    print(
      "== process: `aligntm align --presegmented`, one process per dev document, best of \(rounds) rounds ==")
    guard FileManager.default.isExecutableFile(atPath: binary) else {
      print(
        "skipped: no \(binary) (build it with `swift build -c release --product aligntm`, or pass --binary)")
      return
    }
    guard let eval = evalFolder(needing: ["transread-dev", "textberg-dev"]) else { return }
    var documents: [(name: String, arguments: [String])] = []
    for book in ["AlicesAdventuresInWonderland", "Candide", "Emma", "JaneEyre"] {
      let folder = eval.appendingPathComponent("transread-dev/\(book)")
      documents.append(
        (
          book,
          [
            "--source-lang", "en", "--target-lang", "fr", folder.appendingPathComponent("en.txt").path,
            folder.appendingPathComponent("fr.txt").path,
          ]
        ))
    }
    let textberg = eval.appendingPathComponent("textberg-dev")
    documents.append(
      (
        "textberg-dev",
        [
          "--source-lang", "de", "--target-lang", "fr", textberg.appendingPathComponent("dev.de").path,
          textberg.appendingPathComponent("dev.fr").path,
        ]
      ))

    let cacheFolder = FileManager.default.temporaryDirectory
      .appendingPathComponent("aligntm-bench-cache-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: cacheFolder) }
    let modes = [
      Mode(name: "no dictionary (floor)", arguments: ["--no-dictionary"], cache: "off", clearsCache: false),
      Mode(name: "dictionary parsed (cache off)", arguments: [], cache: "off", clearsCache: false),
      Mode(name: "cold (cache removed first)", arguments: [], cache: cacheFolder.path, clearsCache: true),
      Mode(name: "warm (compiled lexicon)", arguments: [], cache: cacheFolder.path, clearsCache: false),
    ]
    print(
      pad("mode", 32) + documents.map { pad(String($0.name.prefix(9)), 11) }.joined() + pad("total s", 10)
        + "CPU s")
    var outputs: [String: [String]] = [:]
    var totals: [String: Double] = [:]
    var cpuTotals: [String: Double] = [:]
    for mode in modes {
      var best = [Double](repeating: .infinity, count: documents.count)
      var bestTotal = Double.infinity
      var bestCPU = Double.infinity
      for _ in 0..<rounds {
        var total = 0.0
        var cpu = 0.0
        var texts: [String] = []
        for (index, document) in documents.enumerated() {
          if mode.clearsCache { try? FileManager.default.removeItem(at: cacheFolder) }
          let result = try runAligntm(
            binary, ["align", "--presegmented"] + mode.arguments + document.arguments, cache: mode.cache)
          guard result.status == 0 else {
            print("aligntm failed on \(document.name) (status \(result.status)): \(result.error)")
            return
          }
          best[index] = min(best[index], result.wall)
          total += result.wall
          cpu += result.cpu
          texts.append(result.output)
        }
        bestTotal = min(bestTotal, total)
        bestCPU = min(bestCPU, cpu)
        outputs[mode.name] = texts
      }
      totals[mode.name] = bestTotal
      cpuTotals[mode.name] = bestCPU
      print(
        pad(mode.name, 32) + best.map { pad(format($0), 11) }.joined() + pad(format(bestTotal), 10)
          + format(bestCPU))
    }
    let parsed = outputs[modes[1].name] ?? []
    let same = modes[2...].allSatisfy { outputs[$0.name] == parsed }
    print("links with the compiled lexicon identical to the parsed dictionary's: \(same ? "yes" : "NO")")
    let hunalign = 6.1
    if let warm = totals[modes[3].name], let warmCPU = cpuTotals[modes[3].name] {
      print(
        "target: the five in ≤ 0.6 s wall (≥ 10× hunalign -realign's \(format(hunalign, 1)) s, timed by hand: Debian has no hunalign package); warm \(format(warm)) s wall = \(format(hunalign / warm, 1))×, \(format(warmCPU)) s CPU = \(format(hunalign / warmCPU, 1))× (wall exceeds CPU when other processes share the cores)"
      )
    }
    if let floor = cpuTotals[modes[0].name], let warmCPU = cpuTotals[modes[3].name],
      let parsed = cpuTotals[modes[1].name]
    {
      print(
        "the dictionary costs \(format(parsed - floor)) s CPU parsed, \(format(warmCPU - floor)) s compiled (by perf, reading the compiled lexicon and its stem index takes about 2 ms a process for de-fr, under 1 ms for en-fr; the rest is the aligner scoring the extra word links the dictionary gives)"
      )
    }
  }

  struct Run {
    var status: Int32
    var wall: Double
    var cpu: Double
    var output: String
    var error: String
  }

  /// Runs the binary once, spawned with `posix_spawn` and reaped with `wait4` (wall time from
  /// launch to exit, the child's CPU time), its output and errors through files: Foundation's
  /// `Process` adds tens of milliseconds a run to the wall time (its exit is seen by polling).
  static func runAligntm(_ binary: String, _ arguments: [String], cache: String) throws -> Run {
    setenv("ALIGNTM_CACHE_DIR", cache, 1)
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aligntm-bench-process-\(getpid())")
    let (output, error) = (base.path + ".out", base.path + ".err")
    defer {
      unlink(output)
      unlink(error)
    }
    let result = try FuzzyBenchmark.spawnDirectly(binary, arguments, output: output, errors: error)
    return Run(
      status: result.status, wall: result.wall, cpu: result.cpu,
      output: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "",
      error: (try? String(contentsOfFile: error, encoding: .utf8)) ?? "")
  }
}
