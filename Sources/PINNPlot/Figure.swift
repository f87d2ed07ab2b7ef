/// Several panels laid out on a grid, with an optional overall title.
///
/// Cells are equal: the frame below the title strip is divided into `rows × columns` rectangles and
/// `panels[k]` fills row `k / columns`, column `k % columns`. Missing panels leave their cell blank and
/// panels beyond the grid are not drawn. A figure is itself a panel, so figures nest.
public struct Figure: Panel {
    public var rows: Int
    public var columns: Int
    public var panels: [any Panel]
    public var title: String
    /// Natural size of one cell, used by `render()`.
    public var panelWidth: Int
    public var panelHeight: Int
    public var style: PlotStyle

    /// A grid with `columns` columns and as many rows as the panels need (unless `rows` is given).
    public init(rows: Int? = nil, columns: Int, panelWidth: Int = 480, panelHeight: Int = 360,
                title: String = "", style: PlotStyle = .standard, panels: [any Panel]) {
        let columns = max(1, columns)
        self.columns = columns
        self.rows = max(1, rows ?? (panels.count + columns - 1) / columns)
        self.panels = panels
        self.title = title
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
        self.style = style
    }

    private var titleHeight: Double {
        title.isEmpty ? 0 : Double(BitmapFont.standard.lineHeight(scale: style.titleScale) + style.padding * 3 / 2)
    }

    /// The figure at its natural size: `columns · panelWidth` by `rows · panelHeight` plus the title strip.
    public func render() -> Canvas {
        render(width: columns * max(1, panelWidth), height: rows * max(1, panelHeight) + Int(titleHeight))
    }

    /// The figure at its natural size as PNG bytes.
    public func png() throws -> [UInt8] {
        try render().png()
    }

    public func draw(on canvas: inout Canvas, in frame: Rect) {
        guard frame.isDrawable else { return }
        canvas.withClip(frame) { canvas in
            canvas.fillRect(frame, color: style.background)
            if !title.isEmpty {
                canvas.drawText(title, x: frame.midX, y: frame.minY + Double(style.padding), scale: style.titleScale,
                                color: style.text, horizontal: .center, bold: style.boldTitle)
            }
            let top = frame.minY + titleHeight
            let cellWidth = frame.width / Double(columns)
            let cellHeight = (frame.maxY - top) / Double(rows)
            for (k, panel) in panels.prefix(rows * columns).enumerated() {
                // Cell edges are rounded so neighbouring cells share a boundary without gaps or overlap.
                let x0 = (frame.minX + Double(k % columns) * cellWidth).rounded()
                let x1 = (frame.minX + Double(k % columns + 1) * cellWidth).rounded()
                let y0 = (top + Double(k / columns) * cellHeight).rounded()
                let y1 = (top + Double(k / columns + 1) * cellHeight).rounded()
                panel.draw(on: &canvas, in: Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0))
            }
        }
    }
}
