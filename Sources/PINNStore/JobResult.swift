import Foundation

/// What a finished job leaves behind: the trained parameters (enough to rebuild the network) and, optionally,
/// the solution on the output grid in whatever encoding the service chose.
public struct JobResult: Sendable, Equatable {
    public var parameters: [Double]
    public var solution: Data?
    public var savedAt: Date

    public init(parameters: [Double], solution: Data?, savedAt: Date) {
        self.parameters = parameters
        self.solution = solution
        self.savedAt = savedAt
    }
}
