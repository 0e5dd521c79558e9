extension LogAnalyzer {
    /// Adds the rounds of `parts` to this one, as if their lines had been read here, after this
    /// analyzer's, in the order given: the way to read one log on several threads. Each part is
    /// an analyzer of the same configuration and data file that has read one later stretch of
    /// the log (whole lines, in file order, without a gap) from new, and never finished a round.
    ///
    /// Returns false, and changes nothing, when the result could differ from reading the parts'
    /// lines one after another here; the caller then reads them here (correct, only slower). It
    /// is exact otherwise:
    /// - records, response codes, and each method's calls, stalled calls and response codes add;
    ///   the first and last record are the minimum and the maximum; patterns add and stay
    ///   order-free, including their switch to the estimate (see `PatternStatistics.absorb`);
    /// - methods: a part that started new gave slots in the order its methods first appeared.
    ///   Offering them to this registry in that order, part after part, makes it meet every
    ///   method it did not know yet in the order the lines would have, so each gets what reading
    ///   would have given it: a free slot, an idle method's slot (whether a method is idle then,
    ///   with no calls this round, is the same: every method offered earlier got its calls
    ///   before the next one is offered), or the overflow method. Calls of a part's method go to
    ///   that slot. This needs parts that did not overflow themselves: one that did counted
    ///   methods under `elfstatsd_overflow` that may have a slot here, so it refuses;
    /// - latencies: exact counts per value add; whether a histogram switches to buckets depends
    ///   on the order, and is decided without it where possible (`LatencyHistogram.merging`),
    ///   otherwise it refuses. All parts are checked against this analyzer's own histograms,
    ///   which are those of the one-by-one reading after its lines, before anything changes.
    /// What only makes counting fast is not merged: the classification cache and aggregation
    /// slots of this analyzer stay valid, as its slots keep their methods unless the registry
    /// reassigned one, and then they are forgotten as after counting (the parts' are dropped).
    ///
    /// The merged round is exact. Histogram arrays kept into later rounds may be sized
    /// differently than reading would have left them (see `LatencyHistogram.merging`).
    ///
    /// A merge spends its parts: their latency histograms are emptied, as their arrays may move
    /// here. A refused merge leaves them as they were.
    public func absorb(_ parts: [LogAnalyzer]) -> Bool {
        for part in parts {
            precondition(part !== self && part.patterns.count == patterns.count, "parts of the same data file")
            guard part.registry.round == 0, !part.registry.overflowedThisRound else { return false }
        }
        // Its own slots: a refusal below must leave this registry as it was.
        var merged = registry.copied()
        // Per slot of this registry: the parts' latencies to add to its own.
        var latencies: [Int: [LatencyHistogram]] = [:]
        for part in parts {
            for method in part.registry.methods where method.calls > 0 {
                let slot = merged.slot(group: method.group, method: method.method)
                // The same id as when counting (ids are made of cleaned names, and cleaning twice
                // changes nothing); checked, as a different id would count calls elsewhere.
                guard merged.isOverflow(slot) || merged.id(ofSlot: slot).id == method.id else { return false }
                _ = merged.noteUse(of: slot)
                latencies[slot, default: []].append(method.latencies)
                merged.slots[slot].addCounts(of: method)
            }
        }
        // The replay leaves latencies alone: each slot still holds what the parts' are added to
        // (empty for a method new to this round).
        var switches: [(slot: Int, switched: Bool)] = []
        for (slot, sources) in latencies {
            guard let switched = LatencyHistogram.switchesWhenMerging(sources, into: merged.slots[slot].latencies) else { return false }
            switches.append((slot, switched))
        }
        // Checked: from here on nothing refuses. The histograms change in place, once the old
        // registry no longer shares their arrays.
        registry = consume merged
        // The parts are spent: their histograms are dropped, so that each array is held only
        // in `latencies` and may be taken over without a copy (see `LatencyHistogram.absorb`).
        for part in parts {
            for slot in part.registry.slots.indices { part.registry.slots[slot].latencies = LatencyHistogram() }
        }
        for (slot, switched) in switches {
            var sources = latencies.removeValue(forKey: slot)!
            registry.slots[slot].latencies.absorb(&sources, switched: switched)
        }
        for part in parts {
            records.parsed += part.records.parsed
            records.skipped += part.records.skipped
            records.error += part.records.error
            records.regexLimit += part.records.regexLimit
            records.tooLong += part.records.tooLong
            if let first = part.firstRecord { firstRecord = min(firstRecord ?? first, first) }
            if let last = part.lastRecord { lastRecord = max(lastRecord ?? last, last) }
            for index in patterns.indices { patterns[index].absorb(part.patterns[index]) }
        }
        forgetSlotsIfReassigned()
        return true
    }
}
