import Foundation

/// A server's claim on a running job (docs/design.md §10, "Work distribution"): while the lease is live only its
/// holder trains the job, and it must renew the lease (a heartbeat) before `claim`'s duration runs out, or another
/// server may take the job over and resume it from its checkpoint. `token` is the fencing token: it grows with
/// every claim of the job and with every status change made without the lease (cancelling through any server),
/// and every write made under a lease (`fence:`) is refused with `StoreError.leaseLost` once the job carries a
/// newer token, so a server that lost its lease (paused, cut off, presumed dead) cannot write the job's history,
/// checkpoints, result or end over its successor's. The holder's own end of the job keeps the token: the history
/// it still holds may follow it.
public struct JobLease: Sendable, Equatable {
    public let jobID: String
    /// Who holds it: a server's `WorkerPool.holder`.
    public let holder: String
    public let token: Int

    public init(jobID: String, holder: String, token: Int) {
        self.jobID = jobID
        self.holder = holder
        self.token = token
    }
}

/// What `JobStore.claim` hands out: the job, now running under `lease`; `resumed` when it had run before (its
/// previous holder's lease expired or was released), so training continues from its latest checkpoint.
public struct JobClaim: Sendable, Equatable {
    public let job: JobRecord
    public let lease: JobLease
    public let resumed: Bool

    public init(job: JobRecord, lease: JobLease, resumed: Bool) {
        self.job = job
        self.lease = lease
        self.resumed = resumed
    }
}

extension Duration {
    /// The duration in seconds, as the stores keep times.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
