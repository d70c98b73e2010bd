/// Packs inline codes into a compact blob for the `variant.codes` column, and back.
///
/// Each code: kind (1 byte), position, pair id + 1 (0 = none), match id + 1, then type and
/// isolated position (length + 1 and UTF-8, 0 = none), then content (length and UTF-8), then, when
/// the kind byte has its high bit set (schema 6 on), the `<ph>`'s `assoc` (length and UTF-8).
/// Numbers are LEB128 varints.
enum InlineCodeCoding {
  private static let kinds = InlineCode.Kind.allCases

  static func encode(_ codes: [InlineCode]) -> [UInt8]? {
    guard !codes.isEmpty else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(codes.count * 16)
    for code in codes {
      bytes.append(UInt8(kinds.firstIndex(of: code.kind) ?? 0) | (code.association == nil ? 0 : 0x80))
      appendVarint(UInt64(max(code.position, 0)), to: &bytes)
      appendVarint(code.pairID.map { UInt64(max($0, 0)) + 1 } ?? 0, to: &bytes)
      appendVarint(code.matchID.map { UInt64(max($0, 0)) + 1 } ?? 0, to: &bytes)
      appendOptionalString(code.type, to: &bytes)
      appendOptionalString(code.isolatedPosition?.rawValue, to: &bytes)
      appendVarint(UInt64(code.content.utf8.count), to: &bytes)
      bytes.append(contentsOf: code.content.utf8)
      if let association = code.association {
        appendVarint(UInt64(association.utf8.count), to: &bytes)
        bytes.append(contentsOf: association.utf8)
      }
    }
    return bytes
  }

  /// Decodes codes; returns what it could read if the blob is damaged.
  static func decode(_ bytes: [UInt8]) -> [InlineCode] {
    var codes: [InlineCode] = []
    var index = 0
    while index < bytes.count {
      let kindIndex = Int(bytes[index] & 0x7F)
      let hasAssociation = bytes[index] & 0x80 != 0
      index += 1
      guard kindIndex < kinds.count,
        let position = readVarint(bytes, &index),
        let pair = readVarint(bytes, &index),
        let match = readVarint(bytes, &index),
        let type = readOptionalString(bytes, &index),
        let isolated = readOptionalString(bytes, &index),
        let contentCount = readVarint(bytes, &index),
        let content = readString(bytes, &index, count: Int(contentCount))
      else { break }
      var association: String?
      if hasAssociation {
        guard let count = readVarint(bytes, &index), let value = readString(bytes, &index, count: Int(count))
        else { break }
        association = value
      }
      codes.append(
        InlineCode(
          kind: kinds[kindIndex], position: Int(position), pairID: pair == 0 ? nil : Int(pair - 1),
          matchID: match == 0 ? nil : Int(match - 1), type: type ?? nil,
          isolatedPosition: (isolated ?? nil).flatMap(InlineCode.IsolatedPosition.init(rawValue:)),
          content: content, association: association))
    }
    return codes
  }

  private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
    var value = value
    while value >= 0x80 {
      bytes.append(UInt8(value & 0x7F) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
  }

  private static func appendOptionalString(_ string: String?, to bytes: inout [UInt8]) {
    guard let string else {
      bytes.append(0)
      return
    }
    appendVarint(UInt64(string.utf8.count) + 1, to: &bytes)
    bytes.append(contentsOf: string.utf8)
  }

  private static func readVarint(_ bytes: [UInt8], _ index: inout Int) -> UInt64? {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while index < bytes.count, shift < 64 {
      let byte = bytes[index]
      index += 1
      result |= UInt64(byte & 0x7F) << shift
      if byte < 0x80 { return result }
      shift += 7
    }
    return nil
  }

  private static func readString(_ bytes: [UInt8], _ index: inout Int, count: Int) -> String? {
    guard count >= 0, index + count <= bytes.count else { return nil }
    defer { index += count }
    return String(decoding: bytes[index..<index + count], as: UTF8.self)
  }

  /// nil when damaged; .some(nil) when the string is absent.
  private static func readOptionalString(_ bytes: [UInt8], _ index: inout Int) -> String?? {
    guard let length = readVarint(bytes, &index) else { return nil }
    if length == 0 { return .some(nil) }
    guard let string = readString(bytes, &index, count: Int(length - 1)) else { return nil }
    return .some(string)
  }
}
