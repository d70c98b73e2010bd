/// The punctuation and typography of a sentence that survive translation, counted by class.
///
/// Words change in translation; a question stays a question, a parenthesis a parenthesis, a line of
/// direct speech a line of direct speech. The classes are language-independent: French `« »`,
/// German `„ “` and English `“ ”` are all quotation, a sentence opening with a dash (French
/// dialogue) is direct speech too, and the space French puts before `? ! : ;` does not count.
/// The word features drop every one of these marks; the sentence aligner compares their counts on
/// both sides of a bead.
public enum PunctuationClass: Int, CaseIterable, Hashable, Sendable {
  /// `?`, `¿`.
  case question
  /// `!`, `¡`.
  case exclamation
  /// Direct speech: any quotation mark, or a dash opening the sentence. Counted once a sentence,
  /// since languages mark speech with different numbers of marks (`“Yes,” he said, “I will.”`
  /// against `« Oui, dit-il, je le ferai. »`).
  case quotation
  /// A dash inside a sentence: `—`, `–`, `--`, or a hyphen with a space on both sides.
  case dash
  /// `:`.
  case colon
  /// `;`.
  case semicolon
  /// `(`, `)`, `[`, `]`, each mark counted.
  case parenthesis
  /// `…`, or three or more dots in a row.
  case ellipsis
  /// `_`: the italic markers of the TransRead texts (`\_ them \_`).
  case emphasis
}

/// How a sentence ends: the class of its last mark, closing quotation marks and brackets aside.
///
/// A question is translated as a question and a statement as a statement, so where a bead ends
/// both sides usually end alike; where a grouping puts a boundary that is not one of the
/// translation, they often do not.
enum SentenceEnding: UInt8, CaseIterable {
  case none, period, question, exclamation, ellipsis, colon, semicolon, dash, comma

  /// The ending of a sentence.
  init(of sentence: String) {
    var scalars = sentence.unicodeScalars[...]
    while let last = scalars.last, PunctuationCounts.isSpace(last) || SentenceEnding.closing.contains(last) {
      scalars = scalars.dropLast()
    }
    guard let last = scalars.last else {
      self = .none
      return
    }
    switch last {
    case ".":
      self = scalars.suffix(3).elementsEqual(["." as Unicode.Scalar, ".", "."]) ? .ellipsis : .period
    case "…": self = .ellipsis
    case "?", "\u{FF1F}", "\u{061F}": self = .question
    case "!", "\u{FF01}": self = .exclamation
    case ":", "\u{FF1A}": self = .colon
    case ";", "\u{FF1B}": self = .semicolon
    case ",", "\u{FF0C}": self = .comma
    default: self = PunctuationCounts.isDash(last) ? .dash : .none
    }
  }

  /// Closing quotation marks and brackets, passed over to find a sentence's last mark.
  private static let closing: Set<Unicode.Scalar> = [
    "\"", "”", "»", "›", "’", "'", ")", "]", "」", "』", "“",
  ]
}

/// A table of punctuation counts: one row of ``PunctuationClass`` counts per sentence.
struct PunctuationCounts: Equatable {
  static let classCount = PunctuationClass.allCases.count
  /// The counts, one sentence after another.
  var values: [Int32]
  /// How each sentence ends.
  var endings: [SentenceEnding]

  /// The counts of each sentence.
  init(_ sentences: [String]) {
    values = []
    values.reserveCapacity(sentences.count * PunctuationCounts.classCount)
    for sentence in sentences { values.append(contentsOf: PunctuationCounts.counts(of: sentence)) }
    endings = sentences.map { SentenceEnding(of: $0) }
  }

  /// The counts of one sentence's marks, by ``PunctuationClass``.
  ///
  /// - Complexity: O(*n*) in the length of `sentence`; letters, digits and spaces of ASCII are
  ///   passed over without looking up Unicode properties.
  static func counts(of sentence: String) -> [Int32] {
    var counts = [Int32](repeating: 0, count: classCount)
    func add(_ mark: PunctuationClass) { counts[mark.rawValue] += 1 }
    let scalars = Array(sentence.unicodeScalars)
    var speech = false
    var index = 0
    while index < scalars.count && isSpace(scalars[index]) { index += 1 }
    let start = index
    func isLetter(_ position: Int) -> Bool {
      guard scalars.indices.contains(position) else { return false }
      return WordFeatures.isWordScalar(scalars[position])
    }
    while index < scalars.count {
      let scalar = scalars[index]
      let value = scalar.value
      if value < 0x80 {
        let lower = value | 0x20
        if value == 0x20 || (value >= 0x30 && value <= 0x39) || (lower >= 0x61 && lower <= 0x7A) {
          index += 1
          continue
        }
      }
      switch scalar {
      case "?", "¿", "\u{FF1F}", "\u{061F}": add(.question)
      case "!", "¡", "\u{FF01}": add(.exclamation)
      case ":", "\u{FF1A}": add(.colon)
      case ";", "\u{FF1B}": add(.semicolon)
      case "(", ")", "[", "]", "\u{FF08}", "\u{FF09}": add(.parenthesis)
      case "_": add(.emphasis)
      case "…": add(.ellipsis)
      case ".":
        var end = index
        while end < scalars.count && scalars[end] == "." { end += 1 }
        if end - index >= 3 { add(.ellipsis) }
        index = end
        continue
      case "\"", "“", "”", "„", "‟", "«", "»", "‹", "›", "‘", "‚", "‛", "「", "」", "『", "』":
        speech = true
      case "'", "’":
        // An apostrophe sits against a letter (`don't`, `l'ONU`, `n' en`, `I 've`); a quotation
        // mark has no letter on either side in tokenized text, or stands against punctuation.
        if !isLetter(index - 1) && !isLetter(index + 1) { speech = true }
      case _ where isDash(scalar):
        var end = index
        while end < scalars.count && isDash(scalars[end]) { end += 1 }
        let spaced =
          (index == 0 || isSpace(scalars[index - 1])) && (end == scalars.count || isSpace(scalars[end]))
        if index == start {
          // A dash opening a sentence opens a line of dialogue.
          speech = true
        } else if scalar != "-" || end - index >= 2 || spaced {
          add(.dash)
        }
        index = end
        continue
      default: break
      }
      index += 1
    }
    if speech { add(.quotation) }
    return counts
  }

  @inline(__always)
  static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
    return scalar.properties.isWhitespace
  }

  /// Whether a scalar is a dash or a hyphen: `—`, `–`, `-`, `‒`, `―`.
  @inline(__always)
  static func isDash(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "—", "–", "-", "\u{2012}", "\u{2015}": return true
    default: return false
    }
  }
}

/// Punctuation as evidence of a bead: how far the punctuation of its two sides differs.
///
/// A bead pays, class by class (``PunctuationClass``), its weight times the difference between the
/// number of marks of its source sentences and of its target sentences; a 1-0 or 0-1 bead pays for
/// every mark of its sentence, which nothing explains. A bead whose last sentences end differently
/// (``SentenceEnding``) pays a fixed cost more. A short question beside a statement thus goes with
/// the question of the other side, not with the statement.
struct PunctuationEvidence {
  /// Running sums of the counts of the weighed classes: row `k` holds the counts of sentences
  /// `0..<k`, one column per class of ``classes``.
  private var source: [Int32] = []
  private var target: [Int32] = []
  /// The classes with a weight, and their weights in nats per mark of difference.
  private var classes: [Int] = []
  private var weights: [Double] = []
  /// Running sums of the number of weighed marks of each side, and of their weights: most beads
  /// have no such mark on one side at least, and then cost the other side's weight.
  private var sourceMarks: [Int32] = []
  private var targetMarks: [Int32] = []
  private var sourceMarkWeight: [Double] = []
  private var targetMarkWeight: [Double] = []
  private var sourceEndings: [SentenceEnding] = []
  private var targetEndings: [SentenceEnding] = []
  /// The cost of a bead whose last sentences end differently.
  private var endingMismatchCost = 0.0
  private var isActive = false

  /// No evidence: every bead costs 0.
  init() {}

  /// Evidence from the sentences of both sides, weighed as `configuration` says
  /// (``SentenceAligner/Configuration/punctuationWeights``,
  /// ``SentenceAligner/Configuration/endingMismatchCost``).
  init(source: PunctuationCounts, target: PunctuationCounts, configuration: SentenceAligner.Configuration) {
    for mark in PunctuationClass.allCases {
      // A negative weight would reward a difference: it means nothing, and is left out.
      if let weight = configuration.punctuationWeights[mark], weight > 0 {
        classes.append(mark.rawValue)
        weights.append(weight)
      }
    }
    self.source = PunctuationEvidence.runningSums(source.values, of: classes)
    self.target = PunctuationEvidence.runningSums(target.values, of: classes)
    (sourceMarks, sourceMarkWeight) = PunctuationEvidence.totals(self.source, weights: weights)
    (targetMarks, targetMarkWeight) = PunctuationEvidence.totals(self.target, weights: weights)
    sourceEndings = source.endings
    targetEndings = target.endings
    endingMismatchCost = configuration.endingMismatchCost
    isActive = !classes.isEmpty || endingMismatchCost != 0
  }

  private static func runningSums(_ values: [Int32], of classes: [Int]) -> [Int32] {
    let width = PunctuationCounts.classCount
    let sentences = values.count / width
    var sums = [Int32](repeating: 0, count: (sentences + 1) * classes.count)
    for sentence in 0..<sentences {
      for (column, mark) in classes.enumerated() {
        sums[(sentence + 1) * classes.count + column] =
          sums[sentence * classes.count + column] + values[sentence * width + mark]
      }
    }
    return sums
  }

  /// The number and the weight of the weighed marks of each row of running sums.
  private static func totals(_ sums: [Int32], weights: [Double]) -> ([Int32], [Double]) {
    let width = weights.count
    guard width > 0 else { return ([], []) }
    var marks: [Int32] = []
    var weight: [Double] = []
    for row in 0..<sums.count / width {
      var count: Int32 = 0
      var total = 0.0
      for c in 0..<width {
        count += sums[row * width + c]
        total += weights[c] * Double(sums[row * width + c])
      }
      marks.append(count)
      weight.append(total)
    }
    return (marks, weight)
  }

  /// The cost of the bead of `a` source sentences from `i` and `b` target sentences from `j`.
  ///
  /// - Complexity: O(1): a subtraction per weighed class.
  @inline(__always)
  func cost(i: Int, j: Int, a: Int, b: Int) -> Double {
    if !isActive { return 0 }
    var total = 0.0
    if a > 0 && b > 0 && sourceEndings[i + a - 1] != targetEndings[j + b - 1] {
      total += endingMismatchCost
    }
    let width = classes.count
    if width == 0 { return total }
    if sourceMarks[i + a] == sourceMarks[i] { return total + targetMarkWeight[j + b] - targetMarkWeight[j] }
    if targetMarks[j + b] == targetMarks[j] { return total + sourceMarkWeight[i + a] - sourceMarkWeight[i] }
    let s0 = i * width
    let s1 = (i + a) * width
    let t0 = j * width
    let t1 = (j + b) * width
    for c in 0..<width {
      let x = source[s1 + c] - source[s0 + c]
      let y = target[t1 + c] - target[t0 + c]
      if x != y { total += weights[c] * Double(abs(x - y)) }
    }
    return total
  }
}
