import Foundation
import TestSupport
import Testing

/// `suggest --format xliff` and `tm import FILE.xlf`: the XLIFF 1.2 round trip through the tools
/// translators use (translate-toolkit, OmegaT 3.6), on the bundled corpus.
@Suite(.serialized) struct XLIFFWorkflowTests {
  let folder: URL
  var memory: String { folder.appendingPathComponent("memory.sqlite").path }

  init() throws { folder = try TestSupport.makeTemporaryDirectory() }

  func aligntm(_ arguments: [String]) throws -> CommandRunner.Result {
    try CommandRunner.run(arguments, environment: ["ALIGNTM_TM": memory])
  }

  func corpus(_ path: String) -> String { TestSupport.corpusFile(path).path }

  static let schema = ExternalData.shared.url.appendingPathComponent("xliff/xliff-core-1.2-transitional.xsd")
  static let schemaNotice =
    "missing \(ExternalData.shared.displayPath)/xliff/xliff-core-1.2-transitional.xsd (set \(ExternalData.shared.variables))"
  static let omegaT = "/usr/share/omegat/OmegaT.jar"
  static let onCI = ProcessInfo.processInfo.environment["CI"] == "true"

  /// Runs a program; nil when it can't be started.
  static func run(_ program: String, _ arguments: [String], in directory: URL? = nil) -> (
    status: Int32, output: String
  )? {
    TestSupport.runProgram(program, arguments, in: directory)
  }

  static let hasTranslateToolkit =
    run("python3", ["-c", "from translate.storage import xliff"])?.status == 0

  /// A memory of 003, and the XLIFF of `suggest` for a document against it.
  func suggestXLIFF(for document: String) throws -> (path: String, text: String) {
    let align = try aligntm([
      "align", corpus("un/003/en.txt"), corpus("un/003/fr.txt"), "--into-tm", "--format", "links", "-o",
      folder.appendingPathComponent("003.links").path,
    ])
    #expect(align.status == 0, "\(align.standardError)")
    let path = folder.appendingPathComponent("suggest.xlf").path
    let suggest = try aligntm(["suggest", document, "--format", "xliff", "-o", path])
    #expect(suggest.status == 0, "\(suggest.standardError)")
    return (path, try String(contentsOfFile: path, encoding: .utf8))
  }

  /// The `<trans-unit>` elements of an XLIFF text, in order.
  func transUnits(_ text: String) -> [Substring] {
    text.components(separatedBy: "<trans-unit ").dropFirst().map {
      Substring($0.components(separatedBy: "</trans-unit>")[0])
    }
  }

  /// The value of `attribute` on the first `<element …>` of a piece of XLIFF.
  func attribute(_ attribute: String, of element: String, in text: Substring) -> String? {
    guard let start = text.range(of: "<\(element)") else { return nil }
    let tag = text[start.upperBound...].prefix { $0 != ">" }
    guard let value = tag.range(of: " \(attribute)=\"") else { return nil }
    return String(tag[value.upperBound...].prefix { $0 != "\"" })
  }

  @Test func suggestWritesValidXLIFFWithStatesAndAlternatives() throws {
    let (path, text) = try suggestXLIFF(for: corpus("un/004/en.txt"))
    let units = transUnits(text)
    #expect(units.count > 50)
    #expect(text.contains("<group id=\"p1\""))
    var qualifiers: [String: Int] = [:]
    for unit in units {
      #expect(unit.contains("<source>"))
      guard unit.contains("<target") else {
        #expect(!unit.contains("<alt-trans"), "no target means no match at the threshold")
        continue
      }
      let state = attribute("state", of: "target", in: unit)
      let qualifier = try #require(attribute("state-qualifier", of: "target", in: unit))
      qualifiers[qualifier, default: 0] += 1
      #expect(["exact-match", "fuzzy-match", "leveraged-tm"].contains(qualifier))
      // Only a context match is approved, and it is the only one in a final state.
      let approved = unit.contains("approved=\"yes\"")
      #expect(approved == (state == "translated"))
      if approved { #expect(qualifier == "exact-match") }
      #expect(attribute("origin", of: "alt-trans", in: unit) == "A/RES/75/15")
      #expect(attribute("match-quality", of: "alt-trans", in: unit).flatMap(Double.init) != nil)
      if qualifier == "leveraged-tm" { #expect(unit.contains("placeables substituted:")) }
    }
    #expect((qualifiers["fuzzy-match"] ?? 0) > 0 && (qualifiers["leveraged-tm"] ?? 0) > 0, "\(qualifiers)")

    if !FileManager.default.fileExists(atPath: Self.schema.path) {
      Issue.record("XLIFF schema validation skipped: \(Self.schemaNotice)", severity: .warning)
    } else {
      let check = try #require(
        Self.run("xmllint", ["--noout", "--nonet", "--schema", Self.schema.path, path]))
      #expect(check.status == 0, "\(check.output)")
    }
  }

  @Test func contextMatchesAreApprovedAndInlineCodesAreXLIFFElements() throws {
    // The very document the memory was aligned from: every sentence is a context match.
    let (_, text) = try suggestXLIFF(for: corpus("un/003/en.txt"))
    let units = transUnits(text)
    #expect(!units.isEmpty)
    #expect(units.filter { $0.range(of: "approved=\"yes\"") != nil }.count * 10 >= units.count * 9)
    // 003's Markdown-ish markup (*Recalling*, ^{er}) becomes paired native codes.
    #expect(text.contains("<bpt id=\"") && text.contains("<ept id=\""))
    #expect(text.range(of: "<source>*") == nil, "the markup is in codes, not in the text")
  }

  @Test(
    .enabled(if: hasTranslateToolkit, "translate-toolkit is not installed (Scripts/install-deps.sh --test)"))
  func translateToolkitReadsUnitsTargetsAlternativesAndFuzzyFlags() throws {
    let (path, _) = try suggestXLIFF(for: corpus("un/004/en.txt"))
    let jsonl = try aligntm(["suggest", corpus("un/004/en.txt"), "--format", "jsonl"])
    #expect(jsonl.status == 0)
    let records = try jsonl.standardOutput.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    let script = """
      import json, sys
      from translate.storage import xliff
      store = xliff.xlifffile.parsefile(sys.argv[1])
      out = []
      for u in store.units:
          if u.isheader() or not u.source:
              continue
          alts = [[a.xmlelement.get("match-quality"), a.xmlelement.get("origin"), a.target] for a in u.getalttrans()]
          out.append({"source": u.source, "target": u.target or None, "fuzzy": u.isfuzzy(), "approved": u.isapproved(), "alts": alts})
      print(json.dumps(out, ensure_ascii=False))
      """
    let result = try #require(Self.run("python3", ["-c", script, path]))
    #expect(result.status == 0, "\(result.output)")
    let units = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    #expect(units.count == records.count)
    for (unit, record) in zip(units, records) {
      #expect(unit["source"] as? String == record["source"] as? String)
      #expect(unit["target"] as? String == record["suggestion"] as? String)
      let alternatives = unit["alts"] as? [[Any]] ?? []
      if unit["target"] is String {
        #expect(unit["fuzzy"] as? Bool == !(record["context"] as? Bool ?? false))
        #expect(unit["approved"] as? Bool == record["context"] as? Bool)
        #expect(!alternatives.isEmpty)
        #expect(alternatives.first?[1] as? String == "A/RES/75/15")
        let score = try #require(record["score"] as? Double)
        #expect(Double(alternatives.first?[0] as? String ?? "") == score)
      } else {
        #expect(alternatives.isEmpty)
      }
    }
  }

  @Test func omegaTOpensOurXLIFFAndKeepsOurTargets() throws {
    guard FileManager.default.fileExists(atPath: Self.omegaT) else {
      if Self.onCI {
        Issue.record("OmegaT is not installed: Scripts/install-deps.sh --test installs it")
      } else {
        Issue.record("skipped: OmegaT 3.6 is not installed (apt-get install omegat)", severity: .warning)
      }
      return
    }
    let (path, text) = try suggestXLIFF(for: corpus("un/004/en.txt"))
    let project = folder.appendingPathComponent("omegat")
    for sub in ["source", "target", "tm", "omegat", "glossary", "dictionary"] {
      try FileManager.default.createDirectory(
        at: project.appendingPathComponent(sub), withIntermediateDirectories: true)
    }
    try FileManager.default.copyItem(
      atPath: path, toPath: project.appendingPathComponent("source/suggest.xlf").path)
    try Data(OmegaTProject.settings(source: "en", target: "fr").utf8).write(
      to: project.appendingPathComponent("omegat.project"))
    let result = try #require(
      Self.run(
        "java",
        [
          "-Duser.home=\(folder.path)", "-Djava.awt.headless=true", "-jar", Self.omegaT, project.path,
          "--mode=console-translate",
        ], in: project))
    #expect(result.status == 0, "\(result.output)")
    let translated = try String(
      contentsOf: project.appendingPathComponent("target/suggest.xlf"), encoding: .utf8)
    func targets(_ text: String) -> [String] {
      transUnits(text).compactMap { unit in
        guard let start = unit.range(of: "<target"), let end = unit.range(of: "</target>") else { return nil }
        return String(unit[start.lowerBound..<end.upperBound])
      }
    }
    #expect(!targets(text).isEmpty)
    #expect(targets(translated) == targets(text))
  }

  @Test func anEditedTargetImportsBackAsTheEditedPair() throws {
    let (path, text) = try suggestXLIFF(for: corpus("un/004/en.txt"))
    let units = transUnits(text)
    let unit = try #require(units.first { $0.contains("state=\"needs-review-translation\"") })
    let target = try #require(unit.range(of: "<target")).lowerBound
    let end = try #require(unit.range(of: "</target>")).upperBound
    let source = try #require(unit.range(of: "<source>")).upperBound
    let sourceText = String(unit[source..<(try #require(unit.range(of: "</source>")).lowerBound)])
    let edited =
      String(unit[..<target]) + "<target state=\"translated\">Texte revu par la traductrice</target>"
      + String(unit[end...])
    // A name that says nothing: XLIFF is told by its content.
    let file = folder.appendingPathComponent("reviewed.txt")
    try Data(text.replacingOccurrences(of: String(unit), with: edited).utf8).write(to: file)
    let copy = folder.appendingPathComponent("copy.sqlite").path
    let imported = try CommandRunner.run(["tm", "import", file.path, "--tm", copy])
    #expect(imported.status == 0, "\(imported.standardError)")
    // Only the confirmed target: aligntm's own suggestions await review and stay out.
    #expect(imported.standardOutput.contains("\(units.count) trans-units read, 1 confirmed, 1 added"))
    let list = try CommandRunner.run(["tm", "list", "--tm", copy])
    let rows = list.standardOutput.split(separator: "\n")
    #expect(rows.count == 1)
    #expect(rows.first?.hasSuffix("en: \(sourceText)\tfr: Texte revu par la traductrice") == true, "\(rows)")
    #expect(rows.first?.contains("A/75/371") == true, "the document symbol is kept")
    _ = path
  }

  @Test func badXLIFFIsRefusedWithItsPlace() throws {
    let version = folder.appendingPathComponent("v2.xlf")
    try Data("<?xml version=\"1.0\"?>\n<xliff version=\"2.0\"/>\n".utf8).write(to: version)
    let refused = try aligntm(["tm", "import", version.path])
    #expect(refused.status == 1)
    #expect(
      refused.standardError.contains(
        "\(version.path):2: not XLIFF 1.2 (version \"2.0\"); aligntm reads XLIFF 1.0 to 1.2"),
      "\(refused.standardError)")
    let missing = folder.appendingPathComponent("noid.xlf")
    try Data(
      """
      <?xml version="1.0"?>
      <xliff version="1.2"><file source-language="en" target-language="fr"><body>
      <trans-unit approved="yes"><source>a</source><target>b</target></trans-unit>
      </body></file></xliff>
      """.utf8
    ).write(to: missing)
    let noID = try aligntm(["tm", "import", missing.path])
    #expect(noID.status == 1)
    #expect(noID.standardError.contains("\(missing.path):3: <trans-unit> is missing attribute 'id'"))
    let stored = try aligntm(["tm", "list"])
    #expect(stored.standardOutput.isEmpty, "nothing is stored")
  }
}

/// The `omegat.project` of a project whose folders are the default ones.
enum OmegaTProject {
  static func settings(source: String, target: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <omegat>
      <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>\(source)</source_lang>
        <target_lang>\(target)</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneFrenchTokenizer</target_tok>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
      </project>
    </omegat>
    """
  }
}
