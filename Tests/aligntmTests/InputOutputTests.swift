import Foundation
import TestSupport
import Testing

/// `-o` replaces a regular file only when the command succeeds; `-`, `/dev/stdin` and FIFOs are
/// read as documents; files that are not text are named.
@Suite struct AtomicOutputTests {
  let folder: URL
  init() throws { folder = try TestSupport.makeTemporaryDirectory() }
  func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
  func corpus(_ name: String) -> String { TestSupport.corpusFile(name).path }

  /// The files the folder holds, hidden ones too.
  func names() throws -> Set<String> { Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)) }

  /// `align --into-tm` writes its beads, then fails to open the memory: the old file stays.
  @Test func aFailedCommandLeavesTheOldFileAndNoTemporaryFile() throws {
    let output = path("beads.jsonl")
    try Data("old".utf8).write(to: URL(fileURLWithPath: output))
    try Data("a file, not a folder".utf8).write(to: URL(fileURLWithPath: path("blocker")))
    let result = try CommandRunner.run([
      "align", corpus("un/002/en.txt"), corpus("un/002/fr.txt"), "--into-tm",
      "--tm", path("blocker/memory.sqlite"), "-o", output,
    ])
    #expect(result.status == 1, "\(result.standardError)")
    #expect(try String(contentsOfFile: output, encoding: .utf8) == "old")
    #expect(try names() == ["beads.jsonl", "blocker"], "no temporary file left")
  }

  @Test func aSucceedingCommandReplacesTheFileKeepingItsMode() throws {
    let output = path("sentences.txt")
    try Data("old".utf8).write(to: URL(fileURLWithPath: output))
    #expect(chmod(output, 0o640) == 0)
    let result = try CommandRunner.run(["segment", corpus("un/002/en.txt"), "-o", output])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("General Assembly"))
    let mode = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int
    #expect(mode == 0o640)
    #expect(try names() == ["sentences.txt"])
    // A new file gets the usual mode (0666 less the umask), not mkstemp's 0600.
    let fresh = path("new.txt")
    #expect(try CommandRunner.run(["segment", corpus("un/002/en.txt"), "-o", fresh]).status == 0)
    let freshMode = try FileManager.default.attributesOfItem(atPath: fresh)[.posixPermissions] as? Int
    let mask = umask(0)
    umask(mask)
    #expect(freshMode == 0o666 & ~Int(mask))
  }

  /// A link is resolved: its target is replaced (atomically), the link stays a link; a dangling
  /// link's target is created.
  @Test func aLinkIsResolvedAndItsTargetReplaced() throws {
    let target = path("target.txt")
    let link = path("link.txt")
    try Data("old".utf8).write(to: URL(fileURLWithPath: target))
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.txt")
    #expect(try CommandRunner.run(["segment", corpus("un/002/en.txt"), "-o", link]).status == 0)
    #expect(
      try FileManager.default.attributesOfItem(atPath: link)[.type] as? FileAttributeType == .typeSymbolicLink
    )
    #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("General Assembly"))
    let dangling = path("dangling.txt")
    try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: path("made.txt"))
    #expect(try CommandRunner.run(["segment", corpus("un/002/en.txt"), "-o", dangling]).status == 0)
    #expect(try String(contentsOfFile: path("made.txt"), encoding: .utf8).hasPrefix("General Assembly"))
    #expect(try names() == ["target.txt", "link.txt", "dangling.txt", "made.txt"])
  }
}

@Suite struct StandardInputTests {
  let english = TestSupport.corpusFile("un/002/en.txt").path

  @Test(arguments: ["-", "/dev/stdin"])
  func segmentReadsStandardInput(_ name: String) throws {
    let text = try String(contentsOfFile: english, encoding: .utf8)
    let piped = try CommandRunner.run(["segment", name], input: text)
    #expect(piped.status == 0, "\(piped.standardError)")
    #expect(piped.standardOutput == (try CommandRunner.run(["segment", english])).standardOutput)
  }

  @Test func errorsOnStandardInputNameIt() throws {
    let result = try CommandRunner.run(["segment", "-"], input: "Title\nSome \u{1B}[2J text.\n")
    #expect(result.status == 1)
    #expect(result.standardError.hasPrefix("Error: <stdin>:2:6: control character U+001B (ESC)"))
  }

  @Test func alignAndSuggestReadStandardInput() throws {
    let french = try String(contentsOf: TestSupport.corpusFile("un/002/fr.txt"), encoding: .utf8)
    let piped = try CommandRunner.run(["align", english, "-", "--format", "links"], input: french)
    #expect(piped.status == 0, "\(piped.standardError)")
    let files = try CommandRunner.run([
      "align", english, TestSupport.corpusFile("un/002/fr.txt").path, "--format", "links",
    ])
    #expect(piped.standardOutput == files.standardOutput)
    let both = try CommandRunner.run(["align", "-", "-"])
    #expect(both.status == 64)
    #expect(both.standardError.contains("Only one input can be standard input (-)."))
    // suggest reads the document before it opens the memory.
    let suggest = try CommandRunner.run(
      ["suggest", "-", "--tm", "/nonexistent/memory.sqlite"], input: "Title\n\n1. Some text.\n")
    #expect(suggest.status == 1)
    #expect(suggest.standardError.contains("no translation memory yet"), "\(suggest.standardError)")
  }

  /// A FIFO (`<(…)` in bash) is read, not reported as "no permission".
  @Test func aFIFOIsADocument() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("en.fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let source = english
    let writer = Thread {
      if let text = FileManager.default.contents(atPath: source),
        let handle = FileHandle(forWritingAtPath: fifo)
      {
        handle.write(text)
        try? handle.close()
      }
    }
    writer.start()
    let result = try CommandRunner.run(["segment", fifo])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.hasPrefix("General Assembly"))
  }
}

@Suite struct InputKindTests {
  @Test(
    arguments: [
      ("report.pdf", Array("%PDF-1.5\n".utf8), "pdftotext cannot read the PDF: "),
      ("en.txt.gz", [0x1F, 0x8B, 0x08, 0x00, 0x00], "en.txt.gz is gzip-compressed: decompress it first"),
      ("en.docx", [0x50, 0x4B, 0x03, 0x04, 0x14], "not a readable Word file: the ZIP archive is damaged"),
      (
        "utf16.txt",
        "Report of the Secretary-General\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
        "unsupported encoding UTF-16LE without a byte-order mark; use UTF-8 or UTF-16 with a byte-order mark "
          + "(`iconv -f UTF-16LE -t UTF-8"
      ),
    ] as [(String, [UInt8], String)])
  func filesThatAreNotUTF8TextAreNamed(_ name: String, _ bytes: [UInt8], _ message: String) throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent(name)
    try Data(bytes).write(to: file)
    for command in [["segment", file.path], ["align", file.path, file.path]] {
      let result = try CommandRunner.run(command)
      #expect(result.status == 1)
      #expect(result.standardError.hasPrefix("Error: \(file.path):1: "), "\(result.standardError)")
      #expect(result.standardError.contains(message), "\(result.standardError)")
    }
  }

  @Test(arguments: ["nan", "inf", "-inf", "-1"])
  func aMinimumScoreThatIsNotAPercentageIsRefused(_ value: String) throws {
    for command in [["align", "a", "b"], ["query", "a"], ["suggest", "a"], ["tm", "add", "a"]] {
      let result = try CommandRunner.run(command + ["--min-score=\(value)"])
      #expect(result.status == 64, "\(command) --min-score \(value)")
      #expect(result.standardError.contains("--min-score between 0 and 100"), "\(result.standardError)")
    }
  }

  @Test(arguments: ["xx-invalid", "xx", "fr-invalid", "fr-XX", "f", "en-"])
  func anInvalidLanguageCodeIsRefused(_ code: String) throws {
    let file = TestSupport.corpusFile("un/002/fr.txt").path
    let segment = try CommandRunner.run(["segment", file, "--lang", code])
    #expect(segment.status == 64, "segment --lang \(code)")
    #expect(segment.standardError.contains("The value '\(code)' is invalid for '--lang <lang>'"))
    let align = try CommandRunner.run(["align", file, file, "--target-lang", code])
    #expect(align.status == 64, "align --target-lang \(code)")
  }

  @Test(arguments: ["fr", "en-GB", "EN-US", "pt_BR", "zh-Hans", "es-419", "auto"])
  func validLanguageCodesAreTaken(_ code: String) throws {
    let result = try CommandRunner.run([
      "segment", TestSupport.corpusFile("un/002/fr.txt").path, "--lang", code,
    ])
    #expect(result.status == 0, "segment --lang \(code): \(result.standardError)")
  }

  @Test func versionIsPrinted() throws {
    let result = try CommandRunner.run(["--version"])
    #expect(result.status == 0)
    #expect(
      result.standardOutput.range(of: #"^aligntm \d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil)
  }
}

/// What the memory holds reaches the terminal escaped; blank units and non-beads stay out.
@Suite struct StoredTextTests {
  let folder: URL
  var memory: String { folder.appendingPathComponent("memory.sqlite").path }
  init() throws { folder = try TestSupport.makeTemporaryDirectory() }
  func aligntm(_ arguments: [String]) throws -> CommandRunner.Result {
    try CommandRunner.run(arguments, environment: ["ALIGNTM_TM": memory, "COLUMNS": "100"])
  }

  /// C1 controls and DEL are legal in XML 1.0, so a TMX file can bring them (CSI, U+009B, starts
  /// an escape sequence on some terminals).
  @Test func controlCharactersFromTheMemoryAreShownEscaped() throws {
    let tmx = folder.appendingPathComponent("c1.tmx")
    try """
    <?xml version="1.0" encoding="UTF-8"?>
    <tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
    <body><tu><prop type="x-document">A/1&#x9B;2J</prop><tuv xml:lang="en"><seg>The peace &#x9B;2Jprocess&#x7F; works.</seg></tuv><tuv xml:lang="fr"><seg>Le processus &#x9B;31m de paix.</seg></tuv></tu>
    </body></tmx>
    """.write(to: tmx, atomically: true, encoding: .utf8)
    let imported = try aligntm(["tm", "import", tmx.path])
    #expect(imported.status == 0, "\(imported.standardError)")
    let outputs = [
      try aligntm(["concord", "peace"]), try aligntm(["query", "The peace process works."]),
      try aligntm(["tm", "list"]), try aligntm(["tm", "stats"]),
    ]
    for output in outputs {
      #expect(output.status == 0, "\(output.standardError)")
      #expect(
        !output.standardOutput.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) || $0 == "\u{1B}" },
        "\(output.standardOutput)")
      #expect(output.standardOutput.contains(#"\u{9B}2J"#), "\(output.standardOutput)")
    }
  }

  /// JSON allows U+2028 raw; JavaScript before ES2019 and line readers take it for a line end.
  @Test func lineAndParagraphSeparatorsAreEscapedInJSON() throws {
    let tmx = folder.appendingPathComponent("separators.tmx")
    try """
    <?xml version="1.0" encoding="UTF-8"?>
    <tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
    <body><tu><tuv xml:lang="en"><seg>The peace\u{2028}process works.</seg></tuv><tuv xml:lang="fr"><seg>La paix\u{2029}fonctionne.</seg></tuv></tu>
    </body></tmx>
    """.write(to: tmx, atomically: true, encoding: .utf8)
    #expect(try aligntm(["tm", "import", tmx.path]).status == 0)
    let query = try aligntm(["query", "The peace process works.", "--format", "json"])
    #expect(query.status == 0, "\(query.standardError)")
    #expect(!query.standardOutput.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{2029}" })
    #expect(query.standardOutput.contains(#"La paix\u2029fonctionne."#), "\(query.standardOutput)")
    let object = try JSONSerialization.jsonObject(with: Data(query.standardOutput.utf8)) as? [String: Any]
    let match = (object?["matches"] as? [[String: Any]])?.first
    #expect(match?["target"] as? String == "La paix\u{2029}fonctionne.")
  }

  /// « » are French quotation marks: a concordance hit is marked [[…]].
  @Test func concordMarksHitsWithDoubleBrackets() throws {
    let beads = folder.appendingPathComponent("beads.jsonl")
    try #"{"source": "The « peace » process.", "target": "Le processus de « paix »."}"#
      .write(to: beads, atomically: true, encoding: .utf8)
    #expect(try aligntm(["tm", "add", beads.path]).status == 0)
    let result = try aligntm(["concord", "process"])
    #expect(result.standardOutput.contains("en: The « peace » [[process]]."), "\(result.standardOutput)")
  }

  @Test func blankBeadsAreNotStored() throws {
    let beads = folder.appendingPathComponent("beads.jsonl")
    try """
    {"source": "Peace.", "target": "Paix."}
    {"source": "   ", "target": "Paix."}
    {"sourceSentences": ["War."], "targetSentences": ["\\u00a0"]}
    """.write(to: beads, atomically: true, encoding: .utf8)
    let add = try aligntm(["tm", "add", beads.path])
    #expect(add.status == 0, "\(add.standardError)")
    #expect(add.standardOutput.contains(": 1 units added"), "\(add.standardOutput)")
    let query = try aligntm(["query", " ", "--min-score", "0", "--format", "json"])
    #expect(!query.standardOutput.contains("Paix.\",\"suggestion\":\"Paix."), "\(query.standardOutput)")
  }

  /// `tm add` takes only beads: every other JSON line is refused with its line, nothing stored.
  @Test(arguments: [
    "[1, 2]", "\"Peace.\"", "null", "42", #"{"score": 1}"#, #"{"source": 1, "target": "Un."}"#,
    #"{"source": "One."}"#, #"{"sourceSentences": "One.", "targetSentences": ["Un."]}"#, "{",
  ])
  func addRefusesLinesThatAreNotBeads(_ line: String) throws {
    let beads = folder.appendingPathComponent("beads.jsonl")
    try "{\"source\": \"Peace.\", \"target\": \"Paix.\"}\n\(line)\n".write(
      to: beads, atomically: true, encoding: .utf8)
    let add = try aligntm(["tm", "add", beads.path])
    #expect(add.status == 1)
    #expect(add.standardError.hasPrefix("Error: \(beads.path):2: not a bead"), "\(add.standardError)")
    if FileManager.default.fileExists(atPath: memory) {
      #expect(try !aligntm(["tm", "list"]).standardOutput.contains("Peace"), "nothing stored")
    }
  }

  @Test func addRefusesControlCharacters() throws {
    let beads = folder.appendingPathComponent("beads.jsonl")
    try #"{"source": "Peace\u001b[2J.", "target": "Paix."}"#.write(
      to: beads, atomically: true, encoding: .utf8)
    let add = try aligntm(["tm", "add", beads.path])
    #expect(add.status == 1)
    #expect(
      add.standardError.hasPrefix("Error: \(beads.path):1: control character U+001B (ESC) in a bead's text"),
      "\(add.standardError)")
  }
}
