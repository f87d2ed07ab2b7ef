import Foundation

/// One optimiser as the training loop drives it (docs/design.md §8): a step from the current parameters that
/// returns the loss at the new ones, the state a checkpoint keeps, and a reset when the objective changes under it
/// (resampled points). The loop itself — logging, evaluation, snapshots, checkpoints, resampling and stop checks —
/// is written once, in `TrainingRun`.
protocol PhaseOptimizer<Scalar> {
    associatedtype Scalar: PINNScalar
    /// One iteration on `parameters` against `loss`; the loss terms at the new parameters, and why the phase must
    /// stop now if it must.
    mutating func step(parameters: inout [Scalar], loss: PINNLoss<Scalar>) -> (value: LossValue, stop: PhaseStopReason?)
    /// The loss was rebuilt on new points: forget what was cached about the old objective.
    mutating func objectiveChanged()
    /// The optimiser's whole state, to resume from.
    func encodedState() throws -> Data
    /// What a dense quasi-Newton optimiser counted (nil for the others).
    var quasiNewtonCounters: DenseQuasiNewton.Counters? { get }
    /// Back to a state `encodedState` gave, with the step scaled by `stepFactor` where the optimiser has one to
    /// scale (Adam's learning rate; the line-search methods choose their own steps). After a divergence.
    mutating func rollBack(to state: Data, stepFactor: Double) throws
}

extension PhaseOptimizer {
    var quasiNewtonCounters: DenseQuasiNewton.Counters? { nil }
}

/// Optimiser states go into checkpoints even when training has gone wrong: non-finite numbers are spelled out.
enum OptimizerStateCoding {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}

/// Adam: a step along the gradient at the current parameters, which it keeps from its previous step.
struct AdamPhase<Scalar: PINNScalar>: PhaseOptimizer {
    var adam: Adam<Scalar>
    private var gradient: [Scalar]
    private var gradientIsCurrent = false

    init(_ adam: Adam<Scalar>, parameterCount: Int) {
        self.adam = adam
        gradient = [Scalar](repeating: 0, count: parameterCount)
    }

    mutating func step(parameters: inout [Scalar], loss: PINNLoss<Scalar>) -> (value: LossValue, stop: PhaseStopReason?) {
        if !gradientIsCurrent { _ = loss.evaluate(parameters, gradient: &gradient) }
        adam.step(parameters: &parameters, gradient: gradient)
        let value = loss.evaluate(parameters, gradient: &gradient)
        gradientIsCurrent = true
        return (value, value.isFinite ? nil : .nonFiniteLoss)
    }

    mutating func objectiveChanged() { gradientIsCurrent = false }
    func encodedState() throws -> Data { try OptimizerStateCoding.encoder.encode(adam) }

    mutating func rollBack(to state: Data, stepFactor: Double) throws {
        let rate = adam.learningRate
        adam = try OptimizerStateCoding.decoder.decode(Adam<Scalar>.self, from: state)
        adam.learningRate = rate * Scalar(stepFactor)
        adam.resetFirstMoment()
        gradientIsCurrent = false
    }
}

/// The last few points a line search evaluated with their loss terms, so the accepted point's terms can be
/// reported without evaluating it again.
final class RecentEvaluations<T: Equatable> {
    private var entries: [([T], LossValue)] = []

    func remember(_ x: [T], _ value: LossValue) {
        if entries.count == 4 { entries.removeFirst() }
        entries.append((x, value))
    }

    func value(at x: [T]) -> LossValue? { entries.last { $0.0 == x }?.1 }
}

/// L-BFGS with its strong-Wolfe line search, in the training precision.
struct LBFGSPhase<Scalar: PINNScalar>: PhaseOptimizer {
    var lbfgs: LBFGS<Scalar>
    private let recent = RecentEvaluations<Scalar>()
    private var gradient: [Scalar]

    init(_ lbfgs: LBFGS<Scalar>, parameterCount: Int) {
        self.lbfgs = lbfgs
        gradient = [Scalar](repeating: 0, count: parameterCount)
    }

    mutating func step(parameters: inout [Scalar], loss: PINNLoss<Scalar>) -> (value: LossValue, stop: PhaseStopReason?) {
        let recent = self.recent
        let step = lbfgs.step(parameters: &parameters) { x, g in
            let value = loss.evaluate(x, gradient: &g)
            recent.remember(x, value)
            return Scalar(value.total)
        }
        let value = recent.value(at: parameters) ?? loss.evaluate(parameters, gradient: &gradient)
        return (value, step.stop.map(PhaseStopReason.init))
    }

    mutating func objectiveChanged() { lbfgs.forgetPoint() }
    func encodedState() throws -> Data { try OptimizerStateCoding.encoder.encode(lbfgs) }

    mutating func rollBack(to state: Data, stepFactor: Double) throws {
        lbfgs = try OptimizerStateCoding.decoder.decode(LBFGS<Scalar>.self, from: state)
        lbfgs.forgetPoint()
    }
}

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

    init(_ optimizer: DenseQuasiNewton, active: [Int]) {
        precondition(optimizer.parameterCount == active.count, "the optimiser was set up for another parameter set")
        self.optimizer = optimizer
        self.active = active
    }

    /// The indices of `count` parameters that `frozen` leaves free.
    static func activeIndices(count: Int, frozen: FrozenParameters) -> [Int] {
        (0..<count).filter { !frozen.contains($0) }
    }

    mutating func step(parameters: inout [Scalar], loss: PINNLoss<Scalar>) -> (value: LossValue, stop: PhaseStopReason?) {
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
        return (value, step.stop.map(PhaseStopReason.init))
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
