import Foundation

/// Everything needed to continue a run exactly where it stopped: the phase and iterations done, the parameters
/// (widened to Double, which holds Float exactly), the optimiser's state (its Codable form), and the reports of the
/// phases already finished. The initialisation and the first points are not stored: they follow from the spec's seed.
/// Points that RAD has resampled since are (`points`): they depend on the network at the resample (docs/design.md §9).
/// A time-marched run also keeps the window and the finished windows' networks (docs/design.md §13).
public struct TrainingCheckpoint: Codable, Sendable, Equatable {
    public let phase: Int
    /// Iterations already done in `phase`.
    public let phaseIteration: Int
    /// Iterations done in all, across phases.
    public let iteration: Int
    public let phaseStartedSeconds: Double
    public let elapsedSeconds: Double
    /// `double` or `float`: a checkpoint resumes only in the precision it was taken in.
    public let precision: String
    public let parameters: [Double]
    public let optimizerState: Data
    public let reports: [PhaseReport]
    /// Every term's points when they were resampled since the start (nil: the points drawn from the seed).
    public var points: [[Double]]?
    /// Every term's sample weights when causal weighting has set them (nil: none; a term's entry nil: weight 1).
    public var sampleWeights: [[Double]?]?
    /// The time window being trained when marching in time (nil: no time-marching); `phase` then counts phases
    /// across windows.
    public var window: Int?
    /// The network parameters of the windows finished before `window`, in order (nil: none). `parameters` are the
    /// current window's; the finished ones are its start and its seam condition.
    public var finishedWindows: [[Double]]?

    public init(phase: Int, phaseIteration: Int, iteration: Int, phaseStartedSeconds: Double, elapsedSeconds: Double,
                precision: String, parameters: [Double], optimizerState: Data, reports: [PhaseReport],
                points: [[Double]]? = nil, sampleWeights: [[Double]?]? = nil, window: Int? = nil,
                finishedWindows: [[Double]]? = nil) {
        (self.window, self.finishedWindows) = (window, finishedWindows)
        (self.phase, self.phaseIteration, self.iteration) = (phase, phaseIteration, iteration)
        (self.phaseStartedSeconds, self.elapsedSeconds, self.precision) = (phaseStartedSeconds, elapsedSeconds, precision)
        (self.parameters, self.optimizerState, self.reports, self.points) = (parameters, optimizerState, reports, points)
        self.sampleWeights = sampleWeights
    }
}

extension TrainingCheckpoint {
    /// The solution's parameters at the checkpoint: the finished windows' networks, then the current parameters
    /// (what `TrainedSolution` takes; windows not trained yet are evaluated with the current network).
    public var solutionParameters: [Double] { (finishedWindows ?? []).flatMap { $0 } + parameters }
}
