import Foundation
import TestSupport
import Testing

/// `tm import -` reads XLIFF as well as TMX from standard input, told by its content; errors
/// name `<stdin>` and the line.
@Suite struct StandardInputImportTests {
  let folder: URL
  init() throws { folder = try TestSupport.makeTemporaryDirectory() }
  var memory: String { folder.appendingPathComponent("memory.sqlite").path }

  static let xliff = """
    <?xml version="1.0" encoding="UTF-8"?>
    <xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
    <file original="A_75_15.docx" source-language="en" target-language="fr" datatype="plaintext"><body>
    <trans-unit id="1" approved="yes"><source>The Assembly decides.</source><target>L'Assemblée décide.</target></trans-unit>
    <trans-unit id="2"><source>Not reviewed.</source><target state="needs-review-translation">Pas revu.</target></trans-unit>
    </body></file></xliff>

    """

  @Test func xliffIsReadFromStandardInput() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.run(["tm", "import", "-", "--tm", memory], input: Self.xliff)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(
      result.standardOutput.contains("2 trans-units read, 1 confirmed, 1 added"), "\(result.standardOutput)")
    let list = try CommandRunner.run(["tm", "list", "--tm", memory])
    #expect(list.standardOutput.contains("fr: L'Assemblée décide."), "\(list.standardOutput)")
  }

  @Test func badXLIFFFromStandardInputNamesStdinAndTheLine() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let noID = Self.xliff.replacingOccurrences(of: #"<trans-unit id="1" "#, with: "<trans-unit ")
    let result = try CommandRunner.run(["tm", "import", "-", "--tm", memory], input: noID)
    #expect(result.status == 1)
    #expect(
      result.standardError.contains("<stdin>:4: <trans-unit> is missing attribute 'id'"),
      "\(result.standardError)")
    let cut = try CommandRunner.run(
      ["tm", "import", "-", "--tm", memory], input: String(Self.xliff.prefix(Self.xliff.count - 30)))
    #expect(cut.status == 1)
    #expect(cut.standardError.contains("<stdin>:"), "\(cut.standardError)")
    #expect(cut.standardError.contains("malformed XML"), "\(cut.standardError)")
  }

  @Test func tmxErrorsFromStandardInputNameStdin() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let tmx = """
      <?xml version="1.0" encoding="UTF-8"?>
      <tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>
      <tu><tuv xml:lang="en"><seg>One.</seg></tuv><tuv><seg>Un.</seg></tuv></tu>
      </body></tmx>

      """
    let result = try CommandRunner.run(["tm", "import", "-", "--tm", memory], input: tmx)
    #expect(result.status == 1)
    #expect(result.standardError.contains("<stdin>:3:"), "\(result.standardError)")
    #expect(!result.standardError.contains("/dev/"), "\(result.standardError)")
  }
}
