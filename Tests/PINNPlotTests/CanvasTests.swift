import Testing
@testable import PINNPlot

@Suite struct CanvasTests {
    private let ink = RGB(hex: 0x1f77b4)

    @Test func pixelAlignedLineIsCrisp() {
        var canvas = Canvas(width: 20, height: 10)
        canvas.strokeLine(from: Point(2, 5.5), to: Point(17, 5.5), color: ink, width: 1)
        for x in 3..<17 {
            #expect(canvas[x: x, y: 5] == ink)
            #expect(canvas[x: x, y: 4] == .white)
            #expect(canvas[x: x, y: 6] == .white)
        }
    }

    @Test func lineBetweenPixelRowsIsSharedHalfAndHalf() {
        var canvas = Canvas(width: 20, height: 10, background: .white)
        canvas.strokeLine(from: Point(2, 5), to: Point(17, 5), color: .black, width: 1)
        // The line's centre is on the boundary between rows 4 and 5: each is covered by half.
        #expect(canvas[x: 10, y: 4] == RGB(128, 128, 128))
        #expect(canvas[x: 10, y: 5] == RGB(128, 128, 128))
        #expect(canvas[x: 10, y: 3] == .white)
    }

    @Test func dashesAlternate() {
        var canvas = Canvas(width: 60, height: 5)
        canvas.strokePolyline([Point(0, 2.5), Point(60, 2.5)], color: .black, width: 1, dash: [8, 5])
        // On 0–8, off 8–13, on 13–21 …
        #expect(canvas[x: 4, y: 2] == .black)
        #expect(canvas[x: 10, y: 2] == .white)
        #expect(canvas[x: 17, y: 2] == .black)
    }

    @Test func polygonCoversItsInteriorAndHalfOfStraddledPixels() {
        var canvas = Canvas(width: 12, height: 12)
        canvas.fillPolygon([Point(2, 2), Point(8.5, 2), Point(8.5, 8), Point(2, 8)], color: .black)
        #expect(canvas[x: 2, y: 2] == .black)
        #expect(canvas[x: 7, y: 7] == .black)
        #expect(canvas[x: 8, y: 5] == RGB(128, 128, 128))
        #expect(canvas[x: 1, y: 5] == .white)
        #expect(canvas[x: 5, y: 8] == .white)
    }

    @Test func clipKeepsDrawingInside() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.withClip(Rect(x: 5, y: 5, width: 10, height: 10)) { canvas in
            canvas.fill(ink)
            canvas.strokeLine(from: Point(-100, -100), to: Point(100, 100), color: .black, width: 3)
        }
        #expect(canvas[x: 5, y: 5] == .black)
        #expect(canvas[x: 14, y: 6] == ink)
        #expect(canvas[x: 4, y: 4] == .white)
        #expect(canvas[x: 15, y: 15] == .white)
    }

    @Test func textAtScaleOneReproducesTheGlyph() {
        let font = BitmapFont.standard
        var canvas = Canvas(width: 30, height: 20)
        canvas.drawText("A7", x: 3, y: 2, color: .black)
        for (k, character) in "A7".enumerated() {
            for row in 0..<font.cellHeight {
                for column in 0..<font.advance {
                    let expected: RGB = font.isSet(character, column: column, row: row) ? .black : .white
                    #expect(canvas[x: 3 + k * font.advance + column, y: 2 + row] == expected)
                }
            }
        }
    }

    @Test func rotatedTextReadsUpward() {
        let font = BitmapFont.standard
        var canvas = Canvas(width: 20, height: 20)
        canvas.drawText("L", x: 2, y: 2, color: .black, rotated: true)
        // Turned 90° counter-clockwise, glyph pixel (column c, row r) lands at (2 + r, 2 + 4 − c).
        for row in 0..<font.ascent {
            for column in 0..<font.glyphWidth {
                let expected: RGB = font.isSet("L", column: column, row: row) ? .black : .white
                #expect(canvas[x: 2 + row, y: 2 + 4 - column] == expected)
            }
        }
    }

    @Test func fontCoversPrintableASCIIWithDistinctGlyphs() {
        let font = BitmapFont.standard
        var seen: [String: Character] = [:]
        for code in 33...126 {
            let c = Character(Unicode.Scalar(UInt8(code)))
            let bitmap = (0..<font.cellHeight).map { r in
                String((0..<font.glyphWidth).map { font.isSet(c, column: $0, row: r) ? "#" : "." })
            }.joined(separator: " ")
            #expect(bitmap.contains("#"), "glyph \(c) is blank")
            // Zero and capital O share a shape in 5 × 7, as in many small fonts.
            if let other = seen[bitmap], !([other, c] == ["0", "O"]) {
                Issue.record("glyphs \(other) and \(c) are identical")
            }
            seen[bitmap] = c
        }
        #expect(font.width(of: "1e-3", scale: 2) == (6 * 4 - 1) * 2)
        // Unknown characters fall back to "?".
        #expect((0..<9).allSatisfy { r in (0..<5).allSatisfy { font.isSet("λ", column: $0, row: r) == font.isSet("?", column: $0, row: r) } })
    }
}
