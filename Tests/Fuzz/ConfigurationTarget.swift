// libFuzzer target: configuration text -> a configuration, or a clean error; never a crash.
//
// Properties: an error names the file given and a line of the text (or 0), and says something;
// a configuration that loads builds an analyzer for each of its data files, because the loader
// promises to have checked every regex and format the analyzer will compile.
@testable import ElfstatsCore

private let path = "/etc/elfstatsd/fuzz.conf"

@_cdecl("LLVMFuzzerTestOneInput")
public func configurationTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    let configuration: Configuration
    // The Munin plugins' way (regexes and formats taken as written) must not crash either.
    _ = try? ConfigurationLoader.parse(text: text, path: path)
    do {
        configuration = try ConfigurationLoader.parseAndCompile(text: text, path: path)
    } catch {
        require(error.path == path, "the error names \(error.path), not the file \(path)")
        require(error.line >= 0 && error.line <= lines, "the error is at line \(error.line) of a \(lines)-line text: \(error)")
        require(!error.message.isEmpty, "the error at line \(error.line) says nothing")
        _ = error.description
        return 0
    }
    for dataFile in configuration.dataFiles.prefix(8) {
        do {
            _ = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        } catch {
            require(false, "loaded, but data file '\(dataFile.name)' gives no analyzer: \(error)")
        }
    }
    return 0
}
