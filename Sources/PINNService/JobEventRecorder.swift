import Foundation
import PINN
import PINNStore

/// Turns a job's training events into store writes, in batches: histories are appended at most every
/// `flushSeconds` (never a write per iteration), and always before a checkpoint is saved, so a checkpoint never
/// points past the history it belongs to. Used from the job's training thread only.
final class JobEventRecorder: @unchecked Sendable {
    private let store: any JobStore
    private let jobID: String
    private let flushSeconds: Double
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

    init(store: any JobStore, jobID: String, flushSeconds: Double, countIterations: @escaping (Int) -> Void) {
        self.store = store
        self.jobID = jobID
        self.flushSeconds = flushSeconds
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
            flush()
            do {
                try store.saveCheckpoint(jobID: jobID, iteration: checkpoint.iteration, blob: try JSONEncoder().encode(checkpoint))
            } catch {
                report("saving the checkpoint at iteration \(checkpoint.iteration)", error)
            }
        case .evaluation(let record):
            errors.append(record)
        case .phaseFinished, .snapshot:
            break
        }
    }

    /// Store errors are logged on standard error, never dropped silently (what happens to the job then is issue 11's
    /// fault handling).
    private func report(_ what: String, _ error: any Error) {
        FileHandle.standardError.write(Data("pinn-server: job \(jobID): \(what) failed: \(error)\n".utf8))
    }

    /// Writes what is pending: histories, then progress.
    func flush() {
        lastFlush = Date()
        do {
            if !losses.isEmpty { try store.appendLosses(jobID: jobID, losses, termNames: termNames) }
            if !slopes.isEmpty { try store.appendSlopes(jobID: jobID, slopes) }
            if !errors.isEmpty { try store.appendErrors(jobID: jobID, errors) }
            if let progress { try store.updateProgress(jobID: jobID, progress) }
        } catch {
            report("storing the history", error)
        }
        losses.removeAll(keepingCapacity: true)
        slopes.removeAll(keepingCapacity: true)
        errors.removeAll(keepingCapacity: true)
    }
}
