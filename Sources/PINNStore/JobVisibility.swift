/// Which jobs a caller may see: the service's access rule (docs/api.md, "Authentication"), here because listing
/// must filter in the store (a page of 50 visible jobs cannot be cut from a page of 50 jobs). `admits` is the rule
/// for one job; the stores' SQL states it again as a condition (`SQLJobStore.condition`), and
/// `JobVisibilityTests` checks that the two agree on every kind of job.
public enum JobVisibility: Sendable, Equatable {
    /// Every job: the service without tokens.
    case everyJob
    /// The jobs of `owner` (nil: a caller without a token, who owns none), every shared job, and every job without
    /// an owner (submitted while the service had no tokens, when everyone could see it).
    case visibleTo(owner: String?)

    public func admits(_ job: JobRecord) -> Bool { admits(owner: job.owner, shared: job.shared) }

    /// Studies follow the rule of jobs.
    public func admits(_ study: StudyRecord) -> Bool { admits(owner: study.owner, shared: study.shared) }

    func admits(owner itsOwner: String?, shared: Bool) -> Bool {
        switch self {
        case .everyJob: true
        case .visibleTo(let owner): itsOwner == nil || shared || (owner != nil && itsOwner == owner)
        }
    }
}
