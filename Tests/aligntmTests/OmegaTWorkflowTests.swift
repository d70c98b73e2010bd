import Foundation
import TestSupport
import Testing

/// `tm export --omegat-segments`: OmegaT 3.6 pre-translates the English Word document of 003 from
/// aligntm's memory of 003 in its `tm/auto/` folder.
@Suite(.serialized) struct OmegaTWorkflowTests {
  static let omegaT = "/usr/share/omegat/OmegaT.jar"
  static let document = ExternalData.shared.url.appendingPathComponent("corpus/un/003/en.docx")

  /// Runs a program in a folder; nil when it can't be started.
  static func run(_ program: String, _ arguments: [String], in directory: URL) -> (
    status: Int32, output: String
  )? {
    TestSupport.runProgram(program, arguments, in: directory)
  }

  /// The paragraphs of the gold French found, as they are, in a Word document's body and
  /// footnotes (markup and footnote numbers out, white space collapsed).
  static let goldCheck = """
    import json, re, sys, zipfile
    import xml.etree.ElementTree as ET
    W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'
    def paragraphs(z, part):
        if part not in z.namelist():
            return []
        out = []
        for p in ET.fromstring(z.read(part)).iter(W + 'p'):
            text = ''
            for el in p.iter():
                if el.tag == W + 't' and el.text:
                    text += el.text
                elif el.tag in (W + 'tab', W + 'br'):
                    text += ' '
            out.append(text)
        return out
    def norm(s):
        s = s.replace('\\u00a0', ' ').replace('\\u202f', ' ')
        s = re.sub(r'\\[([^\\[\\]]*)\\]\\(#\\)', r'\\1', s)
        s = re.sub(r'</?i>|\\*\\*|\\*|\\^\\{([^}]*)\\}|\\^(\\w)', lambda m: m.group(1) or m.group(2) or '', s)
        s = re.sub('[\\u2070\\u00b9\\u00b2\\u00b3\\u2074-\\u2079]', '', s)
        return ' '.join(s.split())
    z = zipfile.ZipFile(sys.argv[1])
    got = set(norm(p) for part in ('word/document.xml', 'word/footnotes.xml') for p in paragraphs(z, part))
    want = [w for w in (norm(' '.join(json.loads(l)['fr'])) for l in open(sys.argv[2]) if l.strip()) if w]
    def references(path):
        return zipfile.ZipFile(path).read('word/document.xml').count(b'<w:footnoteReference ')
    print(json.dumps({'paragraphs': len(want), 'right': sum(1 for w in want if w in got),
                      'missing': [w for w in want if w not in got],
                      'references': [references(sys.argv[3]), references(sys.argv[1])]}, ensure_ascii=False))
    """

  @Test func omegaTFillsTheWordDocumentFromTheExportedMemory() throws {
    guard FileManager.default.fileExists(atPath: Self.omegaT) else {
      if ProcessInfo.processInfo.environment["CI"] == "true" {
        Issue.record("OmegaT is not installed: Scripts/install-deps.sh --test installs it")
      } else {
        Issue.record("skipped: OmegaT 3.6 is not installed (apt-get install omegat)", severity: .warning)
      }
      return
    }
    guard FileManager.default.fileExists(atPath: Self.document.path) else {
      Issue.record(
        "skipped: missing \(ExternalData.shared.displayPath)/corpus/un/003/en.docx (set ALIGNTM_SHARED)",
        severity: .warning)
      return
    }
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let memory = folder.appendingPathComponent("memory.sqlite").path
    let align = try CommandRunner.run([
      "align", TestSupport.corpusFile("un/003/en.txt").path, TestSupport.corpusFile("un/003/fr.txt").path,
      "--into-tm", "--tm", memory, "--format", "links", "-o", folder.appendingPathComponent("003.links").path,
    ])
    #expect(align.status == 0, "\(align.standardError)")

    let project = folder.appendingPathComponent("project")
    for sub in ["source", "target", "tm/auto", "omegat", "glossary", "dictionary"] {
      try FileManager.default.createDirectory(
        at: project.appendingPathComponent(sub), withIntermediateDirectories: true)
    }
    try FileManager.default.copyItem(at: Self.document, to: project.appendingPathComponent("source/en.docx"))
    try Data(OmegaTProject.settings(source: "en", target: "fr").utf8).write(
      to: project.appendingPathComponent("omegat.project"))
    let java = ["-Duser.home=\(folder.path)", "-Djava.awt.headless=true", "-jar", Self.omegaT, project.path]

    // 1. OmegaT's own segments of the document.
    let segments = folder.appendingPathComponent("segments.tmx").path
    let pseudo = try #require(
      Self.run(
        "java",
        java + [
          "--mode=console-createpseudotranslatetmx", "--pseudotranslatetmx=\(segments)",
          "--pseudotranslatetype=equal",
        ], in: project))
    #expect(pseudo.status == 0, "\(pseudo.output)")
    // 2. The memory, cut and tagged as those segments, in tm/auto/.
    let export = try CommandRunner.run([
      "tm", "export", "--tm", memory, "--omegat-segments", segments, "-o",
      project.appendingPathComponent("tm/auto/aligntm.tmx").path,
    ])
    #expect(export.status == 0, "\(export.standardError)")
    // 3. OmegaT translates the document.
    let translate = try #require(Self.run("java", java + ["--mode=console-translate"], in: project))
    #expect(translate.status == 0, "\(translate.output)")

    // OmegaT's statistics: the segments left untranslated.
    let stats = try String(
      contentsOf: project.appendingPathComponent("omegat/project_stats.txt"), encoding: .utf8)
    func count(_ label: String) -> Int? {
      let line = stats.split(separator: "\n").first { $0.hasPrefix(label) }
      return line?.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap { Int($0) }
    }
    let total = try #require(count("Total:"))
    let remaining = try #require(count("Remaining:"))
    #expect(total > 100)
    #expect(
      Double(total - remaining) >= 0.9 * Double(total), "\(total - remaining) of \(total) segments filled")

    // The French of the target document: the gold's paragraphs, as they are.
    let check = try #require(
      Self.run(
        "python3",
        [
          "-c", Self.goldCheck, project.appendingPathComponent("target/en.docx").path,
          TestSupport.corpusFile("un/003/gold.jsonl").path, Self.document.path,
        ], in: folder))
    #expect(check.status == 0, "\(check.output)")
    let result = try #require(
      try JSONSerialization.jsonObject(with: Data(check.output.utf8)) as? [String: Any])
    let paragraphs = try #require(result["paragraphs"] as? Int)
    let right = try #require(result["right"] as? Int)
    #expect(paragraphs > 60)
    #expect(
      Double(right) >= 0.9 * Double(paragraphs), "\(right) of \(paragraphs): \(result["missing"] ?? "")")
  }
}
