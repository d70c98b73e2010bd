import TextSegmentation

/// A translation unit as the fuzzy matcher sees it: the store maps its units to these.
public struct FuzzyEntry: Sendable, Hashable {
  /// The unit's id in the store.
  public var id: Int64
  public var source: String
  public var target: String
  public var sourceLanguage: Language
  public var targetLanguage: Language
  /// The symbol of the document the unit comes from (`A/RES/75/15`), if known.
  public var document: String?
  /// The paragraph of that document (`12`, `d4`), if known.
  public var paragraph: String?

  public init(
    id: Int64, source: String, target: String, sourceLanguage: Language,
    targetLanguage: Language, document: String? = nil, paragraph: String? = nil
  ) {
    self.id = id
    self.source = source
    self.target = target
    self.sourceLanguage = sourceLanguage
    self.targetLanguage = targetLanguage
    self.document = document
    self.paragraph = paragraph
  }

  /// The same unit read the other way (French → English for an English → French unit).
  public var reversed: FuzzyEntry {
    FuzzyEntry(
      id: id, source: target, target: source, sourceLanguage: targetLanguage,
      targetLanguage: sourceLanguage, document: document, paragraph: paragraph)
  }
}
