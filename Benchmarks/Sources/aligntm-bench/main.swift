// Prints the figures the README quotes: `swift run -c release aligntm-bench <section> [options]`.
let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: aligntm-bench align [--show-errors DOCUMENT] | fuzzy [--units N]"
do {
  switch arguments.first {
  case "align":
    print("== align: sentence alignment on the benchmark documents ==")
    try AlignBenchmark.run(Array(arguments.dropFirst()))
  case "fuzzy": try FuzzyBenchmark.run(Array(arguments.dropFirst()))
  default: print(usage)
  }
} catch {
  print("Error: \(error)")
}
