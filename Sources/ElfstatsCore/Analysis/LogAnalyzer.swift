/// Turns the bytes of one access log into a report, round after round: the whole hot path of
/// elfstatsd. One analyzer serves one data file; it is not thread-safe, and owns its regexes.
///
/// The caller (the one-shot round, the daemon) reads the file in large chunks and hands them to
/// `consume`, which walks complete lines with `memchr`, splits them by the compiled LogFormat,
/// and counts them without creating a `String` per line. `finishRound` renders the report and
/// starts the next round.
public final class LogAnalyzer {
    public let format: LogFormat
    let splitter: LineSplitter
    let latencyUnit: LatencyUnit
    /// The latency field is nginx's list of one value per upstream (`$upstream_response_time`).
    let latencyIsList: Bool
    /// Longer lines (without their newline) are one error record each.
    public let maxLineLength: Int
    /// The limits of every regex match of this analyzer.
    let budget: RegexBudget
    /// The request field is a whole request line (`%r`) rather than only its target (`%U`).
    let requestIsLine: Bool
    let classifier: RequestClassifier
    let extractor: PatternExtractor
    // @exclusivity(unchecked) on what the hot path mutates, proven exclusive: no code that runs
    // during an access to these properties holds a reference to the analyzer, so no access can
    // start inside another (the runtime check sees only its own thread's accesses, so it never
    // guarded against more). The runtime checks cost 380 of 3,466 instructions per line.
    @exclusivity(unchecked) var registry: MethodRegistry
    @exclusivity(unchecked) var patterns: [PatternStatistics]
    let stalledThreshold: Int
    /// Lays out each round's report (the configured percentiles and always-reported codes).
    let reportBuilder: ReportBuilder

    /// Counts of this round so far.
    @exclusivity(unchecked) public internal(set) var records = RecordCounts()
    /// The earliest and latest record time of this round; `Int64.max` and `Int64.min` before the
    /// first record (no record has those times: years have four digits, see `Timestamp`). Plain
    /// integers, so each line compares without unwrapping optionals.
    @exclusivity(unchecked) var earliestRecord = Int64.max  // exclusive: see `registry`
    @exclusivity(unchecked) var latestRecord = Int64.min
    var firstRecord: Int64? {
        get { earliestRecord == .max ? nil : earliestRecord }
        set { earliestRecord = newValue ?? .max }
    }
    var lastRecord: Int64? {
        get { latestRecord == .min ? nil : latestRecord }
        set { latestRecord = newValue ?? .min }
    }

    /// The last time field read and its value: consecutive lines mostly share their second.
    private let cachedTimeBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
    private var cachedTimeLength = -1
    private var cachedTime: Int64 = 0

    /// A request with every digit as `0`, the shape it is remembered by (`DigitBlindness`); room
    /// for `longestKey` rounded up to sixteen, as `DigitBlindness.normalize` stores whole blocks.
    private let shapeBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: ClassificationCache.longestKey + 16)

    /// The same for pattern extraction, which reads the whole request (`PatternCache`).
    private let patternShapeBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: PatternCache.longestKey + 16)
    /// Where the pattern regexes found their values in recent request shapes.
    let recentPatterns = PatternCache()

    deinit {
        cachedTimeBytes.deallocate()
        shapeBytes.deallocate()
        patternShapeBytes.deallocate()
    }

    public init(configuration: Configuration, dataFile: DataFileConfiguration) throws(ConfigurationError) {
        func fail(_ key: String, _ message: String) -> ConfigurationError {
            ConfigurationError(path: configuration.path, line: 0, key: key, message: message)
        }
        do {
            format = try LogFormat(dataFile.logFormat, latencyField: dataFile.latencyField,
                                   integerLatencyUnit: dataFile.latencyInMilliseconds ? .milliseconds : .microseconds)
        } catch {
            throw fail("data_files.\(dataFile.name).log_format", error.description)
        }
        splitter = LineSplitter(format)
        let compiled = format
        requestIsLine = compiled.requestField.map { compiled.fields[$0].role == .requestLine } ?? false
        if let index = format.latencyField, case .latency(let unit) = format.fields[index].role {
            latencyUnit = unit
            latencyIsList = Latency.isList(directive: format.fields[index].directive)
        } else {
            latencyUnit = .microseconds
            latencyIsList = false
        }
        maxLineLength = configuration.maxLineLength
        budget = RegexBudget(matchLimit: configuration.regexMatchLimit, depthLimit: configuration.regexDepthLimit)
        do {
            classifier = try RequestClassifier(validRequests: configuration.validRequests, requestsToSkip: configuration.requestsToSkip,
                                               aggregation: configuration.requestsAggregation, budget: budget)
            extractor = try PatternExtractor(configuration.patternsToExtract, budget: budget)
            registry = MethodRegistry(forbiddenSymbols: try PCRE2Regex(configuration.forbiddenSymbols, budget: budget),
                                      limit: configuration.maxMethods, retention: configuration.idleMethodRounds)
        } catch {
            throw fail("regex", error.description)
        }
        aggregationSlots = Array(repeating: nil, count: configuration.requestsAggregation.count)
        aggregationRules = configuration.requestsAggregation
        patterns = configuration.patternsToExtract.map { PatternStatistics(name: $0.name, limit: configuration.maxPatternValues) }
        stalledThreshold = configuration.stalledCallThreshold
        reportBuilder = ReportBuilder(percentiles: configuration.latencyPercentiles, alwaysReportedCodes: configuration.responseCodes)
    }

    let aggregationRules: [AggregationRule]
    @exclusivity(unchecked) var aggregationSlots: [Int?]  // exclusive: see `registry`
    /// What the regexes made of recent requests.
    let recentOutcomes = ClassificationCache()

    /// True when this round had more distinct methods than `max_methods`.
    public var overflowedThisRound: Bool { registry.overflowedThisRound }

    // MARK: Lines

    /// Consumes complete lines from the start of `bytes` and returns how many bytes it consumed.
    ///
    /// It stops before the first line whose record time is at or after `cutoff` (that record
    /// belongs to the next round), and before an unterminated last line, which is still being
    /// written, unless `final` says the file will not grow any more.
    public func consume(_ bytes: UnsafeRawBufferPointer, before cutoff: Int64? = nil, final: Bool = false) -> Int {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        let end = bytes.count
        var position = 0
        let limit = cutoff ?? Int64.max
        while position < end {
            let lineEnd: Int
            // Lines are long, so libc's vectorised memchr finds their ends fastest.
            if let newline = memchr(base + position, 0x0A, end - position) {
                lineEnd = UnsafePointer<UInt8>(newline.assumingMemoryBound(to: UInt8.self)) - base
            } else if final {
                lineEnd = end
            } else {
                break
            }
            // 0 <= position <= lineEnd <= end, the length of a buffer in memory: the arithmetic
            // below cannot overflow, so it is wrapping (no overflow checks per line).
            var length = lineEnd &- position
            // in bounds: length > 0, so position <= lineEnd - 1 < end.
            if length > 0, base[lineEnd &- 1] == 0x0D { length &-= 1 }
            var trace = NoTrace()
            if !analyzeLine(base + position, count: length, before: limit, trace: &trace) { break }
            position = lineEnd &+ 1
        }
        return min(position, end)
    }

    /// Counts a line longer than `maxLineLength` that the reader skipped without handing it over.
    public func countOverlongLine() {
        records.error += 1
        records.tooLong += 1
    }

    /// Epoch seconds of the record on one line (without its newline), nil when it has none.
    public func recordTime(ofLine line: UnsafeRawBufferPointer) -> Int64? {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var fields = RecordFields()
        guard splitter.split(base, count: line.count, into: &fields), fields.timeStart >= 0 else { return nil }
        return Timestamp.parse(base + fields.timeStart, count: fields.timeEnd - fields.timeStart)
    }

    /// Counts one line; false (and nothing counted) when its time is at or after `limit`.
    /// `trace` watches every step (see `AnalysisTrace`); `explain` runs exactly this code.
    @inline(__always)
    func analyzeLine<Trace: AnalysisTrace>(_ line: UnsafePointer<UInt8>, count: Int, before limit: Int64,
                                           trace: inout Trace) -> Bool {
        @inline(__always) func reject(_ reason: RecordError) -> Bool {
            records.error += 1
            if reason == .regexLimit { records.regexLimit += 1 }
            if case .lineTooLong = reason { records.tooLong += 1 }
            trace.verdict(.error(reason))
            return true
        }
        if count > maxLineLength { return reject(.lineTooLong(length: count)) }
        var fields = RecordFields()
        guard splitter.split(line, count: count, into: &fields) else { return reject(.doesNotFitFormat) }
        // A field the split stored has 0 <= start <= end <= count (`LineSplitter.split`): its
        // length `end &- start` cannot overflow.
        var time: Int64? = nil
        if fields.timeStart >= 0 {
            guard let parsed = parseTime(line + fields.timeStart, count: fields.timeEnd &- fields.timeStart) else {
                return reject(.badTime)
            }
            trace.time(parsed)
            if parsed >= limit {
                trace.verdict(.nextRound)
                return false
            }
            time = parsed
        }
        guard fields.requestStart >= 0 else { return reject(.noRequestField) }
        guard fields.statusStart >= 0 else { return reject(.noStatusField) }
        let target: Range<Int>
        if requestIsLine {
            guard let found = RequestTarget.find(in: line, start: fields.requestStart, end: fields.requestEnd) else {
                return reject(.noRequestTarget)
            }
            target = found
        } else {
            guard fields.requestEnd > fields.requestStart else { return reject(.emptyRequest) }
            target = fields.requestStart..<fields.requestEnd
        }
        trace.request(target)
        // At most three digits: each distinct code is a list entry per method and a report line,
        // so six-digit codes would let a log make a million of them.
        guard let status = StatusCode.parse(line + fields.statusStart, count: fields.statusEnd &- fields.statusStart),
              status <= 999 else {
            return reject(.badStatus)
        }
        trace.status(status)
        var latency: Int? = nil
        if fields.latencyStart >= 0 {
            let reading = Latency.milliseconds(line + fields.latencyStart, count: fields.latencyEnd &- fields.latencyStart,
                                               unit: latencyUnit, list: latencyIsList)
            trace.latency(reading)
            switch reading {
            case .value(let milliseconds): latency = milliseconds
            case .unknown: break
            case .invalid: return reject(.badLatency)
            case .outOfRange: return reject(.latencyOutOfRange)
            }
        }
        let request = line + target.lowerBound
        let requestLength = target.count
        // When no classification regex can see the query string, requests are classified (and
        // remembered) by their path and `?` alone: one cache entry serves every query of a page;
        // and when none can read more than k `/`, by their path up to the (k + 1)-th `/`: one
        // entry serves every id below a method (`PathDepth`).
        let classifiedLength = classifier.ignoresQuery
            ? PathDepth.classifiedLength(line, start: target.lowerBound, end: target.upperBound, readable: count,
                                        slashes: classifier.slashesRead)
            : requestLength
        let slot: Int
        var hash: UInt64 = 0
        let outcome: ClassificationCache.Outcome
        if let remembered = recentOutcomes.firstOutcome(of: request, count: classifiedLength, hash: &hash) {
            trace.remembered()
            outcome = remembered
        } else {
            // The line goes on after the request: count - lowerBound bytes are readable there.
            outcome = classify(request, count: classifiedLength, readable: count &- target.lowerBound, hash: hash, trace: &trace)
        }
        switch outcome {
        case .method(let found):
            slot = registry.noteUse(of: found)
        case .skipped:
            records.skipped += 1
            trace.verdict(.skipped)
            return true
        case .error:
            return reject(.requestNotClassified)
        case .regexLimit:
            return reject(.regexLimit)
        }
        records.parsed &+= 1  // lines of one round: far below Int.max (see MethodStatistics.record)
        registry.record(slot: slot, status: status, latency: latency, stalledAbove: stalledThreshold)
        if let time {
            if time < earliestRecord { earliestRecord = time }
            if time > latestRecord { latestRecord = time }
        }
        // Most requests start with none of the patterns' literal prefixes: a few instructions
        // instead of a pass over the regexes (benchmark: 2,172 -> 2,146 instructions per line).
        if !extractor.isEmpty, extractor.mayFind(in: request, count: requestLength) {
            if extractor.ignoresDigits, requestLength <= PatternCache.longestKey {
                extractByShape(request, count: requestLength, readable: count &- target.lowerBound,
                               offset: target.lowerBound, trace: &trace)
            } else {
                extract(request, count: requestLength, offset: target.lowerBound, found: nil, trace: &trace)
            }
        }
        trace.verdict(.parsed(slot: slot))
        return true
    }

    /// Counts the pattern values of a request (at `offset` in its line); with `found`, also notes
    /// where they were, and returns whether every pattern was decided.
    @discardableResult
    private func extract<Trace: AnalysisTrace>(_ request: UnsafePointer<UInt8>, count: Int, offset: Int,
                                               found: UnsafeMutablePointer<PatternCache.Found>?, trace: inout Trace) -> Bool {
        // The counts are reached through a buffer, so the closure captures nothing of `self`:
        // capturing it cost a retain and a release per extracted line.
        let extractor = self.extractor
        let undecided = patterns.withUnsafeMutableBufferPointer { counts in
            extractor.extract(request, count: count) { index, range in
                // in bounds: `index` is a rule of `extractor`, built from the same
                // `patternsToExtract` as `patterns`, one entry per rule (init).
                counts[index].record(request + range.lowerBound, count: range.count)
                trace.pattern(index, (range.lowerBound + offset)..<(range.upperBound + offset))
                // At most one value per rule, and at most `maximumRules` rules (`ignoresDigits`).
                found?.pointee.append(rule: index, range: range)
            }
        }
        if undecided > 0 {
            records.regexLimit += undecided
            trace.undecidedPatterns(undecided)
        }
        return undecided == 0
    }

    /// Counts the pattern values of a request of at most `PatternCache.longestKey` bytes when every
    /// pattern regex treats all digits alike: at the offsets remembered for its shape (every digit
    /// `0`), else by the regexes, remembering where they found them when every pattern was decided.
    /// `request[0..<readable]` is readable (`readable >= count`).
    private func extractByShape<Trace: AnalysisTrace>(_ request: UnsafePointer<UInt8>, count: Int, readable: Int, offset: Int,
                                                      trace: inout Trace) {
        _ = DigitBlindness.normalize(request, count: count, readable: readable, into: patternShapeBytes)
        var hash: UInt64 = 0
        if let found = recentPatterns.found(in: patternShapeBytes, count: count, hash: &hash) {
            for position in 0..<found.count {
                let (index, range) = found.value(position)
                // in bounds: `index` is a rule of `extractor` (see `extract`); the range lies in the
                // request, of the same length as the shape it was found in.
                patterns[index].record(request + range.lowerBound, count: range.count)
                trace.pattern(index, (range.lowerBound + offset)..<(range.upperBound + offset))
            }
            return
        }
        var found = PatternCache.Found()
        if extract(request, count: count, offset: offset, found: &found, trace: &trace) {
            recentPatterns.remember(found, in: patternShapeBytes, count: count, hash: hash)
        }
    }

    /// Classifies a request the first entry of its pair in the cache did not know: by the
    /// second entry (see `firstOutcome`); by its shape (every digit `0`), when the regexes treat
    /// all digits alike and the cache knows that shape; otherwise by the regexes, remembering the
    /// outcome for the request, and for its shape too when its group and method hold no digit,
    /// since every request of that shape then gets it (`DigitBlindness`). `request[0..<readable]`
    /// is readable (`readable >= count`).
    private func classify<Trace: AnalysisTrace>(_ request: UnsafePointer<UInt8>, count: Int, readable: Int, hash: UInt64,
                                                trace: inout Trace) -> ClassificationCache.Outcome {
        var methodHasDigit = false
        guard count <= ClassificationCache.longestKey else {
            return classifyNew(request, count: count, hash: hash, trace: &trace, methodHasDigit: &methodHasDigit)
        }
        if let remembered = recentOutcomes.secondOutcome(of: request, count: count, hash: hash) {
            trace.remembered()
            return remembered
        }
        var shapeHash: UInt64 = 0
        guard classifier.ignoresDigits, DigitBlindness.normalize(request, count: count, readable: readable, into: shapeBytes) else {
            return classifyNew(request, count: count, hash: hash, trace: &trace, methodHasDigit: &methodHasDigit)
        }
        if let remembered = recentOutcomes.outcome(ofShape: shapeBytes, count: count, hash: &shapeHash) {
            trace.remembered()
            return remembered
        }
        let outcome = classifyNew(request, count: count, hash: hash, trace: &trace, methodHasDigit: &methodHasDigit)
        // Remembered for the request (above); for its shape too unless its group or method
        // holds a digit, or it is not to be remembered at all (a limit, a call without room).
        switch outcome {
        case .regexLimit: return outcome
        case .method(let slot) where registry.isOverflow(slot): return outcome
        default: if methodHasDigit { return outcome }
        }
        recentOutcomes.remember(outcome, of: shapeBytes, count: count, hash: shapeHash, shape: true)
        return outcome
    }

    /// Runs the regexes on a request the cache did not know, and remembers the outcome;
    /// `methodHasDigit` tells whether the group or method it was counted under holds a digit.
    private func classifyNew<Trace: AnalysisTrace>(_ request: UnsafePointer<UInt8>, count: Int, hash: UInt64,
                                                   trace: inout Trace, methodHasDigit: inout Bool) -> ClassificationCache.Outcome {
        let outcome: ClassificationCache.Outcome
        let decision = classifier.classify(request, count: count)
        trace.decision(decision)
        switch decision {
        case .valid(_, let aggregation?):
            outcome = .method(slot: aggregationSlot(aggregation))
        case .valid(_, nil):
            let method = UnsafeBufferPointer(start: request + classifier.methodRange.lowerBound, count: classifier.methodRange.count)
            let group = classifier.groupRange.map { UnsafeBufferPointer(start: request + $0.lowerBound, count: $0.count) }
            outcome = .method(slot: registry.slot(group: group, method: method))
            forgetSlotsIfReassigned()
            let methodRange = classifier.methodRange
            methodHasDigit = DigitBlindness.containsDigit(request + methodRange.lowerBound, count: methodRange.count)
                || classifier.groupRange.map { DigitBlindness.containsDigit(request + $0.lowerBound, count: $0.count) } ?? false
        case .skipped:
            outcome = .skipped
        case .missingMethod, .unmatched:
            outcome = .error
        case .regexLimit:
            return .regexLimit
        }
        // A call without room now may find room in a later round: not remembered.
        if case .method(let slot) = outcome, registry.isOverflow(slot) { return outcome }
        recentOutcomes.remember(outcome, of: request, count: count, hash: hash)
        return outcome
    }

    private func aggregationSlot(_ rule: Int) -> Int {
        if let slot = aggregationSlots[rule] { return slot }
        let slot = registry.slot(group: aggregationRules[rule].group, method: aggregationRules[rule].method)
        forgetSlotsIfReassigned()
        if !registry.isOverflow(slot) { aggregationSlots[rule] = slot }
        return slot
    }

    /// When the registry gave a freed method's slot to another, every remembered slot may be stale.
    /// (The check is inlined where a new request was classified; the forgetting, rare, is not.)
    @inline(__always)
    func forgetSlotsIfReassigned() {
        if registry.slotsReassigned { forgetSlots() }
    }

    @inline(never)
    private func forgetSlots() {
        registry.slotsReassigned = false
        recentOutcomes.forgetAll()
        for index in aggregationSlots.indices { aggregationSlots[index] = nil }
    }

    @inline(__always)
    private func parseTime(_ text: UnsafePointer<UInt8>, count: Int) -> Int64? {
        if count == cachedTimeLength, sameAsCachedTime(text, count: count) { return cachedTime }
        return parseNewTime(text, count: count)
    }

    /// Whether `count` bytes at `text` equal the cached time field (whose length is `count`).
    /// Time fields of 24 to 32 bytes (`[30/Nov/2026:02:17:47 +0000]` is 28) are compared as four
    /// words, the last ending at the last byte, without a loop; others with `bytesEqual`. Kept
    /// apart from `bytesEqual`, whose size decides inlining in the regex matchers.
    @inline(__always)
    private func sameAsCachedTime(_ text: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard count >= 24, count <= 32 else { return bytesEqual(cachedTimeBytes, text, count: count) }
        let new = UnsafeRawPointer(text)
        let old = UnsafeRawPointer(cachedTimeBytes)
        // in bounds: the words cover 0..<24 and count-8..<count, all below count (24...32) on
        // both sides (the cache holds `count` bytes, see parseNewTime).
        let last = count &- 8
        let difference =
            (new.loadUnaligned(as: UInt64.self) ^ old.loadUnaligned(as: UInt64.self))
            | (new.loadUnaligned(fromByteOffset: 8, as: UInt64.self) ^ old.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            | (new.loadUnaligned(fromByteOffset: 16, as: UInt64.self) ^ old.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            | (new.loadUnaligned(fromByteOffset: last, as: UInt64.self) ^ old.loadUnaligned(fromByteOffset: last, as: UInt64.self))
        return difference == 0
    }

    /// A time field unlike the last one: parsed and remembered. Out of line, so that the
    /// comparison above is inlined into the line loop (it was not, with this part in it).
    @inline(never)
    private func parseNewTime(_ text: UnsafePointer<UInt8>, count: Int) -> Int64? {
        guard let parsed = Timestamp.parse(text, count: count) else { return nil }
        if count <= 64 {
            cachedTimeBytes.update(from: text, count: count)
            cachedTimeLength = count
            cachedTime = parsed
        }
        return parsed
    }

    // MARK: Rounds

    /// Renders the round's report and starts a new round with zero counts. Methods seen in an
    /// earlier round keep their sections, with zero calls, for `idle_method_rounds` rounds (see
    /// `MethodRegistry`).
    public func finishRound(_ metadata: RoundMetadata) -> ReportDocument {
        let report = reportBuilder.build(
            metadata: metadata, records: records, firstRecord: firstRecord, lastRecord: lastRecord,
            methods: registry.methods, patterns: patterns)
        startNextRound()
        return report
    }

    /// `finishRound(metadata).rendered()`, written without making the document.
    public func finishRoundAsText(_ metadata: RoundMetadata) -> String {
        let text = reportBuilder.text(
            metadata: metadata, records: records, firstRecord: firstRecord, lastRecord: lastRecord,
            methods: registry.methods, patterns: patterns)
        startNextRound()
        return text
    }

    private func startNextRound() {
        records = RecordCounts()
        firstRecord = nil
        lastRecord = nil
        registry.startRound()
        forgetSlotsIfReassigned()
        for index in patterns.indices { patterns[index].reset() }
    }
}

