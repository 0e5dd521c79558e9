import ElfstatsReportFormat
import Testing

/// The report's text, piece by piece: printable ASCII is copied as it is, anything else goes
/// through `LineSafeText`, so one entry stays one line whatever reached it.
@Suite struct ReportDocumentRenderingTests {
    @Test func piecesAreCleanedOnlyWhereNeeded() {
        let document = ReportDocument(sections: [
            ReportDocument.Section(name: "main", entries: [(key: "calls", value: "12"), (key: "", value: "")]),
            ReportDocument.Section(name: "method\nx", entries: [
                (key: "k\u{85}ey", value: "a\tb\u{2028}c"), (key: "ünï", value: "日本 ok"), (key: "del\u{7F}", value: "\r\n"),
            ]),
        ])
        #expect(document.rendered() == "[main]\ncalls = 12\n = \n\n[method?x]\nk?ey = a?b?c\nünï = 日本 ok\ndel? = ??\n")
        #expect(ReportDocument(sections: []).rendered() == "")
    }
}
