import Testing
@testable import ElfstatsCore

@Suite("[prometheus] settings")
struct PrometheusSettingsTests {
    let path = "/etc/elfstatsd/elfstatsd.conf"
    let dataFile = "\n[[data_files]]\nname = 'web'\nlog = '/l'\nreport = '/r'\n"

    @Test func absentMeansNoListener() throws {
        #expect(try ConfigurationLoader.parse(text: dataFile, path: path).prometheus == nil)
    }

    @Test(arguments: [
        ("127.0.0.1:9469", ListenAddress(family: .ipv4, host: "127.0.0.1", port: 9469), true),
        ("0.0.0.0:1", ListenAddress(family: .ipv4, host: "0.0.0.0", port: 1), false),
        ("[::1]:9469", ListenAddress(family: .ipv6, host: "::1", port: 9469), true),
        ("[::]:65535", ListenAddress(family: .ipv6, host: "::", port: 65535), false),
        ("[0:0:0:0:0:0:0:1]:80", ListenAddress(family: .ipv6, host: "0:0:0:0:0:0:0:1", port: 80), true),
    ])
    func addresses(text: String, address: ListenAddress, loopback: Bool) throws {
        let configuration = try ConfigurationLoader.parse(text: "interval = 60\n[prometheus]\nlisten = '\(text)'\n" + dataFile, path: path)
        #expect(configuration.prometheus == PrometheusSettings(listen: address))
        #expect(address.isLoopback == loopback)
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("[prometheus]\nlisten = 9469", 2, "prometheus.listen: expected a string such as '127.0.0.1:9469', found an integer"),
        ("[prometheus]\nlisten = '127.0.0.1'", 2, "prometheus.listen: no port"),
        ("[prometheus]\nlisten = ':9469'", 2, "prometheus.listen: no address before the port"),
        ("[prometheus]\nlisten = 'localhost:9469'", 2, "prometheus.listen: 'localhost' is not a numeric IPv4 address"),
        ("[prometheus]\nlisten = '127.0.0.1:0'", 2, "prometheus.listen: '0' is not a port"),
        ("[prometheus]\nlisten = '127.0.0.1:65536'", 2, "prometheus.listen: '65536' is not a port"),
        ("[prometheus]\nlisten = '127.0.0.1:+80'", 2, "prometheus.listen: '+80' is not a port"),
        ("[prometheus]\nlisten = '::1:9469'", 2, "prometheus.listen: write an IPv6 address in brackets"),
        ("[prometheus]\nlisten = '[::1]'", 2, "prometheus.listen: no port"),
        ("[prometheus]\nlisten = '[::g]:9469'", 2, "prometheus.listen: '::g' is not a numeric IPv6 address"),
        ("[prometheus]\nlisten = '256.0.0.1:9469'", 2, "prometheus.listen: '256.0.0.1' is not a numeric IPv4 address"),
        ("\n[prometheus]\nport = 9469", 3, "prometheus.port: unknown setting; [prometheus] takes listen"),
        ("[prometheus]\nlisten = '127.0.0.1:9469'\ninterval = 60", 3, "prometheus.interval: interval is a global setting"),
        ("\n\n[prometheus]\n", 3, "prometheus.listen: missing"),
        ("[[prometheus]]\nlisten = '127.0.0.1:9469'", 1, "prometheus: write [prometheus] (single brackets)"),
    ])
    func mistakesNameTheLineAndKey(text: String, line: Int, message: String) {
        #expect {
            _ = try ConfigurationLoader.parse(text: text + dataFile, path: path)
        } throws: { error in
            let error = error as! ConfigurationError
            return error.line == line && error.description.hasPrefix("\(path):\(line): \(message)")
        }
    }
}
