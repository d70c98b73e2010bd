import Foundation

/// A group of source lines that the layout puts together, before it becomes a paragraph.
struct SourceBlock: Sendable {
  enum Hint: Sendable { case none, footnote, junk, toc }
  var lines: [SourceLine]
  var hint: Hint = .none
}

/// Turns the lines of a document into paragraphs: splits blocks by layout, classifies them,
/// and joins the pieces of paragraphs cut by page breaks and footnotes.
struct ParagraphAssembler {
  let lines: [SourceLine]
  let layout: DocumentLayout
  let language: Language
  private(set) var repairs: [Repair] = []

  /// A paragraph being built: raw text (markup still in it) and where it came from.
  private struct Draft {
    var kind: ParagraphKind
    var number: String?
    var raw: String
    var lines: [ClosedRange<Int>]
  }

  private enum WidthClass { case footnote, body, narrow, unknown }

  private var drafts: [Draft] = []
  private var openBody: Int?
  private var openFootnote: Int?
  private var lastEmitted: Int?
  private var seenBody = false
  private var inContents = false
  private var bodyWidth = 0.0
  private var vocabulary: Set<String> = []
  private var hyphenatedForms: Set<String> = []
  /// The vocabulary is gathered on the first line-end hyphen: most layouts never need it.
  private var vocabularyGathered = false

  init(text: String, language: Language) {
    var lines = SourceLine.split(text)
    self.language = language
    var repairs: [Repair] = []
    if language.base == .french {
      // Only lines holding an apostrophe's bytes (U+2019 or '), which every line the repair
      // changes holds, are looked at.
      for index in lines.indices where OCRRepair.mayHoldApostrophe(lines[index].text) {
        let (repaired, made) = OCRRepair.repairElisions(
          in: lines[index].text, lineNumber: lines[index].number)
        lines[index].text = repaired
        repairs += made
      }
    }
    self.lines = lines
    self.repairs = repairs
    self.layout = DocumentLayout.detect(lines)
  }

  // MARK: - Blocks by layout

  private func blocks() -> [SourceBlock] {
    switch layout {
    case .markdown: return markdownBlocks()
    case .linePerParagraph: return linePerParagraphBlocks()
    case .paged: return pagedBlocks()
    case .hardWrapped: return hardWrappedBlocks()
    }
  }

  /// Splits a blank-line group: masthead `Distr.` lines and tabbed TOC rows stand alone, and a
  /// footnote marker starts a new block.
  private func finish(_ group: [SourceLine], into blocks: inout [SourceBlock], plainDigitMarkers: Bool) {
    guard let first = group.first else { return }
    // A tab is always a Character of its own: its byte is enough.
    if group.count > 1, group.contains(where: { $0.text.utf8.contains(0x09) }) {
      blocks += group.map { SourceBlock(lines: [$0], hint: $0.text.utf8.contains(0x09) ? .toc : .none) }
      return
    }
    if group.count > 1,
      first.text.contains("Distr.") || group.allSatisfy({ TextPatterns.isDocumentSymbol($0.text[...]) })
    {
      blocks += group.map { SourceBlock(lines: [$0]) }
      return
    }
    var current: [SourceLine] = []
    var isFootnote = false
    for line in group {
      let marker = TextPatterns.startsWithFootnoteMarker(line.text[...], allowPlainDigits: plainDigitMarkers)
      if marker, !current.isEmpty, isFootnote || !plainDigitMarkers {
        blocks.append(SourceBlock(lines: current, hint: isFootnote ? .footnote : .none))
        current = []
      }
      if current.isEmpty { isFootnote = marker }
      current.append(line)
    }
    blocks.append(SourceBlock(lines: current, hint: isFootnote ? .footnote : .none))
  }

  private func markdownBlocks() -> [SourceBlock] {
    var blocks: [SourceBlock] = []
    appendBlankLineBlocks(lines, into: &blocks)
    return blocks
  }

  /// Cuts lines into blocks at blank lines.
  private func appendBlankLineBlocks(_ lines: some Sequence<SourceLine>, into blocks: inout [SourceBlock]) {
    var group: [SourceLine] = []
    for line in lines {
      if line.text.isEmpty {
        finish(group, into: &blocks, plainDigitMarkers: false)
        group = []
      } else {
        group.append(line)
      }
    }
    finish(group, into: &blocks, plainDigitMarkers: false)
  }

  private func linePerParagraphBlocks() -> [SourceBlock] {
    var blocks: [SourceBlock] = []
    var inNotes = false
    for line in lines where !line.text.isEmpty {
      let marker = TextPatterns.startsWithFootnoteMarker(line.text[...], allowPlainDigits: false)
      blocks.append(SourceBlock(lines: [line], hint: inNotes || marker ? .footnote : .none))
      let heading = line.text.lowercased()
      if heading == "notes" || heading == "footnotes" || heading == "notes de bas de page" { inNotes = true }
    }
    return blocks
  }

  private func pagedBlocks() -> [SourceBlock] {
    var pages: [[SourceLine]] = [[]]
    for line in lines {
      if line.startsPage { pages.append([]) }
      pages[pages.count - 1].append(line)
    }
    var blocks: [SourceBlock] = []
    for (pageIndex, var page) in pages.enumerated() {
      if pageIndex > 0 {
        // The running header: document symbols at the top of the page.
        while let first = page.first, first.text.isEmpty || TextPatterns.isDocumentSymbol(first.text[...]) {
          page.removeFirst()
        }
      }
      while let last = page.last, last.text.isEmpty || TextPatterns.isPageFooter(last.text[...]) {
        page.removeLast()
      }
      let rule = page.firstIndex { $0.text.allSatisfy { $0 == "_" } && $0.text.count >= 5 }
      appendBlankLineBlocks(page[..<(rule ?? page.endIndex)], into: &blocks)
      guard let rule else { continue }
      var note: [SourceLine] = []
      for line in page[(rule + 1)...] {
        let marker = TextPatterns.startsWithFootnoteMarker(line.text[...], allowPlainDigits: true)
        if line.text.isEmpty || marker, !note.isEmpty {
          blocks.append(SourceBlock(lines: note, hint: .footnote))
          note = []
        }
        if !line.text.isEmpty { note.append(line) }
      }
      if !note.isEmpty { blocks.append(SourceBlock(lines: note, hint: .footnote)) }
    }
    return blocks
  }

  private func hardWrappedBlocks() -> [SourceBlock] {
    var blocks: [SourceBlock] = []
    var group: [SourceLine] = []
    var previousWasBreak = true
    for line in lines {
      if line.text.isEmpty {
        finish(group, into: &blocks, plainDigitMarkers: true)
        group = []
        previousWasBreak = true
        continue
      }
      let text = line.text[...]
      let junk =
        text.hasPrefix("file:///") || TextPatterns.isPageFooter(text)
        || (text.dropFirst(5).isEmpty && (previousWasBreak || line.leadingSpace))
      if junk {
        finish(group, into: &blocks, plainDigitMarkers: true)
        group = []
        blocks.append(SourceBlock(lines: [line], hint: .junk))
        previousWasBreak = true
        continue
      }
      if line.leadingSpace, !group.isEmpty {
        finish(group, into: &blocks, plainDigitMarkers: true)
        group = []
      }
      group.append(line)
      previousWasBreak = false
    }
    finish(group, into: &blocks, plainDigitMarkers: true)
    return blocks
  }

  // MARK: - Widths and words

  private mutating func measure(_ blocks: [SourceBlock]) {
    guard layout == .hardWrapped else { return }
    var widths: [Int] = []
    for block in blocks where block.lines.count > 1 {
      guard TextPatterns.paragraphNumber(block.lines[0].text[...]) != nil else { continue }
      widths += block.lines.dropLast().map(\.text.characterCount)
    }
    if widths.isEmpty {
      widths = blocks.filter { $0.lines.count > 1 }.flatMap { $0.lines.dropLast().map(\.text.characterCount) }
    }
    widths.sort()
    bodyWidth = widths.isEmpty ? 0 : Double(widths[widths.count / 2])
  }

  /// Gathers the words of the document: runs of letters (Unicode's Alphabetic property) and
  /// hyphens, on the UTF-8 bytes; a word cut by a hyphen at a line end is left out.
  private mutating func gatherVocabulary() {
    vocabularyGathered = true
    for line in lines {
      var text = line.text
      text.withUTF8 { bytes in
        var start = 0
        var index = 0
        let count = bytes.count
        while index < count {
          let byte = bytes[index]
          var length = 1
          let isWordScalar: Bool
          if byte < 0x80 {
            isWordScalar = byte == UInt8(ascii: "-") || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
          } else {
            length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            var value = UInt32(byte) & (byte >= 0xF0 ? 0x07 : byte >= 0xE0 ? 0x0F : 0x1F)
            for k in 1..<length { value = value << 6 | UInt32(bytes[index + k] & 0x3F) }
            isWordScalar = Unicode.Scalar(value)?.properties.isAlphabetic ?? false
          }
          if !isWordScalar {
            recordVocabulary(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            start = index + length
          }
          index += length
        }
        if start < count, bytes[count - 1] != UInt8(ascii: "-") {
          recordVocabulary(UnsafeBufferPointer(rebasing: bytes[start..<count]))
        }
      }
    }
  }

  /// Records a word of the document, without its outer hyphens, in `vocabulary` (and a hyphenated
  /// one in `hyphenatedForms`): they decide whether a hyphen at a line end is dropped
  /// (`déve-loppement`) or kept (`Sud-Sud`).
  private mutating func recordVocabulary(_ word: UnsafeBufferPointer<UInt8>) {
    var start = 0
    var end = word.count
    while start < end && word[start] == UInt8(ascii: "-") { start += 1 }
    while end > start && word[end - 1] == UInt8(ascii: "-") { end -= 1 }
    guard start < end else { return }
    let bytes = UnsafeBufferPointer(rebasing: word[start..<end])
    let lower: String
    if bytes.allSatisfy({ $0 < 0x80 }) {
      lower = String(unsafeUninitializedCapacity: bytes.count) { buffer in
        for (offset, byte) in bytes.enumerated() {
          buffer[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        return bytes.count
      }
    } else {
      lower = String(decoding: bytes, as: UTF8.self).lowercased()
    }
    if lower.utf8.contains(UInt8(ascii: "-")) {
      hyphenatedForms.insert(lower)
      for part in lower.split(separator: "-") { vocabulary.insert(String(part)) }
    } else {
      vocabulary.insert(lower)
    }
  }

  private func widthClass(_ block: SourceBlock) -> WidthClass {
    guard layout == .hardWrapped, bodyWidth > 0 else { return .unknown }
    let footnoteWidth = bodyWidth * 1.09
    if block.lines.count == 1 {
      return Double(block.lines[0].text.characterCount) > footnoteWidth ? .footnote : .unknown
    }
    let inner = block.lines.dropLast()
    let mean = Double(inner.reduce(0) { $0 + $1.text.characterCount }) / Double(inner.count)
    if mean > footnoteWidth { return .footnote }
    if mean < bodyWidth * 0.85 { return .narrow }
    return .body
  }

  // MARK: - Joining

  /// Joins `next` to `text`: with a space, or without one after a line-end hyphen.
  ///
  /// A hyphen is dropped only when the joined word occurs elsewhere in the document and the
  /// hyphenated form does not; `Sud-\nSud` and URLs keep theirs.
  private mutating func join(_ text: inout String, _ next: String, line: Int) {
    guard !text.isEmpty else {
      text = next
      return
    }
    guard text.last == "-" else {
      text.append(" ")
      text.append(next)
      return
    }
    if layout != .markdown && layout != .linePerParagraph, !vocabularyGathered { gatherVocabulary() }
    if layout != .markdown && layout != .linePerParagraph, shouldDropHyphen(text, next) {
      let left = text.dropLast().reversed().prefix(while: \.isLetter).reversed()
      let right = next.prefix(while: \.isLetter)
      repairs.append(
        Repair(
          line: line, original: String(left) + "-" + String(right), replacement: String(left) + String(right),
          reason: "hyphenation"))
      text.removeLast()
    }
    text += next
  }

  private func shouldDropHyphen(_ text: String, _ next: String) -> Bool {
    let token = text.dropLast().reversed().prefix(while: { !$0.isWhitespace })
    if token.contains("/") || token.contains(".") { return false }
    let left = String(text.dropLast().reversed().prefix(while: \.isLetter).reversed())
    let right = String(next.prefix(while: \.isLetter))
    guard !left.isEmpty, let first = right.first, first.isLowercase else { return false }
    let joined = (left + right).lowercased()
    let hyphenated = (left + "-" + right).lowercased()
    return vocabulary.contains(joined) && !hyphenatedForms.contains(hyphenated)
  }

  /// Joins the lines of a block; call it once per block, since it records repairs.
  private mutating func joinedText(_ block: SourceBlock) -> String {
    var text = ""
    var previous = block.lines.first?.number ?? 0
    for line in block.lines {
      join(&text, line.text, line: previous)
      previous = line.number
    }
    return text
  }

  private mutating func append(_ text: String, of block: SourceBlock, to index: Int) {
    var raw = drafts[index].raw
    join(&raw, text, line: drafts[index].lines.last?.upperBound ?? block.lines[0].number)
    drafts[index].raw = raw
    drafts[index].lines += ranges(of: block)
    lastEmitted = index
  }

  private func ranges(of block: SourceBlock) -> [ClosedRange<Int>] {
    var result: [ClosedRange<Int>] = []
    for line in block.lines {
      if let last = result.last, line.number <= last.upperBound + 1 {
        result[result.count - 1] = last.lowerBound...max(last.upperBound, line.number)
      } else {
        result.append(line.number...line.number)
      }
    }
    return result
  }

  @discardableResult
  private mutating func emit(_ raw: String, of block: SourceBlock, kind: ParagraphKind, number: String? = nil)
    -> Int
  {
    drafts.append(Draft(kind: kind, number: number, raw: raw, lines: ranges(of: block)))
    lastEmitted = drafts.count - 1
    return drafts.count - 1
  }

  // MARK: - Assembly

  mutating func assemble() -> [Paragraph] {
    let blocks = blocks()
    measure(blocks)
    for block in blocks { place(block) }
    return drafts.map { draft in
      let (text, markup) = InlineMarkupParser.parse(draft.raw)
      var lines: [ClosedRange<Int>] = []
      for range in draft.lines {
        if let last = lines.last, range.lowerBound <= last.upperBound + 1, range.lowerBound >= last.lowerBound
        {
          lines[lines.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
        } else {
          lines.append(range)
        }
      }
      return Paragraph(
        kind: draft.kind, number: draft.kind == .body ? draft.number : nil, text: text, lines: lines,
        markup: markup)
    }
  }

  private mutating func place(_ block: SourceBlock) {
    guard let firstLine = block.lines.first else { return }
    let first = firstLine.text[...]
    let raw = joinedText(block)
    switch block.hint {
    case .junk:
      emit(raw, of: block, kind: .other)
      return
    case .toc:
      emit(raw, of: block, kind: .toc)
      openBody = nil
      return
    case .footnote:
      let index = emit(raw, of: block, kind: .footnote)
      openFootnote = index
      return
    case .none:
      break
    }
    let width = widthClass(block)
    let continues = TextPatterns.startsLikeContinuation(first) && !TextPatterns.isListItem(first)
    let numbered =
      TextPatterns.paragraphNumber(first) != nil || TextPatterns.isHeadingNumber(first)
      || TextPatterns.isListItem(first)

    if layout == .hardWrapped, let note = openFootnote, !numbered {
      let ending = TextPatterns.ending(drafts[note].raw)
      if ending != .closed, continues || ending == .hyphen,
        width == .footnote || (width == .unknown && lastEmitted == note)
      {
        append(raw, of: block, to: note)
        return
      }
    }
    if let body = openBody, !numbered {
      let joins: Bool
      switch TextPatterns.ending(drafts[body].raw) {
      case .hyphen: joins = true
      case .comma: joins = continues
      case .closed: joins = false
      case .open:
        // A body paragraph that stops without punctuation was cut: the next running-text
        // block continues it, whatever its case, unless it looks like a footnote or heading.
        let blockEnding = TextPatterns.ending(raw)
        joins =
          continues
          || (width != .footnote && !looksLikeFootnote(first)
            && (width == .body || blockEnding == .closed || blockEnding == .comma))
      }
      if joins {
        append(raw, of: block, to: body)
        return
      }
    }
    if layout == .hardWrapped, !numbered, width == .footnote || looksLikeFootnote(first) {
      openFootnote = emit(raw, of: block, kind: .footnote)
      return
    }
    if layout == .hardWrapped, let title = lastEmitted, drafts[title].kind == .title,
      first.first.map({ $0.isLetter && $0.isLowercase }) == true, width != .body
    {
      append(raw, of: block, to: title)
      return
    }
    let (kind, number) = classify(raw, width: width)
    let index = emit(raw, of: block, kind: kind, number: number)
    switch kind {
    case .body:
      seenBody = true
      inContents = false
      openBody = TextPatterns.ending(raw) == .closed ? nil : index
    case .title:
      openBody = nil
      let plain = InlineMarkupParser.parse(raw).text.lowercased()
      inContents = ["contents", "table des matières", "sommaire", "table of contents"].contains(plain)
    case .toc:
      openBody = nil
    case .footnote, .other:
      break
    }
  }

  /// In OCR text the superscript marker is often lost; `Voir …`/`See …` still opens a note.
  private func looksLikeFootnote(_ first: Substring) -> Bool {
    layout == .hardWrapped && (first.hasPrefix("Voir ") || first.hasPrefix("See "))
  }

  private func classify(_ raw: String, width: WidthClass) -> (ParagraphKind, String?) {
    let text = raw[...]
    if inContents {
      let last = TextPatterns.lastWord(text) ?? ""
      let endsWithPage = text.contains(" ") && last.count <= 3 && last.allSatisfy(\.isNumber)
      if endsWithPage || text.hasSuffix(" Page") { return (.toc, nil) }
    }
    if let number = TextPatterns.paragraphNumber(text) { return (.body, number) }
    if TextPatterns.isListItem(text) { return (.body, nil) }
    if TextPatterns.isLoneHeadingNumber(text) { return (.other, nil) }
    if TextPatterns.isDocumentSymbol(text) { return (seenBody ? .other : .title, nil) }
    if TextPatterns.isHeadingNumber(text) || TextPatterns.resolutionSymbol(text) != nil {
      return (.title, nil)
    }
    if raw.dropFirst(99).isEmpty, raw.contains("séance plénière") || raw.contains("plenary meeting") {
      return (.other, nil)
    }
    if text.first.map({ $0.isLetter && $0.isLowercase }) == true { return (.body, nil) }
    switch TextPatterns.ending(raw) {
    case .closed, .comma: return (.body, nil)
    case .hyphen, .open:
      // A heading never stops on `of`, `the`, `de`, `et`: such a block is a cut sentence.
      let lastWord = TextPatterns.lastWord(raw[...]).map { $0.lowercased() } ?? ""
      if TextPatterns.functionWords.contains(lastWord) { return (.body, nil) }
      return raw.dropFirst(200).isEmpty || width == .narrow ? (.title, nil) : (.body, nil)
    }
  }

  // MARK: - Symbol

  /// The document symbol: a symbol alone on a line near the top, else `A/RES/x/y` from a
  /// resolution heading.
  static func symbol(lines: [SourceLine], paragraphs: [Paragraph]) -> String? {
    for line in lines.prefix(60) where TextPatterns.isDocumentSymbol(line.text[...]) {
      return line.text
    }
    for paragraph in paragraphs.prefix(40) where paragraph.kind == .title {
      if let symbol = TextPatterns.resolutionSymbol(paragraph.text[...]) { return symbol }
    }
    return nil
  }
}
