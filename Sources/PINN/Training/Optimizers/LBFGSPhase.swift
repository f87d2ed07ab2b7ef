import Foundation

/// L-BFGS with its strong-Wolfe line search, in the training precision.
struct LBFGSPhase<Scalar: PINNScalar>: PhaseOptimizer {
    var lbfgs: LBFGS<Scalar>
    private let recent = RecentEvaluations<Scalar>()
    private var gradient: [Scalar]

    init(phase: JobSpec.PhaseSpec, parameterCount: Int, frozen: FrozenParameters, resuming state: Data?) throws {
        lbfgs = try OptimizerStateCoding.decode(LBFGS<Scalar>.self, from: state)
            ?? LBFGS(parameterCount: parameterCount, history: phase.history, frozen: frozen)
        gradient = [Scalar](repeating: 0, count: parameterCount)
    }

    mutating func step(parameters: inout [Scalar], loss: PINNLoss<Scalar>) -> (value: LossValue, stop: StopReason?) {
        let recent = self.recent
        let step = lbfgs.step(parameters: &parameters) { x, g in
            let value = loss.evaluate(x, gradient: &g)
            recent.remember(x, value)
            return Scalar(value.total)
        }
        let value = recent.value(at: parameters) ?? loss.evaluate(parameters, gradient: &gradient)
        return (value, step.stop)
    }

    mutating func objectiveChanged() { lbfgs.forgetPoint() }
    func encodedState() throws -> Data { try OptimizerStateCoding.encoder.encode(lbfgs) }

    mutating func rollBack(to state: Data, stepFactor: Double) throws {
        lbfgs = try OptimizerStateCoding.decoder.decode(LBFGS<Scalar>.self, from: state)
        lbfgs.forgetPoint()
    }
}
