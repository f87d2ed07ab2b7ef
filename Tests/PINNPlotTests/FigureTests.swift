import Testing
@testable import PINNPlot

/// A panel that paints its whole frame, to see where a figure puts it.
private struct Swatch: Panel {
    var color: RGB
    func draw(on canvas: inout Canvas, in frame: Rect) {
        canvas.fillRect(frame, color: color)
    }
}

@Suite struct FigureTests {
    @Test func panelsFillTheirGridCellsRowMajor() {
        let colors = [0xff0000, 0x00ff00, 0x0000ff, 0x888800].map { RGB(hex: $0) }
        let figure = Figure(columns: 2, panelWidth: 50, panelHeight: 40, panels: colors.map { Swatch(color: $0) })
        let canvas = figure.render()
        #expect(canvas.width == 100 && canvas.height == 80)
        #expect(canvas[x: 0, y: 0] == colors[0] && canvas[x: 49, y: 39] == colors[0])
        #expect(canvas[x: 50, y: 0] == colors[1] && canvas[x: 99, y: 39] == colors[1])
        #expect(canvas[x: 0, y: 40] == colors[2] && canvas[x: 49, y: 79] == colors[2])
        #expect(canvas[x: 50, y: 40] == colors[3] && canvas[x: 99, y: 79] == colors[3])
    }

    @Test func titleStripSitsAboveTheGrid() {
        let figure = Figure(columns: 3, panelWidth: 100, panelHeight: 80, title: "fits",
                            panels: [Swatch(color: .black)])
        let canvas = figure.render()
        let strip = canvas.height - 80
        #expect(strip > 0)
        #expect(canvas.width == 300)
        #expect(canvas[x: 50, y: strip] == .black)
        #expect(canvas[x: 50, y: strip - 1] != .black)
        #expect(canvas[x: 150, y: strip + 10] == .white)  // empty cell
    }

    @Test func panelsStayInsideTheirFrames() {
        var canvas = Canvas(width: 300, height: 200, background: RGB(hex: 0x00ff00))
        let frame = Rect(x: 50, y: 30, width: 200, height: 140)
        let plot = LinePlot(title: "a long title that does not fit in this small frame at all",
                            xLabel: "x", yLabel: "y",
                            series: [Series("s", x: [0, 1], y: [0, 1], band: Band(lower: [-1, 0], upper: [1, 2]))])
        plot.draw(on: &canvas, in: frame)
        Heatmap(values: [[1, 2], [3, 4]], colorBarLabel: "u").draw(on: &canvas, in: Rect(x: 0, y: 0, width: 40, height: 30))
        for y in 0..<200 {
            for x in 0..<300 where !frame.contains(Point(Double(x) + 0.5, Double(y) + 0.5))
                && !(x < 40 && y < 30) {
                if canvas[x: x, y: y] != RGB(hex: 0x00ff00) {
                    Issue.record("pixel (\(x), \(y)) outside the frames was drawn")
                    return
                }
            }
        }
    }
}
