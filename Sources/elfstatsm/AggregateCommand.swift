import ElfstatsPlatform
import ElfstatsMunin

/// `elfstatsm aggregate`: the Munin master's configuration of a virtual node whose graphs add up
/// (or put side by side) the elfstatsm graphs of several web hosts. It asks each host's
/// munin-node for the `config` of its elfstatsm plugins (or reads them from a folder), and prints
/// or writes the munin.conf section. Nothing is written unless every host could be read, so a
/// host that is down while it runs never drops out of the sums.
enum AggregateCommand {
    static let usage = """
        usage: elfstatsm aggregate --node GROUP;NAME [--output FILE] [--instance NAME]... [--percentile pNN]...
                                   [--timeout SECONDS] HOST...
          HOST is a node as munin.conf names it (web1.example.com, or GROUP;web1), optionally with
          =ADDRESS[:PORT] where its munin-node listens (default: the host name, port 4949), or with
          =dir:FOLDER holding the plugins' config answers, one file per plugin named after it
          (for p in elfstatsm_...; do munin-run $p config > FOLDER/$p; done).
          --node      the virtual node's munin.conf section; its graphs are the aggregates
          --output    write there (atomically; left alone when unchanged) instead of printing
          --instance  only these data files (the plugins' instance names); default all
          --percentile  only these percentile fields (p50, p99_9, ...); default all the hosts have
          --timeout   seconds a node may take, from connecting to its last answer (default 30)

        """

    struct Options {
        var node: MuninNodePath?
        var output: String?
        var instances: [String] = []
        var percentiles: [String] = []
        var timeout = 30
        var hosts: [(path: MuninNodePath, source: Source)] = []
    }

    enum Source {
        case node(address: String, port: Int)
        case folder(String)
    }

    static func run(_ arguments: [String]) -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            FileHandleless.write(1, usage)
            return 0
        }
        let options: Options
        switch parse(arguments) {
        case .success(let parsed): options = parsed
        case .failure(let error):
            FileHandleless.write(2, "elfstatsm aggregate: \(error.description)\n\(usage)")
            return 64
        }
        var hosts: [AggregateHost] = []
        var failed = false
        for (path, source) in options.hosts {
            do {
                let configs = try read(source, timeout: options.timeout)
                var graphs: [NodeGraph] = []
                for (plugin, text) in configs {
                    guard let name = PluginName(programName: plugin), let instance = name.instance else { continue }
                    if !options.instances.isEmpty && !options.instances.contains(instance) { continue }
                    let (parsed, problems) = NodeGraph.parse(config: text, kind: name.kind)
                    for problem in problems { FileHandleless.write(2, "elfstatsm aggregate: \(path.fullName): \(plugin): \(problem)\n") }
                    for graph in parsed where !graphs.contains(where: { $0.id == graph.id }) { graphs.append(graph) }
                }
                if graphs.isEmpty {
                    FileHandleless.write(2, "elfstatsm aggregate: \(path.fullName): no elfstatsm graphs (are the plugins linked, and munin-node restarted?)\n")
                }
                hosts.append(AggregateHost(path: path, graphs: graphs))
            } catch {
                FileHandleless.write(2, "elfstatsm aggregate: \(path.fullName): \(error.description)\n")
                failed = true
            }
        }
        if failed {
            FileHandleless.write(2, "elfstatsm aggregate: nothing written: every host must be read, or its fields would drop out of the sums\n")
            return 1
        }
        let text = AggregateConfiguration.text(node: options.node!, hosts: hosts,
                                               percentiles: options.percentiles.isEmpty ? nil : options.percentiles)
        guard let output = options.output else {
            FileHandleless.write(1, text)
            return 0
        }
        if let problem = writeAtomically(text, to: output) {
            FileHandleless.write(2, "elfstatsm aggregate: \(output): \(problem)\n")
            return 1
        }
        return 0
    }

    static func parse(_ arguments: [String]) -> Result<Options, NodeError> {
        var options = Options()
        var index = 0
        func value(_ option: String) -> Result<String, NodeError> {
            index += 1
            guard index < arguments.count else { return .failure(NodeError("\(option) needs a value")) }
            return .success(arguments[index])
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--node":
                guard case .success(let text) = value(argument), let path = MuninNodePath(section: text) else {
                    return .failure(NodeError("--node needs a munin.conf section name such as 'Totals;web'"))
                }
                options.node = path
            case "--output":
                guard case .success(let text) = value(argument), !text.isEmpty else { return .failure(NodeError("--output needs a file")) }
                options.output = text
            case "--instance":
                guard case .success(let text) = value(argument) else { return .failure(NodeError("--instance needs a name")) }
                options.instances.append(text)
            case "--percentile":
                guard case .success(let text) = value(argument), NodeGraph.isMuninName(text) else {
                    return .failure(NodeError("--percentile needs a field name such as p90"))
                }
                options.percentiles.append(text)
            case "--timeout":
                guard case .success(let text) = value(argument), let seconds = Int(text), seconds > 0, seconds <= 3600 else {
                    return .failure(NodeError("--timeout needs a number of seconds (1 to 3600)"))
                }
                options.timeout = seconds
            default:
                if argument.hasPrefix("-") { return .failure(NodeError("unknown option \(argument)")) }
                guard let host = host(argument) else {
                    return .failure(NodeError("'\(argument)' is not NODE, NODE=ADDRESS[:PORT] or NODE=dir:FOLDER"))
                }
                if options.hosts.contains(where: { $0.path == host.path }) {
                    return .failure(NodeError("\(host.path.fullName) is given twice"))
                }
                options.hosts.append(host)
            }
            index += 1
        }
        if options.node == nil { return .failure(NodeError("--node is missing")) }
        if options.hosts.isEmpty { return .failure(NodeError("no hosts given")) }
        if options.hosts.contains(where: { $0.path == options.node }) {
            return .failure(NodeError("the virtual node \(options.node!.fullName) cannot be one of the hosts"))
        }
        return .success(options)
    }

    /// `NODE`, `NODE=ADDRESS`, `NODE=ADDRESS:PORT`, `NODE=[IPv6]:PORT` or `NODE=dir:FOLDER`.
    static func host(_ text: String) -> (path: MuninNodePath, source: Source)? {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let path = MuninNodePath(section: parts[0]) else { return nil }
        guard parts.count == 2 else { return (path, .node(address: path.host, port: 4949)) }
        var where_ = parts[1]
        if where_.hasPrefix("dir:") {
            let folder = String(where_.dropFirst(4))
            return folder.isEmpty ? nil : (path, .folder(folder))
        }
        var port = 4949
        if where_.hasPrefix("[") {
            guard let close = where_.firstIndex(of: "]") else { return nil }
            let rest = where_[where_.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let number = Int(rest.dropFirst()), (1...65535).contains(number) else { return nil }
                port = number
            }
            where_ = String(where_[where_.index(after: where_.startIndex)..<close])
        } else if let colon = where_.lastIndex(of: ":"), where_.firstIndex(of: ":") == colon {
            guard let number = Int(where_[where_.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number
            where_ = String(where_[..<colon])
        }
        return where_.isEmpty ? nil : (path, .node(address: where_, port: port))
    }

    /// Plugin name -> its `config` answer, for the elfstatsm plugins of one host.
    static func read(_ source: Source, timeout: Int) throws(NodeError) -> [(String, String)] {
        switch source {
        case .node(let address, let port):
            var client = try MuninNodeClient(address: address, port: port, timeout: timeout)
            defer { client.close() }
            _ = try client.greeting()
            _ = try client.ask("cap multigraph")
            let plugins = try client.ask("list").split(separator: " ").map(String.init)
                .filter { PluginName(programName: $0)?.instance != nil }.sorted()
            var result: [(String, String)] = []
            for plugin in plugins {
                result.append((plugin, try client.askForLines("config \(plugin)")))
            }
            try? client.send("quit")
            return result
        case .folder(let folder):
            guard let directory = opendir(folder) else {
                throw NodeError("cannot read the folder \(folder): \(String(cString: strerror(errno)))")
            }
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if PluginName(programName: name)?.instance != nil { names.append(name) }
            }
            closedir(directory)
            var result: [(String, String)] = []
            for name in names.sorted() {
                switch readReportFile(folder + "/" + name) {
                case .present(let text, _):
                    guard text.utf8.count <= MuninNodeClient.maximumBytes else { throw NodeError("\(folder)/\(name) is too large") }
                    result.append((name, text))
                case .unreadable(let reason):
                    throw NodeError("cannot read \(folder)/\(name): \(reason)")
                }
            }
            return result
        }
    }

    /// Writes `text` to a temporary file beside `path`, syncs it and renames it over `path`
    /// (mode 0644), so Munin never reads half a configuration. A file that already holds `text`
    /// is left alone. The reason when it cannot.
    static func writeAtomically(_ text: String, to path: String) -> String? {
        if case .present(let old, _) = readReportFile(path), old == text { return nil }
        let temporary = path + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { return "cannot create \(temporary): \(String(cString: strerror(errno)))" }
        if let code = writeAll(Array(text.utf8), to: descriptor) {
            close(descriptor); unlink(temporary)
            return "cannot write \(temporary): \(String(cString: strerror(code)))"
        }
        fchmod(descriptor, 0o644)
        if fsync(descriptor) != 0 {
            let reason = String(cString: strerror(errno))
            close(descriptor); unlink(temporary)
            return "cannot sync \(temporary): \(reason)"
        }
        close(descriptor)
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return "cannot rename \(temporary) to \(path): \(reason)"
        }
        return nil
    }
}
