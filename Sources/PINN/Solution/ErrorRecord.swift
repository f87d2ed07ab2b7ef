/// One evaluation of the network against the exact solution on the output grid (problems that have one):
/// the relative L2 error over all outputs, and per output its relative L2 error and its largest pointwise error.
///
///     relativeL2 = ‖u − u*‖₂ / ‖u*‖₂ over the grid,   maxAbsError = max |u − u*|
public struct ErrorRecord: Sendable, Codable, Equatable {
    public struct OutputError: Sendable, Codable, Equatable {
        public let relativeL2: Double
        public let maxAbsError: Double
        public init(relativeL2: Double, maxAbsError: Double) {
            self.relativeL2 = relativeL2
            self.maxAbsError = maxAbsError
        }
    }

    public let iteration: Int
    public let phase: Int
    /// All outputs together.
    public let relativeL2: Double
    /// By output name.
    public let outputs: [String: OutputError]
    /// The time window being trained when marching in time: the error is then over the grid up to that window's end.
    public var window: Int?

    public init(iteration: Int, phase: Int, relativeL2: Double, outputs: [String: OutputError]) {
        self.iteration = iteration
        self.phase = phase
        self.relativeL2 = relativeL2
        self.outputs = outputs
    }

    /// The errors of `values` against `exact` (both count × outputs, row-major, named by `outputs`).
    public init(iteration: Int, phase: Int, outputs names: [String], values: [Double], exact: [Double]) {
        let m = names.count
        var error = [Double](repeating: 0, count: m), norm = error, largest = error
        for i in values.indices {
            let o = i % m, e = values[i] - exact[i]
            error[o] += e * e
            norm[o] += exact[i] * exact[i]
            largest[o] = max(largest[o], abs(e))
        }
        self.iteration = iteration
        self.phase = phase
        relativeL2 = (error.reduce(0, +) / norm.reduce(0, +)).squareRoot()
        outputs = Dictionary(uniqueKeysWithValues: names.indices.map {
            (names[$0], OutputError(relativeL2: (error[$0] / norm[$0]).squareRoot(), maxAbsError: largest[$0]))
        })
    }
}
