import Foundation
import TextSegmentation

/// Checks that two aligned documents are a document and its translation, in the languages they
/// were read as: an alignment always comes out, with confident beads, even of unrelated documents,
/// of swapped files or of an English text given as the French one.
///
/// Three independent signs, each a ``Finding``:
///
/// - **Language.** Each document's text is given to ``TextSegmentation/LanguageDetector``; a side
///   whose detected language is not the one it was read as is a
///   ``Finding/languageMismatch(side:expected:found:)``. Swapped files give one finding a side.
///   Judged only when the detector knows the expected language and the side has at least
///   ``Configuration/minimumLettersForLanguage`` letters.
/// - **Symbols.** Both documents carry a document symbol (``TextSegmentation/Document/symbol``) and
///   the two have no part in common (`A/67/280–S/2012/614` and `A/67/280` share `A/67/280`):
///   ``Finding/differentSymbols(source:target:)``.
/// - **Anchors.** The numbers, symbols, acronyms and URLs of a paragraph stay the same in its
///   translation. Counted inside the aligned paragraphs (a bead's anchors shared with the other
///   side), against what the side with fewer anchors holds in all; paragraph numbers and footnote
///   markers are left out, since any two UN documents share `1.`, `2.` … in the same order. Fewer
///   than ``Configuration/minimumSharedAnchorFraction`` of them shared is a
///   ``Finding/fewAnchorsShared(shared:expected:)``. Judged only when that side holds at least
///   ``Configuration/minimumAnchors`` anchors.
///
/// The thresholds leave a wide margin on both sides on the corpus (`corpus/un/001`–`004`, and the
/// Word and PDF renderings of 003 and 004): see ``Configuration``.
public struct PairCheck: Sendable {
  /// The thresholds of the check.
  ///
  /// Measured with the default aligner and the FreeDict lexicon, anchors within 5 beads: the four
  /// real pairs share 0.71–0.95 of their anchors, their Word renderings (text of the DOCX) 0.62
  /// and 0.98, their PDF renderings (`pdftotext`) 0.66 and 0.98; the twelve pairs of different
  /// documents 0.01–0.09. The detector finds the language of every side of every pair, swapped
  /// and English-as-French ones included; the shortest side is 002's English (8.6 kB).
  ///
  /// A real pair whose alignment went wrong is flagged too: the English PDF text of 003 with the
  /// French `fr.txt` shares 0.94 of its anchors somewhere in the documents but 0.07 in the aligned
  /// paragraphs, most beads leaving a side empty.
  public struct Configuration: Sendable, Equatable {
    /// The fewest letters a side needs for its language to be judged.
    public var minimumLettersForLanguage = 400
    /// The fewest anchors (on the side with fewer) for the shared anchors to be judged.
    public var minimumAnchors = 10
    /// Below this fraction of shared anchors, the documents are not a translation of each other.
    public var minimumSharedAnchorFraction = 0.3
    /// How many paragraph beads before and after a bead its anchors are looked for in
    /// (``PairCheck/anchorCount(_:window:)``).
    public var anchorWindow = 5

    public init() {}
  }

  /// Which document of the pair.
  public enum Side: String, Sendable, Hashable {
    case source, target
  }

  /// A sign that the two documents are not a document and its translation.
  public enum Finding: Sendable, Hashable, CustomStringConvertible {
    /// The side was read as `expected` but its text is in `found`.
    case languageMismatch(side: Side, expected: Language, found: Language)
    /// The documents carry different symbols.
    case differentSymbols(source: String, target: String)
    /// Only `shared` of the `expected` anchors (numbers, symbols, acronyms) are found on both
    /// sides of the aligned paragraphs.
    case fewAnchorsShared(shared: Int, expected: Int)

    public var description: String {
      switch self {
      case .languageMismatch(let side, let expected, let found):
        return "the \(side.rawValue) document was read as \(expected) but its text looks like \(found)"
      case .differentSymbols(let source, let target):
        return "the documents carry different symbols (\(source) and \(target))"
      case .fewAnchorsShared(let shared, let expected):
        return "only \(shared) of \(expected) numbers, symbols and acronyms are found on both sides"
          + " of the aligned paragraphs"
      }
    }
  }

  /// How many anchors the aligned paragraphs share, and how many the side with fewer holds.
  public struct AnchorCount: Sendable, Hashable {
    public var shared: Int
    public var expected: Int
    /// `shared / expected`, 1 when there is nothing to share.
    public var fraction: Double { expected == 0 ? 1 : Double(shared) / Double(expected) }
  }

  public var configuration: Configuration

  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
  }

  /// The findings on an alignment's two documents, in the order language, symbols, anchors;
  /// empty when they look like a document and its translation.
  ///
  /// - Complexity: O(*n*) in the length of the documents.
  public func findings(_ alignment: DocumentAlignment) -> [Finding] {
    var findings: [Finding] = []
    for (side, document) in [(Side.source, alignment.source), (.target, alignment.target)] {
      if let found = mismatchedLanguage(document) {
        findings.append(.languageMismatch(side: side, expected: document.language, found: found))
      }
    }
    if let source = alignment.source.symbol, let target = alignment.target.symbol,
      !Self.symbolsAgree(source, target)
    {
      findings.append(.differentSymbols(source: source, target: target))
    }
    let anchors = Self.anchorCount(alignment, window: configuration.anchorWindow)
    if anchors.expected >= configuration.minimumAnchors
      && anchors.fraction < configuration.minimumSharedAnchorFraction
    {
      findings.append(.fewAnchorsShared(shared: anchors.shared, expected: anchors.expected))
    }
    return findings
  }

  /// The language the document's text is in, when it is not the one it was read as.
  func mismatchedLanguage(_ document: Document) -> Language? {
    let expected = document.language.base
    guard LanguageDetector.languages.contains(expected) else { return nil }
    // The detector reads the first 200 000 characters: no need to join more.
    var text = ""
    var length = 0
    for paragraph in document.paragraphs where length < 200_000 {
      text += paragraph.text + "\n"
      length += paragraph.text.unicodeScalars.count + 1
    }
    let letters = text.unicodeScalars.lazy.filter(\.properties.isAlphabetic)
    guard
      letters.prefix(configuration.minimumLettersForLanguage).count >= configuration.minimumLettersForLanguage
    else { return nil }
    let found = LanguageDetector.detect(text)
    return found == expected ? nil : found
  }

  /// Whether two document symbols name the same document: they share a part, `A/67/280–S/2012/614`
  /// being the parts `A/67/280` and `S/2012/614` (cut at any dash), compared without case and
  /// spaces.
  static func symbolsAgree(_ source: String, _ target: String) -> Bool {
    func parts(_ symbol: String) -> Set<String> {
      Set(
        symbol.uppercased().filter { !$0.isWhitespace }
          .split(whereSeparator: { "-‐‑‒–—".contains($0) })
          .map(String.init))
    }
    return !parts(source).isDisjoint(with: parts(target))
  }

  /// The anchors shared inside the aligned paragraphs, and those of the side with fewer.
  ///
  /// A source anchor counts as shared when the target holds it in the same paragraph bead or in
  /// one of the `window` beads before or after it (each target anchor counts once): a page break,
  /// a footnote moved to the end or a paragraph cut in two in one layout moves anchors into the
  /// next bead, not far away.
  ///
  /// - Complexity: O(*n* · `window`) in the number of anchors.
  public static func anchorCount(_ alignment: DocumentAlignment, window: Int) -> AnchorCount {
    let source = alignment.source.paragraphs.map(anchors)
    let target = alignment.target.paragraphs.map(anchors)
    let beads = alignment.paragraphBeads
    var left: [[String: Int]] = []
    var right: [[String: Int]] = []
    for bead in beads {
      left.append(bead.source.reduce(into: [:]) { $0.merge(source[$1], uniquingKeysWith: +) })
      right.append(bead.target.reduce(into: [:]) { $0.merge(target[$1], uniquingKeysWith: +) })
    }
    // The bead itself first, then outwards: 0, -1, 1, -2, 2 …
    let offsets = [0] + (0..<max(0, window)).flatMap { [-($0 + 1), $0 + 1] }
    var shared = 0
    for index in beads.indices {
      for (key, count) in left[index] {
        var wanted = count
        for offset in offsets where wanted > 0 && right.indices.contains(index + offset) {
          let other = index + offset
          let taken = min(wanted, right[other][key] ?? 0)
          if taken > 0 {
            right[other][key, default: 0] -= taken
            wanted -= taken
          }
        }
        shared += count - wanted
      }
    }
    func total(_ side: [[String: Int]]) -> Int { side.reduce(0) { $0 + $1.values.reduce(0, +) } }
    return AnchorCount(shared: shared, expected: min(total(source), total(target)))
  }

  /// A paragraph's anchors, without its number and its footnote markers.
  static func anchors(_ paragraph: Paragraph) -> [String: Int] {
    var words = AnchorExtractor.words(in: paragraph.text)[...]
    if let number = paragraph.number, let first = words.first,
      first.key == AnchorExtractor.words(in: number).first?.key
    {
      words = words.dropFirst()
    }
    var result: [String: Int] = [:]
    for word in words where word.kind == .anchor && !word.key.hasPrefix("^") {
      result[word.key, default: 0] += 1
    }
    return result
  }
}
