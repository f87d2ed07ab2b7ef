import Foundation
import Testing
@testable import PINNPlot

/// A data point must land where the axis limits say, measured against the plot frame found in the image.
@Suite struct MappingTests {
    private let marker = RGB(hex: 0xd62728)

    private func noGrid() -> PlotStyle {
        var style = PlotStyle.standard
        style.grid = nil
        return style
    }

    /// Centroid of the pixels that have exactly `color`.
    private func centroid(of color: RGB, in canvas: Canvas) -> (x: Double, y: Double, count: Int) {
        var sx = 0.0, sy = 0.0, n = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where canvas[x: x, y: y] == color {
                sx += Double(x) + 0.5
                sy += Double(y) + 0.5
                n += 1
            }
        }
        return (sx / Double(max(n, 1)), sy / Double(max(n, 1)), n)
    }

    @Test func linearPointLandsAtItsFraction() throws {
        let plot = LinePlot(title: "mapping", xLabel: "x", yLabel: "y", xLimits: 0...10, yLimits: 0...10,
                            legend: .hidden, style: noGrid(),
                            series: [Series("p", x: [3], y: [7], color: marker, markerRadius: 4)])
        let canvas = plot.render(width: 600, height: 400)
        let area = try #require(FoundPlotArea(canvas, from: (300, 200)))
        let expected = area.pixel(0.3, 0.7)
        #expect(canvas[x: expected.x, y: expected.y] == marker)

        let c = centroid(of: marker, in: canvas)
        #expect(c.count > 20)
        #expect(abs(c.x - (area.minX + 0.3 * area.width)) < 0.75)
        #expect(abs(c.y - (area.maxY - 0.7 * area.height)) < 0.75)
    }

    @Test func logPointLandsAtItsDecadeFraction() throws {
        // 1e-2 is halfway between 1e-4 and 1 in log space; 30 is log10(30)/2 ≈ 0.739 of 1…100.
        let plot = LinePlot(xScale: .log10, yScale: .log10, xLimits: 1e-4...1, yLimits: 1...100,
                            legend: .hidden, style: noGrid(),
                            series: [Series("p", x: [1e-2], y: [30], color: marker, markerRadius: 4)])
        let canvas = plot.render(width: 500, height: 500)
        let area = try #require(FoundPlotArea(canvas, from: (200, 300)))
        let fy = Foundation.log10(30.0) / 2
        let c = centroid(of: marker, in: canvas)
        #expect(abs(c.x - (area.minX + 0.5 * area.width)) < 0.75)
        #expect(abs(c.y - (area.maxY - fy * area.height)) < 0.75)
    }

    @Test func lineConnectsPointsAndBreaksAtNaN() throws {
        let plot = LinePlot(xLimits: 0...4, yLimits: 0...2, legend: .hidden, style: noGrid(),
                            series: [Series("s", x: [0, 1, 2, 3, 4], y: [1, 1, .nan, 1, 1], color: marker)])
        let canvas = plot.render(width: 500, height: 300)
        let area = try #require(FoundPlotArea(canvas, from: (250, 100)))
        let onLine = area.pixel(0.5 / 4, 0.5)
        let inGap = area.pixel(2 / 4, 0.5)
        let laterLine = area.pixel(3.5 / 4, 0.5)
        #expect(canvas[x: onLine.x, y: onLine.y] == marker)
        #expect(canvas[x: laterLine.x, y: laterLine.y] == marker)
        #expect(canvas[x: inGap.x, y: inGap.y] == .white)
    }
}
