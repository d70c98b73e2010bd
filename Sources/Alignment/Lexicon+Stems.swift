import Foundation

/// The stems of a lexicon: for the first letters of a source word, the first letters of its
/// translations, as ``SentenceAligner`` matches words (a crude stemmer).
///
/// Built from a lexicon's word lists, or read in place from a compiled lexicon of the cache,
/// which holds the stems for the default stem length: a process that aligns one pair then does
/// not rebuild them from the whole lexicon, it only looks up the words of its texts.
struct StemIndex: Sendable {
  private enum Storage: Sendable {
    case table([String: [String]])
    case compiled(CompiledLexicon)
  }

  private let storage: Storage

  /// The stems of a lexicon for stems of `length` characters: read from its compiled lexicon when
  /// it has them for this length, built otherwise.
  init(_ lexicon: Lexicon, length: Int) {
    if let compiled = lexicon.compiled, compiled.stemLength == length {
      storage = .compiled(compiled)
    } else {
      storage = .table(StemIndex.table(lexicon.translations, length: length))
    }
  }

  /// The stems of the translations of the words that share this stem, or nil when none does.
  subscript(stem: String) -> [String]? {
    switch storage {
    case .table(let table): return table[stem]
    case .compiled(let compiled): return compiled.stems(for: stem)
    }
  }

  /// The table of stems of word lists: per source stem, the distinct stems of the translations
  /// of every source word with that stem, in the order met.
  static func table(_ translations: [String: [String]], length: Int) -> [String: [String]] {
    var stems: [String: [String]] = [:]
    for (source, targets) in translations {
      addStems(source: source, targets: targets, length: length, to: &stems)
    }
    return stems
  }

  /// ``table(_:length:)`` with the source words in sorted order, so that the same lexicon always
  /// gives the same lists (what a compiled lexicon stores).
  static func sortedTable(_ translations: [String: [String]], length: Int) -> [String: [String]] {
    var stems: [String: [String]] = [:]
    for source in translations.keys.sorted() {
      addStems(source: source, targets: translations[source] ?? [], length: length, to: &stems)
    }
    return stems
  }

  private static func addStems(
    source: String, targets: [String], length: Int, to stems: inout [String: [String]]
  ) {
    let key = SentenceAligner.stem(source, length: length)
    var list = stems[key] ?? []
    for target in targets {
      let stem = SentenceAligner.stem(target, length: length)
      if !list.contains(stem) { list.append(stem) }
    }
    stems[key] = list
  }
}
