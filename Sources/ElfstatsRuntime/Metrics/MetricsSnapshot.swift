import ElfstatsPrometheus
import Synchronization

/// The scrape bodies of one moment, rendered once at the end of a round in both formats.
/// Immutable: a connection holds the arrays it is sending, so a round that swaps in a new
/// snapshot meanwhile changes nothing under it, and a scrape costs no rendering.
public struct MetricsSnapshot: Sendable {
    public let text: [UInt8]
    public let openMetrics: [UInt8]

    public init(_ metrics: ElfstatsMetrics) {
        text = Array(metrics.rendered(as: .text).utf8)
        openMetrics = Array(metrics.rendered(as: .openMetrics).utf8)
    }

    public init(text: String, openMetrics: String) {
        self.text = Array(text.utf8)
        self.openMetrics = Array(openMetrics.utf8)
    }

    public func body(_ format: ExpositionFormat) -> [UInt8] {
        format == .openMetrics ? openMetrics : text
    }
}

/// Where the round loop puts the latest snapshot and the listener takes it: the lock is held
/// only to copy one reference, so neither side ever waits on the other's work.
public final class MetricsBoard: Sendable {
    private let current: Mutex<MetricsSnapshot>

    public init(_ snapshot: MetricsSnapshot) { current = Mutex(snapshot) }

    public func publish(_ snapshot: MetricsSnapshot) { current.withLock { $0 = snapshot } }

    public var latest: MetricsSnapshot { current.withLock { $0 } }
}
