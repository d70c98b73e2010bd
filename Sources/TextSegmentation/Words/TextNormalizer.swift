import ICUSupport

/// The two forms of text aligntm works with: a display form and a matching key.
///
/// The display form is NFC with apostrophes and quotation marks unified; the matching key also
/// folds case and accents, so `L’ÉTAT` and `l'état` share the key `l'etat`.
public enum TextNormalizer {
  /// NFC, with typographic apostrophes written `'`, curly double quotes `"`, and no-break spaces
  /// and non-breaking hyphens written as plain ones (the table is `DisplayForm`). Guillemets
  /// (`«` `»`) are kept: they are French typography, not a variant.
  public static func displayForm(_ text: String) -> String {
    if text.utf16.allSatisfy({ $0 < 0x80 && DisplayForm.replacement(for: UInt32($0)) == nil }) {
      return text
    }
    let nfc = (try? Normalizer.normalize(text, to: .nfc)) ?? text
    var units: [UInt16] = []
    units.reserveCapacity(nfc.utf16.count)
    for unit in nfc.utf16 {
      units.append(DisplayForm.replacement(for: UInt32(unit)).map(UInt16.init) ?? unit)
    }
    return units.withUnsafeBufferPointer { CodeUnit.string($0) }
  }

  /// The matching key: the display form, case-folded, with accents removed and guillemets
  /// written `"`.
  ///
  /// `Œ`/`œ` become `oe` and `ß` becomes `ss`, as case folding and compatibility mapping give.
  /// - Complexity: O(*n*); Latin text takes a table look-up per character, without ICU.
  public static func matchKey(_ text: String) -> String {
    var key: [UInt16] = []
    key.reserveCapacity(text.utf16.count)
    let table = FoldTable.shared
    for unit in text.utf16 {
      // Latin text folds through the table; anything else goes to ICU.
      guard let folded = table.fold(unit, into: &key), folded else { return slowMatchKey(text) }
    }
    return key.withUnsafeBufferPointer { CodeUnit.string($0) }
  }

  /// ``matchKey(_:)`` for a slice of UTF-16 code units.
  static func matchKey(_ units: ArraySlice<UInt16>) -> String {
    var key: [UInt16] = []
    key.reserveCapacity(units.count)
    let table = FoldTable.shared
    for unit in units {
      guard let folded = table.fold(unit, into: &key), folded else {
        return slowMatchKey(CodeUnit.string(units))
      }
    }
    return key.withUnsafeBufferPointer { CodeUnit.string($0) }
  }

  /// The matching key through ICU: NFC, case folding, NFD, marks removed.
  static func slowMatchKey(_ text: String) -> String {
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
      case 0x0153:
        scalars.append("o")
        scalars.append("e")  // œ
      case 0x00E6:
        scalars.append("a")
        scalars.append("e")  // æ
      case 0x00F8: scalars.append("o")  // ø
      case 0x0142: scalars.append("l")  // ł
      case 0x0111: scalars.append("d")  // đ
      case 0x00AB, 0x00BB: scalars.append("\"")  // « »
      default: scalars.append(scalar)
      }
    }
    return String(scalars)
  }
}

/// The matching key of each code unit below U+0250 (Latin, with its accents), computed once
/// through ICU, so that keys of Latin text need no ICU call.
private struct FoldTable: Sendable {
  struct Entry: Sendable {
    var first: UInt16
    var second: UInt16
  }
  static let unmapped: UInt16 = 0xFFFF
  static let shared = FoldTable()

  let limit = 0x250
  let entries: [Entry]

  /// Appends the key of one code unit; `nil` when the unit needs ICU.
  @inline(__always)
  func fold(_ unit: UInt16, into key: inout [UInt16]) -> Bool? {
    guard Int(unit) < limit else { return nil }
    let entry = entries[Int(unit)]
    if entry.first == FoldTable.unmapped { return nil }
    if entry.first != 0 { key.append(entry.first) }
    if entry.second != 0 { key.append(entry.second) }
    return true
  }

  private init() {
    var entries: [Entry] = []
    entries.reserveCapacity(limit)
    for value in 0..<limit {
      guard value > 0, let scalar = Unicode.Scalar(value) else {
        entries.append(Entry(first: 0, second: 0))
        continue
      }
      let key = Array(TextNormalizer.slowMatchKey(String(Character(scalar))).utf16)
      switch key.count {
      case 1: entries.append(Entry(first: key[0], second: 0))
      case 2: entries.append(Entry(first: key[0], second: key[1]))
      default: entries.append(Entry(first: FoldTable.unmapped, second: 0))
      }
    }
    self.entries = entries
  }
}
