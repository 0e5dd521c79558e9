// libFuzzer target: the bytes of a report file -> every plugin's `config` and `fetch` output.
//
// Input: byte 0 picks plugin settings (bit by bit, below), the rest is the report, read as the
// plugin reads a file. Properties: no crash, and every line of the output is one Munin reads:
//   multigraph NAME | graph_ATTRIBUTE TEXT | FIELD.ATTRIBUTE VALUE
// with NAME and FIELD made of [A-Za-z0-9_], not starting with a digit, each graph's fields
// distinct, no control characters, and values (`.value`, `.min`) `U` or a decimal number.
@testable import ElfstatsCore
@testable import ElfstatsMunin

private let configurationPath = "/etc/elfstatsd/elfstatsd.conf"
private let reportPath = "/var/lib/elfstatsd/web.data"
private let now: Int64 = 1_764_057_600
private let configuration: Configuration = {
    let text = """
        interval = 300
        [[data_files]]
        name = 'web'
        log = '/var/log/httpd/access_log'
        report = '\(reportPath)'
        """
    do { return try ConfigurationLoader.parse(text: text, path: configurationPath) } catch { fatalError("\(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func muninTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let settings = data[0]
    let report = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    var environment: [String: String] = [:]
    if settings & 1 != 0 { environment["MUNIN_CAP_DIRTYCONFIG"] = "1" }
    if settings & 2 != 0 { environment["important_codes"] = "404, 500,rc503" }
    if settings & 4 != 0 { environment["small_groups"] = "small,api" }
    if settings & 8 != 0 { environment["instance_label_format"] = "prefix"; environment["instance_label"] = "Web\nserver" }
    if settings & 16 != 0 { environment["exclude_graphs"] = "elfstats_calls,elfstats_percentiles_web" }
    let stale = settings & 32 != 0
    let remembered = settings & 64 != 0
    let instance: String? = settings & 128 != 0 ? nil : "web"
    if instance == nil { environment["instance_name"] = "web" }
    let host = PluginHost(
        environment: environment, now: now,
        loadConfiguration: { _ in .success(configuration) },
        readReport: { path in
            path == reportPath ? .present(text: report, modified: stale ? now - 3600 : now - 20) : .unreadable(reason: "No such file or directory")
        },
        // The last sound report the plugin remembers is this one too, so its reading is fuzzed as well.
        state: remembered ? PluginState(read: { _ in report }, write: { _, _ in }) : nil)
    for kind in PluginKind.allCases {
        let plugin = Plugin(name: PluginName(kind: kind, instance: instance), host: host)
        for command in ["config", "fetch"] {
            let output = plugin.run(command)
            require(output.exitStatus == 0, "\(kind) \(command) exits with \(output.exitStatus)")
            if let problem = MuninGrammar.problem(in: output.standardOutput, fetch: command == "fetch") {
                require(false, "\(kind) \(command): \(problem)\n\(output.standardOutput)")
            }
        }
    }
    return 0
}

/// The lines Munin (munin-node, the master, rrdtool) takes from a multigraph plugin.
enum MuninGrammar {
    static let attributes: Set<Substring> = ["label", "info", "type", "draw", "colour", "min", "max", "value",
                                             "warning", "critical", "cdef", "negative", "graph", "line"]

    /// What is wrong with the output, or nil.
    static func problem(in output: String, fetch: Bool) -> String? {
        if output.isEmpty { return nil }
        guard output.hasSuffix("\n") else { return "the output does not end with a newline" }
        var graphs: Set<Substring> = []
        var fields: Set<Substring> = []
        var inGraph = false
        for line in output.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { return "an empty line" }
            if line.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "a control character in '\(line)'" }
            guard let space = line.firstIndex(of: " ") else { return "no value in '\(line)'" }
            let key = line[..<space], value = line[line.index(after: space)...]
            // Munin reads `KEY\s+VALUE`: more spaces before the value are fine, none after the key is not.
            guard !value.isEmpty else { return "an empty value in '\(line)'" }
            if key == "multigraph" {
                guard isName(value) else { return "the graph name '\(value)' is not one Munin takes" }
                guard graphs.insert(value).inserted else { return "the graph '\(value)' twice" }
                fields = []
                inGraph = true
                continue
            }
            guard inGraph else { return "'\(line)' before the first multigraph line" }
            if key.hasPrefix("graph_") {
                guard !fetch else { return "'\(line)' in fetch" }
                guard key.dropFirst(6).allSatisfy({ $0 >= "a" && $0 <= "z" || $0 == "_" }), key.count > 6 else { return "the attribute '\(key)'" }
                continue
            }
            guard let dot = key.firstIndex(of: "."), case let field = key[..<dot], case let attribute = key[key.index(after: dot)...],
                  isName(field), attributes.contains(attribute) else { return "'\(key)' is neither graph_* nor FIELD.ATTRIBUTE" }
            if fetch && attribute != "value" { return "'\(line)' in fetch" }
            switch attribute {
            case "label":
                guard fields.insert(field).inserted else { return "the field '\(field)' twice in one graph" }
            case "value", "min", "max":
                guard value == "U" || isNumber(value) else { return "the value '\(value)' of \(key) is neither U nor a number" }
                if fetch { guard fields.insert(field).inserted else { return "the field '\(field)' twice in one graph" } }
            case "type":
                guard ["GAUGE", "DERIVE", "COUNTER", "ABSOLUTE"].contains(value) else { return "the type '\(value)'" }
            case "colour":
                guard value.count == 6, value.allSatisfy(\.isHexDigit) else { return "the colour '\(value)'" }
            default:
                break
            }
        }
        return nil
    }

    /// Munin's names: ASCII letters, digits and `_`, not starting with a digit.
    static func isName(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, !(first >= "0" && first <= "9") else { return false }
        return text.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
    }

    /// A decimal number as rrdtool reads it: an optional sign, ASCII digits, at most one dot, not last.
    static func isNumber(_ text: Substring) -> Bool {
        var scalars = Substring.UnicodeScalarView(text.unicodeScalars)
        if let first = scalars.first, first == "-" || first == "+" { scalars.removeFirst() }
        var digits = 0, dots = 0
        for scalar in scalars {
            if scalar >= "0" && scalar <= "9" { digits += 1 } else if scalar == "." { dots += 1 } else { return false }
        }
        return digits > 0 && dots <= 1 && scalars.last != "."
    }
}
