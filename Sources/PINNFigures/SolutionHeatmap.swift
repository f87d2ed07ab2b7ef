import Foundation
import PINN
import PINNPlot

/// One output of a solution on a grid over two inputs as a heatmap: the first axis (time, for time-dependent
/// problems) runs left to right, the second bottom to top — the usual picture of Burgers' shock.
public enum SolutionHeatmap {
    /// The heatmap of `quantity` (value, exact, u − u* or |u − u*|); nil when the grid is not over two inputs or the
    /// quantity needs an exact solution the problem lacks. `colorScale` log10 spreads an error over its decades
    /// (structure everywhere); linear shows where it is largest (for Burgers: at the shock).
    public static func make(_ solution: SolutionOnGrid, output o: Int = 0,
                            quantity: SolutionOnGrid.Quantity = .value, colorScale: AxisScale = .linear,
                            title: String? = nil) -> Heatmap? {
        guard solution.grid.axes.count == 2, solution.outputs.indices.contains(o),
              let column = solution.column(quantity, output: o) else { return nil }
        let (across, up) = (solution.grid.axes[0], solution.grid.axes[1])
        // matrix rows run along axes[0]; the heatmap's rows go up the picture, so transpose.
        let rows = solution.matrix(column)
        let values = up.values.indices.map { j in across.values.indices.map { i in rows[i][j] } }
        let name = solution.outputs[o]
        let label: String
        switch quantity {
        case .value: label = name
        case .exact: label = "exact \(name)"
        case .error: label = "\(name) - exact"
        case .absoluteError: label = "|\(name) - exact|"
        }
        var heading = title ?? label
        if title == nil, quantity == .absoluteError || quantity == .error,
           let error = solution.error(iteration: 0, phase: 0)?.outputs[name] {
            heading += ", relative L2 " + scientific(error.relativeL2)
        }
        return Heatmap(values: values, xRange: across.values.first!...across.values.last!,
                       yRange: up.values.first!...up.values.last!,
                       colorMap: quantity == .error ? .redBlue : .viridis,
                       colorScale: colorScale,
                       smooth: true, title: heading, xLabel: across.name, yLabel: up.name, colorBarLabel: label)
    }

    /// `1.23e-04`
    static func scientific(_ x: Double) -> String {
        guard x.isFinite, x != 0 else { return "\(x)" }
        let exponent = Int((log10(abs(x))).rounded(.down))
        let mantissa = x / pow(10, Double(exponent))
        let m = (mantissa * 100).rounded() / 100
        return "\(m)e\(exponent < 0 ? "-" : "+")\(abs(exponent) < 10 ? "0" : "")\(abs(exponent))"
    }
}
