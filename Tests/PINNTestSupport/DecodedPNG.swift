import CZlib
import PINNPlot

/// A minimal PNG reader for 8-bit RGB, filter-0 images, written independently of the encoder:
/// it walks the chunks, checks the signature and every CRC (with its own table-driven CRC-32),
/// and inflates IDAT with zlib's `uncompress`.
public struct DecodedPNG {
    public struct Chunk {
        public var type: String
        public var data: [UInt8]
        public var storedCRC: UInt32
    }

    public enum Failure: Error { case badSignature, truncated, badCRC(String), badHeader, inflateFailed(Int32), badFilter }

    public var chunks: [Chunk] = []
    public var width = 0, height = 0
    public var bitDepth: UInt8 = 0, colorType: UInt8 = 0, compression: UInt8 = 0, filter: UInt8 = 0, interlace: UInt8 = 0
    public var rgb: [UInt8] = []

    public init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 8, Array(bytes[0..<8]) == [137, 80, 78, 71, 13, 10, 26, 10] else { throw Failure.badSignature }
        var i = 8
        while i < bytes.count {
            guard i + 12 <= bytes.count else { throw Failure.truncated }
            let length = Int(Self.uint32(bytes, i))
            guard i + 12 + length <= bytes.count else { throw Failure.truncated }
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            let data = Array(bytes[(i + 8)..<(i + 8 + length)])
            let stored = Self.uint32(bytes, i + 8 + length)
            guard Self.crc32(Array(bytes[(i + 4)..<(i + 8 + length)])) == stored else { throw Failure.badCRC(type) }
            chunks.append(Chunk(type: type, data: data, storedCRC: stored))
            i += 12 + length
        }
        guard let header = chunks.first, header.type == "IHDR", header.data.count == 13 else { throw Failure.badHeader }
        width = Int(Self.uint32(header.data, 0))
        height = Int(Self.uint32(header.data, 4))
        (bitDepth, colorType, compression, filter, interlace) =
            (header.data[8], header.data[9], header.data[10], header.data[11], header.data[12])

        let compressed = chunks.filter { $0.type == "IDAT" }.flatMap(\.data)
        let rowBytes = width * 3 + 1
        var raw = [UInt8](repeating: 0, count: rowBytes * height)
        var rawLength = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &rawLength, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else { throw Failure.inflateFailed(status) }
        for y in 0..<height {
            guard raw[y * rowBytes] == 0 else { throw Failure.badFilter }
            rgb += raw[(y * rowBytes + 1)..<((y + 1) * rowBytes)]
        }
    }

    public subscript(x x: Int, y y: Int) -> RGB {
        let i = (y * width + x) * 3
        return RGB(rgb[i], rgb[i + 1], rgb[i + 2])
    }

    public static func uint32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    /// CRC-32 with the reflected polynomial 0xEDB88320, as specified by PNG (ISO 3309).
    public static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

