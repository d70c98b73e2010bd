import Foundation

/// TMX dates: `YYYYMMDDThhmmssZ`, always UTC.
enum TMXDate {
  static func format(_ date: Date) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(16)
    append(seconds: Int64(date.timeIntervalSince1970.rounded(.down)), to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the date `seconds` after 1970 (UTC) as `YYYYMMDDThhmmssZ`.
  static func append(seconds: Int64, to bytes: inout [UInt8]) {
    var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    // Howard Hinnant's civil_from_days.
    days += 719_468
    let era = (days >= 0 ? days : days - 146_096) / 146_097
    let dayOfEra = days - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    func digits(_ value: Int64, _ width: Int) {
      var divisor: Int64 = 1
      for _ in 1..<width { divisor *= 10 }
      var value = value
      if value < 0 || value >= divisor * 10 {
        // A year outside 0...9999: all its digits.
        for byte in String(value).utf8 { bytes.append(byte) }
        return
      }
      while divisor > 0 {
        bytes.append(UInt8(48 + value / divisor))
        value %= divisor
        divisor /= 10
      }
    }
    digits(year, 4)
    digits(month, 2)
    digits(day, 2)
    bytes.append(UInt8(ascii: "T"))
    digits(secondOfDay / 3600, 2)
    digits(secondOfDay / 60 % 60, 2)
    digits(secondOfDay % 60, 2)
    bytes.append(UInt8(ascii: "Z"))
  }

  /// Parses the date forms tools really write: TMX's `YYYYMMDDThhmmssZ`, the same without `Z`,
  /// ISO 8601's `YYYY-MM-DDThh:mm:ss` (with or without `Z`, fractions of a second, or an offset
  /// such as `+02:00`), or a day alone (`YYYYMMDD`, `YYYY-MM-DD`). A date without a zone is read
  /// as UTC. `standard` is false for every form but TMX's own.
  static func parseLenient(_ text: String) -> (date: Date, standard: Bool)? {
    if let date = parse(text) { return (date, true) }
    var scalars = Array(text.trimmingCharacters(in: .whitespaces).utf8)
    var offset: Int64 = 0
    // A zone at the end: Z, +hh:mm, +hhmm, -hh.
    if scalars.last == UInt8(ascii: "Z") || scalars.last == UInt8(ascii: "z") {
      scalars.removeLast()
    } else if let sign = scalars.lastIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }),
      sign > 10
    {
      let zone = scalars[(sign + 1)...].filter { $0 != UInt8(ascii: ":") }
      guard zone.count == 2 || zone.count == 4, zone.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
      let digits = zone.map { Int64($0 - 48) }
      let minutes = (digits[0] * 10 + digits[1]) * 60 + (zone.count == 4 ? digits[2] * 10 + digits[3] : 0)
      offset = (scalars[sign] == UInt8(ascii: "+") ? 1 : -1) * minutes * 60
      scalars.removeSubrange(sign...)
    }
    // Fractions of a second are dropped: the store keeps whole seconds.
    if let dot = scalars.firstIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }) {
      guard scalars[(dot + 1)...].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
      scalars.removeSubrange(dot...)
    }
    let compact = scalars.filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ":") }
    let basic: [UInt8]
    if compact.count == 8 {
      basic = compact + Array("T000000Z".utf8)
    } else if compact.count == 15, compact[8] == UInt8(ascii: "T") || compact[8] == UInt8(ascii: " ") {
      basic = Array(compact[0..<8]) + [UInt8(ascii: "T")] + Array(compact[9...]) + [UInt8(ascii: "Z")]
    } else {
      return nil
    }
    guard let date = parse(String(decoding: basic, as: UTF8.self)) else { return nil }
    return (date.addingTimeInterval(TimeInterval(-offset)), false)
  }

  /// Parses `YYYYMMDDThhmmssZ`; nil when the text has another shape or impossible values.
  static func parse(_ text: String) -> Date? {
    let bytes = Array(text.utf8)
    guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else {
      return nil
    }
    func number(_ range: Range<Int>) -> Int64? {
      var value: Int64 = 0
      for byte in bytes[range] {
        guard byte >= 48, byte <= 57 else { return nil }
        value = value * 10 + Int64(byte - 48)
      }
      return value
    }
    guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
      let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    // days_from_civil.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second))
  }
}
