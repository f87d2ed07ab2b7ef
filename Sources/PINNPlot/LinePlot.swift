/// Curves y(x) on linear or log axes, with optional shaded bands, a legend, title and axis labels.
///
/// Points that cannot be placed (NaN, ±∞, or ≤ 0 on a log axis) break a curve into separate pieces,
/// as in matplotlib; a piece of one point is drawn as a dot. On a log y axis a band whose lower edge
/// drops to ≤ 0 (mean − spread below zero) is filled down to the bottom of the plot. Without any
/// plottable point the axes are drawn around a "no data" note.
public struct LinePlot: Panel {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: AxisScale
    public var yScale: AxisScale
    /// Fixed axis limits in data units; nil fits the data with a 5 % margin.
    public var xLimits: ClosedRange<Double>?
    public var yLimits: ClosedRange<Double>?
    public var series: [Series]
    public var legend: LegendPosition
    public var style: PlotStyle

    /// On/off lengths in pixels of dashed lines.
    static let dashPattern: [Double] = [8, 5]

    public init(title: String = "", xLabel: String = "", yLabel: String = "",
                xScale: AxisScale = .linear, yScale: AxisScale = .linear,
                xLimits: ClosedRange<Double>? = nil, yLimits: ClosedRange<Double>? = nil,
                legend: LegendPosition = .auto, style: PlotStyle = .standard, series: [Series] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.xLimits = xLimits
        self.yLimits = yLimits
        self.series = series
        self.legend = legend
        self.style = style
    }

    public func draw(on canvas: inout Canvas, in frame: Rect) {
        guard frame.isDrawable else { return }
        canvas.withClip(frame) { canvas in
            let axes = layout(in: frame)
            axes.drawBackground(on: &canvas)
            var occupied: [Point] = []
            var hasData = false
            canvas.withClip(axes.plot) { canvas in
                for (i, s) in series.enumerated() {
                    guard let band = s.band else { continue }
                    for polygon in bandPolygons(s, band, axes) {
                        canvas.fillPolygon(polygon, color: color(of: s, i), opacity: band.opacity)
                    }
                }
                for (i, s) in series.enumerated() {
                    let width = s.lineWidth ?? style.lineWidth
                    for run in runs(of: s, axes) {
                        hasData = true
                        if run.count == 1 {
                            canvas.fillCircle(center: run[0], radius: max(2.5, 1.5 * width), color: color(of: s, i))
                        } else {
                            canvas.strokePolyline(run, color: color(of: s, i), width: width,
                                                  dash: s.dashed ? Self.dashPattern : nil)
                        }
                        if let r = s.markerRadius {
                            for p in run { canvas.fillCircle(center: p, radius: r, color: color(of: s, i)) }
                        }
                        occupied += Self.samples(along: run)
                    }
                }
            }
            axes.drawDecorations(on: &canvas)
            if !hasData { axes.drawNote("no data", on: &canvas) }
            drawLegend(on: &canvas, axes: axes, occupied: occupied)
        }
    }

    /// The axes for this plot inside `frame`, with limits fitted to all plottable points and bands.
    func layout(in frame: Rect) -> Axes {
        var xs: [Double] = [], ys: [Double] = []
        for s in series {
            for i in 0..<min(s.x.count, s.y.count)
            where xScale.transform(s.x[i]) != nil && yScale.transform(s.y[i]) != nil {
                xs.append(s.x[i])
                ys.append(s.y[i])
            }
            if let band = s.band {
                for i in 0..<min(s.x.count, band.lower.count, band.upper.count) where xScale.transform(s.x[i]) != nil {
                    ys += [band.lower[i], band.upper[i]].filter { yScale.transform($0) != nil }
                }
            }
        }
        return Axes(frame: frame, style: style, title: title, xLabel: xLabel, yLabel: yLabel,
                    x: Axis(scale: xScale, fitting: xs, limits: xLimits),
                    y: Axis(scale: yScale, fitting: ys, limits: yLimits))
    }

    private func color(of s: Series, _ index: Int) -> RGB { s.color ?? RGB.cycle(index) }

    /// Pixel positions of the series split into maximal runs of plottable points.
    private func runs(of s: Series, _ axes: Axes) -> [[Point]] {
        var runs: [[Point]] = [], current: [Point] = []
        for i in 0..<min(s.x.count, s.y.count) {
            if let p = axes.point(s.x[i], s.y[i]) {
                current.append(p)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// Closed outlines (upper edge forward, lower edge backward) of each stretch where the band is defined.
    private func bandPolygons(_ s: Series, _ band: Band, _ axes: Axes) -> [[Point]] {
        var polygons: [[Point]] = []
        var upper: [Point] = [], lower: [Point] = []
        func flush() {
            if upper.count >= 2 { polygons.append(upper + lower.reversed()) }
            upper = []
            lower = []
        }
        for i in 0..<min(s.x.count, band.lower.count, band.upper.count) {
            guard let top = axes.point(s.x[i], band.upper[i]) else { flush(); continue }
            if let bottom = axes.point(s.x[i], band.lower[i]) {
                lower.append(bottom)
            } else if yScale == .log10, band.lower[i] <= 0 {
                // log(≤ 0) = −∞: the band reaches below anything the axis can show.
                lower.append(Point(top.x, axes.plot.maxY + 2))
            } else {
                flush()
                continue
            }
            upper.append(top)
        }
        flush()
        return polygons
    }

    /// Points every few pixels along a run, so the legend can avoid long segments between sparse data.
    private static func samples(along run: [Point]) -> [Point] {
        var points = run
        for (a, b) in zip(run, run.dropFirst()) {
            let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            let steps = clampedInt(length / 6, 0, 1000)
            guard steps > 1 else { continue }
            for k in 1..<steps {
                let t = Double(k) / Double(steps)
                points.append(Point(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)))
            }
        }
        return points
    }

    private func drawLegend(on canvas: inout Canvas, axes: Axes, occupied: [Point]) {
        let entries = series.enumerated().filter { !$0.element.name.isEmpty }.map { i, s in
            Legend.Entry(name: s.name, color: color(of: s, i), dashed: s.dashed,
                         lineWidth: s.lineWidth ?? style.lineWidth, bandOpacity: s.band?.opacity)
        }
        let legend = Legend(entries: entries, style: style)
        if let box = legend.frame(in: axes.plot, position: self.legend, occupied: occupied) {
            legend.draw(on: &canvas, in: box)
        }
    }
}
