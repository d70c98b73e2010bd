import Foundation

// One section per subcommand: `aligntm-bench SECTION [options]`. Add new sections here.
let arguments = Array(CommandLine.arguments.dropFirst())
do {
  switch arguments.first {
  case "tmx":
    try TMXBenchmark.run(Array(arguments.dropFirst()))
  case "tmx-generate", "tmx-import", "tmx-export":
    try TMXBenchmark.runPhase(arguments[0], Array(arguments.dropFirst()))
  default:
    print("usage: aligntm-bench tmx [--units N] [--dir DIR] [--keep]")
  }
} catch {
  FileHandle.standardError.write(Data("aligntm-bench: \(error)\n".utf8))
  exit(1)
}
