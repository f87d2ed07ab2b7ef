import Testing
@testable import PINNPlot

@Suite struct HeatmapTests {
    /// 3 rows × 4 columns; the minimum sits in row 2 (top), column 1, the maximum in row 0 (bottom), column 3.
    private let values: [[Double]] = [
        [0.5, 0.2, 0.3, 9.0],
        [0.4, 1.0, 2.0, 3.0],
        [0.7, -4.0, 0.1, 0.6],
    ]

    private func cellCenter(_ area: FoundPlotArea, row: Int, column: Int, rows: Int, columns: Int) -> (x: Int, y: Int) {
        area.pixel((Double(column) + 0.5) / Double(columns), (Double(row) + 0.5) / Double(rows))
    }

    @Test func extremeCellsTakeTheEndsOfTheColorMap() throws {
        let canvas = Heatmap(values: values, title: "h", xLabel: "x", yLabel: "y").render(width: 500, height: 400)
        let area = try #require(FoundPlotArea(canvas, from: (200, 200)))
        let minCell = cellCenter(area, row: 2, column: 1, rows: 3, columns: 4)
        let maxCell = cellCenter(area, row: 0, column: 3, rows: 3, columns: 4)
        #expect(canvas[x: minCell.x, y: minCell.y] == ColorMap.viridis.first)
        #expect(canvas[x: maxCell.x, y: maxCell.y] == ColorMap.viridis.last)
        #expect(ColorMap.viridis.first == RGB(hex: 0x440154))
        #expect(ColorMap.viridis.last == RGB(hex: 0xfde725))
        // Another cell lies strictly between: t = (1 − (−4)) / 13.
        let middle = cellCenter(area, row: 1, column: 1, rows: 3, columns: 4)
        #expect(canvas[x: middle.x, y: middle.y] == ColorMap.viridis.color(at: 5.0 / 13.0))
    }

    @Test func colorBarRunsFromFirstToLastColor() throws {
        let canvas = Heatmap(values: values).render(width: 500, height: 400)
        let area = try #require(FoundPlotArea(canvas, from: (200, 200)))
        // Right of the data area: background, then the colour bar's one-pixel frame.
        let axis = PlotStyle.standard.axis
        let row = (area.top + area.bottom) / 2
        let barFrame = try #require((area.right + 1..<canvas.width).first { canvas[x: $0, y: row] == axis })
        let column = barFrame + 3
        let barTop = try #require((0..<row).reversed().first { canvas[x: column, y: $0] == axis })
        let barBottom = try #require((row..<canvas.height).first { canvas[x: column, y: $0] == axis })
        #expect(canvas[x: column, y: barBottom - 1] == ColorMap.viridis.first)
        #expect(canvas[x: column, y: barTop + 1] == ColorMap.viridis.last)
    }

    @Test func divergingMapIsCentredOnZero() throws {
        let canvas = Heatmap(values: [[-2, 0, 1]], colorMap: .redBlue).render(width: 500, height: 300)
        let area = try #require(FoundPlotArea(canvas, from: (150, 150)))
        let cells = (0..<3).map { cellCenter(area, row: 0, column: $0, rows: 1, columns: 3) }
        #expect(canvas[x: cells[0].x, y: cells[0].y] == ColorMap.redBlue.first)
        #expect(canvas[x: cells[1].x, y: cells[1].y] == RGB(hex: 0xf7f7f7))  // the neutral middle anchor
        #expect(canvas[x: cells[2].x, y: cells[2].y] == ColorMap.redBlue.color(at: 0.75))
    }

    @Test func logScaleSpacesColoursByDecadesAndMarksInvalidCells() throws {
        let map = Heatmap(values: [[1e-6, 1e-4, 1e-2, 0]], colorScale: .log10)
        let canvas = map.render(width: 600, height: 300)
        let area = try #require(FoundPlotArea(canvas, from: (150, 150)))
        let cells = (0..<4).map { cellCenter(area, row: 0, column: $0, rows: 1, columns: 4) }
        #expect(canvas[x: cells[0].x, y: cells[0].y] == ColorMap.viridis.first)
        #expect(canvas[x: cells[1].x, y: cells[1].y] == ColorMap.viridis.color(at: 0.5))
        #expect(canvas[x: cells[2].x, y: cells[2].y] == ColorMap.viridis.last)
        #expect(canvas[x: cells[3].x, y: cells[3].y] == ColorMap.viridis.missing)
    }

    @Test func colorMapInterpolatesBetweenAnchors() {
        let map = ColorMap(name: "bw", anchors: [.black, .white])
        #expect(map.color(at: 0) == .black)
        #expect(map.color(at: 1) == .white)
        #expect(map.color(at: 0.5) == RGB(128, 128, 128))
        #expect(map.color(at: -3) == .black)
        #expect(map.color(at: 7) == .white)
        #expect(map.color(at: .nan) == map.missing)
    }
}
