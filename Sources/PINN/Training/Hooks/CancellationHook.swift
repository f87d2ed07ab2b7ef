/// Ends the phase, and so the run, when a cancel was asked for at the top of this iteration. It comes after the
/// checkpoint hook (which takes a last checkpoint then) and before anything that would change the run.
final class CancellationHook<Scalar: PINNScalar>: TrainingHook {
    func beforeStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl) -> HookVerdict {
        phase.cancelRequested ? .end(.cancelled) : .proceed
    }
}
