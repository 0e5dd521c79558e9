import Testing
@testable import ElfstatsCore

@Suite("Decimal text of report values")
struct DecimalTextTests {
    @Test func agreesWithStringOfTheValue() {
        var values = [0, 1, 9, 10, 99, 100, 999_999_999_999_999, 1_000_000_000_000_000, -1, -10, Int.max, Int.min, Int.min + 1]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 { values.append(Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0...63)) }
        for value in values { #expect(DecimalText.of(value) == String(value), "\(value)") }
    }
}
