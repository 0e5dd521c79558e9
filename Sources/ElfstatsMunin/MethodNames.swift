/// Munin names for the groups and methods of one report: a group's name is its lower-cased,
/// sanitised group (`elfstats_<g>_total_calls`), a method's is its sanitised method name within
/// the group (the field of the group's graphs). Both stay distinct after sanitising.
struct MethodNames {
    private var groups = UniqueNames()
    private var methodsByGroup: [String: UniqueNames] = [:]
    private var methodPartsByGroup: [String: UniqueNames] = [:]

    /// The name of `group` in graph ids.
    mutating func group(_ group: String) -> String {
        groups.name(for: group, candidate: MuninName.sanitisedPart(group.lowercased()))
    }

    /// The name of `method` as a field, unique within its group.
    mutating func method(_ method: ReportContents.Method) -> String {
        methodsByGroup[method.group, default: UniqueNames()].name(for: method.name)
    }

    /// The name of `method` inside a graph id (`elfstats_<g>_<m>`), unique within its group.
    mutating func methodPart(_ method: ReportContents.Method) -> String {
        methodPartsByGroup[method.group, default: UniqueNames()].part(for: method.name)
    }
}

/// Reports methods group by group, in the report's (sorted) order of groups.
extension ReportContents {
    var methodsByGroup: [(group: String, methods: [Method])] {
        var result: [(group: String, methods: [Method])] = []
        for method in methods {
            if let index = result.firstIndex(where: { $0.group == method.group }) {
                result[index].methods.append(method)
            } else {
                result.append((method.group, [method]))
            }
        }
        return result
    }
}
