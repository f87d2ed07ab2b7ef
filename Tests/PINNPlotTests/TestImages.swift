import PINNPlot
import PINNTestSupport

/// Deterministic pseudo-random bytes for test images.
struct TestNoise {
    var state: UInt64
    mutating func byte() -> UInt8 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}

/// The data area of a rendered plot, found from its frame, independent of the layout code: walking
/// outward from a point inside the data area, the first pixel of the axis colour is the frame.
struct FoundPlotArea {
    /// Columns/rows of the one-pixel frame lines.
    var left = 0, right = 0, top = 0, bottom = 0

    init?(_ canvas: Canvas, from start: (x: Int, y: Int), frame: RGB = PlotStyle.standard.axis) {
        func walk(_ dx: Int, _ dy: Int) -> Int? {
            var x = start.x, y = start.y
            while x >= 0, x < canvas.width, y >= 0, y < canvas.height {
                if canvas[x: x, y: y] == frame { return dx != 0 ? x : y }
                x += dx
                y += dy
            }
            return nil
        }
        guard let l = walk(-1, 0), let r = walk(1, 0), let t = walk(0, -1), let b = walk(0, 1) else { return nil }
        (left, right, top, bottom) = (l, r, t, b)
    }

    /// The data area spans from just inside the left/top frame line to the right/bottom one.
    var minX: Double { Double(left + 1) }
    var width: Double { Double(right - left - 1) }
    var maxY: Double { Double(bottom) }
    var height: Double { Double(bottom - top - 1) }

    /// Expected pixel of a point at fractions (fx, fy) of the axes, y upward.
    func pixel(_ fx: Double, _ fy: Double) -> (x: Int, y: Int) {
        (Int((minX + fx * width).rounded(.down)), Int((maxY - fy * height).rounded(.down)))
    }
}
