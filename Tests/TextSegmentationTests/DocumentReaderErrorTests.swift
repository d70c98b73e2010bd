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
        == "\(path):1: unsupported encoding UTF-32LE; use UTF-8 or UTF-16 with a byte-order mark "
        + "(`iconv -f UTF-32LE -t UTF-8 FILE > FILE.utf8.txt`)")
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

  @Test func utf16WithALoneSurrogateOrAnOddByteIsRefused() throws {
    func le(_ units: [UInt16]) -> [UInt8] {
      [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }
    let line = Array("ab\n".utf16)
    // A trail surrogate alone on line 2, at byte offset 2 + 2 * 3.
    let (trail, path) = try readError(le(line + [0xDC00, 0x41]))
    #expect(trail == .invalidUTF16(path: path, line: 2, byteOffset: 8, problem: .loneSurrogate(0xDC00)))
    #expect(
      trail?.description
        == "\(path):2: invalid UTF-16 (a lone surrogate 0xDC00 at byte offset 8); "
        + "the file is damaged: convert it again from its original"
    )
    // A lead surrogate followed by a letter, or ending the file.
    let (lead, leadPath) = try readError(le(line + [0xD800, 0x41]))
    #expect(lead == .invalidUTF16(path: leadPath, line: 2, byteOffset: 8, problem: .loneSurrogate(0xD800)))
    let (last, lastPath) = try readError(le(line + [0x41, 0xD83D]))
    #expect(last == .invalidUTF16(path: lastPath, line: 2, byteOffset: 10, problem: .loneSurrogate(0xD83D)))
    let (odd, oddPath) = try readError(le(line + [0x41]) + [0x42])
    #expect(odd == .invalidUTF16(path: oddPath, line: 2, byteOffset: 10, problem: .oddTrailingByte))
    #expect(
      odd?.description
        == "\(oddPath):2: invalid UTF-16 (an odd trailing byte at byte offset 10); "
        + "the file is truncated or not UTF-16"
    )
    // A pair is fine, in both byte orders.
    let pair = "ab 😀 cd.\n"
    let big: [UInt8] = [0xFE, 0xFF] + pair.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    let document = try withFile("doc.txt", big) { try DocumentReader().read(contentsOf: $0) }
    #expect(document.paragraphs.map(\.text) == ["ab 😀 cd."])
  }

  // PDFs, ZIP archives (.docx) and OLE files (.doc) have readers of their own: WordDocumentReaderTests.
  static let notText: [([UInt8], FileKind)] = [
    ([0x1F, 0x8B, 0x08, 0x00], .gzip), (Array("{\\rtf1\\ansi text}".utf8), .rtf),
  ]

  @Test(arguments: notText)
  func filesThatAreNotTextAreNamed(_ bytes: [UInt8], _ kind: FileKind) throws {
    let (error, path) = try readError(bytes)
    #expect(error == .notText(path: path, kind: kind))
  }

  @Test func utf16WithoutAByteOrderMarkIsNamed() throws {
    let text = "Le présent rapport.\n"
    let (little, path) = try readError(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    #expect(little == .unsupportedEncoding(path: path, encoding: "UTF-16LE without a byte-order mark"))
    let (big, bigPath) = try readError(text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
    #expect(big == .unsupportedEncoding(path: bigPath, encoding: "UTF-16BE without a byte-order mark"))
  }

  /// ESC would reach the terminal and the memory: refused with its line and column, like a NUL.
  @Test(
    arguments: [
      (0x1B, "U+001B (ESC)", "control character"), (0x7F, "U+007F (DEL)", "control character"),
      (0x0B, "U+000B (VT)", "control character"), (0x85, "U+0085", "control character"),
      (0xFFFE, "U+FFFE", "noncharacter"), (0xFDD0, "U+FDD0", "noncharacter"),
      (0x10FFFF, "U+10FFFF", "noncharacter"),
    ] as [(UInt32, String, String)])
  func controlCharactersAreRefused(_ value: UInt32, _ name: String, _ kind: String) throws {
    let scalar = try #require(Unicode.Scalar(value))
    let character = String(scalar)
    let (error, path) = try readError(Array("Title\nSome \(character)[2J text.\n".utf8))
    #expect(error == .forbiddenCharacter(path: path, line: 2, column: 6, scalar: scalar))
    #expect(error?.description.hasPrefix("\(path):2:6: \(kind) \(name) in the text;") == true)
    // In UTF-16 too.
    let utf16: [UInt8] =
      [0xFF, 0xFE] + "a\(character)b\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    let (wide, widePath) = try readError(utf16)
    #expect(wide == .forbiddenCharacter(path: widePath, line: 1, column: 2, scalar: scalar))
  }

  @Test func theControlsTheReaderUsesAreText() throws {
    let bytes = Array("Title\r\n\r\n1. One\ttwo.\n\u{0C}2. Three \u{2028}four.\n".utf8)
    let document = try withFile("doc.txt", bytes) { try DocumentReader().read(contentsOf: $0) }
    #expect(document.paragraphs.count >= 2)
  }

  /// A FIFO is read to its end, as the shell's `<(…)` gives one.
  @Test func readsAFIFO() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("doc.fifo")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    let text = sample
    let writer = Thread {
      if let handle = FileHandle(forWritingAtPath: fifo.path) {
        handle.write(Data(text.utf8))
        try? handle.close()
      }
    }
    writer.start()
    let document = try DocumentReader().read(contentsOf: fifo)
    #expect(document.paragraphs.map(\.number) == ["1", "2"])
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
