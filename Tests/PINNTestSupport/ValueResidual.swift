import PINN

/// r = u_k(x) − g(x): a Dirichlet condition on a face, an initial condition, or a data/function fit, with g a Swift
/// closure — the conditions of the hand-written `BurgersProblem`. (Problems built from specs compile their conditions
/// to `ExpressionResidual`s instead.)
public struct ValueResidual: PointResidual {
    public let output: Int
    public let target: @Sendable (_ point: UnsafePointer<Double>) -> Double

    public init(output: Int = 0, target: @escaping @Sendable (_ point: UnsafePointer<Double>) -> Double) {
        self.output = output
        self.target = target
    }

    public var derivatives: [Derivative] { [[]] }
    public var equationCount: Int { 1 }

    public func evaluate(_ batch: ResidualBatch, residual: UnsafeMutableBufferPointer<Double>) {
        let u = batch.stream(0, output: output)
        for i in 0..<batch.count { residual[i] = u[i] - target(batch.points + i * batch.inputCount) }
    }

    public func pullback(_ batch: ResidualBatch, residualAdjoint: UnsafeBufferPointer<Double>, adjoint: StreamAdjoint) {
        let ubar = adjoint.stream(0, output: output)
        for i in 0..<batch.count { ubar[i] += residualAdjoint[i] }
    }
}
