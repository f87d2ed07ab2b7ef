/// Data the solution must match: r_{o,i} = u_o(x_i) − y_{o,i} for each observed output o, with the targets
/// indexed by the row of the term's given points (`ResidualBatch.firstRow`).
public struct ObservationResidual: PointResidual {
    /// The observed outputs.
    public let outputs: [Int]
    /// rows × outputs.count, row-major.
    public let targets: [Double]

    public init(outputs: [Int], targets: [Double]) {
        self.outputs = outputs
        self.targets = targets
    }

    public var derivatives: [Derivative] { [[]] }
    public var equationCount: Int { outputs.count }

    public func evaluate(_ batch: ResidualBatch, residual: UnsafeMutableBufferPointer<Double>) {
        let m = outputs.count
        for (e, output) in outputs.enumerated() {
            let u = batch.stream(0, output: output)
            for i in 0..<batch.count { residual[e * batch.count + i] = u[i] - targets[(batch.firstRow + i) * m + e] }
        }
    }

    public func pullback(_ batch: ResidualBatch, residualAdjoint: UnsafeBufferPointer<Double>, adjoint: StreamAdjoint) {
        for (e, output) in outputs.enumerated() {
            let ubar = adjoint.stream(0, output: output)
            for i in 0..<batch.count { ubar[i] += residualAdjoint[e * batch.count + i] }
        }
    }
}
