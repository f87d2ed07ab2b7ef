/// Causal weights (`CausalWeighting`, docs/design.md §11): when due, and whenever the points carry no weights (the
/// start, a resample), weighs the interior samples by time from the current residuals, tells the optimiser its
/// objective changed and evaluates the loss with the new weights. Registered after the resampling hook, so a
/// resample's new points are weighed in the same iteration.
final class CausalWeightingHook<Scalar: PINNScalar>: TrainingHook {
    let weighting: CausalWeighting
    /// The iteration of the last weighing: a retried iteration (after a rollback) does not weigh again.
    private var weighedAt: Int?

    init(_ weighting: CausalWeighting) { self.weighting = weighting }

    func beforeStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl) -> HookVerdict {
        guard weighting.weighsAnything,
              weighting.settings.isDue(at: run.iteration) || !run.points.isWeighted, weighedAt != run.iteration else {
            return .proceed
        }
        run.weighPoints(weighting.weights(run.parameters, loss: run.loss))
        weighedAt = run.iteration
        phase.reweighed = true
        // After a resample in this iteration the optimiser has been told already (and has not stepped since): a
        // second notice would only repeat a dense H's Cholesky check, O(n³).
        if !phase.resampled { optimizer.objectiveChanged() }
        run.last = run.evaluateLoss()
        return .proceed
    }
}
