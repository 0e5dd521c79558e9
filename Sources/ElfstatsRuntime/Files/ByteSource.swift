/// Bytes read by position. The start-up seek is written against it, so that a test can count
/// how many bytes finding the start offset in a large log actually took.
public protocol ByteSource: AnyObject {
    /// Fills `buffer` from `offset`; returns fewer bytes only at the end of the data.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SystemError) -> Int
    /// The current length of the data.
    func size() throws(SystemError) -> Int64
}
