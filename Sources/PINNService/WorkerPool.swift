import Dispatch
import Foundation
import PINN
import PINNStore
import Locking
import Synchronization

/// Trains jobs from the store on Dispatch threads, `workers` at a time (docs/design.md §10). Training never runs on an
/// HTTP thread: handlers only write the store and `notify()` the pool. Jobs that were running when the process
/// stopped (a crash, or a shutdown that checkpointed them) are resumed first, from their latest checkpoint.
public final class WorkerPool: Sendable {
    public struct Configuration: Sendable {
        /// Jobs trained at once.
        public var workers: Int
        /// How often a running job's full state is checkpointed.
        public var checkpointSeconds: Double
        /// How often loss and slope histories are flushed to the store (at most this much is lost to a kill -9).
        public var flushSeconds: Double
        /// How long an idle worker sleeps before looking at the queue again (submissions wake it at once).
        public var pollSeconds: Double
        /// How long the store may refuse a running job's history (full disk, read-only file) before the job is
        /// stopped and failed with the reason (its records wait in memory meanwhile; nothing is dropped).
        public var storeFailureSeconds: Double

        public init(workers: Int = 1, checkpointSeconds: Double = 5, flushSeconds: Double = 1, pollSeconds: Double = 1,
                    storeFailureSeconds: Double = 30) {
            self.workers = workers
            self.checkpointSeconds = checkpointSeconds
            self.flushSeconds = flushSeconds
            self.pollSeconds = pollSeconds
            self.storeFailureSeconds = storeFailureSeconds
        }
    }

    /// Why a running job is being stopped.
    enum StopRequest: Int { case none = 0, cancel = 1, shutdown = 2 }

    private struct State {
        var stopping = false
        var interrupted: [JobRecord] = []
        var running: [String: StopFlag] = [:]
    }

    /// A running job's stop flag, read by the trainer once per iteration.
    final class StopFlag: Sendable {
        let request = Atomic<Int>(StopRequest.none.rawValue)
    }

    public let store: any JobStore
    public let configuration: Configuration
    /// Training iterations completed by this process (a Prometheus counter: its rate is iterations per second).
    let iterationsTrained = Atomic<Int>(0)
    private let state = Locked(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()

    public init(store: any JobStore, configuration: Configuration = Configuration()) {
        self.store = store
        self.configuration = configuration
    }

    /// Starts the workers; interrupted jobs are taken before queued ones.
    public func start() throws(StoreError) {
        let interrupted = try store.interruptedJobs()
        state.withLock { $0.interrupted = interrupted }
        for worker in 0..<configuration.workers {
            finished.enter()
            Thread.detachNewThread { [self] in
                Thread.current.name = "pinn-worker-\(worker)"
                // Training yields to the HTTP threads: a status read must not wait behind a training step.
                // (On Linux the nice value is per thread, and who = 0 means the calling thread.)
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
                workerLoop()
                finished.leave()
            }
        }
    }

    /// Wakes an idle worker (after a submission).
    public func notify() { wake.signal() }

    /// The ids of the jobs training now.
    public var runningJobs: [String] { state.withLock { Array($0.running.keys) } }

    /// Asks a running job to stop within one iteration; false if it is not running here.
    @discardableResult
    public func cancel(jobID: String) -> Bool {
        guard let flag = state.withLock({ $0.running[jobID] }) else { return false }
        flag.request.store(StopRequest.cancel.rawValue, ordering: .relaxed)
        return true
    }

    /// Checkpoints and stops every running job (they stay `running` in the store and resume on the next start),
    /// then waits for the workers to return.
    public func shutdown() {
        let flags = state.withLock { state -> [StopFlag] in
            state.stopping = true
            return Array(state.running.values)
        }
        for flag in flags { flag.request.store(StopRequest.shutdown.rawValue, ordering: .relaxed) }
        for _ in 0..<configuration.workers { wake.signal() }
        finished.wait()
    }

    private var stopping: Bool { state.withLock { $0.stopping } }

    private func workerLoop() {
        while !stopping {
            if let (job, resume) = claim() {
                run(job, resume: resume)
            } else {
                _ = wake.wait(timeout: .now() + configuration.pollSeconds)
            }
        }
    }

    /// The next job to train: an interrupted one, else the queue's head, claimed atomically in the store
    /// (when two workers race for it, the store lets exactly one mark it running).
    private func claim() -> (JobRecord, resume: Bool)? {
        if let job = state.withLock({ $0.interrupted.isEmpty ? nil : $0.interrupted.removeFirst() }) {
            return (job, true)
        }
        for _ in 0..<8 {
            let next: JobRecord?
            do { next = try store.nextQueued() } catch {
                report("-", "reading the queue", "failed (retried at the next poll)", error)
                return nil
            }
            guard let next else { return nil }
            do {
                return (try store.markRunning(jobID: next.id), false)
            } catch {
                switch error {
                case .invalidTransition, .notFound:
                    continue   // the loser of a race for the same job, or a job cancelled or purged meanwhile
                default:
                    report(next.id, "claiming it", "failed (retried at the next poll)", error)
                    return nil
                }
            }
        }
        return nil
    }

    private func run(_ job: JobRecord, resume: Bool) {
        let flag = StopFlag()
        state.withLock { $0.running[job.id] = flag }
        defer { _ = state.withLock { $0.running.removeValue(forKey: job.id) } }

        let recorder = JobEventRecorder(store: store, jobID: job.id, flushSeconds: configuration.flushSeconds,
                                        storeFailureSeconds: configuration.storeFailureSeconds) {
            [self] in iterationsTrained.add($0, ordering: .relaxed)
        }
        var checkpoint: TrainingCheckpoint?
        if resume {
            do {
                if let saved = try store.latestCheckpoint(jobID: job.id) {
                    checkpoint = try JSONDecoder().decode(TrainingCheckpoint.self, from: saved.blob)
                }
            } catch {
                report(job.id, "reading its checkpoint", "failed (it starts over)", error)
            }
        }
        let result: TrainingResult
        do {
            result = try Trainer.run(job.spec, checkpointEvery: configuration.checkpointSeconds, resume: checkpoint,
                                     observer: recorder.record,
                                     isCancelled: {
                                         flag.request.load(ordering: .relaxed) != StopRequest.none.rawValue
                                             || recorder.storeFailure != nil
                                     })
        } catch {
            finish(job.id, recorder, as: .failed, failure: error.description)
            return
        }
        if let failure = recorder.storeFailure {
            finish(job.id, recorder, as: .failed, failure: failure)
        } else if result.status == .cancelled {
            // A shutdown leaves the job running (the trainer checkpointed it) so the next start resumes it.
            if flag.request.load(ordering: .relaxed) == StopRequest.shutdown.rawValue {
                recorder.flush()
                return
            }
            finish(job.id, recorder, as: .cancelled)
        } else {
            let parameters = result.allParameters(job.spec)
            // A job is marked succeeded only once its result is stored: otherwise it stays running and resumes.
            guard persist(job.id, "saving its result", {
                try store.saveResult(jobID: job.id, parameters: parameters, solution: nil)
            }) else { return }
            finish(job.id, recorder, as: result.status == .succeeded ? .succeeded : .failed, failure: result.failure,
                   relativeL2: result.relativeL2)
        }
    }

    /// Stores the rest of the history, then the final status, each retried while the store is at fault. A job
    /// stopped because its history could not be stored is marked failed first (what is visible matters most, and a
    /// small update may land where a batch does not), then its pending records are written once the store allows.
    private func finish(_ jobID: String, _ recorder: JobEventRecorder, as status: JobStatus, failure: String? = nil,
                        relativeL2: Double? = nil) {
        let mark = { [self] in
            persist(jobID, "marking it \(status.rawValue)") {
                try store.markFinished(jobID: jobID, status: status, failure: failure, relativeL2: relativeL2)
            }
        }
        if recorder.storeFailure != nil {
            guard mark() else { return }
            _ = persist(jobID, "storing the rest of its history", { try recorder.write() })
        } else {
            guard persist(jobID, "storing the rest of its history", { try recorder.write() }) else { return }
            _ = mark()
        }
    }

    /// Runs a write, retrying with backoff (0.5 s doubling to 10 s) while the store is at fault — a full disk, a
    /// read-only file — so the job's end is recorded once the store recovers. Gives up, logged, on other errors
    /// (the job was deleted meanwhile) and at shutdown, when a job left `running` resumes from its checkpoint on
    /// the next start. Returns whether the write landed.
    private func persist(_ jobID: String, _ what: String, _ body: () throws -> Void) -> Bool {
        var delay = 0.5
        var attempts = 0
        while true {
            do {
                try body()
                if attempts > 0 { report(jobID, what, "succeeded after \(attempts) retries") }
                return true
            } catch let error as StoreError where error.isStorageFault {
                if attempts == 0 { report(jobID, what, "failed (retrying until the store recovers)", error) }
                attempts += 1
                let deadline = Date().addingTimeInterval(delay)
                while Date() < deadline {
                    if stopping { report(jobID, what, "abandoned at shutdown (the job resumes on the next start)", error); return false }
                    Thread.sleep(forTimeInterval: 0.05)
                }
                delay = min(10, delay * 2)
            } catch {
                report(jobID, what, "failed", error)
                return false
            }
        }
    }

    private func report(_ jobID: String, _ what: String, _ outcome: String = "failed", _ error: (any Error)? = nil) {
        let detail = error.map { ": \($0)" } ?? ""
        FileHandle.standardError.write(Data("pinn-server: job \(jobID): \(what) \(outcome)\(detail)\n".utf8))
    }
}
