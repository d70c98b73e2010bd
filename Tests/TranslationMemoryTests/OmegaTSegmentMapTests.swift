import Testing

@testable import TranslationMemory

/// How the memory's units are cut and tagged as OmegaT's segments.
struct OmegaTSegmentMapTests {
  @Test func aUnitEqualToASegmentWithoutTagsTakesTheSegmentsText() {
    let map = OmegaTSegmentMap(segments: ["Welcoming the partici<t0/>pation of the Association,"])
    let entries = map.entries(
      source: "Welcoming the participation of the Association,", target: "Se félicitant de la participation,")
    #expect(entries.map(\.source) == ["Welcoming the partici<t0/>pation of the Association,"])
    #expect(entries.map(\.target) == ["Se félicitant de la participation,"])
  }

  @Test func aParagraphNumberOmegaTSplitsOffIsCutOffTheTarget() {
    let map = OmegaTSegmentMap(segments: ["12.", "Encourages the United Nations to act;"])
    let entries = map.entries(
      source: "12. Encourages the United Nations to act;", target: "12. Encourage l'ONU à agir;")
    #expect(entries.map(\.target) == ["12.", "Encourage l'ONU à agir;"])
  }

  @Test func aSplitAfterAnAbbreviationCutsTheTargetAfterTheSameWord() {
    let map = OmegaTSegmentMap(segments: ["United Nations, Treaty Series, vol.", "1331, No. 22341."])
    let entries = map.entries(
      source: "¹ United Nations, Treaty Series, vol. 1331, No. 22341.",
      target: "¹ Nations Unies, Recueil des Traités, vol. 1331, n° 22341.")
    #expect(entries.map(\.target) == ["Nations Unies, Recueil des Traités, vol.", "1331, n° 22341."])
  }

  @Test func footnoteMarkersBecomeTheSegmentsReferenceTags() {
    let map = OmegaTSegmentMap(segments: ["Taking note of the report of the Secretary-General<t0/>,"])
    let entries = map.entries(
      source: "Taking note of the report of the Secretary-General⁶,",
      target: "Prenant acte du rapport du Secrétaire général⁶,")
    #expect(entries.map(\.target) == ["Prenant acte du rapport du Secrétaire général<t0/>,"])
  }

  @Test func onlyTheTagWhereTheSourceHadAMarkerGoesIntoTheTarget() {
    let map = OmegaTSegmentMap(segments: [
      "Wel<t0/>coming the report of the Secretary-General<t1/>, and<t2/> more"
    ])
    let entries = map.entries(
      source: "Welcoming the report of the Secretary-General⁶, and more",
      target: "Se félicitant du rapport du Secrétaire général⁶, et plus")
    #expect(entries.map(\.target) == ["Se félicitant du rapport du Secrétaire général<t1/>, et plus"])
    // A footnote's own number has no tag: it is left out.
    let footnote = OmegaTSegmentMap(segments: ["Resolution 70/1."])
    #expect(
      footnote.entries(source: "⁷ Resolution 70/1.", target: "⁷ Résolution 70/1.").map(\.target) == [
        "Résolution 70/1."
      ])
  }

  @Test func aUnitNoSegmentMakesGivesNothing() {
    let map = OmegaTSegmentMap(segments: ["General Assembly"])
    #expect(map.entries(source: "Security Council", target: "Conseil de sécurité").isEmpty)
    #expect(map.entries(source: "General Assembly resolution", target: "résolution").isEmpty)
  }
}
