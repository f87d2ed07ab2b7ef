import CZlib

/// Writes 8-bit RGB images as PNG (ISO/IEC 15948).
///
/// The file is the 8-byte signature followed by three chunks, each stored as
/// `length (4 bytes, big-endian) · type (4 ASCII bytes) · data · CRC-32 of type and data`:
/// - `IHDR`: width, height, bit depth 8, colour type 2 (truecolour), compression 0, filter 0, interlace 0;
/// - `IDAT`: the zlib stream (deflate via zlib's `compress2`) of the scanlines, each prefixed by
///   filter type 0 (none);
/// - `IEND`: empty.
public enum PNGEncoder {
    public enum Error: Swift.Error, Equatable {
        /// `rgb.count` is not `width · height · 3`, or a dimension is outside 1…2³¹−1.
        case invalidDimensions(width: Int, height: Int, bytes: Int)
        /// zlib returned this status code.
        case compressionFailed(Int32)
    }

    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// PNG bytes of a `width × height` image given as row-major R, G, B bytes.
    public static func encode(width: Int, height: Int, rgb: [UInt8], compressionLevel: Int32 = 6) throws -> [UInt8] {
        let limit = Int(Int32.max)
        guard width >= 1, height >= 1, width <= limit, height <= limit,
              width.multipliedReportingOverflow(by: height * 3).overflow == false,
              rgb.count == width * height * 3
        else { throw Error.invalidDimensions(width: width, height: height, bytes: rgb.count) }

        var header: [UInt8] = []
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]

        let rowBytes = width * 3
        var scanlines = [UInt8](repeating: 0, count: height * (rowBytes + 1))
        for y in 0..<height {
            // Byte 0 of each scanline stays 0: filter type "none".
            scanlines.replaceSubrange((y * (rowBytes + 1) + 1)...(y * (rowBytes + 1) + rowBytes),
                                      with: rgb[(y * rowBytes)..<((y + 1) * rowBytes)])
        }

        var png = signature
        png += chunk("IHDR", header)
        png += chunk("IDAT", try deflate(scanlines, level: compressionLevel))
        png += chunk("IEND", [])
        return png
    }

    /// A zlib stream (RFC 1950) of `data`.
    static func deflate(_ data: [UInt8], level: Int32) throws -> [UInt8] {
        var capacity = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &capacity, input.baseAddress, uLong(input.count), level)
            }
        }
        guard status == Z_OK else { throw Error.compressionFailed(status) }
        return Array(output.prefix(Int(capacity)))
    }

    /// CRC-32 (the polynomial used by PNG and zlib) of `bytes`.
    public static func crc(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(crc(typeAndData))
    }

    private static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
}
