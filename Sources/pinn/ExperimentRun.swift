import Foundation
import PINN

/// What one run of an experiment leaves: its loss and error histories, snapshots of the fit, and the outcome.
/// Runs are saved (runs.json) so that tables and figures can be redrawn without training again.
struct ExperimentRun: Codable {
    struct Point: Codable {
        let iteration: Int
        let value: Double
        var seconds: Double = 0
    }

    struct Snapshot: Codable {
        let iteration: Int
        let parameters: [Double]
    }

    struct Outcome: Codable {
        let status: String
        let iterations: Int
        let wallSeconds: Double
        /// Σ of the unweighted loss terms (S(a) left out).
        let finalLoss: Double
        let relativeL2: Double?
        /// The final network parameters.
        let parameters: [Double]
    }

    let variant: String
    let seed: Int
    let spec: JobSpec
    /// Σ of the unweighted loss terms (the slope-recovery term left out: what variants can be compared on).
    var losses: [Point] = []
    /// Relative L2 error, with the wall seconds since the start (evaluation included).
    var errors: [Point] = []
    var snapshots: [Snapshot] = []
    var outcome: Outcome?

    /// Trains the run's spec, recording everything the tables and figures need.
    static func train(variant: String, seed: Int, spec: JobSpec, snapshots: Set<Int>) throws -> ExperimentRun {
        var run = ExperimentRun(variant: variant, seed: seed, spec: spec)
        let start = Date()
        let result = try Trainer.run(spec, snapshots: snapshots) { event in
            switch event {
            case .loss(let r): run.losses.append(Point(iteration: r.iteration, value: r.terms.reduce(0, +)))
            case .evaluation(let error):
                run.errors.append(Point(iteration: error.iteration, value: error.relativeL2,
                                        seconds: Date().timeIntervalSince(start)))
            case .snapshot(let iteration, let parameters):
                run.snapshots.append(Snapshot(iteration: iteration, parameters: parameters))
            default: break
            }
        }
        run.outcome = Outcome(status: result.status.rawValue, iterations: result.phases.map(\.iterations).reduce(0, +),
                              wallSeconds: result.wallSeconds, finalLoss: result.finalLoss.terms.reduce(0, +),
                              relativeL2: result.relativeL2, parameters: result.parameters)
        return run
    }

    /// The first evaluation at or below `target`: its iteration and seconds.
    func firstReaching(_ target: Double) -> (iteration: Int, seconds: Double)? {
        errors.first { $0.value <= target }.map { ($0.iteration, $0.seconds) }
    }
}
