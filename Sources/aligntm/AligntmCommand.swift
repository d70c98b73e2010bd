import ArgumentParser
import TranslationMemory

@main
struct AligntmCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "aligntm",
    abstract: "Align UN documents with their translations, keep a translation memory, suggest.",
    version: TranslationMemory.tool,
    subcommands: [
      Segment.self, Align.self, Evaluate.self, TM.self, Query.self, Suggest.self, Concord.self, Serve.self,
    ]
  )
}
