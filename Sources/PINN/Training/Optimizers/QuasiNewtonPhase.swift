import Foundation

/// A dense quasi-Newton method (BFGS, SSBFGS, SSBroyden) on the parameters that train in this phase, always in
/// Double (its inverse Hessian and line search), whatever the precision the loss is evaluated in. Frozen
/// parameters (slopes) are left out of its vector, so H is only as large as it must be.
struct QuasiNewtonPhase<Scalar: PINNScalar>: PhaseOptimizer {
    var optimizer: DenseQuasiNewton
    private var active: ActiveParameters<Scalar>
    private let recent = RecentEvaluations<Double>()

    init(phase: JobSpec.PhaseSpec, parameterCount: Int, frozen: FrozenParameters, resuming state: Data?) throws {
        guard let update = phase.optimizer.denseUpdate else {
            preconditionFailure("\(phase.optimizer.rawValue) is not a dense quasi-Newton method")
        }
        active = ActiveParameters(count: parameterCount, frozen: frozen)
        optimizer = try OptimizerStateCoding.decode(DenseQuasiNewton.self, from: state)
            ?? DenseQuasiNewton(parameterCount: active.count, update: update)
        try active.check(optimizerCount: optimizer.parameterCount)
    }

    mutating func step(parameters: inout [Scalar], loss: PINNLoss<Scalar>) -> (value: LossValue, stop: StopReason?) {
        var x = active.iterate(at: parameters)
        var full = parameters
        var gradient = parameters
        let (active, recent) = (self.active, self.recent)
        let step = optimizer.step(parameters: &x) { x, g in
            active.scatter(x, into: &full)
            let value = loss.evaluate(full, gradient: &gradient)
            for (k, i) in active.indices.enumerated() { g[k] = Double(gradient[i]) }
            recent.remember(x, value)
            return value.total
        }
        self.active.accept(x, into: &parameters)
        let value = recent.value(at: x) ?? loss.evaluate(parameters, gradient: &gradient)
        return (value, step.stop)
    }

    /// New points: the next step evaluates afresh, and H, kept, is checked for positive definiteness (a
    /// Cholesky factorisation; restarted from a scaled identity if it fails).
    mutating func objectiveChanged() {
        optimizer.forgetPoint()
        optimizer.checkPositiveDefinite()
    }

    func encodedState() throws -> Data { try OptimizerStateCoding.encoder.encode(optimizer) }
    var quasiNewtonCounters: DenseQuasiNewton.Counters? { optimizer.counters }

    mutating func rollBack(to state: Data, stepFactor: Double) throws {
        optimizer = try OptimizerStateCoding.decoder.decode(DenseQuasiNewton.self, from: state)
        optimizer.forgetPoint()
        active.forget()
    }
}
