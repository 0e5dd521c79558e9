import Testing
@testable import ElfstatsPrometheus
import ElfstatsCore

@Suite("Exposition format")
struct ExpositionFormatTests {
    @Test(arguments: [
        ("plain", "plain"),
        (#"back\slash"#, #"back\\slash"#),
        (#"a "quoted" word"#, #"a \"quoted\" word"#),
        ("two\nlines", #"two\nlines"#),
        ("\\\"\n", #"\\\"\n"#),
        ("tab\tand\rreturn stay", "tab\tand\rreturn stay"),
        ("ünïcödé ✓", "ünïcödé ✓"),
    ])
    func labelValuesAreEscaped(raw: String, escaped: String) {
        #expect(ExpositionWriter.escapedLabelValue(raw) == escaped)
    }

    @Test func helpIsEscapedPerFormat() {
        #expect(ExpositionWriter.escapedHelp(#"a\b "c""# + "\nd", format: .text) == #"a\\b "c"\nd"#)
        #expect(ExpositionWriter.escapedHelp(#"a\b "c""# + "\nd", format: .openMetrics) == #"a\\b \"c\"\nd"#)
    }

    @Test(arguments: [
        (0, "0"), (1, "0.001"), (10, "0.01"), (150, "0.15"), (1000, "1"), (1001, "1.001"),
        (123_456_789, "123456.789"), (100_000_000_000, "100000000"), (-5, "-0.005"),
    ])
    func millisecondsAreWrittenAsExactDecimalSeconds(milliseconds: Int, text: String) {
        #expect(SampleValue.milliseconds(milliseconds).rendered == text)
        // The decimal is the float Prometheus will read: the same as dividing by 1000.
        #expect(Double(text) == Double(milliseconds) / 1000)
    }

    @Test(arguments: [(0, "0"), (5, "0.05"), (50, "0.5"), (90, "0.9"), (99, "0.99"), (25, "0.25"), (100, "1")])
    func quantileLabels(percentile: Int, label: String) {
        #expect(quantileLabel(percentile) == label)
    }

    @Test func counterFamiliesAreNamedPerFormat() {
        var text = ExpositionWriter(format: .text)
        text.family("x_total", .counter, help: "h")
        text.sample("x_total", [("a", "b")], .integer(3))
        #expect(text.finished() == "# HELP x_total h\n# TYPE x_total counter\nx_total{a=\"b\"} 3\n")
        var open = ExpositionWriter(format: .openMetrics)
        open.family("x_total", .counter, help: "h")
        open.sample("x_total", [("a", "b")], .integer(3))
        open.family("y_seconds", .gauge, help: "h", unit: "seconds")
        open.sample("y_seconds", [], .notANumber)
        #expect(open.finished() == "# HELP x h\n# TYPE x counter\nx_total{a=\"b\"} 3\n# HELP y_seconds h\n# TYPE y_seconds gauge\n# UNIT y_seconds seconds\ny_seconds NaN\n# EOF\n")
    }

    @Test(arguments: [
        (nil, ExpositionFormat.text),
        ("*/*", .text),
        ("text/plain;version=0.0.4", .text),
        // What Prometheus 2.42 sends.
        ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", .openMetrics),
        ("application/openmetrics-text; version=1.0.0", .openMetrics),
        ("application/openmetrics-text;q=0", .text),
        ("text/plain, application/openmetrics-text;q=0.5", .text),
        ("garbage;;;q=x,,", .text),
    ])
    func negotiation(accept: String?, format: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept) == format)
    }
}
