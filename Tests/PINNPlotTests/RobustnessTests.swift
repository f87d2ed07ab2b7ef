import Testing
@testable import PINNPlot
import PINNTestSupport

/// Bad or missing data must never crash and must still give a decodable picture.
@Suite struct RobustnessTests {
    private func countPixels(_ color: RGB, in canvas: Canvas) -> Int {
        var n = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where canvas[x: x, y: y] == color { n += 1 }
        }
        return n
    }

    static let degeneratePlots: [LinePlot] = [
        LinePlot(),
        LinePlot(series: [Series("empty", x: [], y: [])]),
        LinePlot(series: [Series("nan", x: [.nan, .nan], y: [.nan, .infinity])]),
        LinePlot(yScale: .log10, series: [Series("non-positive", x: [0, 1, 2], y: [0, -1, -5])]),
        LinePlot(xScale: .log10, yScale: .log10, series: [Series("one", x: [1], y: [1])]),
        LinePlot(series: [Series("flat", x: [1, 1, 1], y: [2, 2, 2])]),
        LinePlot(series: [Series("mismatched", x: [0, 1, 2, 3], y: [1])]),
        LinePlot(series: [Series("huge", x: [0, 1, 2], y: [-1e308, 1e308, .greatestFiniteMagnitude])]),
        LinePlot(xLimits: 0...1, series: [Series("outside", x: [-1e300, 1e300], y: [0, 1])]),
        LinePlot(yScale: .log10, series: [Series("band", x: [0, 1, 2], y: [1, 0.1, 0.01],
                                                 band: Band(lower: [-1, .nan, 0.001], upper: [2, 0.2, 0.02]))]),
        LinePlot(series: [Series("dash", x: [0, 1e6], y: [0, 1], dashed: true)]),
    ]

    @Test(arguments: degeneratePlots)
    func degenerateLinePlotsRender(plot: LinePlot) throws {
        for (w, h) in [(400, 300), (60, 40), (1, 1), (0, -5)] {
            let canvas = plot.render(width: w, height: h)
            let decoded = try DecodedPNG(try canvas.png())
            #expect(decoded.width == max(1, w) && decoded.height == max(1, h))
        }
    }

    @Test func plotWithoutDataShowsANote() {
        let canvas = LinePlot(title: "nothing", series: [Series("nan", x: [.nan], y: [.nan])]).render()
        #expect(countPixels(PlotStyle.standard.note, in: canvas) > 20)
        let withData = LinePlot(series: [Series("ok", x: [0, 1], y: [0, 1])]).render()
        #expect(countPixels(PlotStyle.standard.note, in: withData) == 0)
    }

    @Test func degenerateHeatmapsRender() throws {
        let maps: [Heatmap] = [
            Heatmap(values: []),
            Heatmap(values: [[]]),
            Heatmap(values: [[.nan, .infinity], [-.infinity, .nan]]),
            Heatmap(values: [[3, 3], [3, 3]]),
            Heatmap(values: [[1, 2, 3], [4]]),
            Heatmap(values: [[-1, 0]], colorScale: .log10),
            Heatmap(values: [[0, 0]], colorMap: .redBlue),
            Heatmap(values: [[1]], xRange: 2...2, yRange: -1...(-1), smooth: true),
        ]
        for map in maps {
            for (w, h) in [(300, 200), (30, 20), (1, 1)] {
                let canvas = map.render(width: w, height: h)
                #expect(try DecodedPNG(try canvas.png()).width == w)
            }
        }
        #expect(countPixels(PlotStyle.standard.note, in: Heatmap(values: [[.nan]]).render()) > 20)
    }

    @Test func unusableFramesDrawNothing() {
        let panels: [any Panel] = [LinePlot(series: [Series("s", y: [1, 2])]), Heatmap(values: [[1]]),
                                   Figure(columns: 1, panels: [LinePlot()])]
        for panel in panels {
            for frame in [Rect(x: .nan, y: 0, width: 10, height: 10), Rect(x: 0, y: 0, width: .infinity, height: 5),
                          Rect(x: 0, y: 0, width: 0, height: 100), Rect(x: 5, y: 5, width: 1e30, height: 1e30)] {
                var canvas = Canvas(width: 20, height: 20)
                panel.draw(on: &canvas, in: frame)
                #expect(canvas.rgb.allSatisfy { $0 == 255 })
            }
        }
    }

    @Test func emptyAndOversizedFiguresRender() throws {
        _ = try DecodedPNG(try Figure(columns: 3, panels: []).png())
        _ = try DecodedPNG(try Figure(rows: 1, columns: 1, panels: [LinePlot(), LinePlot()]).png())
        _ = try DecodedPNG(try Figure(rows: -2, columns: 0, panelWidth: 0, panelHeight: -3, panels: [LinePlot()]).png())
    }
}
