/// The one read-all and the one write-all loop, shared by the daemon (through `FileIO`, which
/// words the failure with a path) and the Munin plugins, which do not link the daemon's runtime.
/// Both retry on EINTR, loop over short transfers, and capture `errno` at the failing call.
public enum DescriptorIO {
    /// The `errno` of the call that failed.
    public struct Failure: Error, Equatable {
        public let code: Int32
        public init(code: Int32) { self.code = code }
    }

    /// Writes every byte of `bytes` to `descriptor`. A write that moves nothing fails with EIO
    /// rather than looping forever.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(Failure) {
        var done = 0
        while done < bytes.count {
            let result = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if result < 0 {
                let code = errno
                if code == EINTR { continue }
                throw Failure(code: code)
            }
            if result == 0 { throw Failure(code: EIO) }
            done += result
        }
    }

    /// Reads `descriptor` from its current position to the end. More than `limit` bytes fails
    /// with EFBIG, so that a planted huge file cannot take the memory.
    public static func readAll(_ descriptor: Int32, limit: Int) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if got < 0 {
                let code = errno
                if code == EINTR { continue }
                throw Failure(code: code)
            }
            if got == 0 { return bytes }
            if bytes.count + got > limit { throw Failure(code: EFBIG) }
            bytes.append(contentsOf: chunk[0..<got])
        }
    }
}
