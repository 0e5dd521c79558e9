extension StatusCounts {
    /// Adds the hits of `other`. The order of the codes inside is only a search order (the
    /// report lists codes in numeric order), so adding is exact whatever the order of the lines.
    mutating func add(_ other: StatusCounts) {
        for (code, times) in other.entries { add(code, times: times) }
    }
}
