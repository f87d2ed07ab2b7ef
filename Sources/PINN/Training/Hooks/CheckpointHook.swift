import Foundation

/// Sends a `.checkpoint` event with the run's whole state every `interval` seconds, and once more when the run is
/// cancelled, at the top of an iteration (before a resample due there, which a resumed run then repeats exactly).
final class CheckpointHook<Scalar: PINNScalar>: TrainingHook {
    let interval: Double
    /// Run seconds when the last checkpoint was sent (or the run started).
    private var lastTaken = 0.0
    /// Seconds the last checkpoint took: encoding it, and the observer storing it.
    private var cost = 0.0

    init(interval: Double) { self.interval = interval }

    func runStarted(_ run: TrainingRun<Scalar>) { lastTaken = run.elapsed }

    /// A checkpoint is due after the interval, or after 50 times what the last one cost, whichever is longer: a
    /// dense quasi-Newton state (H, 8n² bytes) must not eat more than ~2% of training.
    func beforeStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl) -> HookVerdict {
        guard phase.cancelRequested || run.elapsed - lastTaken >= max(interval, 50 * cost) else { return .proceed }
        let before = run.elapsed
        defer { (lastTaken, cost) = (run.elapsed, run.elapsed - before) }
        do {
            run.emit(.checkpoint(run.checkpoint(phase, optimizerState: try optimizer.encodedState())))
            return .proceed
        } catch {
            return .end(.failed(.checkpointNotEncoded(reason: "\(error)")))
        }
    }
}
