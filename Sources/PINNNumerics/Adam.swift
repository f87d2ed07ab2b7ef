import Foundation

/// Adam (Kingma & Ba, 2015) on a flat parameter vector, with the bias correction of the paper's Algorithm 1 as PyTorch
/// implements it.
///
/// With gradient gₜ at step t = 1, 2, …:
///
///     mₜ = β₁·mₜ₋₁ + (1 − β₁)·gₜ              first-moment (mean) estimate
///     vₜ = β₂·vₜ₋₁ + (1 − β₂)·gₜ²             second-moment (uncentred variance) estimate
///     m̂ₜ = mₜ / (1 − β₁ᵗ),  v̂ₜ = vₜ / (1 − β₂ᵗ)   bias correction: m₀ = v₀ = 0 drags early estimates towards 0
///     θₜ = θₜ₋₁ − ηₜ·m̂ₜ / (√v̂ₜ + ε)
///
/// Each entry moves by roughly ηₜ in the direction of its recent mean gradient, whatever the gradient's scale, which is
/// why Adam copes with the badly scaled loss terms of a PINN. ηₜ is the base rate η times the optional `decay`
/// multiplier after t − 1 completed steps.
///
/// The struct is the whole optimiser state (step count and both moments), so encoding it is a checkpoint and a decoded
/// copy continues bit for bit where the original left off. Entries in `frozen` are never touched.
public struct Adam<T: BinaryFloatingPoint & Sendable>: Sendable {
    /// The base learning rate η.
    public var learningRate: T
    /// β₁, the decay rate of the first-moment estimate.
    public var beta1: T
    /// β₂, the decay rate of the second-moment estimate.
    public var beta2: T
    /// ε, added to √v̂ so entries with a vanishing gradient history do not divide by zero.
    public var epsilon: T
    /// An optional schedule for η; nil keeps it constant.
    public var decay: LearningRateDecay?
    /// Entries that never change.
    public var frozen: FrozenParameters
    /// t, mₜ and vₜ (one entry per parameter).
    @usableFromInline var t: Int
    @usableFromInline var m: [T]
    @usableFromInline var v: [T]

    @inlinable
    public init(parameterCount: Int, learningRate: T = 1e-3, beta1: T = 0.9, beta2: T = 0.999, epsilon: T = 1e-8,
                decay: LearningRateDecay? = nil, frozen: FrozenParameters = .none) {
        precondition(parameterCount >= 0, "negative parameter count")
        precondition(learningRate > 0 && epsilon > 0, "learning rate and epsilon must be positive")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "betas must lie in [0, 1)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.decay = decay
        self.frozen = frozen
        self.t = 0
        self.m = Array(repeating: 0, count: parameterCount)
        self.v = Array(repeating: 0, count: parameterCount)
    }

    /// The number of updates taken so far (t).
    @inlinable
    /// Forgets the momentum (first moment), keeping the per-parameter scales (second moment): after a rollback,
    /// so that the momentum that carried the iterate over a cliff does not carry it over again.
    public mutating func resetFirstMoment() {
        for i in m.indices { m[i] = 0 }
    }

    public var stepCount: Int { t }
    /// The first-moment estimate mₜ.
    @inlinable
    public var firstMoment: [T] { m }
    /// The second-moment estimate vₜ.
    @inlinable
    public var secondMoment: [T] { v }

    /// The learning rate ηₜ the next step will use.
    @inlinable
    public var currentLearningRate: T {
        guard let decay else { return learningRate }
        return learningRate * T(decay.multiplier(afterSteps: t))
    }

    /// Takes one Adam update of `parameters` with `gradient` (∇f at `parameters`, same count).
    @inlinable
    public mutating func step(parameters: inout [T], gradient: [T]) {
        precondition(parameters.count == m.count && gradient.count == m.count,
                     "Adam was set up for \(m.count) parameters")
        let rate = currentLearningRate
        t += 1
        // The bias corrections in Double: β₂ᵗ needs the precision in Float, and pow is not generic.
        let correction1 = T(1 - pow(Double(beta1), Double(t)))
        let correction2Root = T((1 - pow(Double(beta2), Double(t))).squareRoot())
        let stepSize = rate / correction1
        let (beta1, beta2, epsilon, frozen) = (self.beta1, self.beta2, self.epsilon, self.frozen)
        let (oneMinusBeta1, oneMinusBeta2) = (1 - beta1, 1 - beta2)
        gradient.withUnsafeBufferPointer { g in
            parameters.withUnsafeMutableBufferPointer { theta in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        frozen.forEachActiveRange(count: g.count) { active in
                            for i in active {
                                m[i] = beta1 * m[i] + oneMinusBeta1 * g[i]
                                v[i] = beta2 * v[i] + oneMinusBeta2 * g[i] * g[i]
                                theta[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2Root + epsilon)
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Adam: Codable where T: Codable {}
