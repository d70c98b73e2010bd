import Foundation
import TextSegmentation

/// A bilingual word list: which target words may translate a source word.
///
/// Words are stored as matching keys (``TextNormalizer/matchKey(_:)``: case and accents folded).
/// The aligner compares words by their first letters, so a dictionary's lemma `abandonner` also
/// matches `abandonna` in a text.
public struct Lexicon: Sendable {
  /// The word lists, when the lexicon was built in memory or changed after being read.
  private var table: [String: [String]] = [:]
  /// The compiled lexicon of the cache it was read from and not changed since: its word lists
  /// are decoded when first asked for, its stems read in place (``StemIndex``).
  private(set) var compiled: CompiledLexicon?

  /// Target keys for each source key.
  public var translations: [String: [String]] { compiled?.translations ?? table }

  /// Creates an empty lexicon.
  public init() {}

  /// A lexicon of word lists already folded to matching keys.
  init(translations: [String: [String]]) {
    self.table = translations
  }

  /// The lexicon of a compiled lexicon file.
  init(compiled: CompiledLexicon) {
    self.compiled = compiled
  }

  /// Creates a lexicon from pairs of words (folded to matching keys).
  public init(pairs: [(source: String, target: String)]) {
    for pair in pairs { add(source: pair.source, target: pair.target) }
  }

  /// The number of source words.
  public var count: Int { compiled?.count ?? table.count }
  /// `true` when the lexicon holds no word.
  public var isEmpty: Bool { count == 0 }
  /// The number of word pairs.
  public var pairCount: Int { translations.values.reduce(0) { $0 + $1.count } }

  /// Adds a word pair; words are folded to matching keys.
  public mutating func add(source: String, target: String) {
    let sourceKey = Lexicon.fold(source)
    let targetKey = Lexicon.fold(target)
    guard !sourceKey.isEmpty, !targetKey.isEmpty else { return }
    addFolded(source: sourceKey, target: targetKey)
  }

  /// Adds a pair of words already folded to matching keys.
  mutating func addFolded(source: String, target: String) {
    if let compiled {
      // Changed, so no longer the compiled file's lexicon (nor its stems).
      table = compiled.translations
      self.compiled = nil
    }
    if var list = table[source] {
      if !list.contains(target) {
        list.append(target)
        table[source] = list
      }
    } else {
      table[source] = [target]
    }
  }

  /// The same lexicon read the other way round (target words to source words).
  ///
  /// The source words of each list come in sorted order, so that a lexicon read twice from the
  /// same dictionaries is the same (a compiled lexicon of the cache is compared with it).
  public var reversed: Lexicon {
    var result = Lexicon()
    let translations = translations
    for source in translations.keys.sorted() {
      guard let targets = translations[source] else { continue }
      for target in targets { result.addFolded(source: target, target: source) }
    }
    return result
  }

  /// Adds every pair of another lexicon.
  public mutating func merge(_ other: Lexicon) {
    for (source, targets) in other.translations {
      for target in targets { addFolded(source: source, target: target) }
    }
  }

  /// The matching key of a word, with a fast path for ASCII.
  static func fold(_ word: some StringProtocol) -> String {
    var ascii = true
    for byte in word.utf8 where byte >= 0x80 {
      ascii = false
      break
    }
    if ascii { return word.lowercased() }
    return TextNormalizer.matchKey(String(word))
  }
}
