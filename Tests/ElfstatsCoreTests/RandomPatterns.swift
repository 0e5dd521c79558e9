import CPCRE2

/// Random regexes for the differential tests of the pattern readings (`QueryBlindness`,
/// `PathDepth`, `DigitBlindness`): each reading claims that PCRE2 answers alike on two subjects,
/// and these tests ask PCRE2 itself, without elfstatsd's screens or shortcuts.
enum RandomPatterns {
    /// `count` patterns of `^` and 1 to `mostPieces` random `pieces`; `body` gets each one PCRE2
    /// compiles, with its code (freed afterwards), and the generator for its subjects.
    static func forEachCompiled(_ count: Int, from pieces: [String], mostPieces: UInt64, generator: inout SplitMix,
                                _ body: (_ pattern: String, _ code: OpaquePointer, _ generator: inout SplitMix) -> Void) {
        for _ in 0..<count {
            var pattern = "^"
            for _ in 0..<Int(generator.next() % mostPieces + 1) { pattern += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let bytes = Array(pattern.utf8)
            var errorCode: Int32 = 0
            var errorOffset = 0
            guard let code = bytes.withUnsafeBufferPointer({ pcre2_compile_8($0.baseAddress, bytes.count, 0, &errorCode, &errorOffset, nil) }) else {
                continue
            }
            defer { pcre2_code_free_8(code) }
            body(pattern, code, &generator)
        }
    }

    /// A random subject of fewer than `longest` bytes from `alphabet`.
    static func subject(of alphabet: [UInt8], shorterThan longest: UInt64, generator: inout SplitMix) -> [UInt8] {
        (0..<Int(generator.next() % longest)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
    }

    /// PCRE2's own answer and every group's offsets (no screen, no literal shortcut).
    static func answer(_ code: OpaquePointer, _ subject: [UInt8]) -> [Int]? {
        let data = pcre2_match_data_create_from_pattern_8(code, nil)
        defer { pcre2_match_data_free_8(data) }
        let result = subject.withUnsafeBufferPointer {
            pcre2_match_8(code, $0.baseAddress ?? UnsafePointer(bitPattern: 1)!, subject.count, 0, 0, data, nil)
        }
        guard result > 0 else { return result == -1 ? nil : [Int(result)] }
        let pairs = Int(pcre2_get_ovector_count_8(data))
        let ovector = pcre2_get_ovector_pointer_8(data)!
        return (0..<(2 * pairs)).map { ovector[$0] }
    }
}

/// A small deterministic generator (SplitMix64), so a failure reproduces.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
