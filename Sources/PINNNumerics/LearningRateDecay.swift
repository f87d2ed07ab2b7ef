import Foundation

/// A schedule that shrinks a base learning rate η as optimiser steps accumulate.
///
/// `multiplier(afterSteps: t)` is the factor applied to η for the update that follows `t` completed steps, so the
/// first update always uses η itself (as PyTorch's schedulers do).
public enum LearningRateDecay: Sendable, Codable, Equatable, Hashable {
    /// η·rate^(t/steps): a smooth exponential decay that has multiplied η by `rate` after every `steps` steps.
    case exponential(rate: Double, steps: Int)
    /// η·factor^⌊t/every⌋: a staircase that multiplies η by `factor` once every `every` steps.
    case stepwise(factor: Double, every: Int)

    /// The factor applied to the base learning rate after `t` completed steps.
    public func multiplier(afterSteps t: Int) -> Double {
        switch self {
        case let .exponential(rate, steps):
            precondition(steps > 0, "exponential decay needs a positive step count")
            return pow(rate, Double(t) / Double(steps))
        case let .stepwise(factor, every):
            precondition(every > 0, "stepwise decay needs a positive interval")
            return pow(factor, Double(t / every))
        }
    }
}
