/// Something that draws itself into a rectangle of a canvas: a line plot, a heatmap, a whole figure.
///
/// Panels are plain values holding data; they know nothing about files or HTTP. Render them to a
/// `Canvas` and ask it for PNG bytes, or place several in a `Figure`.
public protocol Panel: Sendable {
    /// Draws the panel inside `frame`, touching no pixel outside it.
    func draw(on canvas: inout Canvas, in frame: Rect)
}

extension Panel {
    /// The panel alone on a `width × height` canvas.
    public func render(width: Int = 800, height: Int = 500) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        draw(on: &canvas, in: Rect(x: 0, y: 0, width: Double(canvas.width), height: Double(canvas.height)))
        return canvas
    }

    /// The panel alone as PNG bytes.
    public func png(width: Int = 800, height: Int = 500) throws -> [UInt8] {
        try render(width: width, height: height).png()
    }
}
