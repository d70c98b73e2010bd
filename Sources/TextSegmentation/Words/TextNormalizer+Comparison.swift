extension TextNormalizer {
  /// The key under which two renderings of one sentence compare equal: case, accents, inline
  /// markup (`**`, `*`, `<i>`, `[x](#)`, `^{x}`, `^e`), footnote markers, the OCR slips the reader
  /// repairs (`I’`/`1’`/`[’` for `l’`) and white space are folded away.
  ///
  /// This is how the UN gold is compared with what aligntm reads; it is not a matching key for
  /// fuzzy search (``matchKey(_:)`` is).
  public static func comparisonKey(_ text: String) -> String {
    var text = text
    text = text.replacing(/\[([^\[\]]*)\]\(#?[^)]*\)/) { String($0.1) }
    text = text.replacing(/\^\{([^}]*)\}/) { String($0.1) }
    text = text.replacing(/\^(e|er|re|o|st|nd|rd|th)\b/) { String($0.1) }
    text = text.replacing(/<\/?[a-zA-Z][^>]*>/, with: "")
    text = text.replacing(/(^|[^\p{L}\p{N}])[I1\[]['’](\p{L})/) { "\($0.1)l'\($0.2)" }
    let key = matchKey(text)
    var out = String.UnicodeScalarView()
    for scalar in key.unicodeScalars {
      switch scalar {
      case "*", " ", "\t", "\n", "\u{A0}", "\u{202F}": continue
      default:
        if CodeUnit.superscriptValue(scalar) != nil { continue }
        out.append(scalar)
      }
    }
    return String(out)
  }
}
