import Foundation

/// The decorated frame shared by line plots and heatmaps: title, axis labels, ticks with labels, and
/// the data area they surround.
///
/// Layout works inward from the panel frame. Vertical margins depend only on font sizes, which fixes
/// the data height and hence the y ticks; the widest y tick label then fixes the left margin and the
/// data width, and x ticks are thinned until neighbouring labels keep a gap. The data area is snapped
/// to whole pixels and the axis interval [lower, upper] maps onto its edges, y growing upward:
/// `px = left + f_x·width`, `py = bottom − f_y·height`.
struct Axes {
    let style: PlotStyle
    let frame: Rect
    let title: String
    let xLabel: String
    let yLabel: String
    private(set) var plot: Rect
    private(set) var x: Axis
    private(set) var y: Axis

    private static let font = BitmapFont.standard
    private static let labelGap = 4.0

    /// Lays out the axes inside `frame`, leaving `reservedRight` pixels free at the right (colour bar).
    init(frame: Rect, style: PlotStyle, title: String, xLabel: String, yLabel: String,
         x: Axis, y: Axis, reservedRight: Double = 0) {
        self.style = style
        self.frame = frame
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        let font = Self.font
        let pad = Double(style.padding)
        let tickSpace = Double(style.tickLength) + Self.labelGap
        let tickTextHeight = Double(font.capHeight(scale: style.tickScale))
        let titleHeight = title.isEmpty ? 0 : Double(font.lineHeight(scale: style.titleScale)) + 8
        let xLabelHeight = xLabel.isEmpty ? 0 : Double(font.lineHeight(scale: style.labelScale)) + 8
        let yLabelWidth = yLabel.isEmpty ? 0 : Double(font.lineHeight(scale: style.labelScale)) + 12

        // Half a tick label above the data keeps the top y label inside the frame.
        let top = (frame.minY + pad + titleHeight + tickTextHeight / 2).rounded(.up)
        let bottom = max(top + 1, (frame.maxY - pad - xLabelHeight - tickTextHeight - tickSpace).rounded(.down))
        let height = bottom - top
        // At most one label per 3.5 text heights.
        let yCount = min(11, max(2, Int(height / (tickTextHeight * 3.5)) + 1))
        self.y = y.withTicks(count: yCount)
        let yTickWidth = Double(self.y.ticks.map { font.width(of: $0.label, scale: style.tickScale) }.max() ?? 0)
        let left = (frame.minX + pad + yLabelWidth + yTickWidth + tickSpace).rounded(.up)

        // The last x label may stick out past the data area; measure it once, then settle the width.
        var right = (frame.maxX - pad - reservedRight).rounded(.down)
        var xAxis = Self.fitTicks(x, width: max(1, right - left), style: style)
        if let last = xAxis.ticks.last, let f = xAxis.fraction(last.value) {
            let halfLabel = Double(font.width(of: last.label, scale: style.tickScale)) / 2
            let overhang = halfLabel - (1 - f) * (right - left)
            if overhang > 0 && reservedRight == 0 {
                right = (right - overhang).rounded(.down)
                xAxis = Self.fitTicks(x, width: max(1, right - left), style: style)
            }
        }
        self.x = xAxis
        self.plot = Rect(x: left, y: top, width: max(1, right - left), height: height)
    }

    /// The axis with as many ticks as fit: at most one per ~70 px, fewer until every pair of
    /// neighbouring labels is at least 12 px apart.
    private static func fitTicks(_ axis: Axis, width: Double, style: PlotStyle) -> Axis {
        var count = min(11, max(2, Int(width / 70) + 1))
        while true {
            let candidate = axis.withTicks(count: count)
            let extents = candidate.ticks.compactMap { tick -> (Double, Double)? in
                guard let f = candidate.fraction(tick.value) else { return nil }
                let half = Double(font.width(of: tick.label, scale: style.tickScale)) / 2
                return (f * width - half, f * width + half)
            }
            let fits = zip(extents, extents.dropFirst()).allSatisfy { $0.1.0 - $0.0.1 >= 12 }
            if fits || count <= 2 { return candidate }
            count -= 1
        }
    }

    /// Pixel position of a data point, or nil when either coordinate cannot be placed on its scale.
    func point(_ xValue: Double, _ yValue: Double) -> Point? {
        guard let fx = x.fraction(xValue), let fy = y.fraction(yValue) else { return nil }
        return Point(plot.minX + fx * plot.width, plot.maxY - fy * plot.height)
    }

    /// Pixel column of a tick at fraction `f`, kept on the frame.
    private func column(_ f: Double) -> Double {
        min(max((plot.minX + f * plot.width).rounded(.down), plot.minX - 1), plot.maxX)
    }

    /// Pixel row of a tick at fraction `f`, kept on the frame.
    private func row(_ f: Double) -> Double {
        min(max((plot.maxY - f * plot.height).rounded(.down), plot.minY - 1), plot.maxY)
    }

    /// Background and grid, drawn before the data.
    func drawBackground(on canvas: inout Canvas) {
        canvas.fillRect(frame, color: style.background)
        guard let grid = style.grid else { return }
        for tick in x.ticks {
            guard let f = x.fraction(tick.value) else { continue }
            canvas.fillRect(Rect(x: column(f), y: plot.minY, width: 1, height: plot.height), color: grid)
        }
        for tick in y.ticks {
            guard let f = y.fraction(tick.value) else { continue }
            canvas.fillRect(Rect(x: plot.minX, y: row(f), width: plot.width, height: 1), color: grid)
        }
    }

    /// Frame, ticks, labels and title, drawn over the data.
    func drawDecorations(on canvas: inout Canvas) {
        let s = style
        let tickLength = Double(s.tickLength), minorLength = Double(s.minorTickLength)
        canvas.strokeRect(Rect(x: plot.minX - 1, y: plot.minY - 1, width: plot.width + 2, height: plot.height + 2),
                          color: s.axis)

        let xTickTop = plot.maxY + 1
        for value in x.minorTicks {
            guard let f = x.fraction(value) else { continue }
            canvas.fillRect(Rect(x: column(f), y: xTickTop, width: 1, height: minorLength), color: s.axis)
        }
        for tick in x.ticks {
            guard let f = x.fraction(tick.value) else { continue }
            let c = column(f)
            canvas.fillRect(Rect(x: c, y: xTickTop, width: 1, height: tickLength), color: s.axis)
            canvas.drawText(tick.label, x: c + 0.5, y: xTickTop + tickLength + Self.labelGap,
                            scale: s.tickScale, color: s.text, horizontal: .center)
        }

        let yTickRight = plot.minX - 1
        for value in y.minorTicks {
            guard let f = y.fraction(value) else { continue }
            canvas.fillRect(Rect(x: yTickRight - minorLength, y: row(f), width: minorLength, height: 1), color: s.axis)
        }
        for tick in y.ticks {
            guard let f = y.fraction(tick.value) else { continue }
            let r = row(f)
            canvas.fillRect(Rect(x: yTickRight - tickLength, y: r, width: tickLength, height: 1), color: s.axis)
            canvas.drawText(tick.label, x: yTickRight - tickLength - Self.labelGap, y: r + 0.5,
                            scale: s.tickScale, color: s.text, horizontal: .right, vertical: .center)
        }

        let font = Self.font
        if !xLabel.isEmpty {
            let top = xTickTop + tickLength + Self.labelGap + Double(font.capHeight(scale: s.tickScale)) + 8
            canvas.drawText(xLabel, x: plot.midX, y: top, scale: s.labelScale, color: s.text, horizontal: .center)
        }
        if !yLabel.isEmpty {
            canvas.drawText(yLabel, x: frame.minX + Double(s.padding), y: plot.midY, scale: s.labelScale,
                            color: s.text, horizontal: .left, vertical: .center, rotated: true)
        }
        if !title.isEmpty {
            // Centred over the data like matplotlib, unless that would push it past the panel.
            let fitsOverPlot = Double(font.width(of: title, scale: s.titleScale)) <= plot.width
            canvas.drawText(title, x: fitsOverPlot ? plot.midX : frame.midX, y: frame.minY + Double(s.padding),
                            scale: s.titleScale, color: s.text, horizontal: .center, bold: s.boldTitle)
        }
    }

    /// A grey message in the middle of the data area, e.g. "no data".
    func drawNote(_ note: String, on canvas: inout Canvas) {
        canvas.drawText(note, x: plot.midX, y: plot.midY, scale: style.labelScale, color: style.note,
                        horizontal: .center, vertical: .center)
    }
}
