import Foundation
import PINNNumerics

/// The memory a job holds while it trains, estimated from its spec and compiled problem before anything is
/// allocated, so the service can refuse a job that would not fit (`maxJobMemoryBytes`).
///
/// With P trainable parameters, s the scalar's size (8 or 4), N_t points of term t (k_t rows per sample), S_t its
/// Taylor streams and T threads:
/// - points: 8·d·Σ N_t·k_t, plus the resampling pool (8·(d + 2) per candidate);
/// - passes: each of the T shards owns one `NetworkPass` per term, over blocks of min(`NetworkBlock.rows`, N_t·k_t / T) rows
///   (`NetworkPass.elements`), times s — flat in the number of points;
/// - optimiser: the largest phase's state — Adam 8·P doubles, L-BFGS (2m + 6)·P, a dense quasi-Newton update
///   8·P² bytes for H, Levenberg–Marquardt 8·(N·P + 2P²) for J (N residual rows), JᵀJ and its factor — plus its checkpoint twice (the encoder's buffer and the copy handed to the store);
/// - time-marching (k windows): the k − 1 finished windows' parameters, in memory and in the checkpoints;
/// - output grid: coordinates, values, exact values and errors, 8·(d + 3·outputs) per grid point;
/// - a fixed 16 MiB for compiled expressions, the reference solution and the trainer's own state.
/// Measured against peak RSS in docs/reliability.md (the estimate is meant to be an upper bound within ~2×).
public struct JobMemoryEstimate: Sendable, Equatable {
    public var points: Int
    public var passes: Int
    public var optimizer: Int
    public var grid: Int
    public var fixed = 16 << 20

    public var total: Int { points + passes + optimizer + grid + fixed }

    public init(spec: JobSpec, problem: Problem) {
        let d = problem.inputs.count
        let architecture = spec.architecture(inputs: d, outputs: problem.outputs.count)
        let scalar = spec.training.precision == .float ? 4 : 8
        let threads = max(1, spec.training.threads)
        var points = 0, passes = 0, residualRows = 1
        for term in problem.terms {
            let k = term.residual.rowsPerSample
            let samples: Int = switch term.region {
            case .interior: term.points ?? spec.training.collocationPoints
            case .faces, .periodic: term.points ?? spec.training.boundaryPoints
            case .given(let given): given.count / max(d, 1) / k
            }
            let rows = samples * k
            residualRows += rows * term.residual.equationCount
            points += 8 * d * rows
            let streams = TaylorStreams(inputCount: d, derivatives: term.residual.derivatives).count
            let block = max(k, min(NetworkBlock.rows, rows / threads))
            passes += threads * scalar * NetworkPass<Double>.elements(architecture: architecture, streamCount: streams,
                                                                      rows: block)
        }
        if let rad = spec.training.resampling { points += 8 * (d + 2) * max(rad.candidates, spec.training.collocationPoints) }
        // Causal weights: one Double per interior sample, and ~25 bytes each in a checkpoint.
        if spec.training.causal != nil { points += (8 + 25) * spec.training.collocationPoints }
        let n = ParameterLayout(architecture).count + problem.learned.count
        // Time-marching: the finished windows' networks, in memory and in every checkpoint twice (~25 bytes each).
        points += (8 + 2 * 25) * n * (spec.training.windowCount - 1)
        // Checkpoints carry the points when they move (resampling) as JSON numbers (~25 bytes each).
        let movingPoints = spec.training.resampling == nil ? 0 : 25 * d * spec.training.collocationPoints
        optimizer = spec.training.phases.map { phase -> Int in
            // The state in memory, and its checkpoint twice (the encoder's buffer and the copy handed to the store):
            // parameters as JSON, a vector state as JSON inside base64 (~34 bytes a number), H as the raw bytes
            // of its upper triangle (4·P²) and their base64 (4/3 of that).
            let memory: Int, checkpoint: Int
            if phase.optimizer.denseUpdate != nil {
                memory = 8 * (n * n + 8 * n)
                checkpoint = 25 * n + 4 * n * n * 7 / 3
            } else if phase.optimizer == .lm {
                // J (N × n), JᵀJ and its factor (n × n each), and the residuals: all Double.
                memory = 8 * (residualRows * n + 2 * n * n + residualRows + 8 * n)
                checkpoint = 25 * n + 34 * 2 * n
            } else {
                let vectors = phase.optimizer == .lbfgs ? 2 * phase.history : 2
                memory = 8 * (vectors + 6) * n
                checkpoint = 25 * n + 34 * vectors * n
            }
            return memory + 2 * (checkpoint + movingPoints) + threads * scalar * n
        }.max() ?? 0
        let gridPoints = spec.output.grid.values.reduce(1, *)
        grid = 8 * gridPoints * (d + 3 * problem.outputs.count)
        self.points = points
        self.passes = passes
    }

    /// "1234.5 MiB (points 10.1 MiB, network passes 900.0 MiB, …)" for error messages and reports.
    public var summary: String {
        func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        return "\(mib(total)) (points \(mib(points)), network passes \(mib(passes)), optimiser and checkpoint "
            + "\(mib(optimizer)), output grid \(mib(grid)), fixed \(mib(fixed)))"
    }
}
