import Foundation

/// Everything needed to continue a run exactly where it stopped: the phase and iterations done, the parameters
/// (widened to Double, which holds Float exactly), the optimiser's state (its Codable form), and the reports of the
/// phases already finished. Points and initialisation are not stored: they follow from the spec's seed.
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
}
