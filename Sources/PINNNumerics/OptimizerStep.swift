/// What one step of an optimiser did (L-BFGS, a dense quasi-Newton method), for logging and for deciding whether
/// to go on.
public struct OptimizerStep<T: BinaryFloatingPoint & Sendable>: Sendable {
    /// f at the parameters after the step.
    public var loss: T
    /// ‖∇f‖∞ (the largest |∂f/∂xᵢ|, frozen entries excluded) at the parameters after the step.
    public var gradientNorm: T
    /// Objective evaluations the step used (including the evaluation of the starting point on the first call).
    public var evaluations: Int
    /// Why the optimiser should stop now; nil to carry on.
    public var stop: StopReason?

    @inlinable
    public init(loss: T, gradientNorm: T, evaluations: Int, stop: StopReason?) {
        (self.loss, self.gradientNorm, self.evaluations, self.stop) = (loss, gradientNorm, evaluations, stop)
    }
}

/// Why an optimiser stopped, or the training phase that drives it (stored as its raw string).
public enum StopReason: String, Codable, Sendable, Equatable, CaseIterable {
    /// The iteration budget ran out (the caller's: optimisers never report this themselves).
    case maxIterations
    /// The caller was asked to stop (optimisers never report this themselves).
    case cancelled
    /// The objective was not finite at the start, or at every trial of a search; the parameters are the last point
    /// where it was finite.
    case nonFiniteLoss
    /// ‖∇f‖∞ fell to the gradient tolerance: a stationary point to that accuracy.
    case gradientTolerance
    /// The step or the change in f fell below its tolerance (rounding): the run has stalled, converged or not.
    case noProgress
    /// Even a steepest-descent step with a fresh (inverse) Hessian approximation found no sufficient decrease; the
    /// parameters are the lowest point that search saw (never worse than before).
    case lineSearchFailed
    /// Levenberg–Marquardt: the damping grew past its limit without a step that lowers f (the Gauss–Newton model
    /// no longer predicts the objective: at a minimum to rounding, or stuck).
    case dampingExhausted
}
