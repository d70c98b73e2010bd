// Prints the figures the README quotes: `swift run -c release aligntm-bench <section>`.
let arguments = Array(CommandLine.arguments.dropFirst())
do {
  switch arguments.first {
  case "fuzzy": try FuzzyBenchmark.run(Array(arguments.dropFirst()))
  default: print("usage: aligntm-bench fuzzy [--units N]")
  }
} catch {
  print("Error: \(error)")
}
