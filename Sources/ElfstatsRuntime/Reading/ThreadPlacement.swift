import ElfstatsCore

/// The CPUs the threads reading one backlog run on (`once --jobs N`): when the process may run
/// on at least N CPUs, each thread is bound to a CPU of its own while it reads, the calling one
/// to the CPU it runs on, and every thread is let go as soon as one has nothing left to read, so
/// that the others may use its CPU. Otherwise nothing is bound.
///
/// Why bind: left to itself, Linux moved the two threads of `--jobs 2` between the two CPUs of
/// this project's VM during the read. It started the second thread on its creator's CPU, where
/// the two took turns for 8 to 40 ms (`perf sched timehist`, 4 runs out of 4); and a thread
/// created on the other CPU and then let free came back to share its creator's for up to 20 ms
/// in some runs. Bound: median 93.6 ms a run against 95.1 ms unbound (100 interleaved runs of
/// each on the benchmark's log).
///
/// A thread bound to a CPU that other work keeps busy (on a web host, the web server) cannot
/// move away from it; the others then take over tails of its part (`BacklogSegments`), and once
/// one of them is done every thread is free again.
///
/// Every thread it started must have been joined before it goes: a thread uses the placement
/// until it ends (`ParallelBacklog` joins them all before dropping its `BacklogSegments`).
final class ThreadPlacement: @unchecked Sendable {
    // Its own lock guards the C side; this class only holds the pointer.
    private let placement: OpaquePointer

    /// Begins placing `threads` threads, the calling one included; nil when memory is short.
    init?(threads: Int) {
        guard let placement = elfstatsd_placement_begin(Int32(clamping: threads)) else { return nil }
        self.placement = placement
    }

    deinit { elfstatsd_placement_end(placement) }

    /// Whether the threads are bound to CPUs of their own (until `release`).
    var isBound: Bool { elfstatsd_placement_is_bound(placement) != 0 }

    /// Starts a thread running `body`, on a CPU of its own when the threads are bound; nil when
    /// none could start.
    func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        let created = elfstatsd_placement_start_thread(placement, &thread, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
        }, context)
        guard created == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            return nil
        }
        return thread
    }

    /// Lets every thread still running use all the CPUs the calling thread of `init` was allowed.
    func release() { elfstatsd_placement_release(placement) }
}

/// What a new thread runs; handed over whole through the C start routine.
private final class ThreadBody: @unchecked Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
