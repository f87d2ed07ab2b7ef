import Foundation
import PINN

/// The viscous Burgers equation u_t + u·u_x − ν·u_xx = 0 on x ∈ [−1, 1], t ∈ [0, 1], with u(x, 0) = −sin(πx)
/// and u(±1, t) = 0. Default ν = 0.01/π: a shock forms at x = 0 near t ≈ 0.3.
/// Written by hand, independently of the expression compiler: the oracle the `burgers` preset is tested against.
public enum BurgersProblem {
    public static let defaultNu = 0.01 / Double.pi

    public static func make(nu: Double = defaultNu) -> Problem {
        let x = 0, t = 1
        return Problem(
            name: "burgers", inputs: ["x", "t"], outputs: ["u"], lower: [-1, 0], upper: [1, 1],
            terms: [
                LossTermDefinition(name: "pde", region: .interior, residual: BurgersResidual(nu: nu)),
                LossTermDefinition(name: "initial", region: .faces([Face(input: t, upper: false)]),
                                   residual: ValueResidual { -sin(Double.pi * $0[x]) }),
                LossTermDefinition(name: "boundary",
                                   region: .faces([Face(input: x, upper: false), Face(input: x, upper: true)]),
                                   residual: ValueResidual { _ in 0 }),
            ],
            exact: BurgersExactSolution(nu: nu), parameters: ["nu": nu])
    }
}

/// r = u_t + u·u_x − ν·u_xx; ∂r/∂u = u_x, ∂r/∂u_x = u, ∂r/∂u_t = 1, ∂r/∂u_xx = −ν.
public struct BurgersResidual: PointResidual {
    public let nu: Double
    // Stream indices for inputs (x, t) = (0, 1): value 0, u_x 1, u_t 2, u_xx 3.
    private let streams = TaylorStreams(inputCount: 2, derivatives: [[0], [1], [0, 0]])

    public init(nu: Double) { self.nu = nu }

    public var derivatives: [Derivative] { [[], [0], [1], [0, 0]] }
    public var equationCount: Int { 1 }

    public func evaluate(_ batch: ResidualBatch, residual: UnsafeMutableBufferPointer<Double>) {
        let (u, ux, ut, uxx) = columns(batch)
        for i in 0..<batch.count { residual[i] = ut[i] + u[i] * ux[i] - nu * uxx[i] }
    }

    public func pullback(_ batch: ResidualBatch, residualAdjoint r: UnsafeBufferPointer<Double>, adjoint: StreamAdjoint) {
        let (u, ux, _, _) = columns(batch)
        let s = batch.streams
        let ubar = adjoint.stream(0), uxbar = adjoint.stream(s.index(of: [0])!)
        let utbar = adjoint.stream(s.index(of: [1])!), uxxbar = adjoint.stream(s.index(of: [0, 0])!)
        for i in 0..<batch.count {
            ubar[i] += r[i] * ux[i]
            uxbar[i] += r[i] * u[i]
            utbar[i] += r[i]
            uxxbar[i] -= r[i] * nu
        }
    }

    private func columns(_ batch: ResidualBatch) -> (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>,
                                                     UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) {
        let s = batch.streams
        return (batch.stream(0), batch.stream(s.index(of: [0])!), batch.stream(s.index(of: [1])!),
                batch.stream(s.index(of: [0, 0])!))
    }
}
