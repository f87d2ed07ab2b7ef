/// A 2-D grid of values drawn as coloured cells, with a colour bar.
///
/// `values[i][j]` is the cell in row `i` and column `j`. Columns divide `xRange` evenly from left to
/// right and rows divide `yRange` evenly from bottom to top (row 0 at `yRange.lowerBound`), so the
/// ranges are the outer edges of the grid. A value `v` gets the colour at
/// `t = (s(v) − s(lo)) / (s(hi) − s(lo))`, with `s` the identity or log₁₀, clamped to [0, 1]: the smallest
/// value takes the map's first colour and the largest its last. Undefined values (NaN, ±∞, ≤ 0 on a log
/// scale, missing entries of ragged rows) take the map's `missing` colour.
public struct Heatmap: Panel {
    public var values: [[Double]]
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    public var colorMap: ColorMap
    /// `.log10` spaces colours by orders of magnitude (for errors spanning many decades).
    public var colorScale: AxisScale
    /// Values mapped to the ends of the colour map; nil uses the data's extent, or `[−m, m]` with
    /// `m = max |v|` for a diverging map on a linear scale.
    public var valueRange: ClosedRange<Double>?
    /// Interpolate bilinearly between cell centres instead of drawing flat cells.
    public var smooth: Bool
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var colorBarLabel: String
    public var style: PlotStyle

    public init(values: [[Double]], xRange: ClosedRange<Double> = 0...1, yRange: ClosedRange<Double> = 0...1,
                colorMap: ColorMap = .viridis, colorScale: AxisScale = .linear,
                valueRange: ClosedRange<Double>? = nil, smooth: Bool = false,
                title: String = "", xLabel: String = "", yLabel: String = "", colorBarLabel: String = "",
                style: PlotStyle = .standard) {
        self.values = values
        self.xRange = xRange
        self.yRange = yRange
        self.colorMap = colorMap
        self.colorScale = colorScale
        self.valueRange = valueRange
        self.smooth = smooth
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.colorBarLabel = colorBarLabel
        self.style = style
    }

    private static let barGap = 16.0
    private static let barWidth = 16.0

    public func draw(on canvas: inout Canvas, in frame: Rect) {
        guard frame.isDrawable else { return }
        canvas.withClip(frame) { canvas in
            let font = BitmapFont.standard
            let columns = values.map(\.count).max() ?? 0
            let finite = values.joined().filter { colorScale.transform($0) != nil }
            let hasData = columns > 0 && !finite.isEmpty

            // Colour-bar ticks are chosen before the layout since their labels set the right margin.
            let barTickCount = min(8, max(2, Int(frame.height * 0.7 / Double(font.capHeight(scale: style.tickScale) * 4))))
            let colorAxis = Axis(scale: colorScale, fitting: finite, margin: 0, limits: resolvedRange(finite))
                .withTicks(count: barTickCount)
            let labelWidth = Double(colorAxis.ticks.map { font.width(of: $0.label, scale: style.tickScale) }.max() ?? 0)
            let reserved = hasData
                ? Self.barGap + Self.barWidth + 1 + Double(style.tickLength) + 4 + labelWidth
                    + (colorBarLabel.isEmpty ? 0 : Double(font.lineHeight(scale: style.labelScale)) + 8)
                : 0

            var axesStyle = style
            axesStyle.grid = nil
            let axes = Axes(frame: frame, style: axesStyle, title: title, xLabel: xLabel, yLabel: yLabel,
                            x: Axis(scale: .linear, fitting: [xRange.lowerBound, xRange.upperBound], margin: 0),
                            y: Axis(scale: .linear, fitting: [yRange.lowerBound, yRange.upperBound], margin: 0),
                            reservedRight: reserved)
            axes.drawBackground(on: &canvas)
            if hasData {
                drawCells(on: &canvas, plot: axes.plot, columns: columns, colorAxis: colorAxis)
                drawColorBar(on: &canvas, axes: axes, colorAxis: colorAxis, frame: frame)
            }
            axes.drawDecorations(on: &canvas)
            if !hasData { axes.drawNote("no data", on: &canvas) }
        }
    }

    /// Explicit limits, or the symmetric range a diverging map needs; nil lets the data decide.
    private func resolvedRange(_ finite: [Double]) -> ClosedRange<Double>? {
        if let valueRange { return valueRange }
        guard colorMap.isDiverging, colorScale == .linear else { return nil }
        let m = finite.map(abs).max() ?? 0
        return m > 0 ? -m...m : nil
    }

    private func drawCells(on canvas: inout Canvas, plot: Rect, columns: Int, colorAxis: Axis) {
        let rows = values.count
        // Colour-map position of every cell, nil where undefined.
        let t: [[Double?]] = values.map { row in
            (0..<columns).map { j in
                j < row.count ? colorAxis.fraction(row[j]).map { min(max($0, 0), 1) } : nil
            }
        }
        let x0 = Int(plot.minX), y0 = Int(plot.minY), w = Int(plot.width), h = Int(plot.height)
        // Only pixels inside the clip can change, so only those are computed.
        let visible = canvas.clipRect
        let columnRange = max(0, Int(visible.minX) - x0)..<max(0, min(w, Int(visible.maxX) - x0))
        let rowRange = max(0, Int(visible.minY) - y0)..<max(0, min(h, Int(visible.maxY) - y0))
        for py in rowRange {
            let fy = (Double(h - py) - 0.5) / Double(h)
            for px in columnRange {
                let fx = (Double(px) + 0.5) / Double(w)
                let value = smooth ? bilinear(t, fx, fy, rows, columns) : nearest(t, fx, fy, rows, columns)
                canvas.blend(x0 + px, y0 + py, value.map(colorMap.color(at:)) ?? colorMap.missing, 1)
            }
        }
    }

    private func nearest(_ t: [[Double?]], _ fx: Double, _ fy: Double, _ rows: Int, _ columns: Int) -> Double? {
        t[min(rows - 1, Int(fy * Double(rows)))][min(columns - 1, Int(fx * Double(columns)))]
    }

    /// Bilinear interpolation between the four nearest cell centres; falls back to the nearest cell
    /// next to undefined ones so that holes keep sharp edges.
    private func bilinear(_ t: [[Double?]], _ fx: Double, _ fy: Double, _ rows: Int, _ columns: Int) -> Double? {
        let u = min(max(fx * Double(columns) - 0.5, 0), Double(columns - 1))
        let v = min(max(fy * Double(rows) - 0.5, 0), Double(rows - 1))
        let j0 = Int(u), i0 = Int(v)
        let j1 = min(j0 + 1, columns - 1), i1 = min(i0 + 1, rows - 1)
        guard let a = t[i0][j0], let b = t[i0][j1], let c = t[i1][j0], let d = t[i1][j1] else {
            return nearest(t, fx, fy, rows, columns)
        }
        let du = u - Double(j0), dv = v - Double(i0)
        return (a * (1 - du) + b * du) * (1 - dv) + (c * (1 - du) + d * du) * dv
    }

    /// A vertical strip running from the map's first colour (bottom) to its last (top), with ticks.
    private func drawColorBar(on canvas: inout Canvas, axes: Axes, colorAxis: Axis, frame: Rect) {
        let plot = axes.plot
        let bar = Rect(x: plot.maxX + 1 + Self.barGap, y: plot.minY, width: Self.barWidth, height: plot.height)
        let h = Int(bar.height)
        for r in 0..<h {
            let t = h > 1 ? Double(h - 1 - r) / Double(h - 1) : 0
            canvas.fillRect(Rect(x: bar.minX, y: bar.minY + Double(r), width: bar.width, height: 1),
                            color: colorMap.color(at: t))
        }
        canvas.strokeRect(bar.insetBy(-1), color: style.axis)
        let tickLength = Double(style.tickLength)
        for tick in colorAxis.ticks {
            guard let f = colorAxis.fraction(tick.value), f >= -1e-9, f <= 1 + 1e-9 else { continue }
            let row = min(max((bar.maxY - f * bar.height).rounded(.down), bar.minY - 1), bar.maxY)
            canvas.fillRect(Rect(x: bar.maxX + 1, y: row, width: tickLength, height: 1), color: style.axis)
            canvas.drawText(tick.label, x: bar.maxX + 1 + tickLength + 4, y: row + 0.5, scale: style.tickScale,
                            color: style.text, vertical: .center)
        }
        if !colorBarLabel.isEmpty {
            canvas.drawText(colorBarLabel, x: frame.maxX - Double(style.padding), y: bar.midY,
                            scale: style.labelScale, color: style.text, horizontal: .right, vertical: .center,
                            rotated: true)
        }
    }
}
