import Testing
@testable import ElfstatsCore

@Suite("TOML reading")
struct TOMLDocumentTests {
    @Test func readsTheShapesTheConfigurationUses() throws {
        let text = """
            # comment
            log_format = '%h "%r" %>s'   # trailing comment
            interval = 1_000
            flag = true
            list = [50, 90,
              99, # comment in an array
            ]
            regexes = ['^/(?P<m>\\w+)/', "a\\\\b"]

            [[data_files]]
            name = 'apache'

            [[data_files]]
            name = 'tomcat'
            """
        let document = try TOMLDocument(parsing: text)
        #expect(document.root["log_format"]?.value == .string(#"%h "%r" %>s"#))
        #expect(document.root["interval"]?.value == .integer(1000))
        #expect(document.root["interval"]?.line == 3)
        #expect(document.root["flag"]?.value == .boolean(true))
        #expect(document.root["list"]?.value == .array([.integer(50), .integer(90), .integer(99)]))
        #expect(document.root["regexes"]?.value == .array([.string(#"^/(?P<m>\w+)/"#), .string(#"a\b"#)]))
        #expect(document.tables.map(\.name) == ["data_files", "data_files"])
        #expect(document.tables[1]["name"]?.value == .string("tomcat"))
        #expect(document.tables[1].line == 13)
    }

    @Test(arguments: [
        ("a = 'open", 1, "not closed"),
        ("a = 1\nb = nope", 2, "is not a value"),
        ("a = 1\na = 2", 2, "defined twice"),
        ("x = [1, 2", 1, "never closed"),
        ("a.b = 1", 1, "dotted keys"),
        ("a = \"\\d\"", 1, "unknown escape"),
        ("[t]\n[t]", 2, "defined twice"),
        ("a = 1 2", 1, "unexpected text"),
    ])
    func syntaxErrorsNameTheLine(text: String, line: Int, fragment: String) {
        do {
            _ = try TOMLDocument(parsing: text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }
}
