import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// Queries the English of asean-2022 against a memory of the gold beads of its source
/// resolution (corpus pair 003), one entry per bead: this tests the matcher alone, without
/// the aligner.
@Suite("Fuzzy matching on asean-2022")
struct FuzzyAseanTests {
  struct Outcome {
    var bead: GoldBead
    var best: FuzzyMatch?
  }

  static func outcomes() throws -> [Outcome] {
    let memory = try TestSupport.jsonLines("un/003/gold.jsonl", as: GoldBead.self)
    let entries = memory.enumerated().map { offset, bead in
      FuzzyEntry(
        id: Int64(offset), source: bead.en.joined(separator: " "),
        target: bead.fr.joined(separator: " "), sourceLanguage: .english, targetLanguage: .french,
        document: "A/RES/75/15", paragraph: bead.p)
    }
    let index = try FuzzyIndex(entries: entries, from: .english, to: .french)
    let queries = try TestSupport.jsonLines("new/asean-2022/gold.jsonl", as: GoldBead.self)
    return try queries.map { bead in
      let best = try index.matches(for: bead.en.joined(separator: " "), minimumScore: 50, limit: 1).first
      return Outcome(bead: bead, best: best)
    }
  }

  /// The comparison form: markdown (`**`, `*`, `[x](#)`, `^{x}`, `^x`) removed, then the
  /// matching key.
  static func comparable(_ text: String) -> String {
    var result = text
    for (pattern, template) in [
      (#"\[([^\]]*)\]\(#\)"#, "$1"), (#"\^\{([^}]*)\}"#, "$1"), (#"\*+"#, ""), (#"\^"#, ""),
    ] {
      result = result.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
    }
    return TextNormalizer.matchKey(result)
  }

  static func isRight(_ outcome: Outcome) -> Bool {
    guard let best = outcome.best else { return false }
    return comparable(best.suggestion.text) == comparable(outcome.bead.fr.joined(separator: " "))
  }

  @Test("every `same` sentence comes back at 100 % with its French")
  func sameSentences() throws {
    let same = try Self.outcomes().filter { $0.bead.edit == "same" }
    #expect(same.count >= 10)
    for outcome in same {
      let best = try #require(outcome.best, "no match for \(outcome.bead.p)")
      #expect(best.score.value == 100, "\(outcome.bead.p): \(best.score)")
      #expect(best.entry.paragraph == outcome.bead.from, "\(outcome.bead.p)")
      #expect(best.suggestion.text == outcome.bead.fr.joined(separator: " "), "\(outcome.bead.p)")
      #expect(best.suggestion.substitutions.isEmpty)
    }
  }

  @Test("at least 90 % of `numbers` sentences come back at 75 % or more, right after substitution")
  func numberSentences() throws {
    let numbers = try Self.outcomes().filter { $0.bead.edit == "numbers" }
    #expect(numbers.count >= 10)
    let good = numbers.filter { ($0.best?.score.value ?? 0) >= 75 && Self.isRight($0) }
    let failures = numbers.filter { !(($0.best?.score.value ?? 0) >= 75 && Self.isRight($0)) }
      .map { "\($0.bead.p): \($0.best?.score.description ?? "none") \($0.best?.suggestion.text ?? "")" }
    #expect(Double(good.count) >= 0.9 * Double(numbers.count), "\(failures)")
    for outcome in numbers {
      #expect(outcome.best?.entry.paragraph == outcome.bead.from, "\(outcome.bead.p)")
    }
  }

  @Test("every `wording` sentence is matched to the bead it derives from")
  func wordingSentences() throws {
    let wording = try Self.outcomes().filter { $0.bead.edit == "wording" }
    #expect(wording.count >= 10)
    for outcome in wording {
      #expect(
        outcome.best?.entry.paragraph == outcome.bead.from,
        "\(outcome.bead.p): got \(outcome.best?.entry.paragraph ?? "nothing") at \(outcome.best?.score.description ?? "-")"
      )
      #expect((outcome.best?.score.value ?? 100) < 100, "\(outcome.bead.p)")
    }
  }
}
