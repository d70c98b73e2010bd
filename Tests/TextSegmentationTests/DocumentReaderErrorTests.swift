import Foundation
import TestSupport
import Testing

@testable import TextSegmentation

/// Bad input gives a clear error naming the file and line; supported encodings read.
@Suite struct DocumentReaderErrorTests {
  let sample =
    "1. Le présent rapport est soumis en application de la résolution.\n\n2. Deuxième paragraphe.\n"

  func withFile<T>(_ name: String, _ bytes: [UInt8], _ body: (URL) throws -> T) throws -> T {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return try body(url)
  }

  func readError(_ bytes: [UInt8]) throws -> (DocumentReadError?, String) {
    try withFile("doc.txt", bytes) { url in
      do {
        _ = try DocumentReader().read(contentsOf: url)
        return (nil, url.path)
      } catch let error as DocumentReadError {
        return (error, url.path)
      }
    }
  }

  @Test func emptyFile() throws {
    for bytes: [UInt8] in [[], [0xEF, 0xBB, 0xBF], Array(" \n\n\t\n".utf8)] {
      let (error, path) = try readError(bytes)
      #expect(error == .empty(path: path))
      #expect(error?.description == "\(path):1: the file is empty")
    }
  }

  @Test func binaryFile() throws {
    let (error, path) = try readError(Array("line one\nline two\n".utf8) + [0x00, 0x01, 0x02])
    #expect(error == .binary(path: path, line: 3, byteOffset: 18))
    #expect(
      error?.description == "\(path):3: binary data (a NUL byte at byte offset 18); expected a text file")
  }

  @Test func invalidUTF8() throws {
    // "Résumé" in Latin-1 on line 2.
    let (error, path) = try readError(Array("Title\nR".utf8) + [0xE9] + Array("sum\n".utf8))
    #expect(error == .invalidUTF8(path: path, line: 2, byteOffset: 7, byte: 0xE9))
    #expect(
      error?.description == "\(path):2: invalid UTF-8 (byte 0xE9 at byte offset 7); convert the file to UTF-8"
    )
    let (truncated, truncatedPath) = try readError(Array("ok\n".utf8) + [0xC3])
    #expect(truncated == .invalidUTF8(path: truncatedPath, line: 2, byteOffset: 3, byte: 0xC3))
  }

  @Test func unsupportedEncoding() throws {
    let (error, path) = try readError([0xFF, 0xFE, 0x00, 0x00, 0x41, 0, 0, 0])
    #expect(error == .unsupportedEncoding(path: path, encoding: "UTF-32LE"))
    #expect(
      error?.description
        == "\(path):1: unsupported encoding UTF-32LE; use UTF-8 or UTF-16 with a byte-order mark")
  }

  @Test func missingFileAndFolder() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appendingPathComponent("absent.txt")
    #expect(throws: DocumentReadError.fileNotFound(path: missing.path)) {
      try DocumentReader().read(contentsOf: missing)
    }
    #expect(DocumentReadError.fileNotFound(path: "fr.txt").description == "fr.txt: no such file")
    #expect(throws: DocumentReadError.unreadable(path: folder.path, reason: "it is a folder")) {
      try DocumentReader().read(contentsOf: folder)
    }
    #expect(
      DocumentReadError.unreadable(path: "fr.txt", reason: "it is a folder").description
        == "fr.txt: cannot read the file: it is a folder")
  }

  @Test(arguments: ["utf8", "utf8-bom", "utf16le", "utf16be"])
  func supportedEncodingsReadTheSame(_ encoding: String) throws {
    var bytes: [UInt8]
    switch encoding {
    case "utf8-bom": bytes = [0xEF, 0xBB, 0xBF] + Array(sample.utf8)
    case "utf16le": bytes = [0xFF, 0xFE] + sample.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    case "utf16be": bytes = [0xFE, 0xFF] + sample.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    default: bytes = Array(sample.utf8)
    }
    let document = try withFile("doc.txt", bytes) { try DocumentReader().read(contentsOf: $0) }
    #expect(document.language == .french)
    #expect(
      document.paragraphs.map(\.text) == [
        "1. Le présent rapport est soumis en application de la résolution.", "2. Deuxième paragraphe.",
      ])
    #expect(document.paragraphs.map(\.number) == ["1", "2"])
    #expect(document.paragraphs.map(\.lines) == [[1...1], [3...3]])
  }

  @Test func windowsLineEndings() {
    let document = DocumentReader().read(
      text: "Title\r\n\r\n1. Some text here.\r\n", source: "t.txt", language: .english)
    #expect(document.paragraphs.map(\.text) == ["Title", "1. Some text here."])
  }
}

@Suite struct LanguageDetectorTests {
  @Test(arguments: [
    ("Le Conseil de sécurité a prié le Secrétaire général de lui faire rapport sur la coopération.", "fr"),
    (
      "The Security Council requested the Secretary-General to report on the cooperation with the region.",
      "en"
    ),
    (
      "Der Sicherheitsrat hat den Generalsekretär ersucht, über die Zusammenarbeit mit der Region zu berichten.",
      "de"
    ),
  ])
  func detectsTheLanguage(_ text: String, _ code: String) {
    #expect(LanguageDetector.detect(text) == Language(code))
  }

  @Test(arguments: ["001/fr", "001/en", "002/fr", "002/en", "003/fr", "003/en", "004/fr", "004/en"])
  func detectsTheCorpus(_ name: String) throws {
    let text = try TestSupport.corpusText("un/\(name).txt")
    #expect(LanguageDetector.detect(text).rawValue == String(name.suffix(2)))
  }

  @Test func noKnownWordGivesEnglish() {
    #expect(LanguageDetector.detect("12345 ¹²³ — A/67/280") == .english)
  }
}
