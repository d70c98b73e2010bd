import Alignment
import Foundation
import TestSupport
import Testing
import TextSegmentation

@Suite struct LexiconTests {
  /// dictd's index numbers in base 64: `A` = 0, `B` = 1, `BA` = 64.
  func base64(_ value: Int) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    if value == 0 { return "A" }
    var digits: [Character] = []
    var rest = value
    while rest > 0 {
      digits.append(alphabet[rest % 64])
      rest /= 64
    }
    return String(digits.reversed())
  }

  func writeDictionary(_ entries: [(String, String)], name: String, in folder: URL) throws {
    var body = ""
    var index = ""
    for (headword, text) in entries {
      let offset = body.utf8.count
      body += text
      index += "\(headword)\t\(base64(offset))\t\(base64(text.utf8.count))\n"
    }
    try body.write(to: folder.appendingPathComponent(name + ".dict"), atomically: true, encoding: .utf8)
    try index.write(to: folder.appendingPathComponent(name + ".index"), atomically: true, encoding: .utf8)
  }

  @Test func readsDictdEntries() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try writeDictionary(
      [
        ("00-database-info", "00-database-info\nsome header\n"),
        ("abandon", "abandon /əbændən/\n1. abdiquer\n2. abandonner, délaisser (fig.)\n"),
        ("Haus", "Haus /haʊ̯s/ <n, neut>\n1. maison 2.\nzu einem bestimmten Zweck erbautes Gebäude\n 3.\n"),
        ("civil war", "civil war\nguerre civile\n"),
        ("Krieg", "Krieg <n>\nguerre civile, une très longue phrase de glose ici\n"),
      ], name: "freedict-eng-fra", in: folder)
    let loaded = Lexicon.freedict(
      sourceLanguage: .english, targetLanguage: .french, directory: folder, cache: nil)
    #expect(loaded.note == nil)
    let lexicon = loaded.lexicon
    #expect(lexicon.translations["abandon"] == ["abdiquer", "abandonner", "delaisser"])
    #expect(lexicon.translations["haus"] == ["maison"])
    #expect(lexicon.translations["civil"] == nil)
    #expect(lexicon.translations["krieg"] == ["guerre", "civile"])
    #expect(lexicon.translations["00-database-info"] == nil)
  }

  @Test func theOtherDirectionIsReadReversed() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try writeDictionary([("maison", "maison /mɛzɔ̃/ <n, fem>\nhouse\n")], name: "freedict-fra-eng", in: folder)
    let lexicon = Lexicon.freedict(
      sourceLanguage: .english, targetLanguage: .french, directory: folder, cache: nil
    ).lexicon
    #expect(lexicon.translations["house"] == ["maison"])
  }

  @Test(arguments: [("en-GB", "fr-CA"), ("EN-us", "fr-FR"), ("eng", "fra")])
  func regionalVariantsReadTheBaseLanguagesDictionary(source: String, target: String) throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try writeDictionary([("house", "house /haʊs/\nmaison\n")], name: "freedict-eng-fra", in: folder)
    let loaded = Lexicon.freedict(
      sourceLanguage: Language(source), targetLanguage: Language(target), directory: folder, cache: nil)
    #expect(loaded.note == nil)
    #expect(loaded.lexicon.translations["house"] == ["maison"])
  }

  @Test func missingDictionaryIsANoteNotAnError() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let loaded = Lexicon.freedict(
      sourceLanguage: .english, targetLanguage: .french, directory: folder, cache: nil)
    #expect(loaded.lexicon.isEmpty)
    #expect(loaded.files.isEmpty)
    #expect(loaded.note?.contains("no FreeDict dictionary for eng-fra") == true)
  }

  @Test func damagedIndexIsReported() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "word\n".write(
      to: folder.appendingPathComponent("freedict-deu-fra.dict"), atomically: true, encoding: .utf8)
    try "word\t!!\tB\n".write(
      to: folder.appendingPathComponent("freedict-deu-fra.index"), atomically: true, encoding: .utf8)
    #expect(throws: AlignmentError.self) {
      try Lexicon.dictd(
        index: folder.appendingPathComponent("freedict-deu-fra.index"),
        data: folder.appendingPathComponent("freedict-deu-fra.dict"))
    }
    let loaded = Lexicon.freedict(
      sourceLanguage: .german, targetLanguage: .french, directory: folder, cache: nil)
    #expect(loaded.note?.contains("freedict-deu-fra.index:1") == true)
  }

  @Test func readsTheInstalledDictzipDictionaryWhenPresent() throws {
    let data = Lexicon.freedictDirectory.appendingPathComponent("freedict-eng-fra.dict.dz")
    guard FileManager.default.fileExists(atPath: data.path) else { return }
    let lexicon = Lexicon.freedict(sourceLanguage: .english, targetLanguage: .french).lexicon
    #expect(lexicon.count > 5000)
    #expect(lexicon.translations["house"]?.contains("maison") == true)
  }
}
