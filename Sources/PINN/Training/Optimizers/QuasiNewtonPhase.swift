import Foundation

/// A dense quasi-Newton method (BFGS, SSBFGS, SSBroyden) on the parameters that train in this phase, always in
/// Double (its inverse Hessian and line search), whatever the precision the loss is evaluated in. Frozen
/// parameters (slopes) are left out of its vector, so H is only as large as it must be.
struct QuasiNewtonPhase<Scalar: PINNScalar>: PhaseOptimizer {
    var optimizer: DenseQuasiNewton
    /// The indices of the parameters that train, in order.
    let active: [Int]
    private let recent = RecentEvaluations<Double>()
    private var lastParameters: [Scalar] = []
    private var lastIterate: [Double] = []

    init(phase: JobSpec.PhaseSpec, parameterCount: Int, frozen: FrozenParameters, resuming state: Data?) throws {
        guard let update = phase.optimizer.denseUpdate else {
            preconditionFailure("\(phase.optimizer.rawValue) is not a dense quasi-Newton method")
        }
        active = (0..<parameterCount).filter { !frozen.contains($0) }
        optimizer = try OptimizerStateCoding.decode(DenseQuasiNewton.self, from: state)
            ?? DenseQuasiNewton(parameterCount: active.count, update: update)
        guard optimizer.parameterCount == active.count else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                "its optimiser has \(optimizer.parameterCount) parameters, the phase trains \(active.count)"))
        }
    }

    mutating func step(parameters: inout [Scalar], loss: PINNLoss<Scalar>) -> (value: LossValue, stop: StopReason?) {
        // In Float the Double iterate does not round-trip through the parameters: continue from it while the
        // parameters are what the last step left.
        var reduced = parameters == lastParameters ? lastIterate : active.map { Double(parameters[$0]) }
        var full = parameters
        var gradient = parameters
        let (active, recent) = (self.active, self.recent)
        let step = optimizer.step(parameters: &reduced) { x, g in
            for (k, i) in active.enumerated() { full[i] = Scalar(x[k]) }
            let value = loss.evaluate(full, gradient: &gradient)
            for (k, i) in active.enumerated() { g[k] = Double(gradient[i]) }
            recent.remember(x, value)
            return value.total
        }
        for (k, i) in active.enumerated() { parameters[i] = Scalar(reduced[k]) }
        (lastParameters, lastIterate) = (parameters, reduced)
        let value = recent.value(at: reduced) ?? loss.evaluate(parameters, gradient: &gradient)
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
        (lastParameters, lastIterate) = ([], [])
    }
}
