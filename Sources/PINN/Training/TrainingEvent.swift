/// What a trainer reports while it runs: progress as a stream of events, which the CLI prints and writes and
/// the service stores. Iterations count across phases from 0.
public enum TrainingEvent: Sendable {
    case started(TrainingPlan)
    /// The loss terms at `iteration` (every `logEvery` iterations and at the end of every phase).
    case loss(LossRecord)
    /// The slopes at the same iterations as the loss records (adaptive networks only).
    case slopes(SlopeRecord)
    /// The error against the exact solution on the output grid (every `evaluateEvery` iterations and at the end).
    case evaluation(ErrorRecord)
    case phaseFinished(PhaseReport)
    /// The network's parameters (in Double) at an iteration the caller asked for.
    case snapshot(iteration: Int, parameters: [Double])
    /// The state to resume from (only when the run was given a checkpoint interval, and when it is cancelled).
    case checkpoint(TrainingCheckpoint)
}

public struct TrainingPlan: Sendable, Codable, Equatable {
    public let termNames: [String]
    public let phaseIterations: [Int]
    public let parameterCount: Int
    /// The number of time windows when marching in time (`phaseIterations` then lists the schedule once per window).
    public var windows: Int? = nil
    public var totalIterations: Int { phaseIterations.reduce(0, +) }
}

public struct LossRecord: Sendable, Codable, Equatable {
    public let iteration: Int
    public let phase: Int
    public let total: Double
    /// Mean squares without the terms' weights, in `TrainingPlan.termNames` order (with causal weights: the
    /// samples' weights applied, the objective being minimised).
    public let terms: [Double]
    public let slopeRecovery: Double
    /// Seconds since training started.
    public let seconds: Double
    /// The learned parameters of an inverse problem at this iteration, by name (nil when there are none).
    public var learned: [String: Double]?
    /// True on the record taken right after the collocation points were resampled (the loss on the new points).
    public var resampled: Bool?
    /// True on the record taken right after the causal weights were recomputed (the loss with the new weights).
    public var reweighed: Bool?
    /// The time window the record belongs to when marching in time (`phase` then counts phases across windows).
    public var window: Int?

    public init(iteration: Int, phase: Int, total: Double, terms: [Double], slopeRecovery: Double, seconds: Double,
                learned: [String: Double]? = nil, resampled: Bool? = nil, reweighed: Bool? = nil, window: Int? = nil) {
        self.window = window
        self.resampled = resampled
        self.reweighed = reweighed
        self.iteration = iteration
        self.phase = phase
        self.total = total
        self.terms = terms
        self.slopeRecovery = slopeRecovery
        self.seconds = seconds
        self.learned = learned
    }
}

public struct SlopeRecord: Sendable, Codable, Equatable {
    public let iteration: Int
    public let phase: Int
    /// The trainable slopes a, in parameter order (one, one per layer, or one per neuron).
    public let slopes: [Double]
    /// n·ā^k for every hidden layer: the effective mean slope.
    public let layerMeans: [Double]

    public init(iteration: Int, phase: Int, slopes: [Double], layerMeans: [Double]) {
        (self.iteration, self.phase, self.slopes, self.layerMeans) = (iteration, phase, slopes, layerMeans)
    }
}

public struct PhaseReport: Sendable, Codable, Equatable {
    public let phase: Int
    public let optimizer: JobSpec.OptimizerKind
    public let iterations: Int
    public let stopReason: StopReason
    public let seconds: Double
    public let finalLoss: Double
    /// What a dense quasi-Newton phase did: evaluations, skipped updates, restarts, time spent on H.
    public var quasiNewton: DenseQuasiNewton.Counters?
    /// What a Levenberg–Marquardt phase did: iterations, rejected steps, the damping's range, rows of J, time
    /// spent forming J, JᵀJ and solving.
    public var levenbergMarquardt: LevenbergMarquardt.Counters?
    /// The time window the phase trained when marching in time (`phase` then counts phases across windows:
    /// window · phases + the phase's index in the schedule).
    public var window: Int? = nil
    /// How often the phase went back to its last good state after a non-finite loss (`onDivergence: rollback`).
    public var rollbacks: Int?
}
