import Foundation

/// Levenberg–Marquardt (docs/design.md §8.6) on the parameters that train in this phase, with the exact Jacobian
/// of the loss's residuals from the engine's own passes (`PINNLoss.linearize`); always in Double (J, JᵀJ and the
/// solve), whatever the precision the loss is evaluated in. Frozen parameters (slopes) are left out of J.
struct LevenbergMarquardtPhase<Scalar: PINNScalar>: PhaseOptimizer {
    var optimizer: LevenbergMarquardt
    /// The indices of the parameters that train, in order, and each parameter's column in J (nil: frozen).
    let active: [Int]
    let columns: [Int?]
    private let recent = RecentEvaluations<Double>()
    private var lastParameters: [Scalar] = []
    private var lastIterate: [Double] = []

    init(phase: JobSpec.PhaseSpec, parameterCount: Int, frozen: FrozenParameters, resuming state: Data?) throws {
        active = (0..<parameterCount).filter { !frozen.contains($0) }
        var columns = [Int?](repeating: nil, count: parameterCount)
        for (c, i) in active.enumerated() { columns[i] = c }
        self.columns = columns
        optimizer = try OptimizerStateCoding.decode(LevenbergMarquardt.self, from: state)
            ?? LevenbergMarquardt(parameterCount: active.count)
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
        let (active, columns, recent) = (self.active, self.columns, self.recent)
        optimizer.threads = loss.threads
        let step = optimizer.step(parameters: &reduced, linearize: { x, residuals, jacobian in
            for (k, i) in active.enumerated() { full[i] = Scalar(x[k]) }
            loss.linearize(full, columns: columns, columnCount: active.count, residuals: &residuals, jacobian: &jacobian)
        }, objective: { x in
            for (k, i) in active.enumerated() { full[i] = Scalar(x[k]) }
            let value = loss.evaluate(full, gradient: &gradient)
            recent.remember(x, value)
            return value.total
        })
        for (k, i) in active.enumerated() { parameters[i] = Scalar(reduced[k]) }
        (lastParameters, lastIterate) = (parameters, reduced)
        let value = recent.value(at: reduced) ?? loss.evaluate(parameters, gradient: &gradient)
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
        (lastParameters, lastIterate) = ([], [])
    }
}
