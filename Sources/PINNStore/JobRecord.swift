import Foundation
import PINN

/// A job as the store knows it: what was asked (`spec`), where it is (`status`, `progress`) and, once finished,
/// how it ended. Histories, checkpoints and results are read separately because they can be large.
public struct JobRecord: Sendable, Equatable {
    public var id: String
    public var status: JobStatus
    public var spec: JobSpec
    /// Higher runs first; equal priorities run in the order they were created.
    public var priority: Int
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var progress: JobProgress
    public var latestLoss: LatestLoss?
    /// The relative L2 error against the exact solution, when the problem has one and training got that far.
    public var relativeL2: Double?
    /// Why the job failed, for the user to read.
    public var failure: String?
    /// The latest evaluation against the exact solution (while running too).
    public var latestError: ErrorRecord?
    /// The name of the API token that submitted the job; nil when the service had no tokens then.
    public var owner: String?
    /// Whether every caller may see the job, not only its owner (`JobVisibility`).
    public var shared: Bool

    public init(id: String, status: JobStatus, spec: JobSpec, priority: Int = 0, createdAt: Date,
                startedAt: Date? = nil, finishedAt: Date? = nil, progress: JobProgress,
                latestLoss: LatestLoss? = nil, relativeL2: Double? = nil, failure: String? = nil,
                latestError: ErrorRecord? = nil, owner: String? = nil, shared: Bool = false) {
        self.latestError = latestError
        self.owner = owner
        self.shared = shared
        self.id = id
        self.status = status
        self.spec = spec
        self.priority = priority
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.progress = progress
        self.latestLoss = latestLoss
        self.relativeL2 = relativeL2
        self.failure = failure
    }
}
