/// Where a line plot puts its legend.
public enum LegendPosition: Sendable {
    /// The corner covering the fewest plotted points, preferring upper right, then upper left, lower
    /// left, lower right (matplotlib's "best", restricted to corners).
    case auto
    case upperRight, upperLeft, lowerLeft, lowerRight
    case hidden
}

/// A boxed list of colour samples and names inside the data area.
struct Legend {
    struct Entry {
        var name: String
        var color: RGB
        var dashed: Bool
        var lineWidth: Double
        var bandOpacity: Double?
    }

    let entries: [Entry]
    let style: PlotStyle

    private let sampleLength = 26.0
    private let inset = 8.0
    private let spacing = 6.0

    private var font: BitmapFont { .standard }
    private var rowHeight: Double { Double(font.lineHeight(scale: style.tickScale)) + spacing }

    var size: (width: Double, height: Double) {
        let nameWidth = Double(entries.map { font.width(of: $0.name, scale: style.tickScale) }.max() ?? 0)
        return (sampleLength + 3 * spacing + nameWidth + spacing, Double(entries.count) * rowHeight + spacing)
    }

    /// The legend box placed at `position` inside `plot`; `.auto` picks the corner whose box
    /// contains the fewest of `occupied` (pixel positions sampled along the curves).
    func frame(in plot: Rect, position: LegendPosition, occupied: [Point]) -> Rect? {
        let (w, h) = size
        guard !entries.isEmpty, w + 2 * inset <= plot.width, h + 2 * inset <= plot.height else { return nil }
        func box(_ p: LegendPosition) -> Rect {
            let left = plot.minX + inset, right = plot.maxX - inset - w
            let top = plot.minY + inset, bottom = plot.maxY - inset - h
            switch p {
            case .upperLeft: return Rect(x: left, y: top, width: w, height: h)
            case .lowerLeft: return Rect(x: left, y: bottom, width: w, height: h)
            case .lowerRight: return Rect(x: right, y: bottom, width: w, height: h)
            default: return Rect(x: right, y: top, width: w, height: h)
            }
        }
        switch position {
        case .hidden: return nil
        case .auto:
            let candidates: [LegendPosition] = [.upperRight, .upperLeft, .lowerLeft, .lowerRight]
            let boxes = candidates.map { box($0).insetBy(-4) }
            let counts = boxes.map { b in occupied.reduce(0) { $0 + (b.contains($1) ? 1 : 0) } }
            // `min(by:)` keeps the first of equal counts, so ties follow the preference order.
            let best = counts.indices.min { counts[$0] < counts[$1] }!
            return box(candidates[best])
        default:
            return box(position)
        }
    }

    func draw(on canvas: inout Canvas, in box: Rect) {
        canvas.fillRect(box, color: style.background, opacity: 0.85)
        canvas.strokeRect(box, color: RGB(hex: 0xcccccc))
        for (i, entry) in entries.enumerated() {
            let midY = (box.minY + spacing + Double(i) * rowHeight + Double(font.capHeight(scale: style.tickScale)) / 2).rounded() + 0.5
            let x0 = box.minX + spacing, x1 = x0 + sampleLength
            if let opacity = entry.bandOpacity {
                let half = Double(font.capHeight(scale: style.tickScale)) / 2 + 1
                canvas.fillRect(Rect(x: x0, y: midY - half, width: sampleLength, height: 2 * half),
                                color: entry.color, opacity: opacity)
            }
            canvas.strokePolyline([Point(x0, midY), Point(x1, midY)], color: entry.color,
                                  width: entry.lineWidth, dash: entry.dashed ? LinePlot.dashPattern : nil)
            canvas.drawText(entry.name, x: x1 + 2 * spacing, y: midY, scale: style.tickScale,
                            color: style.text, vertical: .center)
        }
    }
}
