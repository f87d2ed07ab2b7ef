/// Anti-aliased polylines and polygons.
///
/// A stroke of width `w` covers the points within `w/2` of the path; a pixel whose centre is at
/// distance `d` from the nearest segment gets coverage `clamp(w/2 + ½ − d, 0, 1)`. Coverage is
/// accumulated as the maximum over segments before compositing once, so joints and overlapping
/// dashes are not painted twice (which would darken translucent lines).
extension Canvas {
    /// Strokes the polyline through `points`. A single point draws a dot of diameter `width`.
    /// `dash` alternates on/off lengths in pixels, e.g. `[8, 5]`.
    public mutating func strokePolyline(
        _ points: [Point], color: RGB, width: Double = 1.5, opacity: Double = 1, dash: [Double]? = nil
    ) {
        let points = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard !points.isEmpty, width > 0, !clip.isEmpty else { return }
        let halfWidth = width / 2
        // Segments are clipped first so that far-away points cost nothing and dashing stays bounded.
        let window = clipRect.insetBy(-(halfWidth + 2))
        var runs = visibleRuns(points, window: window)
        if let dash, dash.count >= 2, dash.allSatisfy({ $0 > 0 }) {
            runs = runs.flatMap { Self.dashed($0, pattern: dash) }
        }
        var mask = CoverageMask(clip: clip)
        for run in runs {
            if run.count == 1 {
                mask.addSegment(run[0], run[0], halfWidth: halfWidth)
            }
            for (a, b) in zip(run, run.dropFirst()) {
                mask.addSegment(a, b, halfWidth: halfWidth)
            }
        }
        composite(mask, color: color, opacity: opacity)
    }

    /// A straight anti-aliased line.
    public mutating func strokeLine(from a: Point, to b: Point, color: RGB, width: Double = 1.5, opacity: Double = 1) {
        strokePolyline([a, b], color: color, width: width, opacity: opacity)
    }

    /// Fills a polygon with the non-zero winding rule, anti-aliased by sampling each pixel row on
    /// four sub-scanlines and measuring the exact horizontal extent of every span.
    public mutating func fillPolygon(_ polygon: [Point], color: RGB, opacity: Double = 1) {
        let polygon = polygon.filter { $0.x.isFinite && $0.y.isFinite }
        guard polygon.count >= 3, !clip.isEmpty else { return }
        let ys = polygon.map(\.y)
        let y0 = max(clip.y0, clampedInt(ys.min()!.rounded(.down), 0, height))
        let y1 = min(clip.y1, clampedInt(ys.max()!.rounded(.up), 0, height))
        guard y0 < y1 else { return }
        let edges = zip(polygon, polygon.dropFirst() + [polygon[0]]).filter { $0.0.y != $0.1.y }
        let subRows = 4
        let weight = 1 / Double(subRows)
        let left = clip.x0, right = clip.x1
        var coverage = [Double](repeating: 0, count: right - left)
        for row in y0..<y1 {
            for i in coverage.indices { coverage[i] = 0 }
            for s in 0..<subRows {
                let sy = Double(row) + (Double(s) + 0.5) * weight
                var crossings: [(x: Double, winding: Int)] = []
                for (a, b) in edges where (a.y <= sy && sy < b.y) || (b.y <= sy && sy < a.y) {
                    let x = a.x + (sy - a.y) / (b.y - a.y) * (b.x - a.x)
                    crossings.append((x, a.y < b.y ? 1 : -1))
                }
                crossings.sort { $0.x < $1.x }
                var winding = 0
                for (i, crossing) in crossings.enumerated() {
                    winding += crossing.winding
                    if winding != 0, i + 1 < crossings.count {
                        addSpan(&coverage, from: crossing.x - Double(left),
                                to: crossings[i + 1].x - Double(left), weight: weight)
                    }
                }
            }
            for (i, c) in coverage.enumerated() where c > 0 {
                blend(left + i, row, color, min(1, c) * opacity)
            }
        }
    }

    /// Adds `weight` times the covered fraction of each pixel in [a, b) to `coverage`.
    private func addSpan(_ coverage: inout [Double], from a: Double, to b: Double, weight: Double) {
        let n = Double(coverage.count)
        let a = min(max(a, 0), n), b = min(max(b, 0), n)
        guard a < b else { return }
        let ia = Int(a), ib = min(Int(b), coverage.count - 1)
        if ia == ib {
            coverage[ia] += (b - a) * weight
            return
        }
        coverage[ia] += (Double(ia + 1) - a) * weight
        if ia + 1 < ib { for i in (ia + 1)..<ib { coverage[i] += weight } }
        coverage[ib] += (b - Double(ib)) * weight
    }

    private mutating func composite(_ mask: CoverageMask, color: RGB, opacity: Double) {
        guard let box = mask.touched else { return }
        for y in box.y0..<box.y1 {
            for x in box.x0..<box.x1 {
                let c = mask[x, y]
                if c > 0 { blend(x, y, color, Double(c) * opacity) }
            }
        }
    }

    /// Splits the polyline into the connected pieces that lie inside `window` (Liang–Barsky clipping).
    private func visibleRuns(_ points: [Point], window: Rect) -> [[Point]] {
        if points.count == 1 { return window.contains(points[0]) ? [points] : [] }
        var runs: [[Point]] = []
        var current: [Point] = []
        for (a, b) in zip(points, points.dropFirst()) {
            guard let (p, q) = Self.clip(a, b, to: window) else {
                if !current.isEmpty { runs.append(current); current = [] }
                continue
            }
            if let last = current.last, last == p {
                current.append(q)
            } else {
                if !current.isEmpty { runs.append(current) }
                current = [p, q]
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// The part of segment ab inside `r`, found by intersecting the parameter ranges
    /// t ∈ [0, 1] for which each of the four half-planes holds.
    static func clip(_ a: Point, _ b: Point, to r: Rect) -> (Point, Point)? {
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        for (p, q) in [(-dx, a.x - r.minX), (dx, r.maxX - a.x), (-dy, a.y - r.minY), (dy, r.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let t = q / p
                if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
                if t0 > t1 { return nil }
            }
        }
        let p = t0 == 0 ? a : Point(a.x + t0 * dx, a.y + t0 * dy)
        let q = t1 == 1 ? b : Point(a.x + t1 * dx, a.y + t1 * dy)
        return (p, q)
    }

    /// Cuts a polyline into dashes following the on/off `pattern`, measured along its arc length.
    static func dashed(_ run: [Point], pattern: [Double]) -> [[Point]] {
        guard run.count >= 2 else { return [run] }
        var dashes: [[Point]] = []
        var index = 0, remaining = pattern[0]
        var current: [Point] = [run[0]]
        for (a, b) in zip(run, run.dropFirst()) {
            let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            var travelled = 0.0
            while length - travelled > remaining {
                travelled += remaining
                let t = travelled / length
                let p = Point(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y))
                if index % 2 == 0 {
                    current.append(p)
                    dashes.append(current)
                    current = []
                } else {
                    current = [p]
                }
                index = (index + 1) % pattern.count
                remaining = pattern[index]
            }
            remaining -= length - travelled
            if index % 2 == 0 { current.append(b) }
        }
        if index % 2 == 0, current.count >= 2 { dashes.append(current) }
        return dashes
    }
}

/// Per-pixel coverage in [0, 1] over the clip box, tracking the bounding box of what was touched.
struct CoverageMask {
    private let box: Canvas.ClipBox
    private var values: [Float]
    private(set) var touched: Canvas.ClipBox?

    init(clip: Canvas.ClipBox) {
        box = clip
        values = [Float](repeating: 0, count: max(0, (clip.x1 - clip.x0) * (clip.y1 - clip.y0)))
    }

    subscript(x: Int, y: Int) -> Float {
        values[(y - box.y0) * (box.x1 - box.x0) + (x - box.x0)]
    }

    /// Raises coverage to that of a capsule of radius `halfWidth` around segment ab.
    mutating func addSegment(_ a: Point, _ b: Point, halfWidth: Double) {
        let reach = halfWidth + 1
        let x0 = max(box.x0, clampedInt((min(a.x, b.x) - reach).rounded(.down), box.x0, box.x1))
        let x1 = min(box.x1, clampedInt((max(a.x, b.x) + reach).rounded(.up), box.x0, box.x1))
        let y0 = max(box.y0, clampedInt((min(a.y, b.y) - reach).rounded(.down), box.y0, box.y1))
        let y1 = min(box.y1, clampedInt((max(a.y, b.y) + reach).rounded(.up), box.y0, box.y1))
        guard x0 < x1, y0 < y1 else { return }
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let stride = box.x1 - box.x0
        for y in y0..<y1 {
            for x in x0..<x1 {
                let px = Double(x) + 0.5 - a.x, py = Double(y) + 0.5 - a.y
                // Distance to the segment: project onto it, clamping the parameter to [0, 1].
                let t = lengthSquared > 0 ? min(1, max(0, (px * dx + py * dy) / lengthSquared)) : 0
                let ex = px - t * dx, ey = py - t * dy
                let coverage = Float(min(1, max(0, halfWidth + 0.5 - (ex * ex + ey * ey).squareRoot())))
                let i = (y - box.y0) * stride + (x - box.x0)
                if coverage > values[i] { values[i] = coverage }
            }
        }
        if var t = touched {
            t.x0 = min(t.x0, x0); t.y0 = min(t.y0, y0); t.x1 = max(t.x1, x1); t.y1 = max(t.y1, y1)
            touched = t
        } else {
            touched = Canvas.ClipBox(x0: x0, y0: y0, x1: x1, y1: y1)
        }
    }
}
