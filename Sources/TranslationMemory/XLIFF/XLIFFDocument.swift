import Foundation
import TextSegmentation

/// An XLIFF 1.2 bilingual file as aligntm writes it: one `<file>` whose body holds one `<group>`
/// per paragraph and one `<trans-unit>` per sentence.
public struct XLIFFDocument: Sendable, Hashable {
  /// The `<file original="…">`: the document translated.
  public var original: String
  public var sourceLanguage: Language
  public var targetLanguage: Language
  /// The document symbol (`A/RES/75/15`), written as `aligntm:document` on `<file>`.
  public var symbol: String?
  public var groups: [Group]

  public init(
    original: String, sourceLanguage: Language, targetLanguage: Language, symbol: String? = nil,
    groups: [Group] = []
  ) {
    self.original = original
    self.sourceLanguage = sourceLanguage
    self.targetLanguage = targetLanguage
    self.symbol = symbol
    self.groups = groups
  }

  /// A paragraph: `<group id="…" resname="…">`.
  public struct Group: Sendable, Hashable {
    public var id: String
    /// The paragraph number (`12`, `(a)`), written as `resname`.
    public var name: String?
    public var units: [Unit]

    public init(id: String, name: String? = nil, units: [Unit] = []) {
      self.id = id
      self.name = name
      self.units = units
    }
  }

  /// A sentence: `<trans-unit>`.
  public struct Unit: Sendable, Hashable {
    public var id: String
    public var source: Variant
    public var target: Target?
    /// `approved="yes"`.
    public var approved: Bool
    public var alternatives: [Alternative]
    /// `<note from="aligntm">`s.
    public var notes: [String]

    public init(
      id: String, source: Variant, target: Target? = nil, approved: Bool = false,
      alternatives: [Alternative] = [], notes: [String] = []
    ) {
      self.id = id
      self.source = source
      self.target = target
      self.approved = approved
      self.alternatives = alternatives
      self.notes = notes
    }
  }

  /// A `<target>` with its `state` and `state-qualifier`.
  public struct Target: Sendable, Hashable {
    public var variant: Variant
    /// `state`: one of ``XLIFFDocument/states``; nil leaves it out.
    public var state: String?
    /// `state-qualifier`, such as `exact-match`, `fuzzy-match` or `leveraged-tm`.
    public var stateQualifier: String?

    public init(variant: Variant, state: String? = nil, stateQualifier: String? = nil) {
      self.variant = variant
      self.state = state
      self.stateQualifier = stateQualifier
    }
  }

  /// A match offered beside the target: `<alt-trans match-quality="…" origin="…">`.
  public struct Alternative: Sendable, Hashable {
    public var source: Variant
    public var target: Variant
    /// The match percentage, 0 to 100.
    public var matchQuality: Double
    /// Where the match comes from: the document symbol of the stored unit.
    public var origin: String?

    public init(source: Variant, target: Variant, matchQuality: Double, origin: String? = nil) {
      self.source = source
      self.target = target
      self.matchQuality = matchQuality
      self.origin = origin
    }
  }

  /// The values XLIFF 1.2 allows for `state`.
  public static let states: Set<String> = [
    "final", "needs-adaptation", "needs-l10n", "needs-review-adaptation", "needs-review-l10n",
    "needs-review-translation", "needs-translation", "new", "signed-off", "translated",
  ]

  /// The `state` values that mean a translator confirmed the target: `translated`, `final` and
  /// `signed-off`. A target in another state is confirmed only by `approved="yes"`.
  public static let confirmedStates: Set<String> = ["translated", "final", "signed-off"]
}
