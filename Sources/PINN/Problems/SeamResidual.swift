/// The initial condition of a later time window (time-marching, docs/design.md §13): at the seam t = t_j the window's
/// network matches the previous window's solution in every derivative the problem's initial condition reads (u for a
/// first-order problem; u and u_t when the initial face fixes both), for every output:
///
///     r_{s,o}(x) = ∂^s u_o(x, t_j) − ∂^s u_o^{(j−1)}(x, t_j)
///
/// with the targets ∂^s u^{(j−1)} evaluated once, at the term's points, from the trained previous network, and
/// indexed by the row of the term's points (`ResidualBatch.firstRow`), as an observation's data are.
public struct SeamResidual: PointResidual {
    /// The derivatives matched (the initial condition's), in stream order.
    public let derivatives: [Derivative]
    public let outputCount: Int
    /// rows × (derivatives × outputs), row-major, derivative-major within a row.
    public let targets: [Double]

    /// `previous`: the previous window's network's `derivatives` at the term's points, one block (rows × outputs) per
    /// derivative (what `Network.evaluate(_:derivatives:)` returns).
    public init(derivatives: [Derivative], outputCount: Int, previous blocks: [[Double]]) {
        precondition(blocks.count == derivatives.count)
        self.derivatives = derivatives
        self.outputCount = outputCount
        let rows = (blocks.first?.count ?? 0) / max(outputCount, 1)
        var targets = [Double](repeating: 0, count: rows * derivatives.count * outputCount)
        for i in 0..<rows {
            for s in derivatives.indices {
                for o in 0..<outputCount {
                    targets[(i * derivatives.count + s) * outputCount + o] = blocks[s][i * outputCount + o]
                }
            }
        }
        self.targets = targets
    }

    public var equationCount: Int { derivatives.count * outputCount }

    public func evaluate(_ batch: ResidualBatch, residual: UnsafeMutableBufferPointer<Double>) {
        let width = equationCount
        for s in derivatives.indices {
            for o in 0..<outputCount {
                let e = s * outputCount + o
                let u = batch.stream(s, output: o)
                for i in 0..<batch.count { residual[e * batch.count + i] = u[i] - targets[(batch.firstRow + i) * width + e] }
            }
        }
    }

    public func pullback(_ batch: ResidualBatch, residualAdjoint: UnsafeBufferPointer<Double>, adjoint: StreamAdjoint) {
        for s in derivatives.indices {
            for o in 0..<outputCount {
                let e = s * outputCount + o
                let ubar = adjoint.stream(s, output: o)
                for i in 0..<batch.count { ubar[i] += residualAdjoint[e * batch.count + i] }
            }
        }
    }
}
