/// The language data the sentence segmenter's rules read: abbreviations and the words around them.
///
/// Abbreviations are written without their final period (`Mr`, `U.S`, `n°`). The rules that use
/// each list are in ``SentenceSegmenter``; a new language needs only a new value of this type.
struct SentenceRules: Sendable {
  /// Titles written before a name (`Mr`, `Dr`, `M`, `Mme`): never a sentence end. Case-sensitive.
  var titles: Set<String>
  /// Abbreviations written before a number or reference (`p`, `No`, `art`, `chap`, `vol`):
  /// no break when a number, a roman numeral, a single letter or a lower-case word follows.
  /// Case-insensitive.
  var numberPrefixes: Set<String>
  /// Abbreviations that can end a sentence (`etc`, `Co`, `Ltd`, `a.m`): a break only when a
  /// capitalized word follows. Case-insensitive.
  var abbreviations: Set<String>
  /// Abbreviations that never end a sentence (`e.g`, `i.e`, `cf`). Case-insensitive.
  var nonFinalAbbreviations: Set<String>
  /// Words that often start a sentence (`The`, `How`, `Il`): after an acronym such as `U.S.`
  /// only these make a break.
  var sentenceStarters: Set<String>
  /// Prepositions that open a fronted adverbial (`At 5 a.m. Mr. Smith …`): a fragment of a few
  /// words that starts with one of these and ends with an abbreviation is not a sentence.
  var prepositions: Set<String>
  /// Whether a lone `I.` after a lower-case word is the pronoun ending a sentence (English).
  var pronounI: Bool
  /// Whether a `?` or `!` followed by a lower-case word continues the sentence
  /// (`“Why?” she asked`, `Yahoo! in`).
  var lowercaseContinuesAfterQuestion: Bool

  /// The rules for a language: French, English, German, or a generic set for any other.
  /// Regional variants (`fr-CA`, `en-GB`) get the rules of their base language.
  static func forLanguage(_ language: Language) -> SentenceRules {
    switch language {
    case .french: return .french
    case .english: return .english
    case .german: return .german
    default: return .generic
    }
  }

  /// Abbreviations shared by every language: Latin and international ones.
  private static let commonNonFinal: Set<String> = ["e.g", "i.e", "cf", "viz", "vs", "ibid", "op. cit"]
  private static let commonNumberPrefixes: Set<String> = [
    "no", "nos", "n°", "nº", "p", "pp", "vol", "vols", "art", "arts", "chap", "sect", "para", "paras",
    "par", "fig", "figs", "suppl", "ann", "rev", "add", "corr", "amend", "ch", "doc", "ref", "réf",
  ]
  private static let commonAbbreviations: Set<String> = ["etc", "al", "approx", "ca"]

  static let english = SentenceRules(
    titles: [
      "Mr", "Mrs", "Ms", "Messrs", "Mmes", "Dr", "Drs", "Prof", "St", "Mt", "Ft", "Gen", "Col", "Capt",
      "Lt", "Sgt", "Gov", "Sen", "Rep", "Rev", "Hon", "Amb", "H.E", "Sr", "Pres",
    ],
    numberPrefixes: commonNumberPrefixes.union(["sec", "secs", "subpara", "subparas", "item", "res", "dec"]),
    abbreviations: commonAbbreviations.union([
      "co", "corp", "inc", "ltd", "llc", "plc", "bros", "jr", "esq", "dept", "univ", "assn", "govt",
      "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
      "mon", "tue", "wed", "thu", "fri", "sat", "sun", "a.m", "p.m", "est", "approx", "min", "max",
      "st", "ave", "blvd", "rd", "distr", "orig",
    ]),
    nonFinalAbbreviations: commonNonFinal.union(["incl", "esp", "resp"]),
    sentenceStarters: [
      "A", "Being", "Did", "For", "He", "How", "However", "I", "In", "It", "Millions", "More", "She",
      "That", "The", "There", "They", "We", "What", "When", "Where", "Who", "Why", "This", "These",
      "Those", "Its", "Their", "His", "Her", "Our", "You", "If", "As", "But", "And", "Is", "Are",
      "Was", "Were", "Do", "Does", "Can", "Will", "Would", "Should", "Could", "Such", "Some", "Many",
      "Most", "All", "Each", "An", "Since", "Although", "While", "Thus", "Therefore", "Moreover",
      "Furthermore", "Accordingly", "Nevertheless",
    ],
    prepositions: [
      "At", "By", "On", "In", "Before", "After", "Until", "Till", "From", "Since", "Around", "About",
      "Towards", "Toward",
    ],
    pronounI: true,
    lowercaseContinuesAfterQuestion: true
  )

  static let french = SentenceRules(
    titles: [
      "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Me", "Mgr", "Dr", "Pr", "Prof", "S.E", "LL.EE", "St",
      "Ste", "Sr",
    ],
    numberPrefixes: commonNumberPrefixes.union([
      "al", "alin", "chap", "sous-al", "t", "tome", "vol", "éd", "ed", "point", "rés", "déc",
    ]),
    abbreviations: commonAbbreviations.union([
      "cie", "ltd", "inc", "sa", "janv", "févr", "fév", "avr", "juil", "sept", "oct", "nov", "déc",
      "env", "min", "max", "distr", "orig", "dir", "coll", "hab", "km", "ex", "av", "apr", "bd",
    ]),
    nonFinalAbbreviations: commonNonFinal.union(["c.-à-d", "c-à-d", "p.ex", "p. ex", "cf", "conf", "voy"]),
    sentenceStarters: [
      "Le", "La", "Les", "L", "Il", "Elle", "Ils", "Elles", "Un", "Une", "Des", "Ce", "Cet", "Cette",
      "Ces", "En", "Dans", "Au", "Aux", "Pour", "Par", "Sur", "Selon", "Toutefois", "Cependant", "Nous",
      "On", "Si", "Comme", "De", "Du", "Leur", "Leurs", "Son", "Sa", "Ses", "Depuis", "Lors", "Ainsi",
      "Enfin", "Par ailleurs", "Outre", "Malgré", "Grâce", "Afin", "Mais", "Et", "Plus", "Quelque",
    ],
    prepositions: ["À", "A", "Vers", "Dès", "Avant", "Après", "Depuis", "Jusqu’à", "Jusqu'à", "Le", "Au"],
    pronounI: false,
    lowercaseContinuesAfterQuestion: true
  )

  static let german = SentenceRules(
    titles: ["Hr", "Hrn", "Fr", "Dr", "Prof", "St"],
    numberPrefixes: commonNumberPrefixes.union(["nr", "abs", "abschn", "kap", "bd", "s", "ziff", "art"]),
    abbreviations: commonAbbreviations.union([
      "usw", "bzw", "ca", "ggf", "inkl", "evtl", "jan", "feb", "febr", "aug", "sept", "okt", "nov",
      "dez", "gmbh", "ag", "mio", "mrd",
    ]),
    nonFinalAbbreviations: commonNonFinal.union(["z.B", "d.h", "u.a", "z.T", "vgl", "s.o", "s.u", "sog"]),
    sentenceStarters: [
      "Der", "Die", "Das", "Ein", "Eine", "Er", "Sie", "Es", "Wir", "Ich", "Dies", "Diese", "Dieser",
      "In", "Im", "Am", "Auf", "Mit", "Nach", "Wie", "Was", "Wer", "Wo", "Warum",
    ],
    prepositions: ["Am", "Um", "Ab", "Bis", "Seit", "Vor", "Nach"],
    pronounI: false,
    lowercaseContinuesAfterQuestion: false
  )

  /// For languages without their own data: the Latin abbreviations and the structural rules only.
  static let generic = SentenceRules(
    titles: ["Dr", "Prof"],
    numberPrefixes: commonNumberPrefixes,
    abbreviations: commonAbbreviations,
    nonFinalAbbreviations: commonNonFinal,
    sentenceStarters: [],
    prepositions: [],
    pronounI: false,
    lowercaseContinuesAfterQuestion: false
  )
}
