import Foundation
import PINN

/// What one run of an experiment leaves: its loss and error histories, snapshots of the fit, and the summary.
struct ExperimentRun {
    let variant: String
    let seed: Int
    let spec: JobSpec
    /// Σ of the unweighted loss terms (the slope-recovery term left out) at each recorded iteration.
    var losses: [(iteration: Int, total: Double)] = []
    /// (iteration, relative L2, wall seconds since the start, evaluation included).
    var errors: [(iteration: Int, error: Double, seconds: Double)] = []
    var snapshots: [(iteration: Int, parameters: [Double])] = []
    var result: TrainingResult?

    init(variant: String, seed: Int, spec: JobSpec) {
        self.variant = variant
        self.seed = seed
        self.spec = spec
    }

    /// Trains the run's spec, recording everything the tables and figures need.
    static func train(variant: String, seed: Int, spec: JobSpec, snapshots: Set<Int>) throws -> ExperimentRun {
        var run = ExperimentRun(variant: variant, seed: seed, spec: spec)
        let start = Date()
        run.result = try Trainer.run(spec, snapshots: snapshots) { event in
            switch event {
            // The loss terms without w_a·S(a): what the variants can be compared on.
            case .loss(let r): run.losses.append((r.iteration, r.terms.reduce(0, +)))
            case .evaluation(let iteration, let error):
                run.errors.append((iteration, error, Date().timeIntervalSince(start)))
            case .snapshot(let iteration, let parameters): run.snapshots.append((iteration, parameters))
            default: break
            }
        }
        return run
    }

    /// The first evaluation at or below `target`: its iteration and seconds.
    func firstReaching(_ target: Double) -> (iteration: Int, seconds: Double)? {
        errors.first { $0.error <= target }.map { ($0.iteration, $0.seconds) }
    }
}
