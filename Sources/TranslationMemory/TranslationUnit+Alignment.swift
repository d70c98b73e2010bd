import Alignment
import Foundation
import TextSegmentation

extension TranslationUnit {
  /// The translation units of a document alignment: one per bead with sentences on both sides
  /// and a score of at least `minimumScore`, with provenance (document symbol, paragraph number,
  /// score, files, tool, date) as properties and the reader's inline markup as inline codes.
  public static func units(
    from alignment: DocumentAlignment, minimumScore: Double = 0, sourceFile: String? = nil,
    targetFile: String? = nil, date: Date = Date()
  ) -> [TranslationUnit] {
    let document = alignment.source.symbol ?? alignment.target.symbol
    return alignment.beads.compactMap { bead in
      guard !bead.sourceIds.isEmpty, !bead.targetIds.isEmpty, bead.score >= minimumScore else {
        return nil
      }
      let source = variant(bead.sourceIds.map { alignment.sourceSentences[$0] }, of: alignment.source)
      let target = variant(bead.targetIds.map { alignment.targetSentences[$0] }, of: alignment.target)
      return .aligned(
        source: source, target: target, document: document, paragraph: bead.paragraphNumber,
        score: bead.score, sourceFile: sourceFile, targetFile: targetFile, date: date)
    }
  }

  /// Joins sentences with one space and turns the markup inside them into paired inline codes.
  public static func variant(_ sentences: [DocumentSentence], of document: Document) -> Variant {
    var text = ""
    var codes: [InlineCode] = []
    var pairID = 0
    for sentence in sentences {
      if !text.isEmpty { text += " " }
      let base = text.utf16.count
      text += sentence.text
      let paragraph = document.paragraphs[sentence.paragraph]
      for markup in paragraph.markup where markup.kind != .footnoteMarker {
        // Only markup wholly inside the sentence becomes a pair of codes.
        guard markup.range.lowerBound >= sentence.utf16Range.lowerBound,
          markup.range.upperBound <= sentence.utf16Range.upperBound
        else { continue }
        pairID += 1
        let (open, close) = delimiters(markup)
        let start = base + markup.range.lowerBound - sentence.utf16Range.lowerBound
        let end = base + markup.range.upperBound - sentence.utf16Range.lowerBound
        codes.append(
          InlineCode(
            kind: .begin, position: start, pairID: pairID, type: codeType(markup.kind), content: open))
        codes.append(InlineCode(kind: .end, position: end, pairID: pairID, content: close))
      }
    }
    codes.sort { $0.position < $1.position }
    return Variant(language: document.language, text: text, codes: codes)
  }

  private static func delimiters(_ markup: InlineMarkup) -> (String, String) {
    switch markup.kind {
    case .bold: return ("**", "**")
    case .italic: return markup.original == "<i>" ? ("<i>", "</i>") : ("*", "*")
    case .link:
      let target = markup.original.hasPrefix("[…](") ? String(markup.original.dropFirst(4).dropLast()) : "#"
      return ("[", "](\(target))")
    case .superscript: return markup.original == "^" ? ("^", "") : ("^{", "}")
    case .footnoteMarker: return ("", "")
    }
  }

  private static func codeType(_ kind: InlineMarkup.Kind) -> String {
    switch kind {
    case .bold: return "bold"
    case .italic: return "italic"
    case .link: return "link"
    case .superscript: return "sup"
    case .footnoteMarker: return "x-footnote"
    }
  }
}
