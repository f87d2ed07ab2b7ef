/// A shaded interval around a series, e.g. mean ± standard deviation over seeds.
public struct Band: Sendable {
    /// Lower and upper edges, matched index by index with the series' `x`.
    public var lower: [Double]
    public var upper: [Double]
    /// Opacity of the fill, which takes the series colour.
    public var opacity: Double

    public init(lower: [Double], upper: [Double], opacity: Double = 0.22) {
        self.lower = lower
        self.upper = upper
        self.opacity = opacity
    }

    /// The band `center ± spread`, the usual way to show a mean and a deviation.
    public init(center: [Double], spread: [Double], opacity: Double = 0.22) {
        let n = min(center.count, spread.count)
        self.init(lower: (0..<n).map { center[$0] - spread[$0] },
                  upper: (0..<n).map { center[$0] + spread[$0] }, opacity: opacity)
    }
}

/// A named curve of a line plot. Points pair `x[i]` with `y[i]` up to the shorter array.
public struct Series: Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// Line colour; nil takes the next colour of the tab10 cycle.
    public var color: RGB?
    public var dashed: Bool
    /// Line width in pixels; nil uses the style's.
    public var lineWidth: Double?
    /// Radius of a dot drawn at every point; nil draws only the line (isolated points still get a dot).
    public var markerRadius: Double?
    public var band: Band?

    public init(_ name: String, x: [Double], y: [Double], color: RGB? = nil, dashed: Bool = false,
                lineWidth: Double? = nil, markerRadius: Double? = nil, band: Band? = nil) {
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.dashed = dashed
        self.lineWidth = lineWidth
        self.markerRadius = markerRadius
        self.band = band
    }

    /// A series over `0, 1, 2, …` (e.g. a loss per iteration).
    public init(_ name: String, y: [Double], color: RGB? = nil, dashed: Bool = false, band: Band? = nil) {
        self.init(name, x: y.indices.map(Double.init), y: y, color: color, dashed: dashed, band: band)
    }
}
