/// A colour map: a piecewise-linear path through evenly spaced RGB anchors.
///
/// `color(at: t)` for `t ∈ [0, 1]` finds the segment `i = ⌊t·(n−1)⌋` between anchors `i` and `i+1`
/// and interpolates linearly by the remainder, so `t = 0` gives exactly the first anchor and
/// `t = 1` exactly the last. Out-of-range `t` is clamped; NaN maps to `missing`.
public struct ColorMap: Sendable {
    public let name: String
    public let anchors: [RGB]
    /// True for maps meant to be centred on zero (signed errors); heatmaps then default to a
    /// symmetric range `[−m, m]` with `m = max |v|`, so zero is the neutral middle colour.
    public let isDiverging: Bool
    /// Colour for undefined values (NaN, or non-positive on a log scale).
    public var missing: RGB = RGB(hex: 0xd9d9d9)

    public init(name: String, anchors: [RGB], isDiverging: Bool = false) {
        self.name = name
        self.anchors = anchors.isEmpty ? [.black, .white] : anchors
        self.isDiverging = isDiverging
    }

    public var first: RGB { anchors[0] }
    public var last: RGB { anchors[anchors.count - 1] }

    public func color(at t: Double) -> RGB {
        guard !t.isNaN else { return missing }
        guard anchors.count > 1 else { return anchors[0] }
        let position = min(max(t, 0), 1) * Double(anchors.count - 1)
        let i = min(Int(position), anchors.count - 2)
        return anchors[i].mixed(with: anchors[i + 1], position - Double(i))
    }

    /// Matplotlib's viridis (perceptually uniform, colour-blind friendly), sampled at 17 evenly spaced
    /// points of its 256-entry table; linear interpolation between them stays within about 2 % of it.
    public static let viridis = ColorMap(name: "viridis", anchors: [
        0x440154, 0x48186a, 0x472d7b, 0x424086, 0x3b528b, 0x33638d, 0x2c728e, 0x26828e, 0x21918c,
        0x1f9f88, 0x27ad81, 0x3dbc74, 0x5cc863, 0x81d34d, 0xaadc32, 0xd5e21a, 0xfde725,
    ].map { RGB(hex: $0) })

    /// Diverging blue–white–red (ColorBrewer RdBu reversed, as matplotlib's "RdBu_r"): negative
    /// values blue, zero near white, positive red.
    public static let redBlue = ColorMap(name: "RdBu_r", anchors: [
        0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
        0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f,
    ].map { RGB(hex: $0) }, isDiverging: true)
}
