import Foundation
import TestSupport
import Testing

/// `tm import`, `tm stats`, `tm list` and `tm export` on a file as CAT tools write them.
@Suite struct TMXCommandTests {
  let folder: URL

  init() throws { folder = try TestSupport.makeTemporaryDirectory() }

  func aligntm(_ arguments: [String]) throws -> CommandRunner.Result {
    try CommandRunner.run(arguments + ["--tm", "tm.sqlite"], in: folder)
  }

  @Test func saysWhatItAcceptedMergedAndWrote() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("omegat.tmx")
    try Data(
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <tmx><header creationtool="OmegaT" creationtoolversion="3.5.1" segtype="paragraph" o-tmf="OmegaT TMX" adminlang="EN-US" srclang="en" datatype="plaintext"/>
      <body>
      <tu><tuv lang="en"><seg>Open</seg></tuv><tuv lang="be" changeid="eratyk" changedate="20121012T165645Z"><seg>Адчыніць</seg></tuv></tu>
      <tu><tuv lang="en"><seg>Open</seg></tuv><tuv lang="be" changeid="eratyk" changedate="20121012T165645Z"><seg>Адчыніць</seg></tuv></tu>
      <tu><tuv lang="en"><seg>Alone</seg></tuv></tu>
      </body></tmx>

      """.utf8
    ).write(to: file)
    let imported = try aligntm(["tm", "import", "omegat.tmx"])
    #expect(imported.status == 0, "\(imported.standardError)")
    #expect(imported.standardError.contains("omegat.tmx:2:"))
    #expect(imported.standardError.contains("warning: <tmx> has no 'version'; read as TMX 1.4"))
    #expect(imported.standardOutput.contains("3 units read, 2 added, 1 already there, 0 skipped"))
    let stats = try aligntm(["tm", "stats"]).standardOutput
    #expect(stats.contains("1 units merged into the same stored unit"))
    #expect(stats.contains("1 units with one variant"))
    let list = try aligntm(["tm", "list"]).standardOutput
    #expect(list.contains("be (eratyk, 2012-10-12T16:56:45Z): Адчыніць"), "\(list)")
    let export = try aligntm(["tm", "export", "-o", "out.tmx"])
    #expect(export.standardOutput.contains("out.tmx: 2 units written"), "\(export.standardOutput)")
    let text = try String(contentsOf: folder.appendingPathComponent("out.tmx"), encoding: .utf8)
    #expect(text.contains("<tuv xml:lang=\"be\" changedate=\"20121012T165645Z\" changeid=\"eratyk\"><seg>"))
  }
}
