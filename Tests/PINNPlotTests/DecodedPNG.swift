import CZlib
import PINNPlot

/// A minimal PNG reader for 8-bit RGB, filter-0 images, written independently of the encoder:
/// it walks the chunks, checks the signature and every CRC (with its own table-driven CRC-32),
/// and inflates IDAT with zlib's `uncompress`.
struct DecodedPNG {
    struct Chunk {
        var type: String
        var data: [UInt8]
        var storedCRC: UInt32
    }

    enum Failure: Error { case badSignature, truncated, badCRC(String), badHeader, inflateFailed(Int32), badFilter }

    var chunks: [Chunk] = []
    var width = 0, height = 0
    var bitDepth: UInt8 = 0, colorType: UInt8 = 0, compression: UInt8 = 0, filter: UInt8 = 0, interlace: UInt8 = 0
    var rgb: [UInt8] = []

    init(_ bytes: [UInt8]) throws {
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

    subscript(x x: Int, y y: Int) -> RGB {
        let i = (y * width + x) * 3
        return RGB(rgb[i], rgb[i + 1], rgb[i + 2])
    }

    static func uint32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    /// CRC-32 with the reflected polynomial 0xEDB88320, as specified by PNG (ISO 3309).
    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

/// Deterministic pseudo-random bytes for test images.
struct TestNoise {
    var state: UInt64
    mutating func byte() -> UInt8 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}

/// The data area of a rendered plot, found from its frame, independent of the layout code: walking
/// outward from a point inside the data area, the first pixel of the axis colour is the frame.
struct FoundPlotArea {
    /// Columns/rows of the one-pixel frame lines.
    var left = 0, right = 0, top = 0, bottom = 0

    init?(_ canvas: Canvas, from start: (x: Int, y: Int), frame: RGB = PlotStyle.standard.axis) {
        func walk(_ dx: Int, _ dy: Int) -> Int? {
            var x = start.x, y = start.y
            while x >= 0, x < canvas.width, y >= 0, y < canvas.height {
                if canvas[x: x, y: y] == frame { return dx != 0 ? x : y }
                x += dx
                y += dy
            }
            return nil
        }
        guard let l = walk(-1, 0), let r = walk(1, 0), let t = walk(0, -1), let b = walk(0, 1) else { return nil }
        (left, right, top, bottom) = (l, r, t, b)
    }

    /// The data area spans from just inside the left/top frame line to the right/bottom one.
    var minX: Double { Double(left + 1) }
    var width: Double { Double(right - left - 1) }
    var maxY: Double { Double(bottom) }
    var height: Double { Double(bottom - top - 1) }

    /// Expected pixel of a point at fractions (fx, fy) of the axes, y upward.
    func pixel(_ fx: Double, _ fy: Double) -> (x: Int, y: Int) {
        (Int((minX + fx * width).rounded(.down)), Int((maxY - fy * height).rounded(.down)))
    }
}
