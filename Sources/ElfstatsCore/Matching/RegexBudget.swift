import CPCRE2
import ElfstatsConfiguration

/// How much work one regex match may do, so that a request built to make a regex backtrack
/// (`^/x/(?P<method>(a+)+)$` against `/x/aaaa...ab`) costs a bounded time, and a long but
/// honest URL does not run out of JIT stack.
///
/// It owns a PCRE2 match context with the match limit (`regex_match_limit`: calls of PCRE2's
/// internal match function, which JIT-compiled code honours too) and the depth limit
/// (`regex_depth_limit`: backtracking depth, which only the interpreter uses), and a JIT stack
/// that grows from 32 KB up to `jitStackSize` as a match needs it. A match that reaches a limit
/// is *undecided*, never "no match" (see `PCRE2Regex.MatchResult`).
///
/// One budget serves the regexes of one analyzer; like them it is not thread-safe.
public final class RegexBudget {
    /// Default `regex_match_limit`; see `Configuration.regexMatchLimit` for how it was chosen.
    public static let defaultMatchLimit = Configuration.defaultRegexMatchLimit
    /// Default `regex_depth_limit`.
    public static let defaultDepthLimit = Configuration.defaultRegexDepthLimit
    /// The largest JIT stack. `^/(?P<method>(a|b)*)$` needs about 31 bytes of it per byte of
    /// request (measured with PCRE2 10.42 by bisecting the stack size: 88 KB for 3,000 bytes,
    /// where PCRE2's default of 32 KB fails; 1.5 MB for 48,000), so 8 MB covers such a regex over
    /// the default `max_line_length` of 64 KiB with room to spare, and over lines up to about
    /// 256 KiB. Pages are only taken as a match uses them.
    public static let jitStackSize = 8 << 20

    public let matchLimit: Int
    public let depthLimit: Int
    let context: OpaquePointer
    private let jitStack: OpaquePointer?

    public init(matchLimit: Int = RegexBudget.defaultMatchLimit, depthLimit: Int = RegexBudget.defaultDepthLimit) {
        self.matchLimit = matchLimit
        self.depthLimit = depthLimit
        context = pcre2_match_context_create_8(nil)
        pcre2_set_match_limit_8(context, UInt32(clamping: matchLimit))
        pcre2_set_depth_limit_8(context, UInt32(clamping: depthLimit))
        jitStack = pcre2_jit_stack_create_8(32 << 10, Self.jitStackSize, nil)
        if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        pcre2_match_context_free_8(context)
    }
}
