/// How far training has come: iterations count across phases from 0, as in `TrainingEvent`.
public struct JobProgress: Codable, Sendable, Equatable {
    public var phase: Int
    public var iteration: Int
    public var totalIterations: Int

    public init(phase: Int, iteration: Int, totalIterations: Int) {
        self.phase = phase
        self.iteration = iteration
        self.totalIterations = totalIterations
    }
}
