import Alignment
import TestSupport
import Testing

@Suite struct LinkScorerTests {
  func links(_ text: String) throws -> [Link] { try Link.links(parsing: text) }

  // Gold:  [0]:[0]  [1, 2]:[1]  [3]:[]  [4]:[2, 3]
  // Test:  [0]:[0]  [1]:[1]  [2]:[]  [3]:[2]  [4]:[3]
  // Precision over 5 test links: strict 1 ([0]:[0]); lax 3 (+ [1]:[1] and [4]:[3] share a pair).
  // Recall over the 3 gold links left without 1-0: strict 1; lax 3.
  @Test func handComputedFile() throws {
    let gold = try links("[0]:[0]\n[1, 2]:[1]\n[3]:[]\n[4]:[2, 3]\n")
    let test = try links("[0]:[0]\n[1]:[1]\n[2]:[]\n[3]:[2]\n[4]:[3]\n")
    let scores = LinkScorer.score(gold: gold, test: test)
    #expect(
      scores.strict == PrecisionRecall(precisionHits: 1, precisionTotal: 5, recallHits: 1, recallTotal: 3))
    #expect(scores.lax == PrecisionRecall(precisionHits: 3, precisionTotal: 5, recallHits: 3, recallTotal: 3))
    #expect(abs(scores.strict.f1 - 0.25) < 1e-12)
    #expect(abs(scores.lax.f1 - 0.75) < 1e-12)
  }

  @Test func identicalAlignmentsScoreOne() throws {
    let gold = try links("[0]:[0, 1]\n[]:[2]\n[1, 2]:[3]\n[3]:[]\n")
    let scores = LinkScorer.score(gold: gold, test: gold)
    #expect(scores.strict.precision == 1)
    #expect(scores.strict.recall == 1)
    #expect(scores.lax.f1 == 1)
    // Recall ignores the 1-0 and 0-1 links: two links remain.
    #expect(scores.strict.recallTotal == 2)
    #expect(scores.strict.precisionTotal == 4)
  }

  @Test func deletionHitsOnlyWhenIdentical() throws {
    // A predicted 1-0 link shares no sentence pair with anything, so it is never a lax hit.
    let gold = try links("[0]:[0]\n[1]:[1]\n")
    let test = try links("[0]:[0]\n[1]:[]\n[]:[1]\n")
    let scores = LinkScorer.score(gold: gold, test: test)
    #expect(scores.strict.precisionHits == 1)
    #expect(scores.lax.precisionHits == 1)
    #expect(scores.strict.precisionTotal == 3)
    #expect(scores.strict.recallHits == 1)
    #expect(scores.strict.recallTotal == 2)
  }

  @Test func countsArePooledOverFilesNotAveraged() throws {
    let first = (
      gold: try links("[0]:[0]\n[1, 2]:[1]\n[3]:[]\n[4]:[2, 3]\n"),
      test: try links("[0]:[0]\n[1]:[1]\n[2]:[]\n[3]:[2]\n[4]:[3]\n")
    )
    let second = (gold: try links("[0]:[0]\n"), test: try links("[0]:[0]\n"))
    let pooled = LinkScorer.score(pairs: [first, second])
    #expect(
      pooled.strict == PrecisionRecall(precisionHits: 2, precisionTotal: 6, recallHits: 2, recallTotal: 4))
    #expect(abs(pooled.strict.precision - 2.0 / 6) < 1e-12)
    #expect(abs(pooled.strict.recall - 0.5) < 1e-12)
  }

  @Test func repeatedAndEmptyLinksCountOnce() throws {
    let gold = try links("[0]:[0]\n")
    let test = [Link(source: [0], target: [0]), Link(source: [0], target: [0]), Link(source: [], target: [])]
    let scores = LinkScorer.score(gold: gold, test: test)
    #expect(scores.strict.precisionTotal == 1)
    #expect(scores.strict.precision == 1)
  }

  @Test func emptyInputScoresZero() {
    let scores = LinkScorer.score(gold: [], test: [])
    #expect(scores.strict.f1 == 0)
    #expect(scores.lax.precision == 0)
  }
}

@Suite struct LinkFormatTests {
  @Test(arguments: [
    ("[3, 4]:[5]", [3, 4], [5]), ("[]:[6]", [], [6]), ("[1,2]:[]", [1, 2], []),
    (" [ 7 ] : [ 8 , 9 ] ", [7], [8, 9]),
  ])
  func parsesLinks(text: String, source: [Int], target: [Int]) throws {
    let link = try #require(Link(parsing: text))
    #expect(link == Link(source: source, target: target))
  }

  @Test func printsTheBenchmarkFormat() {
    #expect(Link(source: [3, 4], target: [5]).description == "[3, 4]:[5]")
    #expect(Link(source: [], target: [6]).description == "[]:[6]")
    let alignment = Alignment(
      beads: [Bead(source: 0..<2, target: 0..<1), Bead(source: 2..<2, target: 1..<2)], sourceCount: 2,
      targetCount: 2)
    #expect(alignment.linksText == "[0, 1]:[0]\n[]:[1]\n")
  }

  @Test(arguments: ["[1]", "[1]:[x]", "[1:[2]", "1:2", "[1]:[2] extra", "[1,]:[2]"])
  func rejectsMalformedLinks(text: String) {
    #expect(Link(parsing: text) == nil)
  }

  @Test func malformedLineNamesFileAndLine() throws {
    #expect(throws: AlignmentError.malformedLink(file: "gold.txt", line: 3, text: "[2]-[2]")) {
      try Link.links(parsing: "[0]:[0]\n\n[2]-[2]\n", file: "gold.txt")
    }
    let error = AlignmentError.malformedLink(file: "gold.txt", line: 3, text: "[2]-[2]")
    #expect(error.description == "gold.txt:3: expected a link like '[1, 2]:[3]', found '[2]-[2]'")
  }
}

@Suite struct PresegmentedTextTests {
  @Test func blankLinesAndParagraphMarksAreBoundariesNotSentences() {
    let text = PresegmentedText(parsing: "One .\nTwo .\n\nThree .\n<p>\n<p>\nFour .\n")
    #expect(text.sentences == ["One .", "Two .", "Three .", "Four ."])
    #expect(text.paragraphStarts == [0, 2, 3])
    #expect(text.paragraphs == [0..<2, 2..<3, 3..<4])
  }

  @Test func emptyText() {
    let text = PresegmentedText(parsing: "\n\n")
    #expect(text.sentences.isEmpty)
    #expect(text.paragraphs.isEmpty)
  }

  @Test(.requiresEval("transread-dev")) func readsTheBenchmarkFiles() throws {
    let url = ExternalData.evalFile("transread-dev/Emma/en.txt")
    let text = try PresegmentedText(contentsOf: url)
    #expect(text.sentences.count == 216)
    #expect(text.sentences.first == "EMMA By Jane Austen")
  }

  @Test func missingFileIsAnError() {
    #expect(throws: AlignmentError.self) {
      try PresegmentedText(contentsOf: TestSupport.corpusFile("no-such-file.txt"))
    }
  }
}
