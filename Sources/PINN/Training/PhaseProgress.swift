/// The phase being trained: which one, when it started, how far it has come, and what happened at the top of the
/// current iteration (set by the loop and the hooks, read by the hooks after them).
struct PhaseProgress {
    /// The phase's index in `training.phases`.
    let index: Int
    let spec: JobSpec.PhaseSpec
    /// Run seconds when the phase started (kept across a resume).
    let startedSeconds: Double
    /// Iterations done in this phase.
    var done: Int
    /// Whether a cancel was asked for at the top of this iteration (polled once per iteration).
    var cancelRequested = false
    /// Whether the points were resampled at the top of this iteration (its loss is then logged whatever `logEvery`).
    var resampled = false
    /// Whether the causal weights were recomputed at the top of this iteration (logged, and a good state to roll
    /// back to, like a resample).
    var reweighed = false
    /// What a dense quasi-Newton optimiser counted in this phase (nil for the others).
    var quasiNewton: DenseQuasiNewton.Counters?
    /// What Levenberg–Marquardt counted in this phase (nil for the others).
    var levenbergMarquardt: LevenbergMarquardt.Counters?
}
