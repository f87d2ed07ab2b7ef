import Foundation
import PINN

/// Where jobs, their histories, checkpoints and results live, so they outlive the process that trains them.
/// `SQLiteJobStore` (one file, the embedded default) and `PostgresJobStore` (a database several servers share)
/// implement it, and one contract test suite runs against both. Every method is safe to call from any thread.
///
/// Histories are appended in batches — one transaction per batch, not one write per iteration — and read back
/// ordered by iteration. Appending a record whose (phase, iteration) is already stored replaces it, so a job
/// resumed from a checkpoint can simply re-append what it recomputes.
///
/// Work is handed out by `claim`, under a lease (`JobLease`) its holder renews; the writes of training take the
/// lease as `fence` and are refused (`StoreError.leaseLost`) once another holder has taken the job over. A nil
/// fence writes unconditionally (the API cancelling a job, tests).
public protocol JobStore: Sendable {
    // MARK: Jobs

    /// Stores a new queued job with a fresh random id, owned by `owner` (an API token's name, nil without tokens).
    func create(spec: JobSpec, priority: Int, owner: String?, shared: Bool) throws(StoreError) -> JobRecord
    func job(id: String) throws(StoreError) -> JobRecord?
    /// Newest first, of the jobs `visibility` admits; `status` nil lists every status.
    func list(status: JobStatus?, visibility: JobVisibility, limit: Int, offset: Int) throws(StoreError) -> [JobRecord]
    /// How many jobs are in each status (every status present, zeros included).
    func counts() throws(StoreError) -> [JobStatus: Int]
    /// The queued job to run next: highest priority first, then the oldest (FIFO). Does not claim it —
    /// `markRunning` does, and fails for all but one of several workers racing for the same job.
    func nextQueued() throws(StoreError) -> JobRecord?
    /// Jobs left running when the process stopped, oldest first: after a restart these resume from their
    /// latest checkpoint (or start over without one).
    func interruptedJobs() throws(StoreError) -> [JobRecord]
    /// Removes the job with its histories, checkpoints and result. Returns whether it existed.
    @discardableResult func delete(jobID: String) throws(StoreError) -> Bool
    /// Retention: deletes finished jobs (succeeded, failed, cancelled) — all but the `keep` most recently finished,
    /// and every one finished before `finishedBefore` — with their histories, checkpoints and results. nil means no
    /// limit of that kind; queued and running jobs are never touched. Returns the ids deleted, oldest first.
    @discardableResult func purgeFinished(keep: Int?, finishedBefore: Date?) throws(StoreError) -> [String]

    // MARK: Work distribution

    /// Claims the job to train next for `holder`, leased for `duration`: a running job whose lease expired or was
    /// released (its server died, was cut off or shut down: `resumed`), oldest first, else the head of the queue
    /// (highest priority, then oldest), which becomes running. Of several holders claiming at once, each gets a
    /// different job. nil when there is nothing to claim.
    func claim(holder: String, for duration: Duration) throws(StoreError) -> JobClaim?
    /// Extends the lease to `duration` from now (the heartbeat). Throws `leaseLost` if another holder has taken
    /// the job, or it is no longer running (cancelled or deleted through another server).
    func renew(_ lease: JobLease, for duration: Duration) throws(StoreError)
    /// Gives the job up without finishing it (a shutdown): it stays running, with its checkpoint, and can be
    /// claimed at once. Releasing a lease already lost does nothing.
    func release(_ lease: JobLease) throws(StoreError)

    // MARK: Status and progress

    /// queued → running, recording the start time, without a lease (a job running without one can be claimed).
    /// Throws `invalidTransition` if the job is not queued.
    @discardableResult func markRunning(jobID: String) throws(StoreError) -> JobRecord
    /// queued|running → succeeded|failed|cancelled (see `JobStatus.allowsTransition`), recording the end time.
    @discardableResult func markFinished(jobID: String, status: JobStatus, failure: String?,
                                         relativeL2: Double?, fence: JobLease?) throws(StoreError) -> JobRecord
    func updateProgress(jobID: String, _ progress: JobProgress, fence: JobLease?) throws(StoreError)

    // MARK: Histories

    /// Appends a batch of loss records and makes the last one the job's `latestLoss`, its terms named by
    /// `termNames` (`TrainingPlan.termNames`).
    func appendLosses(jobID: String, _ records: [LossRecord], termNames: [String], fence: JobLease?) throws(StoreError)
    func appendSlopes(jobID: String, _ records: [SlopeRecord], fence: JobLease?) throws(StoreError)
    /// Appends evaluations against the exact solution; the last one becomes the job's `latestError` and its
    /// `relativeL2`.
    func appendErrors(jobID: String, _ records: [ErrorRecord], fence: JobLease?) throws(StoreError)
    /// Records with iteration ≥ `from`, in order, thinned to every `every`-th (values below 1 mean 1). The last
    /// matching record is always included, so a thinned curve ends where training is.
    func losses(jobID: String, from: Int, every: Int) throws(StoreError) -> [LossRecord]
    func slopes(jobID: String, from: Int, every: Int) throws(StoreError) -> [SlopeRecord]
    func errors(jobID: String, from: Int, every: Int) throws(StoreError) -> [ErrorRecord]

    // MARK: Checkpoints and results

    /// Stores an opaque checkpoint (parameters, optimiser and RNG state) and drops all but the latest few.
    func saveCheckpoint(jobID: String, iteration: Int, blob: Data, fence: JobLease?) throws(StoreError)
    func latestCheckpoint(jobID: String) throws(StoreError) -> (iteration: Int, blob: Data)?
    /// Stores (or replaces) the trained parameters and, optionally, the encoded solution on the output grid.
    func saveResult(jobID: String, parameters: [Double], solution: Data?, fence: JobLease?) throws(StoreError)
    func result(jobID: String) throws(StoreError) -> JobResult?

    // MARK: Studies

    /// Stores a study and its jobs (queued, one per entry of `jobs`: its cell, run and spec) in one transaction:
    /// all of them or, on an error, none.
    func createStudy(name: String?, definition: Data, jobs: [(cell: Int, run: Int, spec: JobSpec)], owner: String?,
                     shared: Bool) throws(StoreError) -> StudyRecord
    func study(id: String) throws(StoreError) -> StudyRecord?
    /// Newest first, of the studies `visibility` admits (the rule of jobs, on the study's owner and `shared`).
    func listStudies(visibility: JobVisibility, limit: Int, offset: Int) throws(StoreError) -> [StudyRecord]
    /// Removes the study and its jobs with all their data. Returns whether it existed.
    @discardableResult func deleteStudy(id: String) throws(StoreError) -> Bool
}

extension JobStore {
    public func create(spec: JobSpec, priority: Int = 0) throws(StoreError) -> JobRecord {
        try create(spec: spec, priority: priority, owner: nil, shared: false)
    }

    public func list(status: JobStatus?, limit: Int, offset: Int) throws(StoreError) -> [JobRecord] {
        try list(status: status, visibility: .everyJob, limit: limit, offset: offset)
    }

    public func list(status: JobStatus? = nil, limit: Int = 100) throws(StoreError) -> [JobRecord] {
        try list(status: status, limit: limit, offset: 0)
    }

    @discardableResult
    public func markFinished(jobID: String, status: JobStatus) throws(StoreError) -> JobRecord {
        try markFinished(jobID: jobID, status: status, failure: nil, relativeL2: nil, fence: nil)
    }

    // Writes without a lease: by the API, which may cancel a job wherever it runs, and by tests.

    @discardableResult
    public func markFinished(jobID: String, status: JobStatus, failure: String?,
                             relativeL2: Double?) throws(StoreError) -> JobRecord {
        try markFinished(jobID: jobID, status: status, failure: failure, relativeL2: relativeL2, fence: nil)
    }

    public func updateProgress(jobID: String, _ progress: JobProgress) throws(StoreError) {
        try updateProgress(jobID: jobID, progress, fence: nil)
    }

    public func appendLosses(jobID: String, _ records: [LossRecord], termNames: [String]) throws(StoreError) {
        try appendLosses(jobID: jobID, records, termNames: termNames, fence: nil)
    }

    public func appendSlopes(jobID: String, _ records: [SlopeRecord]) throws(StoreError) {
        try appendSlopes(jobID: jobID, records, fence: nil)
    }

    public func appendErrors(jobID: String, _ records: [ErrorRecord]) throws(StoreError) {
        try appendErrors(jobID: jobID, records, fence: nil)
    }

    public func saveCheckpoint(jobID: String, iteration: Int, blob: Data) throws(StoreError) {
        try saveCheckpoint(jobID: jobID, iteration: iteration, blob: blob, fence: nil)
    }

    public func saveResult(jobID: String, parameters: [Double], solution: Data?) throws(StoreError) {
        try saveResult(jobID: jobID, parameters: parameters, solution: solution, fence: nil)
    }

    public func losses(jobID: String) throws(StoreError) -> [LossRecord] { try losses(jobID: jobID, from: 0, every: 1) }
    public func slopes(jobID: String) throws(StoreError) -> [SlopeRecord] { try slopes(jobID: jobID, from: 0, every: 1) }
    public func errors(jobID: String) throws(StoreError) -> [ErrorRecord] { try errors(jobID: jobID, from: 0, every: 1) }
}
