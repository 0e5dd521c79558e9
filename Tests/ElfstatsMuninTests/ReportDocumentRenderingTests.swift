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

    /// Long pieces (stored on the heap, not inline), empty sections and every kind of
    /// replaced character, against the text put together piece by piece.
    @Test func longPiecesAndEmptySectionsAsPutTogetherByHand() {
        let odd = ["", "x", "plain ascii that is longer than fifteen bytes", "tab\there", "nel\u{85}", "ls\u{2028}ps\u{2029}",
                   "ü and 日本 and more than fifteen bytes", "\u{7F}\u{9F}\u{1F}", String(repeating: "z", count: 5000)]
        var sections: [ReportDocument.Section] = [ReportDocument.Section(name: "empty")]
        for (index, name) in odd.enumerated() {
            sections.append(ReportDocument.Section(name: name, entries: odd.map { (key: $0 + "\(index)", value: $0) }))
        }
        sections.append(ReportDocument.Section(name: "also empty"))
        var expected = ""
        for (index, section) in sections.enumerated() {
            if index > 0 { expected += "\n" }
            expected += "[" + LineSafeText.cleaned(section.name) + "]\n"
            for entry in section.entries { expected += LineSafeText.cleaned(entry.key) + " = " + LineSafeText.cleaned(entry.value) + "\n" }
        }
        #expect(ReportDocument(sections: sections).rendered() == expected)
    }

    /// `ReportText`, written piece by piece, gives the text of the document of the same pieces;
    /// numbers as `String(value)` writes them. Enough pieces to make it grow several times.
    @Test func reportTextWritesTheDocumentsText() {
        let odd = ["", "x", "tab\there", "nel\u{85}", "ls\u{2028}", "ü 日本 and more than fifteen bytes", String(repeating: "z", count: 3000)]
        let numbers = [0, 7, 42, 99, 100, 65_536, -1, -100, Int.max, Int.min]
        let text = ReportText(capacity: 10)
        var sections: [ReportDocument.Section] = []
        for round in 0..<20 {
            for name in odd {
                text.section(name + "\(round)")
                var section = ReportDocument.Section(name: name + "\(round)")
                for (index, piece) in odd.enumerated() {
                    text.entry(piece, name)
                    section.entries.append((key: piece, value: name))
                    let number = numbers[(index + round) % numbers.count]
                    text.entry(name, number)
                    section.entries.append((key: name, value: String(number)))
                }
                sections.append(section)
            }
        }
        #expect(text.text == ReportDocument(sections: sections).rendered())
        #expect(ReportText(capacity: 0).text == "")
    }
}
