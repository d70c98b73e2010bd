import Foundation

/// Reads a Word document (`.docx`, WordprocessingML) into the paragraphs the text reader makes.
///
/// - The parts are found through `[Content_Types].xml` and the relationships: the main
///   document, its styles, footnotes and endnotes, headers and footers.
/// - One paragraph per `w:p`, its runs joined (Word cuts runs anywhere, often inside a word); a
///   table gives one paragraph per cell. A soft line break, a page break or a tab inside a
///   paragraph is a space; no-break spaces are plain spaces, as in the text conversions.
/// - Bold, italic, superscript and hyperlinks become ``InlineMarkup``; a footnote reference
///   becomes its superscript number (`¹`) marked ``InlineMarkup/Kind/footnoteMarker``, and the
///   footnote's paragraphs follow the paragraph that calls it, as ``ParagraphKind/footnote``
///   paragraphs that start with the same number.
/// - Tracked changes are read as accepted: `w:ins` and `w:moveTo` kept, `w:del` and
///   `w:moveFrom` dropped. Field instructions (`w:instrText`) and hidden text (`w:vanish`) are
///   left out; a field's result is kept.
/// - A text box (`w:txbxContent`, in a DrawingML `w:drawing` or a VML `w:pict`) is read as
///   paragraphs of its own, after the paragraph it is anchored in and that paragraph's notes. In
///   `mc:AlternateContent` the first `mc:Choice` that holds text boxes is read, else the
///   `mc:Fallback`: Word writes the same box in both, and it is read once.
/// - Comments (`word/comments.xml`) are never read: their ranges and references in the text give
///   no text.
/// - Headers and footers are page furniture: never paragraphs; the document symbol is taken
///   from them.
/// - A paragraph that ends in a hard page break and whose sentence goes on in the next
///   paragraph of the same style is one paragraph (LibreOffice splits it in two when it saves).
/// - Kinds come from the paragraph styles: headings, titles and masthead styles are
///   ``ParagraphKind/title``, footnote text ``ParagraphKind/footnote``, the rest
///   ``ParagraphKind/body``.
///
/// ``Paragraph/lines`` holds the 1-based number of the `w:p` (or table cell) in the main
/// document, footnotes and text boxes that of the paragraph that calls or anchors them.
struct WordDocumentReader {
  let path: String
  private var package: DocxPackage
  private var styles = DocxStyles()
  private var links: [String: DocxRelationship] = [:]
  private var notes: [DocxNoteKey: DocxElement] = [:]
  private var noteLinks: [Bool: [String: DocxRelationship]] = [:]
  private var noteMarks: [DocxNoteKey: String] = [:]
  private var footnoteCount = 0
  private var endnoteCount = 0
  private var ordinal = 0
  /// While a text box is read: the line of the paragraph it is anchored in, which its
  /// paragraphs take.
  private var anchorLine: Int?
  private var output: [Paragraph] = []
  private var repairs: [Repair] = []
  private var language: Language = .english

  init(data: Data, path: String) throws(DocumentReadError) {
    self.path = path
    package = try DocxPackage(data: data, path: path)
  }

  mutating func read(language: Language?) throws(DocumentReadError) -> Document {
    let main = package.mainPart
    guard let document = try package.xml(main) else {
      throw .notWordDocument(path: path, reason: "the main document part \"\(main)\" is missing")
    }
    guard let body = document.childW("body") else {
      throw .malformedWordPart(path: path, part: main, line: document.line, reason: "no w:body element")
    }
    let relationships = try package.relationships(of: main)
    links = relationships
    var furniture: [String] = []
    for relationship in relationships.values.sorted(by: { $0.target < $1.target })
    where !relationship.isExternal {
      switch relationship.kind {
      case "styles":
        if let part = try package.xml(relationship.target) { styles = DocxStyles(part) }
      case "footnotes", "endnotes":
        let isEndnote = relationship.kind == "endnotes"
        guard let part = try package.xml(relationship.target) else { continue }
        for note in part.elements where note.isW(isEndnote ? "endnote" : "footnote") {
          let type = note.attribute("type") ?? "normal"
          guard type == "normal", let id = note.attribute("id") else { continue }
          notes[DocxNoteKey(isEndnote: isEndnote, id: id)] = note
        }
        noteLinks[isEndnote] = try package.relationships(of: relationship.target)
      case "header", "footer":
        if let part = try package.xml(relationship.target) {
          furniture += part.elements.filter { $0.isW("p") }.map(\.textContent)
        }
      default: break
      }
    }
    let plain = body.textContent
    self.language = language ?? LanguageDetector.detect(String(plain.prefix(20_000)))
    var walker = BodyWalker()
    walk(container: body, into: &walker, inNote: false)
    flush(&walker)
    let symbol =
      furniture.lazy.map { $0.trimmingCharacters(in: .whitespaces) }
      .first { TextPatterns.isDocumentSymbol($0[...]) }
      ?? ParagraphAssembler.symbol(lines: [], paragraphs: output)
    return Document(
      source: path, language: self.language, paragraphs: output, repairs: repairs, symbol: symbol)
  }

  // MARK: - Block level

  /// The paragraphs of one container (the body, a cell, a note) waiting to be emitted: the last
  /// may still be joined by the next.
  private struct BodyWalker {
    var pending: DocxParagraphText?
    var fieldStack: [Bool] = []
  }

  private mutating func walk(container: DocxElement, into walker: inout BodyWalker, inNote: Bool) {
    for element in container.elements where element.namespace == DocxNamespace.w {
      switch element.name {
      case "p":
        var paragraph = DocxParagraphText(style: styles.paragraphStyle(of: element), line: nextLine())
        readParagraph(element, into: &paragraph, fieldStack: &walker.fieldStack, links: inNote ? nil : links)
        if var pending = walker.pending {
          if pending.joinsNext(paragraph) {
            pending.append(paragraph)
            walker.pending = pending
            continue
          }
          emit(pending)
        }
        walker.pending = paragraph
      case "tbl":
        flush(&walker)
        readTable(element)
      case "sdt":
        if let content = element.childW("sdtContent") {
          walk(container: content, into: &walker, inNote: inNote)
        }
      case "customXml", "ins", "moveTo":
        walk(container: element, into: &walker, inNote: inNote)
      default: break
      }
    }
  }

  /// The line of the next `w:p` or cell: its number in the main document, or in a text box the
  /// anchor's.
  private mutating func nextLine() -> Int {
    if let anchorLine { return anchorLine }
    ordinal += 1
    return ordinal
  }

  private mutating func flush(_ walker: inout BodyWalker) {
    if let pending = walker.pending { emit(pending) }
    walker.pending = nil
  }

  /// One paragraph per cell: the cell's paragraphs joined with spaces.
  private mutating func readTable(_ table: DocxElement) {
    for row in table.elements where row.isW("tr") {
      for cell in row.elements where cell.isW("tc") {
        var cellText: DocxParagraphText?
        var fieldStack: [Bool] = []
        for element in cell.elements {
          if element.isW("tbl") {
            if let text = cellText { emit(text) }
            cellText = nil
            readTable(element)
            continue
          }
          guard element.isW("p") else { continue }
          var paragraph = DocxParagraphText(style: styles.paragraphStyle(of: element), line: nextLine())
          readParagraph(element, into: &paragraph, fieldStack: &fieldStack, links: links)
          if cellText == nil { cellText = paragraph } else { cellText?.append(paragraph) }
        }
        if let text = cellText { emit(text) }
      }
    }
  }

  /// Emits a paragraph, then the notes it calls.
  private mutating func emit(_ paragraph: DocxParagraphText) {
    let kind = paragraph.kind ?? .body
    if let made = paragraph.paragraph(kind: kind, language: language) {
      output.append(made.paragraph)
      repairs += made.repairs
    }
    for key in paragraph.notes {
      guard let note = notes.removeValue(forKey: key) else { continue }
      for element in note.elements where element.isW("p") {
        var text = DocxParagraphText(style: styles.paragraphStyle(of: element), line: paragraph.line)
        text.kind = .footnote
        text.noteMark = noteMarks[key]
        var fieldStack: [Bool] = []
        readParagraph(element, into: &text, fieldStack: &fieldStack, links: noteLinks[key.isEndnote] ?? [:])
        if let made = text.paragraph(kind: .footnote, language: language) {
          output.append(made.paragraph)
          repairs += made.repairs
        }
      }
    }
    let outer = anchorLine
    anchorLine = paragraph.line
    defer { anchorLine = outer }
    for box in paragraph.textBoxes {
      var walker = BodyWalker()
      walk(container: box, into: &walker, inNote: false)
      flush(&walker)
    }
  }

  // MARK: - Text boxes

  /// The `w:txbxContent` elements under `element` (a `w:drawing`, a `w:pict`, an
  /// `mc:AlternateContent`), outermost only: a box inside a box is found when its own anchor
  /// paragraph is read.
  static func textBoxes(in element: DocxElement) -> [DocxElement] {
    if element.isW("txbxContent") { return [element] }
    if element.namespace == DocxNamespace.mc && element.name == "AlternateContent" {
      // The same content in each branch: the first choice that has a box, else the fallback.
      for choice in element.elements where choice.namespace == DocxNamespace.mc && choice.name == "Choice" {
        let boxes = textBoxes(in: choice)
        if !boxes.isEmpty { return boxes }
      }
      let fallback = element.elements.first { $0.namespace == DocxNamespace.mc && $0.name == "Fallback" }
      return fallback.map { textBoxes(in: $0) } ?? []
    }
    return element.elements.flatMap { textBoxes(in: $0) }
  }

  // MARK: - Runs

  private struct RunState {
    var link: String?
    var hidden = false
  }

  private mutating func readParagraph(
    _ paragraph: DocxElement, into text: inout DocxParagraphText, fieldStack: inout [Bool],
    links: [String: DocxRelationship]?
  ) {
    if let properties = paragraph.childW("pPr"), let mark = properties.childW("rPr"),
      mark.childW("del") != nil
    {
      text.markDeleted = true
    }
    readContent(paragraph, into: &text, state: RunState(), fieldStack: &fieldStack, links: links ?? [:])
  }

  private mutating func readContent(
    _ parent: DocxElement, into text: inout DocxParagraphText, state: RunState, fieldStack: inout [Bool],
    links: [String: DocxRelationship]
  ) {
    for element in parent.elements {
      if element.namespace == DocxNamespace.mc && element.name == "AlternateContent" {
        // Runs in alternative forms: the first choice, else the fallback, never both.
        let branch =
          element.elements.first { $0.namespace == DocxNamespace.mc && $0.name == "Choice" }
          ?? element.elements.first { $0.namespace == DocxNamespace.mc && $0.name == "Fallback" }
        if let branch {
          readContent(branch, into: &text, state: state, fieldStack: &fieldStack, links: links)
        }
        continue
      }
      guard element.namespace == DocxNamespace.w else { continue }
      switch element.name {
      case "r":
        readRun(element, into: &text, state: state, fieldStack: &fieldStack)
      case "hyperlink":
        var inner = state
        if let id = element.attribute("id", namespace: DocxNamespace.r), let target = links[id] {
          inner.link = target.target
        } else if let anchor = element.attribute("anchor") {
          inner.link = "#" + anchor
        } else {
          inner.link = "#"
        }
        readContent(element, into: &text, state: inner, fieldStack: &fieldStack, links: links)
      case "ins", "moveTo", "smartTag", "customXml", "fldSimple", "bdo", "dir":
        readContent(element, into: &text, state: state, fieldStack: &fieldStack, links: links)
      case "sdt":
        if let content = element.childW("sdtContent") {
          readContent(content, into: &text, state: state, fieldStack: &fieldStack, links: links)
        }
      default:
        // w:del, w:moveFrom: deleted; w:pPr, bookmarks, proofing marks, comments: no text.
        break
      }
    }
  }

  private mutating func readRun(
    _ run: DocxElement, into text: inout DocxParagraphText, state: RunState, fieldStack: inout [Bool]
  ) {
    let format = styles.runFormat(of: run, paragraphStyle: text.style)
    let hidden = state.hidden || format.hidden
    var span = DocxSpan(format: format, link: state.link)
    for element in run.elements {
      if element.namespace == DocxNamespace.mc {
        if !hidden, !fieldStack.contains(true) { text.textBoxes += Self.textBoxes(in: element) }
        continue
      }
      guard element.namespace == DocxNamespace.w else { continue }
      switch element.name {
      case "fldChar":
        switch element.attribute("fldCharType") {
        case "begin": fieldStack.append(true)
        case "separate": if !fieldStack.isEmpty { fieldStack[fieldStack.count - 1] = false }
        case "end": if !fieldStack.isEmpty { fieldStack.removeLast() }
        default: break
        }
        continue
      default: break
      }
      guard !hidden, !fieldStack.contains(true) else { continue }
      switch element.name {
      case "t":
        span.text += element.textContent
        text.sawContentAfterPageBreak()
      case "tab", "cr", "ptab":
        span.text += " "
      case "br":
        span.text += " "
        if element.attribute("type") == "page" { text.pageBreak() }
      case "noBreakHyphen":
        span.text += "-"
      case "sym":
        break
      case "drawing", "pict", "object":
        text.textBoxes += Self.textBoxes(in: element)
      case "footnoteReference", "endnoteReference":
        let isEndnote = element.name == "endnoteReference"
        guard let id = element.attribute("id") else { continue }
        text.add(span)
        span.text = ""
        let key = DocxNoteKey(isEndnote: isEndnote, id: id)
        if element.attribute("customMarkFollows").map(DocxStyles.isOn) == true {
          noteMarks[key] = ""
        } else {
          let number: Int
          if isEndnote {
            endnoteCount += 1
            number = endnoteCount
          } else {
            footnoteCount += 1
            number = footnoteCount
          }
          let mark = DocxParagraphText.superscript(number)
          noteMarks[key] = mark
          var marker = DocxSpan(format: DocxRunFormat(), link: nil)
          marker.text = mark
          marker.isFootnoteMarker = true
          text.add(marker)
        }
        text.notes.append(key)
        text.sawContentAfterPageBreak()
      case "footnoteRef", "endnoteRef":
        if let mark = text.noteMark, !mark.isEmpty {
          var marker = DocxSpan(format: DocxRunFormat(), link: nil)
          marker.text = mark
          marker.isNoteNumber = true
          text.add(span)
          span.text = ""
          text.add(marker)
        }
      default:
        break
      }
    }
    text.add(span)
  }
}

// MARK: - Styles

struct DocxRunFormat: Equatable {
  var bold = false
  var italic = false
  var superscript = false
  var hidden = false

  /// Applies a `w:rPr`.
  mutating func apply(_ properties: DocxElement?) {
    guard let properties else { return }
    for element in properties.elements where element.namespace == DocxNamespace.w {
      let on = element.attribute("val").map(DocxStyles.isOn) ?? true
      switch element.name {
      case "b": bold = on
      case "i": italic = on
      case "vanish", "specVanish": hidden = on
      case "vertAlign": superscript = element.attribute("val") == "superscript"
      default: break
      }
    }
  }
}

struct DocxParagraphStyle {
  var id: String
  var kind: ParagraphKind?
  var format = DocxRunFormat()
}

/// The styles of `word/styles.xml` that matter to the reader: paragraph kinds and run formats,
/// through the `w:basedOn` chain.
struct DocxStyles {
  private var paragraphStyles: [String: DocxElement] = [:]
  private var characterStyles: [String: DocxElement] = [:]
  private var defaultParagraphStyle: String?
  private var cache: [String: DocxParagraphStyle] = [:]

  init() {}

  init(_ part: DocxElement) {
    for style in part.elements where style.isW("style") {
      guard let id = style.attribute("styleId") else { continue }
      switch style.attribute("type") {
      case "paragraph":
        paragraphStyles[id] = style
        if style.attribute("default").map(Self.isOn) == true { defaultParagraphStyle = id }
      case "character": characterStyles[id] = style
      default: break
      }
    }
    for id in paragraphStyles.keys { cache[id] = resolve(id) }
  }

  static func isOn(_ value: String) -> Bool { !["0", "false", "off", "none"].contains(value.lowercased()) }

  private func chain(_ id: String, in table: [String: DocxElement]) -> [DocxElement] {
    var result: [DocxElement] = []
    var current: String? = id
    var seen: Set<String> = []
    while let name = current, let style = table[name], seen.insert(name).inserted {
      result.append(style)
      current = style.childW("basedOn")?.attribute("val")
    }
    return result.reversed()
  }

  private func resolve(_ id: String) -> DocxParagraphStyle {
    var style = DocxParagraphStyle(id: id)
    for element in chain(id, in: paragraphStyles) {
      style.format.apply(element.childW("rPr"))
      let name = (element.childW("name")?.attribute("val") ?? "").lowercased()
      let styleId = (element.attribute("styleId") ?? "").lowercased()
      let outline = element.childW("pPr")?.childW("outlineLvl") != nil
      if name.contains("footnote") || name.contains("endnote") || styleId.hasPrefix("footnote") {
        style.kind = .footnote
      } else if name.hasPrefix("toc ") || name.hasPrefix("toc") && styleId.hasPrefix("toc") {
        style.kind = .toc
      } else if outline || name.contains("heading") || name.contains("title") || name.contains("masthead") {
        style.kind = .title
      }
    }
    return style
  }

  /// The paragraph's style (its `w:pStyle`, else the default paragraph style).
  func paragraphStyle(of paragraph: DocxElement) -> DocxParagraphStyle {
    let id = paragraph.childW("pPr")?.childW("pStyle")?.attribute("val") ?? defaultParagraphStyle ?? ""
    return cache[id] ?? DocxParagraphStyle(id: id)
  }

  /// A run's format: the paragraph style's, then the character style's, then its own.
  func runFormat(of run: DocxElement, paragraphStyle: DocxParagraphStyle) -> DocxRunFormat {
    var format = paragraphStyle.format
    let properties = run.childW("rPr")
    if let id = properties?.childW("rStyle")?.attribute("val") {
      for style in chain(id, in: characterStyles) { format.apply(style.childW("rPr")) }
    }
    format.apply(properties)
    return format
  }
}

/// A footnote or endnote by its `w:id`.
struct DocxNoteKey: Hashable {
  var isEndnote: Bool
  var id: String
}
