import Alignment
import Foundation
import TextSegmentation

struct AlignTask {
  var name: String
  var source: URL
  var target: URL
  var gold: URL
  var sourceLanguage: Language
  var targetLanguage: Language
}

enum AlignBenchmark {
  static func run(_ options: [String] = []) throws {
    let showErrors = options.firstIndex(of: "--show-errors").flatMap {
      options.indices.contains($0 + 1) ? options[$0 + 1] : nil
    }
    guard let eval = evalFolder(needing: ["transread-dev", "textberg-dev"]) else { return }
    var tasks: [AlignTask] = []
    for book in ["AlicesAdventuresInWonderland", "Candide", "Emma", "JaneEyre"] {
      let folder = eval.appendingPathComponent("transread-dev/\(book)")
      tasks.append(
        AlignTask(
          name: book, source: folder.appendingPathComponent("en.txt"),
          target: folder.appendingPathComponent("fr.txt"), gold: folder.appendingPathComponent("gold.txt"),
          sourceLanguage: .english, targetLanguage: .french))
    }
    let textberg = eval.appendingPathComponent("textberg-dev")
    tasks.append(
      AlignTask(
        name: "textberg-dev", source: textberg.appendingPathComponent("dev.de"),
        target: textberg.appendingPathComponent("dev.fr"), gold: textberg.appendingPathComponent("dev.defr"),
        sourceLanguage: .german, targetLanguage: .french))

    var aligners: [String: SentenceAligner] = [:]
    var loadTime = 0.0
    for pair in [("en", "fr"), ("de", "fr")] {
      var aligner: SentenceAligner?
      var note: String?
      var words = 0
      loadTime += seconds {
        let loaded = Lexicon.freedict(sourceLanguage: Language(pair.0), targetLanguage: Language(pair.1))
        note = loaded.note
        words = loaded.lexicon.pairCount
        let configuration = SentenceAligner.Configuration()
        aligner = SentenceAligner(
          sourceLanguage: Language(pair.0), targetLanguage: Language(pair.1),
          lexicon: loaded.lexicon,
          configuration: configuration)
      }
      aligners["\(pair.0)-\(pair.1)"] = aligner
      print("dictionary \(pair.0)-\(pair.1): \(words) word pairs" + (note.map { " (\($0))" } ?? ""))
    }
    print("dictionary load (both pairs, parse + stem index): \(format(loadTime)) s")
    print("")
    print(
      pad("document", 30) + pad("strict P", 10) + pad("R", 8) + pad("F1", 8) + pad("lax P", 8) + pad("R", 8)
        + pad("F1", 8) + "time s")
    var pooledNovels = LinkScores()
    var totalTime = 0.0
    var totalCPU = 0.0
    var calibration: [String: [(score: Double, correct: Bool)]] = [:]
    var nulls: [String: (right: Int, all: Int)] = [:]
    // The same by sentence: a sentence left unaligned that gold leaves unaligned too, whether gold
    // groups a run of such sentences in one link (TransRead) or lists each alone (Text+Berg).
    var nullSentences: [String: (right: Int, all: Int)] = [:]
    // The same by run: adjacent unaligned sentences of one side read as one decision, right when
    // gold has the run as one link (TransRead) or each of its sentences alone (Text+Berg).
    var nullRuns: [String: (right: Int, all: Int)] = [:]
    // Strict scores with gold and test put in one convention for unaligned sentences: each alone
    // (Text+Berg's gold), or each run of adjacent ones as one link (TransRead's gold).
    var eachAlone: [String: LinkScores] = [:]
    var runsAsOne: [String: LinkScores] = [:]
    for task in tasks {
      let source = try PresegmentedText(contentsOf: task.source)
      let target = try PresegmentedText(contentsOf: task.target)
      let gold = try Link.links(
        parsing: String(contentsOf: task.gold, encoding: .utf8), file: task.gold.path)
      guard let aligner = aligners["\(task.sourceLanguage)-\(task.targetLanguage)"] else { continue }
      var alignment = Alignment(beads: [], sourceCount: 0, targetCount: 0)
      let cpuStart = threadCPUSeconds()
      let time = seconds {
        alignment = aligner.align(source: source.sentences, target: target.sentences)
      }
      totalCPU += threadCPUSeconds() - cpuStart
      totalTime += time
      let goldSet = Set(gold)
      let set = task.sourceLanguage == .english ? "transread-dev" : "textberg-dev"
      let goldUnalignedSource = Set(gold.filter(\.target.isEmpty).flatMap(\.source))
      let goldUnalignedTarget = Set(gold.filter(\.source.isEmpty).flatMap(\.target))
      for bead in alignment.beads {
        let correct = goldSet.contains(bead.link)
        if bead.targetIndices.isEmpty {
          nullSentences[set, default: (0, 0)].right +=
            bead.sourceIndices.filter(goldUnalignedSource.contains).count
          nullSentences[set, default: (0, 0)].all += bead.sourceIndices.count
        } else if bead.sourceIndices.isEmpty {
          nullSentences[set, default: (0, 0)].right +=
            bead.targetIndices.filter(goldUnalignedTarget.contains).count
          nullSentences[set, default: (0, 0)].all += bead.targetIndices.count
        }
        calibration[set, default: []].append((bead.score, correct))
        if bead.sourceIndices.isEmpty || bead.targetIndices.isEmpty {
          nulls[set, default: (0, 0)].right += correct ? 1 : 0
          nulls[set, default: (0, 0)].all += 1
        }
      }
      for run in unalignedRuns(alignment.links) {
        let right =
          goldSet.contains(run)
          || (run.source.allSatisfy { goldSet.contains(Link(source: [$0], target: [])) }
            && run.target.allSatisfy { goldSet.contains(Link(source: [], target: [$0])) })
        nullRuns[set, default: (0, 0)].right += right ? 1 : 0
        nullRuns[set, default: (0, 0)].all += 1
      }
      for grouped in [false, true] {
        let converted = LinkScorer.score(
          gold: unalignedConvention(gold, grouped: grouped),
          test: unalignedConvention(alignment.links, grouped: grouped))
        if grouped {
          runsAsOne[set] = (runsAsOne[set] ?? LinkScores()) + converted
        } else {
          eachAlone[set] = (eachAlone[set] ?? LinkScores()) + converted
        }
      }
      let scores = LinkScorer.score(gold: gold, test: alignment.links)
      if task.sourceLanguage == .english { pooledNovels = pooledNovels + scores }
      printRow(task.name, scores, time)
      if task.name == showErrors {
        printErrors(gold: gold, test: alignment.links, source: source.sentences, target: target.sentences)
      }
    }
    printRow("transread-dev pooled (4 novels)", pooledNovels, nil)
    print(
      "all five documents: \(format(totalTime)) s wall, \(format(totalCPU)) s CPU, single-threaded; peak RSS \(format(peakResidentMegabytes(), 1)) MB"
    )
    print("")
    for set in ["transread-dev", "textberg-dev"] {
      let counts = nulls[set] ?? (0, 0)
      print(
        "\(set): precision of predicted 1-0/0-1 beads \(counts.all == 0 ? "-" : format(Double(counts.right) / Double(counts.all))) (\(counts.right) of \(counts.all))"
      )
      let sentences = nullSentences[set] ?? (0, 0)
      print(
        "\(set): precision of unaligned sentences (gold leaves them unaligned too, however it groups them) \(sentences.all == 0 ? "-" : format(Double(sentences.right) / Double(sentences.all))) (\(sentences.right) of \(sentences.all))"
      )
      print(
        "\(set): strict F1 with gold and test in one convention for unaligned sentences: each alone \(format(eachAlone[set]?.strict.f1 ?? 0)), each run of adjacent ones as one link \(format(runsAsOne[set]?.strict.f1 ?? 0))"
      )
      let runs = nullRuns[set] ?? (0, 0)
      print(
        "\(set): precision of runs of unaligned sentences (adjacent 1-0 or 0-1 beads read as one; right when gold has the run as one link or each of its sentences alone) \(runs.all == 0 ? "-" : format(Double(runs.right) / Double(runs.all))) (\(runs.right) of \(runs.all))"
      )
    }
    print("")
    print("confidence calibration (share of beads identical to a gold link, by posterior band):")
    let bands = [(0.0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)]
    for set in ["transread-dev", "textberg-dev"] {
      let beads = calibration[set] ?? []
      var line = "  " + pad(set, 16)
      for (low, high) in bands {
        let bin = beads.filter { $0.score >= low && $0.score < high }
        let right = bin.filter(\.correct).count
        line += pad(
          "[\(format(low, 2)),\(format(min(high, 1), 2))): \(bin.isEmpty ? "-" : format(Double(right) / Double(bin.count), 2)) of \(bin.count)",
          25)
      }
      print(line)
    }
    print("")
    try runUN()
  }

  /// Reader, segmenter and aligner from the raw UN files (corpus/un/003 and 004), against the gold
  /// beads: strict bead F1, as the tests check it.
  static func runUN() throws {
    let lexicon = Lexicon.freedict(sourceLanguage: .english, targetLanguage: .french).lexicon
    let aligner = try DocumentAligner(
      sentenceAligner: SentenceAligner(sourceLanguage: .english, targetLanguage: .french, lexicon: lexicon))
    struct Gold: Decodable {
      var en: [String]
      var fr: [String]
    }
    for pair in ["003", "004"] {
      let folder = repositoryRoot.appendingPathComponent("corpus/un/\(pair)")
      let reader = DocumentReader()
      let english = try reader.read(contentsOf: folder.appendingPathComponent("en.txt"), language: .english)
      let french = try reader.read(contentsOf: folder.appendingPathComponent("fr.txt"), language: .french)
      var alignment: DocumentAlignment?
      let time = seconds { alignment = aligner.align(source: english, target: french) }
      guard let alignment else { continue }
      let gold = try String(contentsOf: folder.appendingPathComponent("gold.jsonl"), encoding: .utf8)
        .split(separator: "\n").map { try JSONDecoder().decode(Gold.self, from: Data($0.utf8)) }
      let test = alignment.beads.map {
        TextBead(source: alignment.sourceTexts($0), target: alignment.targetTexts($0))
      }
      let links = BeadComparison.links(gold: gold.map { TextBead(source: $0.en, target: $0.fr) }, test: test)
      printRow("un/\(pair) (raw files)", LinkScorer.score(gold: links.gold, test: links.test), time)
    }
  }

  /// The runs of adjacent 1-0 beads (and of adjacent 0-1 beads) of an alignment, each as one link:
  /// gold sets differ in whether a run of left-out sentences is one link or one link per sentence.
  static func unalignedRuns(_ links: [Link]) -> [Link] {
    var runs: [Link] = []
    var current: Link?
    for link in links {
      let isSourceNull = link.target.isEmpty && !link.source.isEmpty
      let isTargetNull = link.source.isEmpty && !link.target.isEmpty
      if var run = current {
        if isSourceNull && run.target.isEmpty, let last = run.source.last, link.source.first == last + 1 {
          run.source += link.source
          current = run
          continue
        }
        if isTargetNull && run.source.isEmpty, let last = run.target.last, link.target.first == last + 1 {
          run.target += link.target
          current = run
          continue
        }
        runs.append(run)
        current = nil
      }
      if isSourceNull || isTargetNull { current = link }
    }
    if let run = current { runs.append(run) }
    return runs
  }

  /// The links with their unaligned sentences in one convention: each alone (`grouped` false) or
  /// each run of adjacent unaligned sentences of one side as one link; other links unchanged.
  static func unalignedConvention(_ links: [Link], grouped: Bool) -> [Link] {
    var result = links.filter { !$0.source.isEmpty && !$0.target.isEmpty }
    let source = links.filter(\.target.isEmpty).flatMap(\.source).sorted()
    let target = links.filter(\.source.isEmpty).flatMap(\.target).sorted()
    func runs(_ indices: [Int]) -> [[Int]] {
      guard grouped else { return indices.map { [$0] } }
      var runs: [[Int]] = []
      for index in indices {
        if let last = runs.last?.last, last + 1 == index {
          runs[runs.count - 1].append(index)
        } else {
          runs.append([index])
        }
      }
      return runs
    }
    result += runs(source).map { Link(source: $0, target: []) }
    result += runs(target).map { Link(source: [], target: $0) }
    return result
  }

  /// Prints the stretches where the test links differ from the gold links, with their sentences.
  static func printErrors(gold: [Link], test: [Link], source: [String], target: [String]) {
    let goldSet = Set(gold)
    let testSet = Set(test)
    func show(_ link: Link) -> String {
      let s = link.source.map { String(source[$0].prefix(70)) }.joined(separator: " | ")
      let t = link.target.map { String(target[$0].prefix(70)) }.joined(separator: " | ")
      return "\(link)\n      EN \(s)\n      FR \(t)"
    }
    for link in gold where !testSet.contains(link) { print("  missed \(show(link))") }
    for link in test where !goldSet.contains(link) { print("  wrong  \(show(link))") }
  }

  static func printRow(_ name: String, _ scores: LinkScores, _ time: Double?) {
    print(
      pad(name, 30) + pad(format(scores.strict.precision), 10) + pad(format(scores.strict.recall), 8)
        + pad(format(scores.strict.f1), 8) + pad(format(scores.lax.precision), 8)
        + pad(format(scores.lax.recall), 8) + pad(format(scores.lax.f1), 8) + (time.map { format($0) } ?? ""))
  }
}
