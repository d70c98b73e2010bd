import Foundation
import ICUSupport

/// The two forms of text aligntm works with: a display form and a matching key.
///
/// The display form is NFC with apostrophes and quotes unified; the matching key also folds
/// case and accents, so `L’ÉTAT` and `l'état` share the key `l'etat`.
public enum TextNormalizer {
  /// NFC, with typographic apostrophes (`’`, `ʼ`, `‘`) written `'` and dashes/spaces unified.
  public static func displayForm(_ text: String) -> String {
    let nfc = (try? Normalizer.normalize(text, to: .nfc)) ?? text
    var scalars = String.UnicodeScalarView()
    scalars.reserveCapacity(nfc.unicodeScalars.count)
    for scalar in nfc.unicodeScalars {
      switch scalar.value {
      case 0x2019, 0x2018, 0x02BC, 0x2032, 0x0060, 0x00B4: scalars.append("'")
      case 0x00A0, 0x202F, 0x2007, 0x2009: scalars.append(" ")
      case 0x2010, 0x2011: scalars.append("-")
      default: scalars.append(scalar)
      }
    }
    return String(scalars)
  }

  /// The matching key: the display form, case-folded and with accents removed.
  ///
  /// `Œ`/`œ` become `oe` and `ß` becomes `ss`, as case folding and compatibility mapping give.
  public static func matchKey(_ text: String) -> String {
    let display = displayForm(text)
    let folded = (try? Normalizer.foldCase(display)) ?? display.lowercased()
    let decomposed = (try? Normalizer.normalize(folded, to: .nfd)) ?? folded
    var scalars = String.UnicodeScalarView()
    scalars.reserveCapacity(decomposed.unicodeScalars.count)
    for scalar in decomposed.unicodeScalars {
      switch scalar.properties.generalCategory {
      case .nonspacingMark, .enclosingMark, .spacingMark: continue
      default: break
      }
      switch scalar.value {
      case 0x0153: scalars.append("o"); scalars.append("e")  // œ
      case 0x00E6: scalars.append("a"); scalars.append("e")  // æ
      case 0x00F8: scalars.append("o")  // ø
      case 0x0142: scalars.append("l")  // ł
      default: scalars.append(scalar)
      }
    }
    return String(scalars)
  }
}
