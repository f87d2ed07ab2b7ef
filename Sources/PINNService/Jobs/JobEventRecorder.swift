import Foundation
import PINN
import PINNStore

/// Turns a job's training events into store writes, in batches: histories are appended at most every
/// `flushSeconds` (never a write per iteration), and always before a checkpoint is saved, so a checkpoint never
/// points past the history it belongs to. Used from the job's training thread only.
///
/// When the store refuses a write (a full disk, a read-only file) nothing is dropped: the records stay in memory
/// and the next flush retries them, and a checkpoint whose history could not be written is skipped (a resume then
/// starts from the previous one and recomputes the rest). If the store keeps refusing for `storeFailureSeconds`,
/// `storeFailure` says so and the worker stops the job and fails it with that reason: training on with nowhere to
/// keep the history would lose it.
///
/// Every write is fenced by the job's lease: once a write finds the job taken over by another server (or cancelled
/// or deleted elsewhere), `leaseLost` is set, the worker stops the job, and nothing pending is written.
final class JobEventRecorder: @unchecked Sendable {
    private let store: any JobStore
    private let lease: JobLease
    private var jobID: String { lease.jobID }
    private let flushSeconds: Double
    private let storeFailureSeconds: Double
    private var termNames: [String] = []
    private var totalIterations = 0
    private var losses: [LossRecord] = []
    private var slopes: [SlopeRecord] = []
    private var errors: [ErrorRecord] = []
    private var progress: JobProgress?
    private var lastFlush = Date()
    /// Told how many iterations were trained since the last loss record (for the iterations-per-second metric).
    private let countIterations: (Int) -> Void
    private var lastIteration: Int?
    /// The last iteration whose loss record is in the store.
    private var storedIteration: Int?
    /// When the store first refused the pending records (nil while writes succeed).
    private var failingSince: Date?
    /// Why the job must stop: the store has refused its history for `storeFailureSeconds`.
    private(set) var storeFailure: String?
    /// Whether a write found the lease lost (or the job deleted): the job is no longer this server's.
    private(set) var leaseLost = false

    init(store: any JobStore, lease: JobLease, flushSeconds: Double, storeFailureSeconds: Double = 30,
         countIterations: @escaping (Int) -> Void) {
        self.store = store
        self.lease = lease
        self.flushSeconds = flushSeconds
        self.storeFailureSeconds = storeFailureSeconds
        self.countIterations = countIterations
    }

    func record(_ event: TrainingEvent) {
        switch event {
        case .started(let plan):
            termNames = plan.termNames
            totalIterations = plan.totalIterations
        case .loss(let record):
            if let lastIteration, record.iteration > lastIteration { countIterations(record.iteration - lastIteration) }
            lastIteration = record.iteration
            losses.append(record)
            progress = JobProgress(phase: record.phase, iteration: record.iteration, totalIterations: totalIterations)
            if Date().timeIntervalSince(lastFlush) >= flushSeconds { flush() }
        case .slopes(let record):
            slopes.append(record)
        case .checkpoint(let checkpoint):
            guard flush() else {
                if !leaseLost {
                    report("skipping the checkpoint at iteration \(checkpoint.iteration) (its history is not stored yet)")
                }
                return
            }
            do {
                try store.saveCheckpoint(jobID: jobID, iteration: checkpoint.iteration,
                                         blob: try JSONEncoder().encode(checkpoint), fence: lease)
            } catch StoreError.leaseLost, StoreError.notFound {
                leaseLost = true
            } catch {
                report("saving the checkpoint at iteration \(checkpoint.iteration) failed (the previous one stays): \(error)")
            }
        case .evaluation(let record):
            errors.append(record)
        case .phaseFinished, .snapshot:
            break
        }
    }

    /// Store errors are logged on standard error, never dropped silently.
    private func report(_ message: String) {
        FileHandle.standardError.write(Data("pinn-server: job \(jobID): \(message)\n".utf8))
    }

    /// Writes what is pending: histories, then progress. Each batch leaves memory only once it is stored, so a
    /// failed write loses nothing and the next call retries it.
    func write() throws(StoreError) {
        if let last = losses.last {
            try store.appendLosses(jobID: jobID, losses, termNames: termNames, fence: lease)
            storedIteration = last.iteration
            losses.removeAll(keepingCapacity: true)
        }
        if !slopes.isEmpty {
            try store.appendSlopes(jobID: jobID, slopes, fence: lease)
            slopes.removeAll(keepingCapacity: true)
        }
        if !errors.isEmpty {
            try store.appendErrors(jobID: jobID, errors, fence: lease)
            errors.removeAll(keepingCapacity: true)
        }
        if let progress { try store.updateProgress(jobID: jobID, progress, fence: lease); self.progress = nil }
    }

    /// `write()`, logging the first failure and the recovery, and setting `storeFailure` once the store has refused
    /// the history for `storeFailureSeconds` (or `leaseLost` at once). Returns whether everything pending is now
    /// stored.
    @discardableResult
    func flush() -> Bool {
        let now = Date()
        lastFlush = now
        guard !leaseLost else { return false }
        do {
            try write()
            if let since = failingSince {
                report("the store accepts the history again (after " + String(format: "%.1f", now.timeIntervalSince(since))
                       + " s); nothing was lost")
                failingSince = nil
            }
            return true
        } catch StoreError.leaseLost, StoreError.notFound {
            report("the job is no longer this server's (its lease was taken over, or it was finished or deleted "
                   + "elsewhere); its pending history is dropped")
            leaseLost = true
            return false
        } catch {
            let since = failingSince ?? now
            if failingSince == nil {
                report("storing the history failed (kept in memory and retried every \(flushSeconds) s): \(error)")
                failingSince = since
            }
            if storeFailure == nil, now.timeIntervalSince(since) >= storeFailureSeconds {
                storeFailure = "the job store refused its history for "
                    + String(format: "%.1f", now.timeIntervalSince(since)) + " s, so training stopped at iteration "
                    + "\(lastIteration ?? 0) (stored then up to iteration \(storedIteration.map(String.init) ?? "none"); "
                    + "the rest is written once the store takes writes again): \(error)"
                report("stopping: \(storeFailure!)")
            }
            return false
        }
    }
}
