import ElfstatsConfiguration
import ElfstatsMunin
import ElfstatsPlatform

/// The process environment as a dictionary.
func currentEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        pointer += 1
    }
    return result
}

/// The largest file the plugins read: a report of 1,000 methods is well under 1 MB, so 64 MB
/// leaves room for any real one while a planted huge file cannot take the memory.
let largestFileRead = 64 << 20

/// A report's text and modification time, read in one go from one open file so that both belong
/// to the same file even when the daemon replaces it meanwhile.
func readReportFile(_ path: String) -> ReportFile {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return .unreadable(reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return .unreadable(reason: String(cString: strerror(errno))) }
    guard (status.st_mode & S_IFMT) == S_IFREG else { return .unreadable(reason: "not a regular file") }
    let bytes: [UInt8]
    do throws(DescriptorIO.Failure) { bytes = try DescriptorIO.readAll(descriptor, limit: largestFileRead) } catch {
        return .unreadable(reason: String(cString: strerror(error.code)))
    }
    let modified = Int64(status.st_mtim.tv_sec)
    return .present(text: String(decoding: bytes, as: UTF8.self), modified: modified)
}

/// The daemon's configuration, for the data files' names and reports. Its regexes and log
/// formats are not compiled (no checker): the plugins use none of them, so they do without
/// PCRE2, and the daemon refuses a configuration whose regexes do not compile anyway.
func readConfigurationFile(_ path: String) -> Result<Configuration, ConfigurationError> {
    switch readReportFile(path) {
    case .unreadable(let reason):
        return .failure(ConfigurationError(path: path, line: 0, key: "", message: "cannot read the configuration file: \(reason)"))
    case .present(let text, _):
        return Result { () throws(ConfigurationError) in try ConfigurationLoader.parse(text: text, path: path) }
    }
}

/// Texts kept as files in Munin's plugin state folder (munin-node gives each plugin user one in
/// MUNIN_PLUGSTATE). Written to a temporary file and renamed, so that the six plugins of one
/// instance, which may run at once, never read half a file.
func stateFolder(_ folder: String) -> PluginState {
    PluginState(
        read: { name in
            if case .present(let text, _) = readReportFile(folder + "/" + name) { return text }
            return nil
        },
        write: { name, text in
            let path = folder + "/" + name
            let temporary = path + ".\(getpid()).tmp"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { return }
            let complete = FileHandleless.write(descriptor, text)
            close(descriptor)
            if !complete || rename(temporary, path) != 0 { unlink(temporary) }
        })
}

/// Writes whole strings to a file descriptor without buffering (stdout, stderr, state files).
enum FileHandleless {
    /// True when every byte was written.
    @discardableResult
    static func write(_ descriptor: Int32, _ text: String) -> Bool {
        writeAll(Array(text.utf8), to: descriptor) == nil
    }
}

/// Writes all of `bytes` to `descriptor`; the errno of the failing write, or nil.
func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
    bytes.withUnsafeBytes { buffer in
        do throws(DescriptorIO.Failure) { try DescriptorIO.writeAll(buffer, to: descriptor); return nil } catch { return error.code }
    }
}
