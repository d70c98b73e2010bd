import Testing

@testable import ICUSupport

@Suite struct ICUErrorTests {
  @Test func errorsThrowWithICUsName() {
    // 1 is U_ILLEGAL_ARGUMENT_ERROR.
    #expect(throws: ICUError(operation: "ubrk_open(xx)", code: "U_ILLEGAL_ARGUMENT_ERROR")) {
      try ICUError.check(1, "ubrk_open(xx)")
    }
    let error = ICUError(operation: "ubrk_open(xx)", code: "U_ILLEGAL_ARGUMENT_ERROR")
    #expect(error.description == "ICU ubrk_open(xx) failed: U_ILLEGAL_ARGUMENT_ERROR")
  }

  @Test func warningsAndSuccessPass() throws {
    try ICUError.check(0, "success")
    try ICUError.check(-128, "U_USING_FALLBACK_WARNING")
  }

  @Test func versionIsTheLinkedICU() {
    let parts = ICU.version.split(separator: ".").compactMap { Int($0) }
    #expect(parts.count == 2)
    #expect((parts.first ?? 0) >= 60)
  }
}
