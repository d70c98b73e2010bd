import Alignment
import Foundation
import TestSupport
import Testing
import TextSegmentation

@Suite struct LexiconCacheTests {
  let helper = LexiconTests()

  /// A dictionary folder with both directions of en-fr, and an empty cache folder.
  func makeFolders() throws -> (dictionaries: URL, cache: LexiconCache, root: URL) {
    let root = try TestSupport.makeTemporaryDirectory()
    let dictionaries = root.appendingPathComponent("dictd")
    try FileManager.default.createDirectory(at: dictionaries, withIntermediateDirectories: true)
    try helper.writeDictionary(
      [
        ("abandon", "abandon /əbændən/\n1. abdiquer\n2. abandonner, délaisser (fig.)\n"),
        ("house", "house\nmaison\n"),
        ("État", "État\nstate\n"),
      ], name: "freedict-eng-fra", in: dictionaries)
    try helper.writeDictionary([("maison", "maison\nhome\n")], name: "freedict-fra-eng", in: dictionaries)
    return (dictionaries, LexiconCache(folder: root.appendingPathComponent("cache")), root)
  }

  func load(_ dictionaries: URL, _ cache: LexiconCache?) -> Lexicon.LoadResult {
    Lexicon.freedict(sourceLanguage: .english, targetLanguage: .french, directory: dictionaries, cache: cache)
  }

  func cacheFiles(_ cache: LexiconCache) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: cache.folder, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "lexicon" }
  }

  @Test func theSecondLoadReadsTheCompiledLexiconAndFindsTheSameEntries() throws {
    let (dictionaries, cache, root) = try makeFolders()
    defer { try? FileManager.default.removeItem(at: root) }
    let parsed = load(dictionaries, nil)
    let cold = load(dictionaries, cache)
    #expect(!cold.fromCache)
    #expect(try cacheFiles(cache).count == 1)
    let warm = load(dictionaries, cache)
    #expect(warm.fromCache)
    #expect(warm.note == nil)
    #expect(warm.files == parsed.files)
    #expect(parsed.lexicon.translations["house"] == ["maison"])
    #expect(cold.lexicon.translations == parsed.lexicon.translations)
    #expect(warm.lexicon.translations == parsed.lexicon.translations)
    #expect(warm.lexicon.translations["abandon"] == ["abdiquer", "abandonner", "delaisser"])
  }

  @Test func aChangedDictionaryOfTheSameSizeAndTimeIsReadAgain() throws {
    let (dictionaries, cache, root) = try makeFolders()
    defer { try? FileManager.default.removeItem(at: root) }
    _ = load(dictionaries, cache)
    let dict = dictionaries.appendingPathComponent("freedict-eng-fra.dict")
    let date = try FileManager.default.attributesOfItem(atPath: dict.path)[.modificationDate] as? Date
    var text = try String(contentsOf: dict, encoding: .utf8)
    text = text.replacingOccurrences(of: "maison", with: "maisoN")
    try text.write(to: dict, atomically: false, encoding: .utf8)
    try FileManager.default.setAttributes([.modificationDate: date as Any], ofItemAtPath: dict.path)
    let reloaded = load(dictionaries, cache)
    #expect(!reloaded.fromCache)
    #expect(reloaded.lexicon.translations == load(dictionaries, nil).lexicon.translations)
    #expect(load(dictionaries, cache).fromCache)
  }

  @Test func aNewDictionaryIsReadAgain() throws {
    let (dictionaries, cache, root) = try makeFolders()
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.removeItem(at: dictionaries.appendingPathComponent("freedict-fra-eng.dict"))
    #expect(load(dictionaries, cache).lexicon.translations["home"] == nil)
    try helper.writeDictionary([("maison", "maison\nhome\n")], name: "freedict-fra-eng", in: dictionaries)
    let reloaded = load(dictionaries, cache)
    #expect(!reloaded.fromCache)
    #expect(reloaded.lexicon.translations["home"] == ["maison"])
  }

  /// Every kind of damage: a flipped byte anywhere, a truncation anywhere, garbage, an empty file.
  @Test func aDamagedCacheFileIsNeverTrustedButRebuilt() throws {
    let (dictionaries, cache, root) = try makeFolders()
    defer { try? FileManager.default.removeItem(at: root) }
    let expected = load(dictionaries, nil).lexicon.translations
    _ = load(dictionaries, cache)
    let file = try #require(try cacheFiles(cache).first)
    let good = try Data(contentsOf: file)
    var damaged: [Data] = [Data(), Data("not a lexicon".utf8), good + Data([0])]
    for offset in stride(from: 0, to: good.count, by: max(1, good.count / 40)) {
      var flipped = good
      flipped[offset] ^= 0x20
      damaged.append(flipped)
      damaged.append(good.prefix(offset))
    }
    for bytes in damaged {
      try bytes.write(to: file)
      let loaded = load(dictionaries, cache)
      #expect(!loaded.fromCache)
      #expect(loaded.lexicon.translations == expected)
      // Rebuilt: the next load trusts it again.
      #expect(try Data(contentsOf: file) == good)
      #expect(load(dictionaries, cache).fromCache)
    }
  }

  @Test func eachDictionaryFolderHasItsOwnCompiledLexicon() throws {
    let (dictionaries, cache, root) = try makeFolders()
    defer { try? FileManager.default.removeItem(at: root) }
    let other = root.appendingPathComponent("other")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try helper.writeDictionary([("house", "house\nlogis\n")], name: "freedict-eng-fra", in: other)
    _ = load(dictionaries, cache)
    let loaded = load(other, cache)
    #expect(!loaded.fromCache)
    #expect(loaded.lexicon.translations["house"] == ["logis"])
    #expect(load(dictionaries, cache).lexicon.translations["house"] == ["maison"])
  }

  @Test func theCacheFolderComesFromTheEnvironment() {
    func folder(_ environment: [String: String]) -> String? {
      LexiconCache.standard(environment: environment)?.folder.path
    }
    #expect(folder(["ALIGNTM_CACHE_DIR": "/tmp/x", "XDG_CACHE_HOME": "/c", "HOME": "/h"]) == "/tmp/x")
    #expect(folder(["ALIGNTM_CACHE_DIR": "off", "HOME": "/h"]) == nil)
    #expect(folder(["XDG_CACHE_HOME": "/c", "HOME": "/h"]) == "/c/aligntm")
    // A relative XDG_CACHE_HOME is invalid by the XDG specification and ignored.
    #expect(folder(["XDG_CACHE_HOME": "c", "HOME": "/h"]) == "/h/.cache/aligntm")
    #expect(folder([:]) == nil)
  }

  @Test func anUnwritableCacheFolderStillGivesTheLexicon() throws {
    let (dictionaries, _, root) = try makeFolders()
    defer { try? FileManager.default.removeItem(at: root) }
    let blocker = root.appendingPathComponent("file")
    try Data("x".utf8).write(to: blocker)
    let loaded = load(dictionaries, LexiconCache(folder: blocker.appendingPathComponent("cache")))
    #expect(loaded.note == nil)
    #expect(loaded.lexicon.translations == load(dictionaries, nil).lexicon.translations)
  }

  /// The installed dictionaries: the same entries and the same alignment of a UN document pair
  /// with and without the cache.
  @Test func theInstalledDictionariesGiveTheSameLexiconAndAlignmentFromTheCache() throws {
    let directory = Lexicon.freedictDirectory
    guard
      FileManager.default.fileExists(atPath: directory.appendingPathComponent("freedict-eng-fra.index").path)
    else {
      print("skipped: no freedict-eng-fra in \(directory.path)")
      return
    }
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let cache = LexiconCache(folder: root)
    let parsed = Lexicon.freedict(sourceLanguage: .english, targetLanguage: .french, cache: nil)
    _ = Lexicon.freedict(sourceLanguage: .english, targetLanguage: .french, cache: cache)
    let cached = Lexicon.freedict(sourceLanguage: .english, targetLanguage: .french, cache: cache)
    #expect(cached.fromCache)
    #expect(cached.lexicon.translations == parsed.lexicon.translations)
    #expect(cached.lexicon.pairCount == parsed.lexicon.pairCount)

    func sentences(_ path: String) throws -> [String] {
      try TestSupport.corpusText(path).split(separator: "\n").map(String.init).filter {
        !$0.trimmingCharacters(in: .whitespaces).isEmpty
      }
    }
    let source = try sentences("un/003/en.txt")
    let target = try sentences("un/003/fr.txt")
    let withCache = SentenceAligner(
      sourceLanguage: .english, targetLanguage: .french, lexicon: cached.lexicon
    )
    .align(source: source, target: target)
    let without = SentenceAligner(sourceLanguage: .english, targetLanguage: .french, lexicon: parsed.lexicon)
      .align(source: source, target: target)
    #expect(withCache.links == without.links)
    #expect(withCache.beads.count == without.beads.count)
    for (a, b) in zip(withCache.beads, without.beads) { #expect(abs(a.score - b.score) < 1e-9) }
  }
}
