import CZlib

/// Inflates a gzip member (RFC 1952) in memory with zlib: the IDX files of the MNIST-type datasets ship gzip'd.
/// Bytes that do not start with the gzip magic 1f 8b are returned unchanged, so an unpacked IDX file reads too.
public enum GzipDecoder {
    public static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The decompressed bytes; `name` only labels the error (a truncated or corrupt stream).
    public static func decompress(_ bytes: [UInt8], name: String) throws -> [UInt8] {
        guard isGzip(bytes) else { return bytes }
        var stream = z_stream()
        // windowBits 15 + 16: expect a gzip header and trailer (zlib.h, inflateInit2).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ClassificationDataError.corrupt(file: name, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status: Int32 = Z_OK
        try bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else {
                    throw ClassificationDataError.corrupt(
                        file: name, reason: status == Z_BUF_ERROR ? "the gzip stream ends early (truncated file)"
                                                                  : "the gzip stream is corrupt (zlib status \(status))")
                }
                output.append(contentsOf: chunk.prefix(produced))
            } while status != Z_STREAM_END
        }
        return output
    }
}
