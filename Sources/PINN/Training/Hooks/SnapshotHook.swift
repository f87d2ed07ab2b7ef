/// Sends the network's parameters at the iterations asked for (for figures of the fit as training goes),
/// including the last iteration when it is one of them. A time-marched run sends its solution so far: the finished
/// windows' networks, then the current one (what `TrainedSolution` reads).
final class SnapshotHook<Scalar: PINNScalar>: TrainingHook {
    let iterations: Set<Int>

    init(iterations: Set<Int>) { self.iterations = iterations }

    func beforeStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl) -> HookVerdict {
        snapshotIfAsked(run)
        return .proceed
    }

    func runFinished(_ run: TrainingRun<Scalar>) { snapshotIfAsked(run) }

    private func snapshotIfAsked(_ run: TrainingRun<Scalar>) {
        guard iterations.contains(run.iteration) else { return }
        run.emit(.snapshot(iteration: run.iteration,
                           parameters: run.currentSolution.parameters.map { Double($0) }))
    }
}
