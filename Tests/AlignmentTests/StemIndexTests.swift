import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import Alignment

/// The stem index a compiled lexicon holds: read in place, it answers as the one built from the
/// word lists.
@Suite struct StemIndexTests {
  let cacheTests = LexiconCacheTests()

  /// Every stem of the built table, and stems it lacks, from the compiled file.
  func expectSameStems(_ compiled: Lexicon, _ parsed: Lexicon, length: Int) {
    let built = StemIndex.table(parsed.translations, length: length)
    let index = StemIndex(compiled, length: length)
    var differing = 0
    for (stem, targets) in built where index[stem].map(Set.init) != Set(targets) { differing += 1 }
    #expect(differing == 0)
    for missing in ["", "zzzzq", "maiso", "ét", "日本"] where built[missing] == nil {
      #expect(index[missing] == nil)
    }
  }

  @Test func aCompiledLexiconHoldsTheStemsOfItsWordLists() throws {
    let (dictionaries, cache, root) = try cacheTests.makeFolders()
    defer { try? FileManager.default.removeItem(at: root) }
    let parsed = cacheTests.load(dictionaries, nil)
    _ = cacheTests.load(dictionaries, cache)
    let warm = cacheTests.load(dictionaries, cache)
    #expect(warm.fromCache)
    let compiled = try #require(warm.lexicon.compiled)
    #expect(compiled.stemLength == SentenceAligner.Configuration().stemLength)
    #expect(compiled.stems(for: "aband") == ["abdiq", "aband", "delai"])
    #expect(compiled.stems(for: "house") == ["maiso"])
    #expect(compiled.stems(for: "hous") == nil)
    expectSameStems(warm.lexicon, parsed.lexicon, length: compiled.stemLength)
    // Another stem length is built from the word lists.
    expectSameStems(warm.lexicon, parsed.lexicon, length: 3)
  }

  @Test func aChangedLexiconNoLongerUsesTheCompiledStems() throws {
    let (dictionaries, cache, root) = try cacheTests.makeFolders()
    defer { try? FileManager.default.removeItem(at: root) }
    _ = cacheTests.load(dictionaries, cache)
    var lexicon = cacheTests.load(dictionaries, cache).lexicon
    #expect(lexicon.compiled != nil)
    lexicon.add(source: "window", target: "fenêtre")
    #expect(lexicon.compiled == nil)
    #expect(lexicon.translations["window"] == ["fenetre"])
    #expect(lexicon.translations["house"] == ["maison"])
    #expect(StemIndex(lexicon, length: 5)["windo"] == ["fenet"])
  }

  /// The installed dictionaries, both directions of en-fr and de-fr: all stems the same, and the
  /// same alignment of a dev document (a TransRead novel; the Text+Berg document) from the cache.
  @Test(.requiresEval("transread-dev")) func theInstalledDictionariesGiveTheSameStemsAndAlignments() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let cache = LexiconCache(folder: root)
    let pairs: [(Language, Language, String, String)] = [
      (.english, .french, "transread-dev/Emma/en.txt", "transread-dev/Emma/fr.txt"),
      (.german, .french, "textberg-dev/dev.de", "textberg-dev/dev.fr"),
    ]
    for (source, target, sourceFile, targetFile) in pairs {
      let code = "\(Lexicon.threeLetterCode(source))-\(Lexicon.threeLetterCode(target))"
      guard
        FileManager.default.fileExists(
          atPath: Lexicon.freedictDirectory.appendingPathComponent("freedict-\(code).index").path)
      else {
        print("skipped: no freedict-\(code) in \(Lexicon.freedictDirectory.path)")
        continue
      }
      let parsed = Lexicon.freedict(sourceLanguage: source, targetLanguage: target, cache: nil)
      _ = Lexicon.freedict(sourceLanguage: source, targetLanguage: target, cache: cache)
      let cached = Lexicon.freedict(sourceLanguage: source, targetLanguage: target, cache: cache)
      #expect(cached.fromCache)
      #expect(cached.lexicon.compiled != nil)
      expectSameStems(cached.lexicon, parsed.lexicon, length: SentenceAligner.Configuration().stemLength)
      let sourceURL = ExternalData.evalFile(sourceFile)
      let targetURL = ExternalData.evalFile(targetFile)
      guard FileManager.default.fileExists(atPath: sourceURL.path) else {
        print("skipped: no \(sourceURL.path)")
        continue
      }
      let sourceText = try PresegmentedText(contentsOf: sourceURL).sentences
      let targetText = try PresegmentedText(contentsOf: targetURL).sentences
      let withCache = SentenceAligner(sourceLanguage: source, targetLanguage: target, lexicon: cached.lexicon)
        .align(source: sourceText, target: targetText)
      let without = SentenceAligner(sourceLanguage: source, targetLanguage: target, lexicon: parsed.lexicon)
        .align(source: sourceText, target: targetText)
      #expect(withCache.links == without.links)
      #expect(withCache.beads.count == without.beads.count)
      for (a, b) in zip(withCache.beads, without.beads) { #expect(abs(a.score - b.score) < 1e-9) }
    }
  }
}
