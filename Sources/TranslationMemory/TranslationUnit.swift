import Foundation
import TextSegmentation

/// A translation unit: the same text in several languages, with where it came from.
///
/// It mirrors TMX's `<tu>`: one ``Variant`` per language (`<tuv>`), properties (`<prop>`), notes
/// (`<note>`), creation and change dates and ids, and a usage count.
public struct TranslationUnit: Sendable, Hashable {
  /// The row id in the store; nil for a unit not stored yet.
  public var id: Int64?
  /// The TMX `tuid`, when the unit came from a TMX file that had one.
  public var tuid: String?
  /// The language the unit was translated from.
  public var sourceLanguage: Language
  /// The variants in the order they came (a TMX file's order). Two variants in one language are
  /// alternative translations.
  public var variants: [Variant]
  /// Properties in order, such as `x-document` = `A/67/280`. A type may repeat.
  public var properties: [Property]
  /// Free-text notes.
  public var notes: [String]
  /// When the unit was created (whole seconds).
  public var creationDate: Date
  /// Who created the unit.
  public var creationID: String?
  /// When the unit last changed (whole seconds), if it did.
  public var changeDate: Date?
  /// Who changed the unit last.
  public var changeID: String?
  /// How many times the unit was added or used.
  public var usageCount: Int
  /// TMX `lastusagedate`, when the file had one.
  public var lastUsageDate: Date?
  /// TMX `segtype` of the unit (`sentence`, `paragraph`, `block`, `phrase`), when it has its own.
  public var segmentType: String?
  /// TMX `datatype` of the unit, when it has its own.
  public var dataType: String?
  /// TMX `creationtool` of the unit, when it has its own.
  public var creationTool: String?
  /// TMX `creationtoolversion` of the unit, when it has its own.
  public var creationToolVersion: String?

  /// Makes a unit. Dates are truncated to whole seconds, as TMX writes them.
  public init(
    id: Int64? = nil, tuid: String? = nil, sourceLanguage: Language, variants: [Variant],
    properties: [Property] = [], notes: [String] = [], creationDate: Date = Date(),
    creationID: String? = nil, changeDate: Date? = nil, changeID: String? = nil, usageCount: Int = 1,
    lastUsageDate: Date? = nil, segmentType: String? = nil, dataType: String? = nil,
    creationTool: String? = nil, creationToolVersion: String? = nil
  ) {
    self.id = id
    self.tuid = tuid
    self.sourceLanguage = sourceLanguage
    self.variants = variants
    self.properties = properties
    self.notes = notes
    self.creationDate = creationDate._wholeSeconds
    self.creationID = creationID
    self.changeDate = changeDate?._wholeSeconds
    self.changeID = changeID
    self.usageCount = usageCount
    self.lastUsageDate = lastUsageDate?._wholeSeconds
    self.segmentType = segmentType
    self.dataType = dataType
    self.creationTool = creationTool
    self.creationToolVersion = creationToolVersion
  }

  /// A unit from one aligned pair, with its provenance as properties.
  ///
  /// - Parameters:
  ///   - source: The source sentence (for the UN corpus, usually English).
  ///   - target: Its translation.
  ///   - document: The document symbol, such as `A/67/280`.
  ///   - paragraph: The paragraph number or id.
  ///   - score: The alignment score, 0 to 1.
  ///   - sourceFile: The source document's file.
  ///   - targetFile: The target document's file.
  ///   - tool: The tool and version that aligned the pair: aligntm itself unless told.
  ///   - date: When the pair was aligned.
  public static func aligned(
    source: Variant, target: Variant, document: String? = nil, paragraph: String? = nil,
    score: Double? = nil, sourceFile: String? = nil, targetFile: String? = nil,
    tool: String? = TranslationMemory.tool, date: Date = Date()
  ) -> TranslationUnit {
    var properties: [Property] = []
    if let document { properties.append(Property(.document, document)) }
    if let paragraph { properties.append(Property(.paragraph, paragraph)) }
    if let score { properties.append(Property(.score, Property.format(score: score))) }
    if let sourceFile { properties.append(Property(.sourceFile, sourceFile)) }
    if let targetFile { properties.append(Property(.targetFile, targetFile)) }
    if let tool { properties.append(Property(.tool, tool)) }
    return TranslationUnit(
      sourceLanguage: source.language, variants: [source, target], properties: properties,
      creationDate: date)
  }

  /// The variant that best answers a language, if any, matched as CAT tools match tags: the
  /// same tag first, then the primary language alone, then another region of it. `unit[.french]`
  /// finds a `fr-FR` variant written by Trados or memoQ; `unit[Language("fr-CA")]` takes `fr-CA`
  /// over `fr-FR` when the unit has both.
  public subscript(language: Language) -> Variant? {
    var best: Variant?
    var bestRank = Int.max
    for variant in variants {
      guard let rank = language.closeness(of: variant.language), rank < bestRank else { continue }
      if rank == 0 { return variant }
      best = variant
      bestRank = rank
    }
    return best
  }

  /// The value of the first property of a type, if any.
  public func property(_ type: Property.Name) -> String? {
    properties.first { $0.type == type.rawValue }?.value
  }

  /// The document symbol (`x-document`), if any.
  public var document: String? { property(.document) }
}

/// The text of a unit in one language (TMX `<tuv>`), with the inline codes kept from its markup
/// and who wrote it when (OmegaT, Heartsome, Déjà Vu and Swordfish keep the translator here).
public struct Variant: Sendable, Hashable {
  public var language: Language
  /// The plain text, without codes.
  public var text: String
  /// Inline codes in order; each stands at a UTF-16 offset of ``text``.
  public var codes: [InlineCode]
  /// The `<tuv>`'s `creationdate` (whole seconds).
  public var creationDate: Date?
  /// The `<tuv>`'s `creationid`.
  public var creationID: String?
  /// The `<tuv>`'s `changedate` (whole seconds).
  public var changeDate: Date?
  /// The `<tuv>`'s `changeid`.
  public var changeID: String?
  /// The `<tuv>`'s `<prop>`s, in order.
  public var properties: [Property]
  /// The `<tuv>`'s `<note>`s, in order.
  public var notes: [String]

  public init(
    language: Language, text: String, codes: [InlineCode] = [], creationDate: Date? = nil,
    creationID: String? = nil, changeDate: Date? = nil, changeID: String? = nil,
    properties: [Property] = [], notes: [String] = []
  ) {
    self.language = language
    self.text = text
    self.codes = codes
    self.creationDate = creationDate?._wholeSeconds
    self.creationID = creationID
    self.changeDate = changeDate?._wholeSeconds
    self.changeID = changeID
    self.properties = properties
    self.notes = notes
  }

  /// Whether the variant carries any of the `<tuv>`'s own metadata.
  var hasMetadata: Bool {
    creationDate != nil || creationID != nil || changeDate != nil || changeID != nil
      || !properties.isEmpty || !notes.isEmpty
  }
}

/// A piece of markup inside a segment (TMX `<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>`, or the two ends
/// of a `<hi>`), standing at a position of the variant's text.
public struct InlineCode: Sendable, Hashable {
  /// Which TMX element the code is.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// `<bpt>`: the start of a paired code, such as `<i>`.
    case begin = "bpt"
    /// `<ept>`: the end of a paired code, such as `</i>`.
    case end = "ept"
    /// `<ph>`: a standalone code, such as a footnote marker.
    case placeholder = "ph"
    /// `<it>`: a code whose other half is outside the segment.
    case isolated = "it"
    /// `<ut>`: an unknown code (deprecated in TMX 1.4).
    case unknown = "ut"
    /// Where a `<hi>` starts; its text is the variant's text up to the matching ``highlightEnd``.
    case highlightStart = "hi"
    /// Where a `<hi>` ends.
    case highlightEnd = "/hi"
  }

  /// For `<it>`: whether it opens or closes.
  public enum IsolatedPosition: String, Sendable, Hashable {
    case begin, end
  }

  public var kind: Kind
  /// The UTF-16 offset in the variant's text where the code stands.
  public var position: Int
  /// The `i` attribute that pairs a `<bpt>` with its `<ept>`.
  public var pairID: Int?
  /// The `x` attribute that matches codes across variants.
  public var matchID: Int?
  /// The `type` attribute, such as `bold`, `italic`, `link`.
  public var type: String?
  /// For `<it>`: `begin` or `end`.
  public var isolatedPosition: IsolatedPosition?
  /// The original markup, such as `<i>` or `**` (empty for the ends of a `<hi>`).
  public var content: String
  /// For `<ph>`: the `assoc` attribute (`p`, `f` or `b`).
  public var association: String?

  public init(
    kind: Kind, position: Int, pairID: Int? = nil, matchID: Int? = nil, type: String? = nil,
    isolatedPosition: IsolatedPosition? = nil, content: String = "", association: String? = nil
  ) {
    self.kind = kind
    self.position = position
    self.pairID = pairID
    self.matchID = matchID
    self.type = type
    self.isolatedPosition = isolatedPosition
    self.content = content
    self.association = association
  }
}

/// A TMX `<prop type="…">value</prop>`.
public struct Property: Sendable, Hashable {
  /// The property types aligntm writes.
  public enum Name: String, Sendable, CaseIterable {
    /// The document symbol, such as `A/67/280`.
    case document = "x-document"
    /// The paragraph number or id in the document.
    case paragraph = "x-paragraph"
    /// The alignment score, 0 to 1.
    case score = "x-score"
    /// The source document's file.
    case sourceFile = "x-source-file"
    /// The target document's file.
    case targetFile = "x-target-file"
    /// The tool that made the unit.
    case tool = "x-tool"
  }

  public var type: String
  public var value: String

  public init(type: String, value: String) {
    self.type = type
    self.value = value
  }

  public init(_ name: Name, _ value: String) {
    self.init(type: name.rawValue, value: value)
  }

  /// A score as written in `x-score`: four decimals.
  public static func format(score: Double) -> String {
    String(format: "%.4f", score)
  }
}

extension Language {
  /// How closely a stored tag answers a lookup in this language: 0 for the same tag, 1 for the
  /// primary language alone (`fr` for `fr-CA`), 2 for its main region (`fr-FR`, `de-DE`: the
  /// region spelt as the language), 3 for another region (`fr-BE`); nil for another language.
  /// With ``LanguageSelection``, the one place where the store matches languages.
  func closeness(of stored: Language) -> Int? {
    if stored == self { return 0 }
    // On the UTF-8 views, without making strings: this runs once per variant read. A code holds
    // no `_` (it is read as `-`), so the primary language ends at the first `-`.
    let hyphen = UInt8(ascii: "-")
    let tag = stored.rawValue.utf8
    let base = tag.prefix { $0 != hyphen }
    guard base.elementsEqual(rawValue.utf8.prefix { $0 != hyphen }) else { return nil }
    if base.count == tag.count { return 1 }
    return tag.dropFirst(base.count + 1).prefix { $0 != hyphen }.elementsEqual(base) ? 2 : 3
  }
}

/// The stored variants that answer a set of languages: those in one of their primary languages
/// (``Language/closeness(of:)`` not nil), so that a lookup in `en` and `fr` reads the `en-US` and
/// `fr-FR` variants of a Trados or memoQ memory too.
struct LanguageSelection {
  let languages: Set<Language>
  private let baseCodes: Set<String>

  init(_ languages: Set<Language>) {
    self.languages = languages
    baseCodes = Set(languages.map(\.baseCode))
  }

  /// Whether a variant in `stored` answers one of the languages.
  func admits(_ stored: Language) -> Bool {
    languages.contains(stored) || baseCodes.contains(stored.baseCode)
  }
}

extension Date {
  var _wholeSeconds: Date {
    Date(timeIntervalSince1970: (timeIntervalSince1970).rounded(.down))
  }
}

extension Variant {
  /// True when the variant holds nothing: no inline code and a text empty or of white space only.
  public var isBlank: Bool { codes.isEmpty && text.allSatisfy(\.isWhitespace) }
}
