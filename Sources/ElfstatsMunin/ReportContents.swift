import ElfstatsReportFormat

/// What the plugins need from one report, read leniently: reports of this daemon (counts `0`,
/// `group`/`method` keys in every method section) and of the original Python daemon (`U` for every
/// zero, group and method only in the section name) alike.
public struct ReportContents: Sendable {
    /// One `[method_...]` section.
    public struct Method: Sendable {
        /// As written in the report (case kept); graph ids use it lower-cased.
        public var group: String
        public var name: String
        public var section: ReportDocument.Section

        public subscript(key: String) -> String? { section[key] }

        /// The `pNN` keys of the section with their percentile, in ascending order of the number.
        public var percentileKeys: [(key: String, percentile: Double)] {
            section.entries.compactMap { entry -> (key: String, percentile: Double)? in
                guard entry.key.hasPrefix("p"), let number = Double(entry.key.dropFirst()),
                      MuninValue.isNumber(String(entry.key.dropFirst())) else { return nil }
                return (entry.key, number)
            }.sorted { $0.percentile < $1.percentile }
        }
    }

    /// One pattern of `[patterns]` (`NAME.total`, `NAME.distinct`).
    public struct Pattern: Sendable {
        public var name: String
        public var total: String?
        public var distinct: String?
        /// The daemon estimated `distinct` (more than `max_pattern_values` distinct values).
        public var distinctIsEstimate = false
    }

    /// Methods ordered by group, then method, so output does not depend on the writer's order.
    public var methods: [Method] = []
    /// `[records]` keys and values in the report's order.
    public var records: [(key: String, value: String)] = []
    /// `[response_codes]` entries whose key is `rc` followed by a number.
    public var responseCodes: [(code: String, value: String)] = []
    public var patterns: [Pattern] = []
    /// Why the values of this report cannot be trusted (malformed lines, no `[metadata]`, empty);
    /// nil for a sound report.
    public var damage: String?

    public init() {}

    public init(document: ReportDocument) {
        // A section, method or key written twice counts once, the first time (as `subscript`
        // reads it): the daemon writes none twice, and twice would give Munin one field twice.
        var seenSections: Set<String> = [], seenMethods: Set<[String]> = []
        for var section in document.sections where seenSections.insert(section.name).inserted {
            var seenKeys: Set<String> = []
            section.entries = section.entries.filter { seenKeys.insert($0.key).inserted }
            if section.name.hasPrefix("method_") {
                let method = Self.method(from: section)
                if seenMethods.insert([method.group, method.name]).inserted { methods.append(method) }
            } else if section.name == "records" {
                records += section.entries
            } else if section.name == "response_codes" {
                for entry in section.entries where entry.key.hasPrefix("rc") {
                    let code = String(entry.key.dropFirst(2))
                    // ASCII digits only: the code becomes part of a Munin name.
                    if !code.isEmpty, code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { responseCodes.append((code, entry.value)) }
                }
            } else if section.name == "patterns" {
                for entry in section.entries {
                    guard let dot = entry.key.lastIndex(of: ".") else { continue }
                    let name = String(entry.key[..<dot])
                    let metric = entry.key[entry.key.index(after: dot)...]
                    guard !name.isEmpty, metric == "total" || metric == "distinct" || metric == "distinct_estimated" else { continue }
                    var index = patterns.firstIndex { $0.name == name }
                    if index == nil {
                        patterns.append(Pattern(name: name))
                        index = patterns.count - 1
                    }
                    switch metric {
                    case "total": patterns[index!].total = entry.value
                    case "distinct": patterns[index!].distinct = entry.value
                    default: patterns[index!].distinctIsEstimate = entry.value == "1"
                    }
                }
            }
        }
        methods.sort { ($0.group.lowercased(), $0.group, $0.name) < ($1.group.lowercased(), $1.group, $1.name) }
        if document.sections.isEmpty {
            damage = "it holds no sections"
        } else if document.malformedLineCount > 0 {
            damage = "\(document.malformedLineCount) malformed line\(document.malformedLineCount == 1 ? "" : "s")"
        } else if document[section: "metadata"] == nil {
            damage = "it has no [metadata] section"
        }
    }

    /// Group and method from the `group`/`method` keys; without them (reports of the Python daemon)
    /// from the section name split at its first `_` after `method_`, as the original plugins did.
    static func method(from section: ReportDocument.Section) -> Method {
        if let group = section["group"], let name = section["method"], !group.isEmpty, !name.isEmpty {
            return Method(group: group, name: name, section: section)
        }
        let id = section.name.dropFirst("method_".count)
        if let underscore = id.firstIndex(of: "_"), underscore != id.startIndex, id.index(after: underscore) != id.endIndex {
            return Method(group: String(id[..<underscore]), name: String(id[id.index(after: underscore)...]), section: section)
        }
        return Method(group: "nogroup", name: id.isEmpty ? "unnamed" : String(id), section: section)
    }
}
