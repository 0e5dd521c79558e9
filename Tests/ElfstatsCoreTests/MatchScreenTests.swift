import Testing
import CPCRE2
@testable import ElfstatsCore

/// The screen before `pcre2_jit_match` (`MatchScreen`) skips only calls that cannot match: every
/// regex answers exactly as PCRE2 alone does, and the screen does reject what it should.
@Suite("Match screen")
struct MatchScreenTests {
    static let patterns = [
        #"^/content/(?P<method>[\w.-]+)"#, #"\.php$"#, #"/api/v\d+/"#, #"(?i)^ABC"#, #"(?i)xyz"#, #"(a|b)c"#,
        #"(*NO_START_OPT)(*COMMIT)abc"#, #"(?m)^x"#, #"^$"#, #""#, #"a?"#, #"=\d{3}"#, #"[ab]+;"#, #"\x80\xff"#,
        #"^(?:/x|/y)/z"#, #"q(?=r)"#, #"(?<=s)t"#, #"^.{5}"#,
    ]
    static let subjects = [
        "", "/", "/content/a", "/CONTENT/a", "/index.php", "/index.PHP", "/api/v2/x", "/api/vx/", "abc", "AbC", "XYZ",
        "zzxyz", "bc", "ac", "c", "xabc", "a\nx", "x", "=123", "=12", "ab;", ";", "\u{80}", "/x/z", "/y/z", "/z/z",
        "qr", "q", "st", "t", "12345", "1234",
    ]

    /// What PCRE2 says without any screen or literal shortcut.
    static func pcre2Answer(_ pattern: String, _ subject: String) -> Bool {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(pattern.utf8)
        let code = bytes.withUnsafeBufferPointer { pcre2_compile_8($0.baseAddress, bytes.count, 0, &errorCode, &errorOffset, nil) }!
        defer { pcre2_code_free_8(code) }
        let data = pcre2_match_data_create_from_pattern_8(code, nil)
        defer { pcre2_match_data_free_8(data) }
        let text = Array(subject.utf8)
        return text.withUnsafeBufferPointer { pcre2_match_8(code, $0.baseAddress ?? UnsafePointer(bitPattern: 1)!, text.count, 0, 0, data, nil) } > 0
    }

    @Test(arguments: patterns)
    func answersAsPCRE2Does(pattern: String) throws {
        let regex = try PCRE2Regex(pattern)
        for subject in Self.subjects {
            #expect((regex.match(subject) == .matched) == Self.pcre2Answer(pattern, subject), "'\(pattern)' on '\(subject)'")
        }
    }

    @Test func readsWhatEveryMatchNeeds() throws {
        let php = try PCRE2Regex(#"\.php$"#).screen
        #expect(php.minimumLength == 4 && php.firstByte == Int32(UInt8(ascii: ".")) && !php.anchored)
        let api = try PCRE2Regex(#"/api/v\d+/"#).screen
        #expect(api.minimumLength == 8 && api.firstByte == Int32(UInt8(ascii: "/")) && api.requiredByte == Int32(UInt8(ascii: "/")))
        #expect(try PCRE2Regex(#"^/content/"#).screen.anchored)
        #expect(try PCRE2Regex(#"^/content/"#).screen.minimumLength == 9)
        // A caseless first byte is not used: PCRE2 does not say that it is caseless.
        #expect(try PCRE2Regex(#"(?i)xyz"#).screen.firstByte == -1)
        let noStart = try PCRE2Regex(#"(*NO_START_OPT)abc"#).screen
        #expect(noStart.minimumLength == 0 && noStart.firstByte == -1 && noStart.requiredByte == -1)
        let bytes = Array("/index-html/index.php".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            #expect(!php.mayMatch(buffer.baseAddress!, count: 11))   // no '.' in "/index-html"
            #expect(php.mayMatch(buffer.baseAddress!, count: buffer.count))
            #expect(!api.mayMatch(buffer.baseAddress!, count: 7))    // shorter than 8
        }
    }

    /// The literal prefix is compared a word at a time: a change in any byte of it, in subjects
    /// shorter and longer than 8 bytes, must give PCRE2's own answer.
    @Test func literalPrefixesAnswerAsPCRE2DoesForEveryChangedByte() throws {
        for pattern in [#"^/user/"#, #"^/content/search/"#, #"^/abcdefg"#, #"^/abcdefgh"#, #"^/x$"#, #"^/user/(?P<p>\d+)/"#, #"^a"#] {
            let regex = try PCRE2Regex(pattern)
            #expect(!regex.requiredPrefix.isEmpty, "\(pattern)")
            let base = Array(regex.requiredPrefix) + Array("123/x?y=1".utf8)
            for length in 0...base.count {
                for position in 0..<max(1, length) {
                    var subject = Array(base[..<length])
                    if position < length { subject[position] ^= 0x01 }
                    for candidate in [Array(base[..<length]), subject] {
                        let text = String(decoding: candidate, as: UTF8.self)
                        #expect((regex.match(text) == .matched) == Self.pcre2Answer(pattern, text), "'\(pattern)' on '\(text)'")
                    }
                }
            }
        }
    }
}
