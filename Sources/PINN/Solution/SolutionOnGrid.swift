/// A network evaluated on a tensor grid over its problem's box (bounds inclusive), with the exact solution on the
/// same grid when the problem has one. Values are count × outputs, row-major, in grid order (time slowest).
public struct SolutionOnGrid: Sendable {
    public let grid: SolutionGrid
    public let outputs: [String]
    public let values: [Double]
    public let exact: [Double]?

    /// `exact`: the exact solution on `grid` when already known (the trainer computes it once per run). A
    /// time-marched solution is evaluated piecewise, each point by its window's network.
    public init<T: PINNScalar>(network: PiecewiseNetwork<T>, grid: SolutionGrid, outputs: [String], exact: [Double]?) {
        self.grid = grid
        self.outputs = outputs
        values = network.evaluate(grid.points)
        self.exact = exact
    }

    public init<T: PINNScalar>(network: Network<T>, grid: SolutionGrid, outputs: [String], exact: [Double]?) {
        self.init(network: PiecewiseNetwork(network), grid: grid, outputs: outputs, exact: exact)
    }

    public init<T: PINNScalar>(network: PiecewiseNetwork<T>, problem: Problem, sizes: [String: Int]) {
        let grid = SolutionGrid(problem: problem, sizes: sizes)
        self.init(network: network, grid: grid, outputs: problem.outputs, exact: problem.exact?.values(at: grid.points))
    }

    /// The error against the exact solution (nil without one).
    public func error(iteration: Int, phase: Int) -> ErrorRecord? {
        exact.map { ErrorRecord(iteration: iteration, phase: phase, outputs: outputs, values: values, exact: $0) }
    }

    /// ‖u − u*‖₂ / ‖u*‖₂ over every output.
    public var relativeL2: Double? { error(iteration: 0, phase: 0)?.relativeL2 }

    /// What a picture or a column shows of one output.
    public enum Quantity: String, Sendable, CaseIterable {
        case value, exact, error, absoluteError
    }

    /// One output's `quantity` at every grid point, in grid order; nil for exact/error without an exact solution.
    public func column(_ quantity: Quantity, output o: Int) -> [Double]? {
        let m = outputs.count
        let u = stride(from: o, to: values.count, by: m).map { values[$0] }
        if quantity == .value { return u }
        guard let exact else { return nil }
        let reference = stride(from: o, to: exact.count, by: m).map { exact[$0] }
        switch quantity {
        case .value: return u
        case .exact: return reference
        case .error: return zip(u, reference).map { $0 - $1 }
        case .absoluteError: return zip(u, reference).map { abs($0 - $1) }
        }
    }

    /// A column of a grid over two inputs as rows along the first axis (time for time-dependent problems).
    public func matrix(_ column: [Double]) -> [[Double]] {
        precondition(grid.axes.count == 2, "a matrix needs a grid over two inputs")
        let columns = grid.axes[1].values.count
        return (0..<grid.axes[0].values.count).map { i in Array(column[(i * columns)..<((i + 1) * columns)]) }
    }
}
