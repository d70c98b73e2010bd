import Foundation

// Prints the figures the README quotes: `swift run -c release aligntm-bench SECTION [options]`.
// One section per subcommand; add new sections here.
let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
  usage: aligntm-bench segment [--rounds N]
         aligntm-bench align [--show-errors DOCUMENT]
         aligntm-bench process [--rounds N] [--binary PATH]
         aligntm-bench scale [--sizes 0.1,1,10,30] [--dir DIR] [--keep]
         aligntm-bench fuzzy [--units N]
         aligntm-bench tmx [--units N] [--dir DIR] [--keep]
         aligntm-bench tmx-postgres --url postgresql://USER@HOST:PORT/postgres [--units N] [--dir DIR] [--keep]
         aligntm-bench serve [--units N] [--duration S] [--connections 1,8,64] [--tm postgresql://…] [--dir DIR] [--keep]
         aligntm-bench pairs [--pairs N] [--dir DIR] [--keep]
  """
do {
  switch arguments.first {
  case "segment":
    try SegmentationBenchmark.run(Array(arguments.dropFirst()))
  case "align":
    print("== align: sentence alignment on the benchmark documents ==")
    try AlignBenchmark.run(Array(arguments.dropFirst()))
  case "process":
    try ProcessBenchmark.run(Array(arguments.dropFirst()))
  case "scale":
    try ScaleBenchmark.run(Array(arguments.dropFirst()))
  case "scale-align":
    try ScaleBenchmark.runChild(Array(arguments.dropFirst()))
  case "fuzzy":
    try FuzzyBenchmark.run(Array(arguments.dropFirst()))
  case "serve":
    try await ServeBenchmark.run(Array(arguments.dropFirst()))
  case "pairs":
    try PairsBenchmark.run(Array(arguments.dropFirst()))
  case "tmx":
    try TMXBenchmark.run(Array(arguments.dropFirst()))
  case "tmx-postgres":
    try PostgresBenchmark.run(Array(arguments.dropFirst()))
  case "tmx-generate", "tmx-import", "tmx-export", "tmx-ceiling", "tmx-reference":
    try TMXBenchmark.runPhase(arguments[0], Array(arguments.dropFirst()))
  default:
    print(usage)
  }
} catch {
  FileHandle.standardError.write(Data("aligntm-bench: \(error)\n".utf8))
  exit(1)
}
