import Foundation

/// Adam: a step along the gradient at the current parameters, which it keeps from its previous step.
struct AdamPhase<Scalar: PINNScalar>: PhaseOptimizer {
    var adam: Adam<Scalar>
    private var gradient: [Scalar]
    private var gradientIsCurrent = false

    init(phase: JobSpec.PhaseSpec, parameterCount: Int, frozen: FrozenParameters, resuming state: Data?) throws {
        adam = try OptimizerStateCoding.decode(Adam<Scalar>.self, from: state)
            ?? Adam(parameterCount: parameterCount, learningRate: Scalar(phase.learningRate),
                    decay: phase.decayRate < 1 ? .exponential(rate: phase.decayRate, steps: phase.decaySteps) : nil,
                    frozen: frozen)
        gradient = [Scalar](repeating: 0, count: parameterCount)
    }

    mutating func step(parameters: inout [Scalar], loss: PINNLoss<Scalar>) -> (value: LossValue, stop: StopReason?) {
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
