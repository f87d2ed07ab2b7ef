/// An RGB8 raster that plots draw on, with a clip rectangle and "over" compositing.
///
/// Pixel (i, j) covers the unit square [i, i+1) × [j, j+1) with y growing downward. Anti-aliased
/// primitives estimate how much of a pixel a shape covers from the distance between the pixel centre
/// (i + ½, j + ½) and the shape, and blend `colour` over the pixel with that coverage times the opacity:
/// `out = (1 − a)·dst + a·src`.
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major pixels, three bytes (R, G, B) each, top row first.
    public private(set) var rgb: [UInt8]

    /// Integer clip box: x in [x0, x1), y in [y0, y1).
    struct ClipBox: Sendable {
        var x0, y0, x1, y1: Int
        var isEmpty: Bool { x0 >= x1 || y0 >= y1 }
    }

    private(set) var clip: ClipBox

    /// A canvas filled with `background`. Sizes below 1 become 1 so a PNG can always be written.
    public init(width: Int, height: Int, background: RGB = .white) {
        self.width = max(1, width)
        self.height = max(1, height)
        self.clip = ClipBox(x0: 0, y0: 0, x1: self.width, y1: self.height)
        self.rgb = [UInt8](repeating: 0, count: self.width * self.height * 3)
        fill(background)
    }

    /// The pixel at column `x`, row `y`; reading outside the canvas gives black, writing there is ignored.
    public subscript(x x: Int, y y: Int) -> RGB {
        get {
            guard x >= 0, x < width, y >= 0, y < height else { return .black }
            let i = (y * width + x) * 3
            return RGB(rgb[i], rgb[i + 1], rgb[i + 2])
        }
        set { blend(x, y, newValue, 1) }
    }

    /// Runs `body` with drawing restricted to `rect` (intersected with the current clip).
    public mutating func withClip(_ rect: Rect, _ body: (inout Canvas) -> Void) {
        let saved = clip
        clip = ClipBox(
            x0: max(saved.x0, clampedInt(rect.minX.rounded(.down), 0, width)),
            y0: max(saved.y0, clampedInt(rect.minY.rounded(.down), 0, height)),
            x1: min(saved.x1, clampedInt(rect.maxX.rounded(.up), 0, width)),
            y1: min(saved.y1, clampedInt(rect.maxY.rounded(.up), 0, height)))
        body(&self)
        clip = saved
    }

    /// The current clip as a rectangle.
    var clipRect: Rect {
        Rect(x: Double(clip.x0), y: Double(clip.y0),
             width: Double(max(0, clip.x1 - clip.x0)), height: Double(max(0, clip.y1 - clip.y0)))
    }

    /// Composites `color` with opacity `alpha` over one pixel, honouring the clip.
    @inline(__always)
    mutating func blend(_ x: Int, _ y: Int, _ color: RGB, _ alpha: Double) {
        guard alpha > 0, x >= clip.x0, x < clip.x1, y >= clip.y0, y < clip.y1 else { return }
        let i = (y * width + x) * 3
        if alpha >= 1 {
            rgb[i] = color.r
            rgb[i + 1] = color.g
            rgb[i + 2] = color.b
        } else {
            @inline(__always) func over(_ dst: UInt8, _ src: UInt8) -> UInt8 {
                UInt8((Double(dst) + (Double(src) - Double(dst)) * alpha).rounded())
            }
            rgb[i] = over(rgb[i], color.r)
            rgb[i + 1] = over(rgb[i + 1], color.g)
            rgb[i + 2] = over(rgb[i + 2], color.b)
        }
    }

    /// Paints every pixel inside the clip.
    public mutating func fill(_ color: RGB) {
        fillRect(Rect(x: 0, y: 0, width: Double(width), height: Double(height)), color: color)
    }

    /// Fills the pixels whose centres lie inside `rect`; edges are snapped to the pixel grid so
    /// rectangles stay crisp (axes, ticks, colour-bar cells).
    public mutating func fillRect(_ rect: Rect, color: RGB, opacity: Double = 1) {
        let x0 = max(clip.x0, clampedInt((rect.minX - 0.5).rounded(.up), 0, width))
        let x1 = min(clip.x1, clampedInt((rect.maxX - 0.5).rounded(.up), 0, width))
        let y0 = max(clip.y0, clampedInt((rect.minY - 0.5).rounded(.up), 0, height))
        let y1 = min(clip.y1, clampedInt((rect.maxY - 0.5).rounded(.up), 0, height))
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { blend(x, y, color, opacity) }
        }
    }

    /// A one-pixel outline just inside `rect`.
    public mutating func strokeRect(_ rect: Rect, color: RGB, opacity: Double = 1) {
        fillRect(Rect(x: rect.minX, y: rect.minY, width: rect.width, height: 1), color: color, opacity: opacity)
        fillRect(Rect(x: rect.minX, y: rect.maxY - 1, width: rect.width, height: 1), color: color, opacity: opacity)
        fillRect(Rect(x: rect.minX, y: rect.minY + 1, width: 1, height: rect.height - 2), color: color, opacity: opacity)
        fillRect(Rect(x: rect.maxX - 1, y: rect.minY + 1, width: 1, height: rect.height - 2), color: color, opacity: opacity)
    }

    /// An anti-aliased disc: coverage is `clamp(r + ½ − d, 0, 1)` for a pixel centre at distance `d`.
    public mutating func fillCircle(center: Point, radius: Double, color: RGB, opacity: Double = 1) {
        guard center.x.isFinite, center.y.isFinite, radius > 0 else { return }
        let reach = radius + 1
        let x0 = max(clip.x0, clampedInt((center.x - reach).rounded(.down), 0, width))
        let x1 = min(clip.x1, clampedInt((center.x + reach).rounded(.up), 0, width))
        let y0 = max(clip.y0, clampedInt((center.y - reach).rounded(.down), 0, height))
        let y1 = min(clip.y1, clampedInt((center.y + reach).rounded(.up), 0, height))
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 {
                let dx = Double(x) + 0.5 - center.x, dy = Double(y) + 0.5 - center.y
                let coverage = min(1, max(0, radius + 0.5 - (dx * dx + dy * dy).squareRoot()))
                blend(x, y, color, coverage * opacity)
            }
        }
    }

    /// The image as PNG bytes (fails only if zlib does, e.g. out of memory).
    public func png() throws -> [UInt8] {
        try PNGEncoder.encode(width: width, height: height, rgb: rgb)
    }
}
