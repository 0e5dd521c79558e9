// How report values become sample values.

/// A report count; `U` or anything unreadable counts nothing.
func reportCount(_ value: String?) -> Int {
    value.flatMap { Int($0) }.map { max(0, $0) } ?? 0
}

/// Percentile 90 → `0.9`, 99 → `0.99`, 5 → `0.05`, 100 → `1`: written from the digits, so the
/// label is the shortest decimal (as Prometheus's own clients write quantiles).
func quantileLabel(_ percentile: Int) -> String {
    if percentile >= 100 { return "1" }
    if percentile == 0 { return "0" }
    let digits = percentile < 10 ? "0\(percentile)" : String(percentile)
    return "0." + (digits.hasSuffix("0") ? String(digits.dropLast()) : digits)
}
