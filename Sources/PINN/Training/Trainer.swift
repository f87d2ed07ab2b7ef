import Foundation

/// Trains a job spec: samples its points, builds the network, runs its phases (Adam, L-BFGS, dense quasi-Newton)
/// and reports progress as `TrainingEvent`s. Knows nothing of files, HTTP or storage. The run itself is
/// `TrainingRun`.
public enum Trainer {
    /// Runs `spec` to completion (or failure, or cancellation) in its precision. `isCancelled` is polled once
    /// per iteration.
    ///
    /// With `checkpointEvery` (seconds), a `.checkpoint` event carries the full training state that often, and once
    /// more when the run is cancelled; passing one back as `resume` continues that run exactly where it stopped
    /// (the same spec and seed give the same points, so the remaining history is the one the run would have had).
    ///
    /// At the iterations in `snapshots`, a `.snapshot` event carries the network's parameters (for figures of
    /// the fit as training goes).
    public static func run(_ spec: JobSpec, checkpointEvery: Double? = nil, resume: TrainingCheckpoint? = nil,
                           snapshots: Set<Int> = [], observer: @escaping (TrainingEvent) -> Void = { _ in },
                           isCancelled: @escaping () -> Bool = { false }) throws(JobSpecError) -> TrainingResult {
        try run(spec, problem: ProblemBuilder.make(spec), checkpointEvery: checkpointEvery, resume: resume,
                snapshots: snapshots, observer: observer, isCancelled: isCancelled)
    }

    /// Runs `spec`'s network and training settings on a given problem (its `problem` name is then only a label).
    public static func run(_ spec: JobSpec, problem: Problem, checkpointEvery: Double? = nil,
                           resume: TrainingCheckpoint? = nil, snapshots: Set<Int> = [],
                           observer: @escaping (TrainingEvent) -> Void = { _ in },
                           isCancelled: @escaping () -> Bool = { false }) -> TrainingResult {
        switch spec.training.precision {
        case .double:
            TrainingRun<Double>(spec: spec, problem: problem, snapshots: snapshots, checkpointEvery: checkpointEvery,
                                observer: observer, isCancelled: isCancelled).run(resume: resume)
        case .float:
            TrainingRun<Float>(spec: spec, problem: problem, snapshots: snapshots, checkpointEvery: checkpointEvery,
                               observer: observer, isCancelled: isCancelled).run(resume: resume)
        }
    }
}
