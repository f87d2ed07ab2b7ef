/// Colours, font scales and spacing shared by every panel of a figure.
///
/// Sizes are in pixels; font scales are integer multiples of the 5 × 7 bitmap font (scale 2 gives
/// 14 px capitals, close to matplotlib's 10 pt labels at 100 dpi).
public struct PlotStyle: Sendable {
    public var background = RGB.white
    public var text = RGB(hex: 0x1a1a1a)
    public var axis = RGB(hex: 0x333333)
    /// Grid lines at major ticks; nil hides them.
    public var grid: RGB? = RGB(hex: 0xe8e8e8)
    public var note = RGB(hex: 0x8c8c8c)
    public var titleScale = 2
    public var boldTitle = true
    public var labelScale = 2
    public var tickScale = 2
    public var lineWidth = 2.0
    /// Space between the panel edge and anything drawn in it.
    public var padding = 12
    public var tickLength = 5
    public var minorTickLength = 3

    public init() {}

    public static let standard = PlotStyle()

    /// Single-scale text and thinner lines for thumbnails and dense dashboards.
    public static var compact: PlotStyle {
        var style = PlotStyle()
        style.titleScale = 1
        style.labelScale = 1
        style.tickScale = 1
        style.lineWidth = 1.5
        style.padding = 6
        style.tickLength = 4
        style.minorTickLength = 2
        return style
    }
}
