import Foundation
import TestSupport
import Testing
import TextSegmentation

@testable import TranslationMemory

/// The import's reader packs units straight into batches (TMX/TMXPacking.swift): the batch must
/// be the one ``_UnitBatch/append(_:)`` makes of the units the plain reader reads, byte for
/// byte, with the same problems skipped and the same warnings.
@Suite("TMX packing")
struct TMXPackingTests {
  /// Everything of a batch that the store writes, one line per unit.
  static func describe(_ batch: _UnitBatch) -> [String] {
    batch.withArena { arena in
      batch.units.map { unit in
        let fields = batch.fields(of: unit)
        let texts = fields.texts.map { $0.isNull ? "NULL" : "[\(Array(arena.buffer($0)))]" }
        let extra = unit.extra >= 0 ? String(describing: batch.extras[unit.extra]) : "-"
        return
          "\(unit.creationDate) \(String(describing: unit.changeDate)) \(unit.usageCount) "
          + "\(String(describing: unit.lastUsageDate)) \(String(describing: unit.propertyOrder)) "
          + "\(unit.variantCount) \(texts) \(extra) \(batch.key(of: unit, in: arena.base))"
      }
    }
  }

  /// The file read both ways: units, skipped problems and warnings.
  static func bothWays(_ file: URL, skipBad: Bool) throws -> (plain: [String], packed: [String]) {
    let reader = TMXReader(url: file, defaultDate: Date(timeIntervalSince1970: 1_000_000_000))
    var plain = _UnitBatch()
    var plainNotes: [String] = []
    do {
      try reader.read(
        skipBad: skipBad, onSkip: { plainNotes.append("skip \($0)") },
        onWarning: { plainNotes.append("warn \($0)") }, { plain.append($0) })
    } catch {
      plainNotes.append("error \(error)")
    }
    var packedNotes: [String] = []
    var delivered: [_UnitBatch] = []
    // Small batches: packing goes on across batch ends.
    let packing = _TMXPacking(batchSize: 3) { delivered.append($0) }
    do {
      try reader.readPacked(
        skipBad: skipBad, onSkip: { packedNotes.append("skip \($0)") },
        onWarning: { packedNotes.append("warn \($0)") }, progressInterval: 10, progress: nil,
        into: packing)
    } catch {
      packedNotes.append("error \(error)")
    }
    delivered.append(packing.take())
    #expect(delivered.dropLast().allSatisfy { $0.units.count == 3 })
    return (
      describe(plain) + plainNotes, delivered.flatMap(describe) + packedNotes
    )
  }

  static let handWritten = """
    <?xml version="1.0" encoding="UTF-8"?>
    <tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"
      o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
    <body>
    <tu tuid="a&amp;b" creationdate="20200101T000000Z" creationid="me" changedate="20210101T000000Z"
      changeid="you" usagecount="7" lastusagedate="20220101T000000Z" segtype="phrase"
      datatype="html" creationtool="x" creationtoolversion="2">
      <prop type="x-tool">t</prop><prop type="x-document">A/1</prop><prop type="x-document">A/2</prop>
      <prop type="x-context">ctx</prop><prop type="custom">c</prop><note>unit note</note>
      <tuv xml:lang="en"><seg>Hello <bpt i="1">&lt;b&gt;</bpt>world<ept i="1">&lt;/b&gt;</ept> ✓</seg></tuv>
      <tuv xml:lang="FR-fr" changedate="20210102T000000Z"><prop type="p">v</prop><note>n</note>
        <seg>Bonjour le monde</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Salut</seg></tuv>
    </tu>
    <tu usagecount=" 3 "><tuv xml:lang="en"><seg>   </seg></tuv><tuv xml:lang="de"><seg>Text</seg></tuv></tu>
    <tu><tuv xml:lang="en"><seg>\u{00A0} </seg></tuv><tuv xml:lang="de"><seg> </seg></tuv></tu>
    <tu><tuv xml:lang="en"><seg><ph x="1"/></seg></tuv><tuv xml:lang="de"><seg/></tuv></tu>
    <tu srclang="*all*"><tuv xml:lang="de"><seg>Erst</seg></tuv><tuv xml:lang="en"><seg>First</seg></tuv></tu>
    <tu tuid="bad"><tuv xml:lang="en"><seg>Date</seg></tuv><tuv xml:lang="fr" creationdate="never"><seg>x</seg></tuv></tu>
    <tu tuid="empty"></tu>
    <tu><prop type="x-score">0.5</prop><prop type="x-paragraph">3</prop>
      <tuv xml:lang="en"><seg>Out of <hi>order</hi> <foo:bar xmlns:foo="u">x</foo:bar></seg></tuv>
      <tuv xml:lang="fr"><seg>Désordre</seg></tuv></tu>
    <tu><tuv xml:lang="en"><seg>Kept after the bad ones.</seg></tuv></tu>
    </body></tmx>
    """

  @Test func theHandWrittenFileIsPackedAsAppendPacksIt() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try Fixture.file("hand.tmx", Self.handWritten, in: folder)
    for skipBad in [true, false] {
      let (plain, packed) = try Self.bothWays(file, skipBad: skipBad)
      #expect(plain == packed, "skipBad \(skipBad)")
      #expect(plain.count > (skipBad ? 8 : 1), "\(plain.map { $0.prefix(300) })")
    }
  }

  @Test func generatedUnitsArePackedAsAppendPacksThem() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try BulkLoadTests.tmxFile(count: 200, in: folder)
    let (plain, packed) = try Self.bothWays(file, skipBad: false)
    #expect(plain.count == 200)
    #expect(plain == packed)
  }

  /// Keys computed on the packing thread (when the writer is behind) are the writer's own, and
  /// the writer takes them: the same units and merges either way.
  @Test func keysComputedWhilePackingAreTheWritersKeys() throws {
    let folder = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try BulkLoadTests.tmxFile(count: 300, in: folder)
    let packing = _TMXPacking(batchSize: 1000) { _ in }
    try TMXReader(url: file).readPacked(
      skipBad: false, onSkip: { _ in }, onWarning: { _ in }, progressInterval: 10, progress: nil,
      into: packing)
    let plain = packing.take()
    var keyed = plain
    keyed.computeKeys()
    #expect(keyed.keys.count == 300)
    #expect(plain.withArena { arena in plain.units.map { plain.key(of: $0, in: arena.base) } } == keyed.keys)
    var stored: [[Int64]] = []
    var outcomes: [[String]] = []
    for (name, batch) in [("plain", plain), ("keyed", keyed)] {
      let memory = try TranslationMemory(url: folder.appendingPathComponent("\(name).sqlite"))
      var filter: _ContentKeyFilter? = nil
      var seen: [String] = []
      try memory.write { memory in
        try memory.insert(batch, keys: &filter) { seen.append("\($0)") }
      }
      outcomes.append(seen)
      stored.append(
        try memory.read {
          let statement = try memory.connection.prepare("SELECT content_key FROM unit ORDER BY id")
          var keys: [Int64] = []
          while try statement.step() { keys.append(statement.int64(0)) }
          return keys
        })
    }
    #expect(stored[0] == stored[1] && outcomes[0] == outcomes[1])
    #expect(outcomes[0].contains { $0.hasPrefix("merged") })
  }

  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: TMXInteropTests.folder.path),
      Comment(rawValue: TMXInteropTests.notice)))
  func theInteropFilesArePackedAsAppendPacksThem() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: TMXInteropTests.folder.path)
      .filter { $0.hasSuffix(".tmx") }.sorted()
    #expect(!names.isEmpty)
    for name in names {
      let file = TMXInteropTests.folder.appendingPathComponent(name)
      let (plain, packed) = try Self.bothWays(file, skipBad: true)
      #expect(plain == packed, "\(name)")
    }
  }
}
