/// A report's text written piece by piece: `ReportDocument.rendered()` writes a document's
/// sections and entries through it, and the daemon writes a round's report through it without
/// making that document first.
///
/// The daemon writes a report every round and needs its sections as values only for Prometheus:
/// for the 100,000-line benchmark's report (33 KB, 2,650 entries), making the document's
/// Strings, rendering them and freeing them cost 1.0 million instructions more than writing the
/// text at once (callgrind).
public final class ReportText {
    // Bytes in memory of its own, not an Array: each write to an Array checks that it is not
    // shared, which made an entry cost 85 instructions more (callgrind).
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private var sections = 0

    /// `capacity`: the expected size in bytes; the text grows past it when needed.
    public init(capacity: Int) {
        self.capacity = max(64, capacity)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// `[name]`, after a blank line unless it is the first section.
    public func section(_ name: String) {
        if sections > 0 { put(0x0A) }
        sections += 1
        put(UInt8(ascii: "["))
        putCleaned(name)
        put(UInt8(ascii: "]"))
        put(0x0A)
    }

    /// `key = value`.
    public func entry(_ key: String, _ value: String) {
        putKey(key)
        putCleaned(value)
        put(0x0A)
    }

    /// `key = value`, the value in decimal as `String(value)` writes it.
    public func entry(_ key: String, _ value: Int) {
        putCleaned(key)
        // " = ", the number, "\n": written after one check of the room (piece by piece, this
        // took 100 instructions more per entry, callgrind).
        let room = 3 + DecimalDigits.longest + 1
        if room > capacity - count { grow(toHold: count + room) }
        precondition(room <= capacity - count)
        let out = storage + count  // every write below is within out[0..<room]: checked above
        out[0] = UInt8(ascii: " ")
        out[1] = UInt8(ascii: "=")
        out[2] = UInt8(ascii: " ")
        let length = 3 + DecimalDigits.write(value, to: out + 3)
        out[length] = 0x0A
        count += length + 1
    }

    /// The text written so far.
    public var text: String {
        String(decoding: UnsafeBufferPointer(start: storage, count: count), as: UTF8.self)
    }

    private func putKey(_ key: String) {
        putCleaned(key)
        put(UInt8(ascii: " "))
        put(UInt8(ascii: "="))
        put(UInt8(ascii: " "))
    }

    /// `text` as `LineSafeText.cleaned` gives it. Printable ASCII, nearly every name, key and
    /// value, is checked and copied straight from the String's UTF-8 storage.
    private func putCleaned(_ text: String) {
        let copied = text.utf8.withContiguousStorageIfAvailable { piece -> Bool in
            guard piece.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
            put(piece)
            return true
        }
        if copied != true {
            var cleaned = LineSafeText.cleaned(text)
            cleaned.withUTF8 { put($0) }
        }
    }

    @inline(__always)
    private func put(_ byte: UInt8) {
        if count == capacity { grow(toHold: count + 1) }
        precondition(count < capacity)
        storage[count] = byte  // in bounds: checked on the line above
        count += 1
    }

    private func put(_ piece: UnsafeBufferPointer<UInt8>) {
        guard let source = piece.baseAddress else { return }
        if piece.count > capacity - count { grow(toHold: count + piece.count) }
        precondition(piece.count <= capacity - count)
        (storage + count).update(from: source, count: piece.count)  // fits: checked on the line above
        count += piece.count
    }

    private func grow(toHold size: Int) {
        var larger = capacity * 2
        while larger < size { larger *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        grown.update(from: storage, count: count)  // count <= capacity < larger
        storage.deallocate()
        storage = grown
        capacity = larger
    }
}
