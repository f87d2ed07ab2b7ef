import CZlib
import Testing
@testable import PINNPlot
import PINNTestSupport

@Suite struct PNGEncoderTests {
    @Test(arguments: [(1, 1), (7, 3), (64, 40), (3, 100)])
    func roundTripRecoversExactPixels(size: (Int, Int)) throws {
        let (width, height) = size
        var noise = TestNoise(state: UInt64(width * 1000 + height))
        let pixels = (0..<(width * height * 3)).map { _ in noise.byte() }

        let png = try PNGEncoder.encode(width: width, height: height, rgb: pixels)
        let decoded = try DecodedPNG(png)

        #expect(decoded.chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        #expect(decoded.width == width)
        #expect(decoded.height == height)
        #expect(decoded.bitDepth == 8)
        #expect(decoded.colorType == 2)
        #expect(decoded.compression == 0)
        #expect(decoded.filter == 0)
        #expect(decoded.interlace == 0)
        #expect(decoded.chunks.last?.data.isEmpty == true)
        #expect(decoded.rgb == pixels)
    }

    @Test func chunkCRCsAgreeWithZlib() throws {
        let png = try PNGEncoder.encode(width: 2, height: 2, rgb: [UInt8](repeating: 200, count: 12))
        for chunk in try DecodedPNG(png).chunks {
            let covered = Array(chunk.type.utf8) + chunk.data
            let zlibCRC = covered.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
            #expect(chunk.storedCRC == zlibCRC)
            #expect(PNGEncoder.crc(covered) == DecodedPNG.crc32(covered))
        }
        // The CRC-32 check value from the PNG specification's reference implementation.
        #expect(DecodedPNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func rejectsMismatchedBuffers() {
        #expect(throws: PNGEncoder.Error.self) { try PNGEncoder.encode(width: 2, height: 2, rgb: [0, 0, 0]) }
        #expect(throws: PNGEncoder.Error.self) { try PNGEncoder.encode(width: 0, height: 5, rgb: []) }
        #expect(throws: PNGEncoder.Error.self) { try PNGEncoder.encode(width: -1, height: -1, rgb: [0, 0, 0]) }
    }

    @Test func renderedPlotDecodesToTheCanvas() throws {
        let plot = LinePlot(title: "t", xLabel: "x", yLabel: "y", series: [Series("s", x: [0, 1, 2], y: [1, 3, 2])])
        let canvas = plot.render(width: 320, height: 200)
        let decoded = try DecodedPNG(try canvas.png())
        #expect(decoded.width == 320 && decoded.height == 200)
        #expect(decoded.rgb == canvas.rgb)
    }
}
