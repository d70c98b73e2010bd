import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// The TMX files real translation tools wrote (`../shared/interop/tmx/`, never copied here), read
/// by aligntm and by translate-toolkit 3.20.4, the reference.
@Suite("TMX interop")
struct TMXInteropTests {
  static let folder = ExternalData.shared.url.appendingPathComponent("interop/tmx")
  static let notice = "missing \(ExternalData.shared.displayPath)/interop/tmx (set ALIGNTM_SHARED)"
  static let files: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
    .filter { $0.lowercased().hasSuffix(".tmx") }.sorted()

  /// Reads a TMX file with translate-toolkit and writes what it holds as JSON: per `<tu>`, its
  /// properties and, per `<tuv>` in order, the language, the text without codes, the codes (name,
  /// `i`, `pos`, UTF-16 offset), the dates and ids, properties and notes; or the error.
  static let script = #"""
    import json, sys
    from translate.storage import tmx
    XML = '{http://www.w3.org/XML/1998/namespace}'
    CODES = ('bpt', 'ept', 'ph', 'it', 'ut')
    def local(tag):
        return tag.split('}')[-1] if isinstance(tag, str) else None
    def segment(seg):
        text, codes = [], []
        def offset():
            return len(''.join(text).encode('utf-16-le')) // 2
        def walk(element):
            if element.text:
                text.append(element.text)
            for child in element:
                name = local(child.tag)
                if name is None:
                    pass
                elif name == 'hi':
                    codes.append(['hi', None, None, str(offset())])
                    walk(child)
                    codes.append(['/hi', None, None, str(offset())])
                elif name in CODES:
                    codes.append([name, child.get('i'), child.get('pos'), str(offset())])
                else:
                    codes.append(['ph', None, None, str(offset())])
                if child.tail:
                    text.append(child.tail)
        walk(seg)
        return ''.join(text), codes
    def children(element, name):
        return [c for c in element if local(c.tag) == name]
    try:
        store = tmx.tmxfile.parsefile(sys.argv[1])
    except Exception as error:
        json.dump({'error': '%s: %s' % (type(error).__name__, error)}, open(sys.argv[2], 'w'))
        sys.exit(0)
    root = store.document.getroot()
    units = []
    for unit in store.units:
        tu = unit.xmlelement
        variants = []
        for tuv in children(tu, 'tuv'):
            segs = children(tuv, 'seg')
            text, codes = segment(segs[0]) if segs else ('', [])
            variants.append({
                'lang': tuv.get(XML + 'lang') or tuv.get('lang') or '',
                'text': text, 'codes': codes,
                'attributes': {k: tuv.get(k) for k in ('creationid', 'changeid', 'creationdate', 'changedate') if tuv.get(k) is not None},
                'props': [[p.get('type'), p.text or ''] for p in children(tuv, 'prop')],
                'notes': [n.text or '' for n in children(tuv, 'note')]})
        units.append({
            'props': [[p.get('type'), p.text or ''] for p in children(tu, 'prop')],
            'variants': variants})
    json.dump({'version': root.get('version'), 'units': units}, open(sys.argv[2], 'w'), ensure_ascii=False)
    """#

  struct Read: Decodable {
    var error: String?
    var version: String?
    var units: [ReadUnit]?
  }

  struct ReadUnit: Decodable {
    var props: [[String]]
    var variants: [ReadVariant]
  }

  struct ReadVariant: Decodable {
    var lang: String
    var text: String
    var codes: [[String?]]
    var attributes: [String: String]
    var props: [[String]]
    var notes: [String]
  }

  /// What translate-toolkit reads in a file.
  static func translateToolkit(_ file: URL, folder: URL) throws -> Read {
    let out = folder.appendingPathComponent(UUID().uuidString + ".json")
    let result = try #require(Fixture.run("python3", ["-c", script, file.path, out.path]))
    try #require(result.status == 0, "\(result.output)")
    return try JSONDecoder().decode(Read.self, from: Data(contentsOf: out))
  }

  /// The duplicate rule of the README, applied to what translate-toolkit read: the same unit
  /// when every variant has the same language (any case), the same text and the same codes by
  /// kind, pairing and position, and the context properties are the same.
  static func identity(_ unit: ReadUnit) -> String {
    let variants = unit.variants.map { variant in
      let codes = variant.codes.map { code in
        "\(code[0] ?? ""):\(code[1] ?? "-"):\(code[2] ?? "-"):\(code[3] ?? "")"
      }
      return "\(variant.lang.lowercased())\u{0}\(variant.text)\u{0}\(codes.joined(separator: ";"))"
    }.sorted()
    let context = unit.props.filter { ContentKey.contextTypes.contains($0[0]) }.map {
      $0.joined(separator: "=")
    }
    .sorted()
    return (variants + ["|"] + context).joined(separator: "\u{1}")
  }

  static func codeKinds(_ variant: ReadVariant) -> [String] { variant.codes.map { $0[0] ?? "" } }

  static func date(_ text: String?) -> Date? { text.flatMap { TMXDate.parseLenient($0)?.date } }

  @Test(
    .enabled(if: FileManager.default.fileExists(atPath: folder.path), Comment(rawValue: notice)),
    .enabled(
      if: Fixture.hasTranslateToolkit,
      "translate-toolkit is not installed (pip install translate-toolkit==3.20.4)"),
    arguments: files)
  func readsAndWritesBackWhatTranslateToolkitReads(_ name: String) throws {
    let work = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    let file = Self.folder.appendingPathComponent(name)
    let reference = try Self.translateToolkit(file, folder: work)
    let memory = try TranslationMemory(url: work.appendingPathComponent("a.sqlite"))
    guard let units = reference.units else {
      // A file translate-toolkit can't read: refused too, with its place and what is wrong.
      #expect {
        try memory.importTMX(from: file)
      } throws: { error in
        guard let error = error as? TMXError, let location = error.location else { return false }
        return location.file == file.path && error.description.hasPrefix("\(location): ")
      }
      #expect(try memory.statistics().unitCount == 0)
      return
    }
    let summary = try memory.importTMX(from: file)
    // Units merge only when they are the same unit.
    var representatives: [String: Int] = [:]
    var distinct: [ReadUnit] = []
    for unit in units where representatives[Self.identity(unit)] == nil {
      representatives[Self.identity(unit)] = distinct.count
      distinct.append(unit)
    }
    #expect(summary.unitsRead == units.count)
    #expect(summary.merged == units.count - distinct.count)
    let stored = try memory.units()
    #expect(
      stored.count == distinct.count,
      "\(name): translate-toolkit \(units.count) units, \(distinct.count) distinct")

    let export = work.appendingPathComponent("export.tmx")
    let written = try memory.exportTMX(to: export)
    #expect(written.units == stored.count && written.leftOut == 0)
    if Fixture.hasXMLLint, ExternalData.tmxDTD.exists, (reference.version ?? "1.4").hasPrefix("1.4") {
      let lint = try #require(
        Fixture.run("xmllint", ["--noout", "--dtdvalid", ExternalData.tmxDTD.url.path, export.path]))
      #expect(lint.status == 0 && !lint.output.contains("validity error"), "\(name): \(lint.output)")
    }

    // translate-toolkit reads the export back: the same units, texts, codes, order, metadata.
    let back = try #require(try Self.translateToolkit(export, folder: work).units)
    #expect(back.count == stored.count)
    for (index, (read, unit)) in zip(back, stored).enumerated() {
      let original = distinct[index]
      #expect(read.variants.map { $0.lang.lowercased() } == original.variants.map { $0.lang.lowercased() })
      #expect(read.variants.map(\.text) == original.variants.map(\.text), "\(name) unit \(index)")
      #expect(
        read.variants.map(Self.codeKinds) == original.variants.map(Self.codeKinds), "\(name) unit \(index)")
      #expect(read.variants.map(\.text) == unit.variants.map(\.text))
      for (readVariant, variant) in zip(read.variants, unit.variants) {
        #expect(readVariant.attributes["creationid"] == variant.creationID)
        #expect(readVariant.attributes["changeid"] == variant.changeID)
        #expect(Self.date(readVariant.attributes["creationdate"]) == variant.creationDate)
        #expect(Self.date(readVariant.attributes["changedate"]) == variant.changeDate)
        #expect(readVariant.props == variant.properties.map { [$0.type, $0.value] })
        #expect(readVariant.notes == variant.notes)
      }
      // The file's own per-variant metadata came through, unless a newer duplicate replaced it.
      if units.filter({ Self.identity($0) == Self.identity(original) }).count == 1 {
        for (readVariant, originalVariant) in zip(read.variants, original.variants) {
          #expect(readVariant.attributes["creationid"] == originalVariant.attributes["creationid"])
          #expect(readVariant.attributes["changeid"] == originalVariant.attributes["changeid"])
          #expect(
            Self.date(readVariant.attributes["changedate"])
              == Self.date(originalVariant.attributes["changedate"]))
          #expect(readVariant.props == originalVariant.props && readVariant.notes == originalVariant.notes)
        }
      }
    }

    // import → export → import → export: the same bytes.
    let again = try TranslationMemory(url: work.appendingPathComponent("b.sqlite"))
    try again.importTMX(from: export)
    let second = work.appendingPathComponent("second.tmx")
    try again.exportTMX(to: second)
    #expect(try Data(contentsOf: second) == Data(contentsOf: export), "\(name): the second export differs")
  }
}
