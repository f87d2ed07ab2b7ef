import Foundation

/// Levenberg–Marquardt (docs/design.md §8.6) on the parameters that train in this phase, with the exact Jacobian
/// of the loss's residuals from the engine's own passes (`PINNLoss.linearize`); always in Double (J, JᵀJ and the
/// solve), whatever the precision the loss is evaluated in. Frozen parameters (slopes) are left out of J.
struct LevenbergMarquardtPhase<Scalar: PINNScalar>: PhaseOptimizer {
    var optimizer: LevenbergMarquardt
    private var active: ActiveParameters<Scalar>
    private let recent = RecentEvaluations<Double>()

    init(phase: JobSpec.PhaseSpec, parameterCount: Int, frozen: FrozenParameters, resuming state: Data?) throws {
        active = ActiveParameters(count: parameterCount, frozen: frozen)
        optimizer = try OptimizerStateCoding.decode(LevenbergMarquardt.self, from: state)
            ?? LevenbergMarquardt(parameterCount: active.count)
        try active.check(optimizerCount: optimizer.parameterCount)
    }

    mutating func step(parameters: inout [Scalar], loss: PINNLoss<Scalar>) -> (value: LossValue, stop: StopReason?) {
        var x = active.iterate(at: parameters)
        var full = parameters
        var gradient = parameters
        let (active, recent) = (self.active, self.recent)
        optimizer.threads = loss.threads
        let step = optimizer.step(parameters: &x, linearize: { x, residuals, jacobian in
            active.scatter(x, into: &full)
            loss.linearize(full, columns: active.positions, columnCount: active.count, residuals: &residuals,
                           jacobian: &jacobian)
        }, objective: { x in
            active.scatter(x, into: &full)
            let value = loss.evaluate(full, gradient: &gradient)
            recent.remember(x, value)
            return value.total
        })
        self.active.accept(x, into: &parameters)
        let value = recent.value(at: x) ?? loss.evaluate(parameters, gradient: &gradient)
        return (value, step.stop)
    }

    /// New points: the next step evaluates afresh (J is formed anew at every step anyway).
    mutating func objectiveChanged() { optimizer.forgetPoint() }

    func encodedState() throws -> Data { try OptimizerStateCoding.encoder.encode(optimizer) }
    var levenbergMarquardtCounters: LevenbergMarquardt.Counters? { optimizer.counters }

    /// After a divergence: the state as it was, with the damping raised by 1/`stepFactor` (shorter steps).
    mutating func rollBack(to state: Data, stepFactor: Double) throws {
        optimizer = try OptimizerStateCoding.decoder.decode(LevenbergMarquardt.self, from: state)
        optimizer.forgetPoint()
        optimizer.increaseDamping(by: 1 / stepFactor)
        active.forget()
    }
}
