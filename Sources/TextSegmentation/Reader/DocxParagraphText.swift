/// Text of one run of a Word paragraph with its format.
struct DocxSpan {
  var format: DocxRunFormat
  var link: String?
  var text = ""
  /// A footnote or endnote reference, written as its superscript number.
  var isFootnoteMarker = false
  /// The number at the start of a footnote's own text (`w:footnoteRef`): plain text, as the
  /// text reader leaves it.
  var isNoteNumber = false

  init(format: DocxRunFormat, link: String?) {
    self.format = format
    self.link = link
  }
}

/// A Word paragraph being read: its spans, style and the notes it calls; it becomes a
/// ``Paragraph`` with clean text and ``InlineMarkup``.
struct DocxParagraphText {
  var style: DocxParagraphStyle
  /// The 1-based number of the `w:p` in the main document.
  var line: Int
  /// Set for a footnote's paragraphs; the style's kind otherwise.
  var kind: ParagraphKind?
  /// The mark of the note being read (`¹`, `*`), for `w:footnoteRef`.
  var noteMark: String?
  /// The paragraph mark is a tracked deletion: the next paragraph joins this one.
  var markDeleted = false
  private(set) var spans: [DocxSpan] = []
  var notes: [DocxNoteKey] = []
  /// The `w:txbxContent` of the text boxes anchored in the paragraph, in order: read as
  /// paragraphs of their own after it.
  var textBoxes: [DocxElement] = []
  /// A hard page break came after the last text.
  private var endsWithPageBreak = false

  init(style: DocxParagraphStyle, line: Int) {
    self.style = style
    self.line = line
    kind = style.kind
  }

  mutating func add(_ span: DocxSpan) {
    guard !span.text.isEmpty else { return }
    spans.append(span)
  }

  mutating func pageBreak() { endsWithPageBreak = true }
  mutating func sawContentAfterPageBreak() { endsWithPageBreak = false }

  /// Appends the next paragraph, after a space.
  mutating func append(_ next: DocxParagraphText) {
    var space = DocxSpan(format: DocxRunFormat(), link: nil)
    space.text = " "
    spans.append(space)
    spans += next.spans
    notes += next.notes
    textBoxes += next.textBoxes
    markDeleted = next.markDeleted
    endsWithPageBreak = next.endsWithPageBreak
  }

  /// Whether `next` continues this paragraph: its mark was deleted (a tracked change), or it
  /// ended in a hard page break in mid-sentence and `next` has the same style (LibreOffice
  /// cuts a paragraph in two at a page break).
  func joinsNext(_ next: DocxParagraphText) -> Bool {
    if markDeleted { return true }
    guard endsWithPageBreak, next.style.id == style.id else { return false }
    let text = plainText.trimmingCharacters(in: .whitespaces)
    let following = next.plainText.trimmingCharacters(in: .whitespaces)
    guard !text.isEmpty, let first = following.first else { return false }
    if TextPatterns.paragraphNumber(following[...]) != nil { return false }
    return first.isLowercase || TextPatterns.ending(text) != .closed
  }

  private var plainText: String { spans.reduce(into: "") { $0 += $1.text } }

  static func superscript(_ number: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    return String(String(number).compactMap { $0.wholeNumberValue.map { digits[$0] } })
  }

  private struct Flags: Equatable {
    var bold = false
    var italic = false
    var superscript = false
    var link: String?
    var marker = false
  }

  /// The clean paragraph: white space folded to single spaces, markup as ranges; nil when it
  /// holds no text. French text gets the reader's OCR elision repairs.
  func paragraph(kind: ParagraphKind, language: Language) -> (paragraph: Paragraph, repairs: [Repair])? {
    var characters: [Character] = []
    var flags: [Flags] = []
    var gaps: [Int] = []  // the spaces between words, which take their neighbours' markup
    var pendingSpace = false
    for span in spans {
      let spanFlags = Flags(
        bold: span.format.bold, italic: span.format.italic,
        superscript: span.format.superscript && !span.isFootnoteMarker && !span.isNoteNumber, link: span.link,
        marker: span.isFootnoteMarker)
      for character in span.text {
        if character.isWhitespace {
          pendingSpace = !characters.isEmpty
          continue
        }
        if pendingSpace {
          gaps.append(characters.count)
          characters.append(" ")
          flags.append(Flags())
          pendingSpace = false
        }
        characters.append(character)
        flags.append(spanFlags)
      }
    }
    guard !characters.isEmpty else { return nil }
    for index in gaps {
      let before = flags[index - 1]
      let after = flags[index + 1]
      flags[index] = Flags(
        bold: before.bold && after.bold, italic: before.italic && after.italic,
        superscript: before.superscript && after.superscript,
        link: before.link == after.link ? before.link : nil, marker: false)
    }
    var text = String(characters)
    var repairs: [Repair] = []
    if language.base == .french, text.contains("’") || text.contains("'") {
      // Each repair replaces one character by one (`1’` → `l’`), so the offsets hold.
      (text, repairs) = OCRRepair.repairElisions(in: text, lineNumber: line)
    }
    var offsets: [Int] = [0]
    offsets.reserveCapacity(characters.count + 1)
    var offset = 0
    for character in characters {
      offset += character.utf16.count
      offsets.append(offset)
    }
    var markup: [InlineMarkup] = []
    func ranges(_ kind: InlineMarkup.Kind, _ test: (Flags) -> Bool, original: (Int) -> String) {
      var start: Int?
      for index in 0...flags.count {
        let on = index < flags.count && test(flags[index])
        if on, start == nil { start = index }
        if !on, let begin = start {
          var end = index
          while end > begin, characters[end - 1] == " " { end -= 1 }
          if end > begin {
            markup.append(
              InlineMarkup(kind: kind, range: offsets[begin]..<offsets[end], original: original(begin)))
          }
          start = nil
        }
      }
    }
    ranges(.bold, \.bold, original: { _ in "**" })
    ranges(.italic, \.italic, original: { _ in "*" })
    ranges(.superscript, \.superscript, original: { _ in "^{…}" })
    ranges(.footnoteMarker, \.marker, original: { String(characters[$0...].prefix { $0.isNumber }) })
    var start: (index: Int, target: String)?
    for index in 0...flags.count {
      let link = index < flags.count ? flags[index].link : nil
      if let open = start, link != open.target {
        var end = index
        while end > open.index, characters[end - 1] == " " { end -= 1 }
        markup.append(
          InlineMarkup(
            kind: .link, range: offsets[open.index]..<offsets[end], original: "[…](\(open.target))"))
        start = nil
      }
      if let link, start == nil { start = (index, link) }
    }
    markup.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
    let number = kind == .body ? TextPatterns.paragraphNumber(text[...]) : nil
    return (Paragraph(kind: kind, number: number, text: text, lines: [line...line], markup: markup), repairs)
  }
}
