/// Residual-based adaptive resampling (RAD, docs/design.md §9): when due, replaces the collocation points with a
/// draw weighted by the current residual, tells the optimiser its objective changed and evaluates the loss on the
/// new points (which the history hook then logs, marked as resampled).
final class ResamplingHook<Scalar: PINNScalar>: TrainingHook {
    let resampler: ResidualResampler
    /// The iteration of the last resample: a retried iteration (after a rollback) does not draw again.
    private var resampledAt: Int?

    init(_ resampler: ResidualResampler) { self.resampler = resampler }

    func beforeStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl) -> HookVerdict {
        let settings = resampler.settings
        guard settings.isDue(at: run.iteration), resampledAt != run.iteration else { return .proceed }
        run.replacePoints(resampler.resample(run.parameters, current: run.points, index: run.iteration / settings.every,
                                             architecture: run.network.architecture,
                                             threads: run.spec.training.threads))
        resampledAt = run.iteration
        phase.resampled = true
        optimizer.objectiveChanged()
        run.last = run.evaluateLoss()
        return .proceed
    }
}
