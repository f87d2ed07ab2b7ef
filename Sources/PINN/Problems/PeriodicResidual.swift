/// A periodic condition along input j: every output and its first derivative along j agree on the two faces,
/// u(…, x_j = lower, …) = u(…, x_j = upper, …) and ∂_j u likewise. Rows come in pairs (lower face, upper face;
/// `Region.periodic`); row 2i carries the value mismatch of pair i, row 2i + 1 its derivative mismatch:
/// r_{2i} = u(p_i⁻) − u(p_i⁺),  r_{2i+1} = ∂_j u(p_i⁻) − ∂_j u(p_i⁺).
public struct PeriodicResidual: PointResidual {
    public let input: Int
    public let inputCount: Int
    public let outputCount: Int

    public init(input: Int, inputCount: Int, outputCount: Int) {
        self.input = input
        self.inputCount = inputCount
        self.outputCount = outputCount
    }

    public var derivatives: [Derivative] { [[], [input]] }
    public var equationCount: Int { outputCount }
    public var rowsPerSample: Int { 2 }

    public func evaluate(_ batch: ResidualBatch, residual: UnsafeMutableBufferPointer<Double>) {
        let slope = batch.streams.index(of: [input])!
        for o in 0..<outputCount {
            let u = batch.stream(0, output: o), du = batch.stream(slope, output: o)
            let r = o * batch.count
            for i in stride(from: 0, to: batch.count, by: 2) {
                residual[r + i] = u[i] - u[i + 1]
                residual[r + i + 1] = du[i] - du[i + 1]
            }
        }
    }

    public func pullback(_ batch: ResidualBatch, residualAdjoint: UnsafeBufferPointer<Double>, adjoint: StreamAdjoint) {
        let slope = batch.streams.index(of: [input])!
        for o in 0..<outputCount {
            let ubar = adjoint.stream(0, output: o), dubar = adjoint.stream(slope, output: o)
            let r = o * batch.count
            for i in stride(from: 0, to: batch.count, by: 2) {
                ubar[i] += residualAdjoint[r + i]
                ubar[i + 1] -= residualAdjoint[r + i]
                dubar[i] += residualAdjoint[r + i + 1]
                dubar[i + 1] -= residualAdjoint[r + i + 1]
            }
        }
    }
}
