/// What one `LBFGS.step` did, for logging and for deciding whether to go on.
public struct LBFGSStep<T: BinaryFloatingPoint & Sendable>: Sendable {
    /// f at the parameters after the step.
    public var loss: T
    /// ‖∇f‖∞ (the largest |∂f/∂xᵢ|, frozen entries excluded) at the parameters after the step.
    public var gradientNorm: T
    /// Objective evaluations the step used (including the evaluation of the starting point on the first call).
    public var evaluations: Int
    /// Why the optimiser should stop now; nil to carry on.
    public var stop: LBFGSStopReason?

    @inlinable
    public init(loss: T, gradientNorm: T, evaluations: Int, stop: LBFGSStopReason?) {
        (self.loss, self.gradientNorm, self.evaluations, self.stop) = (loss, gradientNorm, evaluations, stop)
    }
}

/// Why an L-BFGS run ended.
public enum LBFGSStopReason: String, Codable, Sendable {
    /// ‖∇f‖∞ fell to the gradient tolerance: a stationary point to that accuracy.
    case gradientTolerance
    /// The step or the change in f fell below its tolerance: the run has stalled, converged or not.
    case noProgress
    /// Even a steepest-descent step with fresh memory found no sufficient decrease; the parameters are the lowest
    /// point that search saw (never worse than before).
    case lineSearchFailed
    /// The objective was not finite at the start, or at every trial of a search; the parameters are the last point
    /// where it was finite.
    case nonFiniteLoss
    /// The caller's iteration budget ran out (`LBFGS` never reports this itself).
    case maxIterations
}
