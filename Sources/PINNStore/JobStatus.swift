/// Where a job is in its life: queued → running → succeeded | failed | cancelled. The raw values are what the
/// store writes and the API shows; never rename them.
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    case queued, running, succeeded, failed, cancelled

    /// Finished jobs never change status again.
    public var isTerminal: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .cancelled: true
        }
    }

    /// The allowed edges of the job's life. A queued job may be cancelled, or fail before it starts (e.g. its
    /// problem cannot be built), but only a running job can succeed. Resuming an interrupted job keeps it running,
    /// so running → running is not an edge.
    public func allowsTransition(to next: JobStatus) -> Bool {
        switch (self, next) {
        case (.queued, .running), (.queued, .failed), (.queued, .cancelled): true
        case (.running, .succeeded), (.running, .failed), (.running, .cancelled): true
        default: false
        }
    }
}
