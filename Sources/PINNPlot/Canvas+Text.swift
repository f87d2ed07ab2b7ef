/// Where a text box sits horizontally relative to its anchor.
public enum HorizontalAlignment: Sendable {
    case left, center, right
}

/// Where a text box sits vertically relative to its anchor. The box spans the capital height, so
/// `.center` centres digits on a tick and descenders hang below `.baseline`.
public enum VerticalAlignment: Sendable {
    case top, center, baseline
}

extension Canvas {
    /// Draws a single line of `text` in the bitmap font at integer `scale`.
    ///
    /// The text box is `font.width(of:)` wide and `font.capHeight` tall (swapped when `rotated`,
    /// which turns the text 90° counter-clockwise so it reads upward, as on a y axis). The box is
    /// placed so that the anchor (x, y) falls on the requested edge or centre, then snapped to whole
    /// pixels so glyphs stay sharp. From scale 2 on, diagonal staircases are smoothed (see `TextMask`).
    /// `bold` widens every stroke by one device pixel.
    public mutating func drawText(
        _ text: String, x: Double, y: Double, scale: Int = 1, color: RGB = .black,
        horizontal: HorizontalAlignment = .left, vertical: VerticalAlignment = .top,
        rotated: Bool = false, bold: Bool = false, font: BitmapFont = .standard
    ) {
        guard !text.isEmpty, x.isFinite, y.isFinite else { return }
        let s = max(1, scale)
        let textWidth = font.width(of: text, scale: s)
        let capHeight = font.capHeight(scale: s)
        let boxWidth = Double(rotated ? capHeight : textWidth)
        let boxHeight = Double(rotated ? textWidth : capHeight)
        let left: Double
        switch horizontal {
        case .left: left = x
        case .center: left = x - boxWidth / 2
        case .right: left = x - boxWidth
        }
        let top: Double
        switch vertical {
        case .top: top = y
        case .center: top = y - boxHeight / 2
        case .baseline: top = y - boxHeight
        }
        let ox = clampedInt(left.rounded(), -1 << 30, 1 << 30)
        let oy = clampedInt(top.rounded(), -1 << 30, 1 << 30)

        let mask = TextMask(text, scale: s, bold: bold, font: font)
        for v in 0..<mask.height {
            for u in 0..<mask.width {
                let coverage = mask[u, v]
                guard coverage > 0 else { continue }
                if rotated {
                    blend(ox + v, oy + textWidth - 1 - u, color, coverage)
                } else {
                    blend(ox + u, oy + v, color, coverage)
                }
            }
        }
    }
}

/// Coverage of a line of text in unrotated pixel coordinates (u rightward, v downward).
///
/// Each set font pixel fills an `s × s` block. From scale 2 on, staircases are smoothed: where an
/// empty font pixel touches set pixels on two sides around a corner whose diagonal is empty (the
/// inside of a diagonal stroke), the half of its block on that corner's side of the anti-diagonal is
/// filled, with 4 × 4 supersampled coverage. Inner corners of strokes (diagonal set) stay square.
struct TextMask {
    let width: Int
    let height: Int
    private var values: [Double]

    subscript(u: Int, v: Int) -> Double { values[v * width + u] }

    init(_ text: String, scale s: Int, bold: Bool, font: BitmapFont) {
        let thicken = bold ? 1 : 0
        width = font.width(of: text, scale: s) + thicken
        height = font.lineHeight(scale: s)
        values = [Double](repeating: 0, count: max(0, width * height))
        let corners = [(-1, -1), (1, -1), (-1, 1), (1, 1)]
        for (k, character) in text.enumerated() {
            let originU = k * font.advance * s
            func isSet(_ c: Int, _ r: Int) -> Bool { font.isSet(character, column: c, row: r) }
            for r in 0..<font.cellHeight {
                for c in 0..<font.glyphWidth {
                    let u0 = originU + c * s, v0 = r * s
                    if isSet(c, r) {
                        for dv in 0..<s {
                            for du in 0..<(s + thicken) { raise(u0 + du, v0 + dv, 1) }
                        }
                        continue
                    }
                    guard s >= 2 else { continue }
                    for (dx, dy) in corners where isSet(c + dx, r) && isSet(c, r + dy) && !isSet(c + dx, r + dy) {
                        for dv in 0..<s {
                            for du in 0..<s {
                                let coverage = Self.cornerCoverage(du, dv, s, dx, dy)
                                raise(u0 + du, v0 + dv, coverage)
                                if thicken > 0 { raise(u0 + du + 1, v0 + dv, coverage) }
                            }
                        }
                    }
                }
            }
        }
    }

    private mutating func raise(_ u: Int, _ v: Int, _ coverage: Double) {
        guard u >= 0, u < width, v >= 0, v < height else { return }
        values[v * width + u] = max(values[v * width + u], coverage)
    }

    /// Fraction of pixel (du, dv) of an `s × s` block lying in the half beyond the anti-diagonal that
    /// faces corner (dx, dy).
    private static func cornerCoverage(_ du: Int, _ dv: Int, _ s: Int, _ dx: Int, _ dy: Int) -> Double {
        var inside = 0
        for i in 0..<4 {
            for j in 0..<4 {
                let x = Double(du) + (Double(i) + 0.5) / 4, y = Double(dv) + (Double(j) + 0.5) / 4
                let a = dx > 0 ? x : Double(s) - x, b = dy > 0 ? y : Double(s) - y
                if a + b > Double(s) { inside += 1 }
            }
        }
        return Double(inside) / 16
    }
}
