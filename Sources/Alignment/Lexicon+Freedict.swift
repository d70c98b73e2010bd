internal import CSystemZlib
import Foundation
import TextSegmentation

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
    /// `true` when the lexicon was read from a compiled lexicon of the cache.
    public var fromCache: Bool = false
  }

  /// Loads the FreeDict dictionaries (dictd format) for a language pair, in both directions.
  ///
  /// For English → French it reads `freedict-eng-fra` and, reversed, `freedict-fra-eng`. A missing
  /// dictionary is not an error: the lexicon is then empty and ``LoadResult/note`` says so.
  ///
  /// With a cache, the lexicon is read from the compiled lexicon kept there when the dictionaries
  /// are unchanged since it was built, and built and stored otherwise; the result is the same
  /// lexicon either way.
  ///
  /// - Parameters:
  ///   - sourceLanguage: An ISO 639-1 or 639-3 code (`en`, `eng`); a region (`en-GB`) is ignored.
  ///   - targetLanguage: An ISO 639-1 or 639-3 code (`fr`, `fra`); a region (`fr-CA`) is ignored.
  ///   - directory: Where the `.dict.dz` and `.index` files are.
  ///   - cache: Where compiled lexicons are kept (``LexiconCache/standard`` by default); nil
  ///     parses the dictionaries every time.
  public static func freedict(
    sourceLanguage: Language, targetLanguage: Language, directory: URL = freedictDirectory,
    cache: LexiconCache? = LexiconCache.standard
  ) -> LoadResult {
    let source = threeLetterCode(sourceLanguage)
    let target = threeLetterCode(targetLanguage)
    var sources: [LexiconCache.Source] = []
    for (name, flip) in [("freedict-\(source)-\(target)", false), ("freedict-\(target)-\(source)", true)] {
      let index = directory.appendingPathComponent(name + ".index")
      var data = directory.appendingPathComponent(name + ".dict.dz")
      if !FileManager.default.fileExists(atPath: data.path) {
        data = directory.appendingPathComponent(name + ".dict")
      }
      guard FileManager.default.fileExists(atPath: index.path),
        FileManager.default.fileExists(atPath: data.path)
      else { continue }
      sources.append(LexiconCache.Source(index: index, data: data, reversed: flip))
    }
    var cacheFile: URL?
    var fingerprint: [UInt8]?
    if let cache, !sources.isEmpty, let print = LexiconCache.fingerprint(sources) {
      let file = cache.file(name: "freedict-\(source)-\(target)", directory: directory)
      if let lexicon = LexiconCache.load(file, fingerprint: print) {
        return LoadResult(lexicon: lexicon, files: sources.map(\.data.path), note: nil, fromCache: true)
      }
      (cacheFile, fingerprint) = (file, print)
    }
    var lexicon = Lexicon()
    var files: [String] = []
    var problems: [String] = []
    for dictionary in sources {
      do {
        let part = try dictd(index: dictionary.index, data: dictionary.data)
        lexicon.merge(dictionary.reversed ? part.reversed : part)
        files.append(dictionary.data.path)
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
    } else if let cacheFile, let fingerprint {
      // A cache that cannot be written (a read-only home) only costs the next run the parse.
      try? LexiconCache.store(
        lexicon, stemLength: SentenceAligner.Configuration().stemLength, fingerprint: fingerprint,
        at: cacheFile)
    }
    return LoadResult(lexicon: lexicon, files: files, note: note, fromCache: false)
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
    var folder = ByteFolder()
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
      let headword = folder.fold(headwordBytes)
      if headword.isEmpty { continue }
      for translation in translations(in: body[offset..<offset + length], folder: &folder) {
        lexicon.addFolded(source: headword, target: translation)
      }
    }
    return lexicon
  }

  /// The folded translation words of one dictd entry.
  static func translations(in entry: ArraySlice<UInt8>) -> [String] {
    var folder = ByteFolder()
    return translations(in: entry, folder: &folder)
  }

  /// The folded translation words of one dictd entry, working on its UTF-8 bytes.
  static func translations(in entry: ArraySlice<UInt8>, folder: inout ByteFolder) -> [String] {
    var result: [String] = []
    var lineNumber = 0
    var lineStart = entry.startIndex
    while lineStart <= entry.endIndex {
      var lineEnd = lineStart
      while lineEnd < entry.endIndex, entry[lineEnd] != 0x0A { lineEnd += 1 }
      defer {
        lineNumber += 1
        lineStart = lineEnd + 1
      }
      if lineNumber == 0 { continue }
      var first = lineStart
      while first < lineEnd, entry[first] == 0x20 { first += 1 }
      let numbered = first < lineEnd && isDigit(entry[first])
      if lineNumber > 1 && !numbered { continue }
      for piece in pieces(of: entry[first..<lineEnd]) {
        if piece.count > 3 { continue }
        if piece.count == 1 {
          let key = folder.fold(stripElision(piece[0]))
          if !key.isEmpty { result.append(key) }
        } else {
          for word in piece {
            let bare = stripElision(word)
            if characterCount(bare) >= 4 { result.append(folder.fold(bare)) }
          }
        }
      }
    }
    return result
  }

  @inline(__always)
  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  /// Splits a translation line on commas, semicolons, slashes and sense numbers (`1.`), dropping
  /// notes in parentheses or angle brackets; each piece is a list of words.
  private static func pieces(of line: ArraySlice<UInt8>) -> [[ArraySlice<UInt8>]] {
    var pieces: [[ArraySlice<UInt8>]] = []
    var words: [ArraySlice<UInt8>] = []
    // Bytes outside brackets, gathered word by word; a bracket ends the word it interrupts only
    // when it stands between spaces, as the text-based reader did.
    var cleaned: [UInt8] = []
    cleaned.reserveCapacity(line.count)
    var depth = 0
    for byte in line {
      switch byte {
      case UInt8(ascii: "("), UInt8(ascii: "<"), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
      case UInt8(ascii: ")"), UInt8(ascii: ">"), UInt8(ascii: "]"), UInt8(ascii: "}"):
        depth = max(0, depth - 1)
      default: if depth == 0 { cleaned.append(byte) }
      }
    }
    let bytes = cleaned[...]
    func endPiece() {
      if !words.isEmpty { pieces.append(words) }
      words = []
    }
    var index = bytes.startIndex
    while index < bytes.endIndex {
      let byte = bytes[index]
      if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "/") {
        endPiece()
        index += 1
        continue
      }
      if byte == 0x20 {
        index += 1
        continue
      }
      var end = index
      while end < bytes.endIndex, bytes[end] != 0x20, bytes[end] != UInt8(ascii: ","),
        bytes[end] != UInt8(ascii: ";"), bytes[end] != UInt8(ascii: "/")
      {
        end += 1
      }
      let word = bytes[index..<end]
      // Drop sense numbers: `1. maison 2.`
      let isSenseNumber =
        word.count >= 2 && word.last == UInt8(ascii: ".") && word.dropLast().allSatisfy(isDigit)
      if !isSenseNumber { words.append(word) }
      index = end
    }
    endPiece()
    return pieces
  }

  /// The number of characters of a UTF-8 word (continuation bytes do not count; close enough to
  /// `Character` counts for dictionary words).
  private static func characterCount(_ word: ArraySlice<UInt8>) -> Int {
    var count = 0
    for byte in word where byte & 0xC0 != 0x80 { count += 1 }
    return count
  }

  /// Drops a short elided article (`l'`, `d’`) or the punctuation around a word.
  private static func stripElision(_ word: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var index = word.startIndex
    var characters = 0
    while index < word.endIndex, characters <= 2 {
      if word[index] == UInt8(ascii: "'") { return word[(index + 1)...] }
      // U+2019 RIGHT SINGLE QUOTATION MARK
      if word[index] == 0xE2, index + 2 < word.endIndex, word[index + 1] == 0x80, word[index + 2] == 0x99 {
        return word[(index + 3)...]
      }
      if word[index] & 0xC0 != 0x80 { characters += 1 }
      index += 1
    }
    var start = word.startIndex
    var end = word.endIndex
    if let first = word.first, let last = word.last, first >= 0x80 || last >= 0x80 {
      // Rare: non-ASCII at an end may be punctuation (`«`, `…`); let Foundation decide.
      let text = String(decoding: word, as: UTF8.self).trimmingCharacters(in: .punctuationCharacters)
      return ArraySlice(Array(text.utf8))
    }
    while start < end, isASCIIPunctuation(word[start]) { start += 1 }
    while end > start, isASCIIPunctuation(word[end - 1]) { end -= 1 }
    return word[start..<end]
  }

  /// ASCII characters of Unicode's punctuation categories (Pc, Pd, Ps, Pe, Pi, Pf, Po).
  @inline(__always)
  private static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x21...0x23, 0x25...0x2A, 0x2C...0x2F, 0x3A, 0x3B, 0x3F, 0x40, 0x5B...0x5D, 0x5F, 0x7B, 0x7D:
      return true
    default: return false
    }
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
  static func threeLetterCode(_ language: Language) -> String {
    let base = language.baseCode
    let table = [
      "en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
      "ru": "rus", "ar": "ara", "zh": "zho", "sv": "swe", "da": "dan", "fi": "fin", "pl": "pol",
      "cs": "ces", "el": "ell", "tr": "tur", "ja": "jpn", "hu": "hun", "ro": "ron", "nb": "nob",
    ]
    return table[base] ?? base
  }
}

/// Folds UTF-8 words to matching keys: ASCII by lowering bytes, the rest through
/// ``TextSegmentation/TextNormalizer/matchKey(_:)``, remembered because dictionaries repeat words.
struct ByteFolder {
  private var known: [[UInt8]: String] = [:]

  mutating func fold(_ word: ArraySlice<UInt8>) -> String {
    if word.isEmpty { return "" }
    var ascii = true
    for byte in word where byte >= 0x80 {
      ascii = false
      break
    }
    if ascii {
      return String(unsafeUninitializedCapacity: word.count) { buffer in
        for (offset, byte) in word.enumerated() {
          buffer[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        return word.count
      }
    }
    let bytes = Array(word)
    if let key = known[bytes] { return key }
    let key = Lexicon.fold(String(decoding: bytes, as: UTF8.self))
    known[bytes] = key
    return key
  }
}
