import Foundation
internal import CZlib

extension Lexicon {
  /// Where Debian's `dict-freedict-*` packages put their files.
  public static let freedictDirectory = URL(fileURLWithPath: "/usr/share/dictd")

  /// The result of looking for FreeDict dictionaries for a language pair.
  public struct LoadResult: Sendable {
    /// The word pairs found (empty when no dictionary exists for the pair).
    public var lexicon: Lexicon
    /// The dictionary files read.
    public var files: [String]
    /// A note for the user when no dictionary was found, or a file could not be read.
    public var note: String?
  }

  /// Loads the FreeDict dictionaries (dictd format) for a language pair, in both directions.
  ///
  /// For English → French it reads `freedict-eng-fra` and, reversed, `freedict-fra-eng`. A missing
  /// dictionary is not an error: the lexicon is then empty and ``LoadResult/note`` says so.
  ///
  /// - Parameters:
  ///   - sourceLanguage: An ISO 639-1 or 639-3 code (`en`, `eng`).
  ///   - targetLanguage: An ISO 639-1 or 639-3 code (`fr`, `fra`).
  ///   - directory: Where the `.dict.dz` and `.index` files are.
  public static func freedict(
    sourceLanguage: String, targetLanguage: String, directory: URL = freedictDirectory
  ) -> LoadResult {
    let source = threeLetterCode(sourceLanguage)
    let target = threeLetterCode(targetLanguage)
    var lexicon = Lexicon()
    var files: [String] = []
    var problems: [String] = []
    for (name, flip) in [("freedict-\(source)-\(target)", false), ("freedict-\(target)-\(source)", true)] {
      let index = directory.appendingPathComponent(name + ".index")
      var data = directory.appendingPathComponent(name + ".dict.dz")
      if !FileManager.default.fileExists(atPath: data.path) {
        data = directory.appendingPathComponent(name + ".dict")
      }
      guard FileManager.default.fileExists(atPath: index.path),
        FileManager.default.fileExists(atPath: data.path)
      else { continue }
      do {
        let part = try dictd(index: index, data: data)
        lexicon.merge(flip ? part.reversed : part)
        files.append(data.path)
      } catch {
        problems.append("\(error)")
      }
    }
    var note: String?
    if files.isEmpty {
      note = "no FreeDict dictionary for \(source)-\(target) in \(directory.path); aligning without one"
    }
    if !problems.isEmpty {
      note = (note.map { $0 + "; " } ?? "") + problems.joined(separator: "; ")
    }
    return LoadResult(lexicon: lexicon, files: files, note: note)
  }

  /// Reads one dictd dictionary (an `.index` file and its `.dict` or dictzip'd `.dict.dz` file).
  ///
  /// Each entry is a headword line followed by translations, as FreeDict's TEI conversion writes
  /// them: the first line after the headword, and further lines numbered `2.`, `3.`. Glosses,
  /// parenthesised notes and translations of more than three words are left out; single-word
  /// headwords only.
  ///
  /// - Throws: ``AlignmentError`` when a file cannot be read or the index is damaged.
  public static func dictd(index: URL, data: URL) throws -> Lexicon {
    let body = try readMaybeGzip(data)
    guard let indexData = FileManager.default.contents(atPath: index.path) else {
      throw AlignmentError.unreadableFile(file: index.path, reason: "cannot open")
    }
    var lexicon = Lexicon()
    let indexBytes = [UInt8](indexData)
    var lineStart = 0
    var lineNumber = 0
    while lineStart < indexBytes.count {
      var lineEnd = lineStart
      while lineEnd < indexBytes.count, indexBytes[lineEnd] != 0x0A { lineEnd += 1 }
      lineNumber += 1
      defer { lineStart = lineEnd + 1 }
      if lineEnd == lineStart { continue }
      let fields = indexBytes[lineStart..<lineEnd].split(separator: 0x09, omittingEmptySubsequences: false)
      guard fields.count >= 3, let offset = base64Number(fields[1]), let length = base64Number(fields[2])
      else {
        throw AlignmentError.malformedDictionary(
          file: index.path, line: lineNumber, reason: "expected 'headword<TAB>offset<TAB>length'")
      }
      let headwordBytes = fields[0]
      // Header entries (00-database-…) and multi-word headwords are of no use to match tokens.
      if headwordBytes.starts(with: Array("00".utf8)) { continue }
      if headwordBytes.contains(0x20) || headwordBytes.contains(UInt8(ascii: "-")) { continue }
      guard offset >= 0, length >= 0, offset + length <= body.count else {
        throw AlignmentError.malformedDictionary(
          file: index.path, line: lineNumber, reason: "entry lies outside \(data.lastPathComponent)")
      }
      let headword = fold(String(decoding: headwordBytes, as: UTF8.self))
      if headword.isEmpty { continue }
      for translation in translations(in: body[offset..<offset + length]) {
        lexicon._addFolded(source: headword, target: translation)
      }
    }
    return lexicon
  }

  /// The folded translation words of one dictd entry.
  static func translations(in entry: ArraySlice<UInt8>) -> [String] {
    let lines = entry.split(separator: 0x0A, omittingEmptySubsequences: false)
    guard lines.count > 1 else { return [] }
    var result: [String] = []
    for (number, line) in lines.enumerated().dropFirst() {
      let text = String(decoding: line, as: UTF8.self)
      let trimmed = text.drop { $0 == " " }
      let numbered = trimmed.first.map(\.isNumber) ?? false
      if number > 1 && !numbered { continue }
      for piece in pieces(of: trimmed) {
        let words = piece.split(separator: " ")
        if words.isEmpty || words.count > 3 { continue }
        if words.count == 1 {
          let key = fold(stripElision(words[0]))
          if !key.isEmpty { result.append(key) }
        } else {
          for word in words {
            let bare = stripElision(word)
            if bare.count >= 4 { result.append(fold(bare)) }
          }
        }
      }
    }
    return result
  }

  /// Splits a translation line on commas, semicolons and sense numbers (`1.`), dropping notes in
  /// parentheses or angle brackets.
  private static func pieces(of line: Substring) -> [Substring] {
    var cleaned = ""
    var depth = 0
    for character in line {
      switch character {
      case "(", "<", "[", "{": depth += 1
      case ")", ">", "]", "}": depth = max(0, depth - 1)
      default: if depth == 0 { cleaned.append(character) }
      }
    }
    var pieces: [Substring] = []
    for part in cleaned.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "/" }) {
      // Drop sense numbers: `1. maison 2.`
      var words = part.split(separator: " ").filter { word in
        !(word.last == "." && word.dropLast().allSatisfy(\.isNumber))
      }
      words = words.filter { !$0.isEmpty }
      if words.isEmpty { continue }
      pieces.append(Substring(words.joined(separator: " ")))
    }
    return pieces
  }

  private static func stripElision(_ word: Substring) -> Substring {
    if let apostrophe = word.firstIndex(where: { $0 == "'" || $0 == "’" }),
      word.distance(from: word.startIndex, to: apostrophe) <= 2
    {
      return word[word.index(after: apostrophe)...]
    }
    return word.trimmingCharacters(in: .punctuationCharacters)[...]
  }

  /// dictd's base-64 numbers: `A`–`Z`, `a`–`z`, `0`–`9`, `+`, `/`, most significant first.
  private static func base64Number(_ bytes: ArraySlice<UInt8>) -> Int? {
    guard !bytes.isEmpty, bytes.count <= 8 else { return nil }
    var value = 0
    for byte in bytes {
      let digit: Int
      switch byte {
      case 0x41...0x5A: digit = Int(byte) - 0x41
      case 0x61...0x7A: digit = Int(byte) - 0x61 + 26
      case 0x30...0x39: digit = Int(byte) - 0x30 + 52
      case UInt8(ascii: "+"): digit = 62
      case UInt8(ascii: "/"): digit = 63
      default: return nil
      }
      value = value * 64 + digit
    }
    return value
  }

  /// The bytes of a file, inflated when it is gzip (or dictzip) compressed.
  static func readMaybeGzip(_ url: URL) throws -> [UInt8] {
    guard let file = gzopen(url.path, "rb") else {
      throw AlignmentError.unreadableFile(file: url.path, reason: "cannot open")
    }
    defer { gzclose(file) }
    gzbuffer(file, 1 << 17)
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 18)
    while true {
      let read = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
      if read < 0 {
        var code: Int32 = 0
        let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
        throw AlignmentError.unreadableFile(file: url.path, reason: message)
      }
      if read == 0 { break }
      result.append(contentsOf: chunk[0..<Int(read)])
    }
    return result
  }

  /// ISO 639-3 codes as FreeDict names its files.
  static func threeLetterCode(_ code: String) -> String {
    let base = code.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
    let table = [
      "en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
      "ru": "rus", "ar": "ara", "zh": "zho", "sv": "swe", "da": "dan", "fi": "fin", "pl": "pol",
      "cs": "ces", "el": "ell", "tr": "tur", "ja": "jpn", "hu": "hun", "ro": "ron", "nb": "nob",
    ]
    return table[base] ?? base
  }
}
