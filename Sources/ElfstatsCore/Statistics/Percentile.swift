/// The percentile rule of the original elfstatsd, computed exactly in integers.
///
/// For sorted values v[0..n-1] and p in 0...100: k = (n-1)·p/100; a whole k gives v[k], otherwise
/// the two neighbours are blended, v[⌊k⌋]·(⌈k⌉-k) + v[⌈k⌉]·(k-⌊k⌋), rounded half away from zero.
public enum Percentile {
    /// The p-th percentile of `count` sorted values; `value(at:)` returns the i-th smallest.
    /// Nil when there are no values.
    public static func of(_ p: Int, count: Int, value: (Int) -> Int) -> Int? {
        guard count > 0 else { return nil }
        let scaled = (count - 1) * p          // k = scaled / 100; p <= 100, count < 2^56
        let lower = scaled / 100
        let fraction = scaled % 100           // (k - ⌊k⌋) · 100
        if fraction == 0 { return value(lower) }
        // In 128 bits: two values near Int.max blended would overflow 64.
        let blended = Int128(value(lower)) * Int128(100 - fraction) + Int128(value(lower + 1)) * Int128(fraction)
        return Int((blended + 50) / 100)      // values are non-negative: halves go up
    }

    /// Several percentiles of already sorted values (for tests and small inputs).
    public static func of(_ p: Int, sorted values: [Int]) -> Int? {
        of(p, count: values.count) { values[$0] }
    }
}
