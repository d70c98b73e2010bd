import Foundation

/// Reads a PDF through poppler's `pdftotext` (Debian `poppler-utils`).
///
/// `pdftotext -bbox-layout` gives every word with its box. From the boxes the reader rebuilds
/// what plain `pdftotext` output loses: the page furniture (the symbol on top, the job number
/// and page at the bottom, told by their place and by repeating or matching a footer pattern)
/// is dropped; a paragraph ends where the space between two lines is larger than the line
/// pitch of its font size; the footnotes are the smaller lines at the bottom of a page, each
/// starting at its raised number, and a note cut by a page goes on at the bottom of the next;
/// a paragraph whose last line on a page is full goes on at the top of the next; raised words
/// are superscripts: a footnote call becomes `¹` glued to its word, as in the text conversions.
/// The paragraphs then go through the text reader, one a line.
enum PDFTextReader {
  /// Where `pdftotext` is looked for, in order, before the `PATH`.
  static let candidates = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"]

  static func executable() -> String? {
    let manager = FileManager.default
    for path in candidates where manager.isExecutableFile(atPath: path) { return path }
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    for folder in paths {
      let path = folder + "/pdftotext"
      if manager.isExecutableFile(atPath: String(path)) { return String(path) }
    }
    return nil
  }

  /// - Parameter tool: `pdftotext`'s path; nil when it is not installed.
  static func read(bytes: [UInt8], source: String, language: Language?, tool: String? = executable())
    throws(DocumentReadError) -> Document
  {
    guard let tool else { throw .pdftotextMissing(path: source) }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aligntm-pdf-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw .unreadable(path: source, reason: "no temporary folder for pdftotext: \(error)")
    }
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = folder.appendingPathComponent("in.pdf")
    let output = folder.appendingPathComponent("out.html")
    let errors = folder.appendingPathComponent("errors.txt")
    do {
      try Data(bytes).write(to: input)
      _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: tool)
      process.arguments = ["-bbox-layout", "-enc", "UTF-8", input.path, output.path]
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = FileHandle.nullDevice
      process.standardError = try FileHandle(forWritingTo: errors)
      try process.run()
      process.waitUntilExit()
      if process.terminationStatus != 0 {
        let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        // The last message says what finally failed ("Couldn't read xref table").
        let last = message.split(separator: "\n").last.map(String.init)
        throw PDFFailure(reason: last ?? "pdftotext exited with status \(process.terminationStatus)")
      }
    } catch let failure as PDFFailure {
      throw .unreadablePDF(path: source, reason: failure.reason)
    } catch {
      throw .unreadablePDF(path: source, reason: "\(error)")
    }
    let html: DocxElement
    do {
      guard let data = FileManager.default.contents(atPath: output.path) else {
        throw DocxXMLError(line: 1, reason: "no output")
      }
      html = try DocxXML.parse(data, allowDocumentType: true)
    } catch {
      throw .unreadablePDF(path: source, reason: "its word boxes cannot be read (\(error))")
    }
    let pages = PDFLayout.pages(html)
    guard pages.contains(where: { !$0.rows.isEmpty }) else { throw .pdfWithoutText(path: source) }
    var layout = PDFLayout(pages: pages)
    let paragraphs = layout.paragraphs()
    let text = paragraphs.map(\.raw).joined(separator: "\n\n") + "\n"
    var document = DocumentReader().read(text: text, source: source, language: language)
    // Lines of the text made here mean nothing to a user: point at the pages instead.
    var pageOfLine: [Int: Int] = [:]
    var notes: Set<Int> = []
    for (index, paragraph) in paragraphs.enumerated() {
      pageOfLine[index * 2 + 1] = paragraph.page
      if paragraph.isNote { notes.insert(index * 2 + 1) }
    }
    for index in document.paragraphs.indices {
      // The size of the type tells a footnote, also where its number was lost.
      if let first = document.paragraphs[index].lines.first?.lowerBound, notes.contains(first) {
        document.paragraphs[index].kind = .footnote
        document.paragraphs[index].number = nil
      }
      document.paragraphs[index].lines = document.paragraphs[index].lines.map { range in
        let first = pageOfLine[range.lowerBound] ?? range.lowerBound
        let last = pageOfLine[range.upperBound] ?? first
        return first...max(first, last)
      }
    }
    if let symbol = layout.furnitureSymbol { document.symbol = symbol }
    return document
  }

  private struct PDFFailure: Error { var reason: String }
}

/// The words of a PDF's pages in rows, and the paragraphs they make.
struct PDFLayout {
  struct Word {
    var text: String
    var xMin, yMin, xMax, yMax: Double
    var height: Double { yMax - yMin }
  }

  struct Row {
    var words: [Word]
    var xMin: Double { words.map(\.xMin).min() ?? 0 }
    var xMax: Double { words.map(\.xMax).max() ?? 0 }
    var yMin: Double { words.map(\.yMin).min() ?? 0 }
    var yMax: Double { words.map(\.yMax).max() ?? 0 }
    /// The height of the row's main (largest) words.
    var height: Double { words.map(\.height).max() ?? 0 }
    var plain: String { words.map(\.text).joined(separator: " ") }
  }

  struct Page {
    var height: Double
    var rows: [Row]
  }

  struct Output {
    var raw: String
    var page: Int
    /// Set in the smaller size of footnotes, wherever it stands.
    var isNote = false
  }

  var pages: [Page]
  private(set) var furnitureSymbol: String?

  init(pages: [Page]) { self.pages = pages }

  /// Pages and their rows: poppler's lines merged when they share a baseline band (a
  /// paragraph number and its text, a footnote number and its note).
  static func pages(_ html: DocxElement) -> [Page] {
    var result: [Page] = []
    func all(_ element: DocxElement, named name: String) -> [DocxElement] {
      element.elements.flatMap { $0.name == name ? [$0] : all($0, named: name) }
    }
    for page in all(html, named: "page") {
      let height = Double(page.plainAttribute("height") ?? "") ?? 792
      var lines: [[Word]] = []
      for line in all(page, named: "line") {
        let words = line.elements.filter { $0.name == "word" }.compactMap { word -> Word? in
          guard let x0 = Double(word.plainAttribute("xMin") ?? ""),
            let y0 = Double(word.plainAttribute("yMin") ?? ""),
            let x1 = Double(word.plainAttribute("xMax") ?? ""),
            let y1 = Double(word.plainAttribute("yMax") ?? "")
          else { return nil }
          let text = word.textContent
          return text.isEmpty ? nil : Word(text: text, xMin: x0, yMin: y0, xMax: x1, yMax: y1)
        }
        if !words.isEmpty { lines.append(words) }
      }
      var rows: [Row] = []
      for line in lines.sorted(by: { $0[0].yMin < $1[0].yMin }) {
        let candidate = Row(words: line)
        if let index = rows.lastIndex(where: { overlaps($0, candidate) }) {
          rows[index].words = (rows[index].words + line).sorted { $0.xMin < $1.xMin }
        } else {
          rows.append(candidate)
        }
      }
      rows.sort { $0.yMin < $1.yMin }
      result.append(Page(height: height, rows: rows))
    }
    return result
  }

  private static func overlaps(_ a: Row, _ b: Row) -> Bool {
    let overlap = min(a.yMax, b.yMax) - max(a.yMin, b.yMin)
    let smaller = min(a.height, b.height)
    return smaller > 0 && overlap >= smaller * 0.5 && (a.xMax <= b.xMin + 1 || b.xMax <= a.xMin + 1)
  }

  private static func key(_ value: Double) -> Int { Int((value * 2).rounded()) }

  // MARK: - Paragraphs

  mutating func paragraphs() -> [Output] {
    removeFurniture()
    let allRows = pages.flatMap(\.rows)
    guard !allRows.isEmpty else { return [] }
    // The body size: the most common row height, counted in words.
    var heightCounts: [Int: Int] = [:]
    for row in allRows { heightCounts[Self.key(row.height), default: 0] += row.words.count }
    let bodyHeight = Double(heightCounts.max { $0.value < $1.value }?.key ?? 0) / 2
    // The line pitch of each size: the most common distance between two rows of that size;
    // the right edge of each size and left edge: the farthest a row of them reaches.
    var pitchCounts: [Int: [Int: Int]] = [:]
    var rightEdge: [[Int]: Double] = [:]
    for page in pages {
      for (a, b) in zip(page.rows, page.rows.dropFirst()) where Self.key(a.height) == Self.key(b.height) {
        let dy = b.yMax - a.yMax
        if dy > 0, dy < a.height * 1.3 {
          pitchCounts[Self.key(a.height), default: [:]][Self.key(dy), default: 0] += 1
        }
      }
      for row in page.rows { rightEdge[Self.edgeKey(row)] = max(rightEdge[Self.edgeKey(row)] ?? 0, row.xMax) }
    }
    func pitch(_ height: Double) -> Double {
      guard let counts = pitchCounts[Self.key(height)], let best = counts.max(by: { $0.value < $1.value })
      else {
        return height * 0.95
      }
      return Double(best.key) / 2
    }
    /// Whether the first word of `row` would have fitted at the end of `last`: then `last`
    /// ended its paragraph (unless `row` starts in lower case: a line break in a title).
    func wouldHaveFitted(_ last: Row, _ row: Row, ignoringCase: Bool = false) -> Bool {
      guard let first = row.words.first, let edge = rightEdge[Self.edgeKey(last)] else { return false }
      if !ignoringCase, let letter = first.text.first, letter.isLetter, letter.isLowercase,
        let end = last.words.last?.text.last, end.isLetter || ":,;".contains(end)
      {
        return false
      }
      return last.xMax + row.height * 0.3 + (first.xMax - first.xMin) < edge - 2
    }
    /// A note row that starts with its number (the number not raised, as OCR leaves it) where
    /// the last row started its note: a new note.
    func startsNumberedNote(_ row: Row, after last: Row) -> Bool {
      guard isNoteSize(row), row.words.count > 1, let first = row.words.first?.text else { return false }
      return (1...3).contains(first.count) && first.allSatisfy(\.isNumber) && row.xMin <= last.xMin + 1
    }
    func isNoteSize(_ row: Row) -> Bool { row.height < bodyHeight * 0.92 && row.height > bodyHeight * 0.5 }
    func startsNew(_ row: Row, text: String) -> Bool {
      Self.startsWithNoteMarker(row) || TextPatterns.paragraphNumber(text[...]) != nil
        || TextPatterns.isListItem(text[...])
    }

    var output: [Output] = []
    // The paragraph of each size that the last page left open, with its last row.
    var open: [Int: (index: Int, lastRow: Row)] = [:]
    for (pageIndex, page) in pages.enumerated() {
      var previous: Row?
      var previousStarted = false
      var seenSizes: Set<Int> = []
      var openHere: [Int: (index: Int, lastRow: Row)] = [:]
      for row in page.rows {
        let size = Self.key(row.height)
        let text = Self.text(of: row)
        var joinsTo: Int?
        var wrapped = false
        if let last = previous, abs(last.height - row.height) <= 1 {
          let gap = row.yMax - last.yMax  // bottoms: a raised number does not move them
          if gap <= pitch(row.height) + 1, row.xMin >= last.xMin - 10, !wouldHaveFitted(last, row),
            !Self.startsWithNoteMarker(row), !(previousStarted && startsNumberedNote(row, after: last)),
            let current = openHere[size]
          {
            joinsTo = current.index
            wrapped = !wouldHaveFitted(last, row, ignoringCase: true)
          }
        } else if !seenSizes.contains(size), let carried = open[size], !startsNew(row, text: text),
          row.xMin >= carried.lastRow.xMin - 10
        {
          // The first row of its size on the page goes on with the paragraph the last page
          // left open when that one stops without punctuation on a full row, or stops without
          // a full stop and this row starts in lower case.
          let lowercase = text.first.map { $0.isLetter && $0.isLowercase } ?? false
          let ending = TextPatterns.ending(output[carried.index].raw)
          let full = !wouldHaveFitted(carried.lastRow, row, ignoringCase: true)
          if full && (ending == .open || ending == .hyphen) || lowercase && ending != .closed {
            joinsTo = carried.index
            wrapped = full
          }
        }
        if let index = joinsTo {
          Self.join(&output[index].raw, text, wrapped: wrapped)
        } else {
          output.append(Output(raw: text, page: pageIndex + 1, isNote: isNoteSize(row)))
        }
        openHere[size] = (joinsTo ?? output.count - 1, row)
        seenSizes.insert(size)
        previous = row
        previousStarted = joinsTo == nil
      }
      for (size, value) in openHere { open[size] = value }
    }
    return output
  }

  /// Rows of one size starting at one left edge share a right edge.
  private static func edgeKey(_ row: Row) -> [Int] { [key(row.height), Int(row.xMin / 10)] }

  /// Joins a row to its paragraph. A row that ends in a hyphen or dash goes on without a space
  /// (`Sud-Sud`, `COVID-19`, `2020–2021`: these documents are not hyphenated), and so does a
  /// full (`wrapped`) row that ends in a slash (an address cut in two).
  private static func join(_ raw: inout String, _ next: String, wrapped: Bool) {
    let glued = raw.hasSuffix("-") || raw.hasSuffix("–") || wrapped && raw.hasSuffix("/")
    if glued, let first = next.first, first.isLetter || first.isNumber {
      raw += next
    } else {
      raw += " " + next
    }
  }

  /// A row that starts with a raised number or asterisk: a footnote's first line.
  private static func startsWithNoteMarker(_ row: Row) -> Bool {
    guard let first = row.words.first, row.words.count > 1 else { return false }
    let main = row.words.dropFirst().map(\.height).max() ?? first.height
    return first.height < main * 0.8 && first.text.allSatisfy { $0.isNumber || $0 == "*" }
  }

  /// A row's text: words spaced by their gaps, raised words as superscripts (`¹` for digits,
  /// `^{er}` for letters).
  static func text(of row: Row) -> String {
    let main = row.height
    var result = ""
    var previous: Word?
    var previousRaised = false
    for (index, word) in row.words.enumerated() {
      let raised = word.height < main * 0.8 && word.yMax < row.yMax - word.height * 0.2
      var piece = word.text
      if raised {
        if word.text.allSatisfy({ $0.isASCII && $0.isNumber }) {
          piece = DocxParagraphText.superscript(Int(word.text) ?? 0)
          if word.text.count > 9 { piece = word.text }
        } else if word.text.allSatisfy(\.isLetter) {
          piece = "^{\(word.text)}"
        }
      }
      if let last = previous {
        let gap = word.xMin - last.xMax
        let noteNumber = index == 1 && Self.startsWithNoteMarker(row)
        // Poppler cuts words at spaces and at changes of size: a raised word close to its
        // neighbour is glued to it (`1967¹,`).
        let touching = gap <= main * (raised || previousRaised ? 0.15 : 0.1)
        if !touching || noteNumber { result += " " }
      }
      result += piece
      previous = word
      previousRaised = raised
    }
    return result
  }

  /// Drops the rows at the top and bottom of each page that are page furniture: a document
  /// symbol, a page footer or number, or a line that repeats at the same place on other pages.
  private mutating func removeFurniture() {
    // Digit runs masked whole, so that `1/23` and `10/23` are the same footer.
    func mask(_ text: String) -> String {
      var result = ""
      for character in text where !(character.isNumber && result.last == "#") {
        result.append(character.isNumber ? "#" : character)
      }
      return result
    }
    var seen: [String: Int] = [:]
    for page in pages {
      var keys: Set<String> = []
      for row in page.rows where row.yMax < page.height * 0.1 || row.yMin > page.height * 0.88 {
        keys.insert(mask(row.plain))
      }
      for key in keys { seen[key, default: 0] += 1 }
    }
    for index in pages.indices {
      let height = pages[index].height
      let rows = pages[index].rows
      pages[index].rows = rows.filter { row in
        let top = row.yMax < height * 0.1
        let bottom = row.yMin > height * 0.88
        guard top || bottom else { return true }
        let text = row.plain
        let isSymbol = TextPatterns.isDocumentSymbol(text[...])
        let furniture =
          isSymbol || TextPatterns.isPageFooter(text[...]) || Self.isPageNumber(text)
          || (pages.count > 1 && (seen[mask(text)] ?? 0) * 2 >= pages.count)
        if furniture, isSymbol, top, furnitureSymbol == nil { furnitureSymbol = text }
        return !furniture
      }
    }
  }

  private static func isPageNumber(_ text: String) -> Bool {
    let parts = text.split(separator: "/")
    return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
  }
}
