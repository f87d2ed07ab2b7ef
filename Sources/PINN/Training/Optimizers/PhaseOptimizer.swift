import Foundation

/// One optimiser as the training loop drives it (docs/design.md §8): built from its phase's spec (or restored
/// from a checkpoint), a step from the current parameters that returns the loss at the new ones, the state a
/// checkpoint keeps, and a reset when the objective changes under it (resampled points). The loop itself is
/// written once, in `TrainingRun`, and what happens around the step in its hooks.
protocol PhaseOptimizer<Scalar> {
    associatedtype Scalar: PINNScalar
    /// The optimiser `phase` asks for, on `parameterCount` parameters of which `frozen` are held fixed; or, when
    /// `state` is given (from `encodedState`, in a checkpoint), that optimiser as it was.
    init(phase: JobSpec.PhaseSpec, parameterCount: Int, frozen: FrozenParameters, resuming state: Data?) throws
    /// One iteration on `parameters` against `loss`; the loss terms at the new parameters, and why the phase must
    /// stop now if it must.
    mutating func step(parameters: inout [Scalar], loss: PINNLoss<Scalar>) -> (value: LossValue, stop: StopReason?)
    /// The loss was rebuilt on new points: forget what was cached about the old objective.
    mutating func objectiveChanged()
    /// The optimiser's whole state, to resume from.
    func encodedState() throws -> Data
    /// What a dense quasi-Newton optimiser counted (nil for the others).
    var quasiNewtonCounters: DenseQuasiNewton.Counters? { get }
    /// What Levenberg–Marquardt counted (nil for the others).
    var levenbergMarquardtCounters: LevenbergMarquardt.Counters? { get }
    /// Back to a state `encodedState` gave, with the step scaled by `stepFactor` where the optimiser has one to
    /// scale (Adam's learning rate; the line-search methods choose their own steps). After a divergence.
    mutating func rollBack(to state: Data, stepFactor: Double) throws
}

extension PhaseOptimizer {
    var quasiNewtonCounters: DenseQuasiNewton.Counters? { nil }
    var levenbergMarquardtCounters: LevenbergMarquardt.Counters? { nil }
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

    /// The value `state` encodes, or nil without a state.
    static func decode<V: Decodable>(_ type: V.Type, from state: Data?) throws -> V? {
        try state.map { try decoder.decode(type, from: $0) }
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
