import Dispatch
import Foundation
import PINN
import PINNStore
import Locking
import Synchronization

/// Trains jobs from the store on Dispatch threads, `workers` at a time (docs/design.md §10). Training never runs on an
/// HTTP thread: handlers only write the store and `notify()` the pool.
///
/// Work comes from `JobStore.claim`, under a lease that a heartbeat thread renews every `heartbeatSeconds`: jobs
/// whose lease ran out (their server was killed, or cut off) or was released (a shutdown that checkpointed them)
/// are resumed from their latest checkpoint before queued ones start. Every write of training is fenced by the
/// lease, so once another server has taken a job over — or it was cancelled through another server — this one stops
/// training it within an iteration and writes nothing more for it.
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
        /// How long a claimed job stays this server's without a heartbeat: after a kill, another server resumes
        /// the job at most this long (plus its poll) after the last renewal.
        public var leaseSeconds: Double
        /// How often the leases of running jobs are renewed; a few renewals fit in a lease, so one that fails (the
        /// store briefly unreachable) costs nothing.
        public var heartbeatSeconds: Double

        public init(workers: Int = 1, checkpointSeconds: Double = 5, flushSeconds: Double = 1, pollSeconds: Double = 1,
                    storeFailureSeconds: Double = 30, leaseSeconds: Double = 30, heartbeatSeconds: Double = 10) {
            precondition(heartbeatSeconds < leaseSeconds, "a lease must outlast the heartbeat that renews it")
            self.workers = workers
            self.checkpointSeconds = checkpointSeconds
            self.flushSeconds = flushSeconds
            self.pollSeconds = pollSeconds
            self.storeFailureSeconds = storeFailureSeconds
            self.leaseSeconds = leaseSeconds
            self.heartbeatSeconds = heartbeatSeconds
        }
    }

    /// Why a running job is being stopped: cancelled here, the server shutting down, or its lease lost (another
    /// server took the job over, or it was cancelled through another server).
    enum StopRequest: Int { case none = 0, cancel = 1, shutdown = 2, leaseLost = 3 }

    private struct State {
        var stopping = false
        var running: [String: RunningJob] = [:]
    }

    /// A job training here: its stop flag and its lease.
    private struct RunningJob {
        let flag: StopFlag
        let lease: JobLease
    }

    /// A running job's stop flag, read by the trainer once per iteration.
    final class StopFlag: Sendable {
        let request = Atomic<Int>(StopRequest.none.rawValue)
    }

    public let store: any JobStore
    public let configuration: Configuration
    /// Who this pool's leases name: host, process and a random part, so that two pools are never confused.
    public let holder = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
    /// Training iterations completed by this process (a Prometheus counter: its rate is iterations per second).
    let iterationsTrained = Atomic<Int>(0)
    /// While set, the heartbeat renews nothing: for tests, a server that goes on training but has stopped renewing
    /// (paused, or cut off from the database) so that its leases run out.
    let heartbeatPaused = Atomic<Bool>(false)
    private let state = Locked(State())
    private let wake = DispatchSemaphore(value: 0)
    private let heartbeatWake = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()

    public init(store: any JobStore, configuration: Configuration = Configuration()) {
        self.store = store
        self.configuration = configuration
    }

    /// Starts the workers and the heartbeat. Throws nothing today; kept throwing so that a store check at start
    /// needs no change of its callers.
    public func start() throws(StoreError) {
        finished.enter()
        Thread.detachNewThread { [self] in
            Thread.current.name = "pinn-heartbeat"
            heartbeatLoop()
            finished.leave()
        }
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
        guard let flag = state.withLock({ $0.running[jobID]?.flag }) else { return false }
        flag.request.store(StopRequest.cancel.rawValue, ordering: .relaxed)
        return true
    }

    /// Checkpoints and stops every running job (they stay `running` in the store and resume on the next start),
    /// then waits for the workers to return.
    public func shutdown() {
        let flags = state.withLock { state -> [StopFlag] in
            state.stopping = true
            return state.running.values.map(\.flag)
        }
        for flag in flags { flag.request.store(StopRequest.shutdown.rawValue, ordering: .relaxed) }
        for _ in 0..<configuration.workers { wake.signal() }
        heartbeatWake.signal()
        finished.wait()
    }

    private var stopping: Bool { state.withLock { $0.stopping } }

    private func workerLoop() {
        while !stopping {
            if let claim = claim() {
                run(claim)
            } else {
                _ = wake.wait(timeout: .now() + configuration.pollSeconds)
            }
        }
    }

    /// The next job to train, leased to this pool: of workers (here or on other servers) claiming at once, each
    /// gets a different job.
    private func claim() -> JobClaim? {
        do {
            return try store.claim(holder: holder, for: .seconds(configuration.leaseSeconds))
        } catch {
            report("-", "claiming the next job", "failed (retried at the next poll)", error)
            return nil
        }
    }

    /// Renews the lease of every job training here, every `heartbeatSeconds`. A lease another holder took (or a job
    /// cancelled or deleted elsewhere) stops its job. A renewal the store refuses (full, unreachable) is retried at
    /// the next beat and stops nothing: if another server takes the job meanwhile, fencing refuses this one's next
    /// write, which stops it; if not, the store's refusal of the history fails the job after
    /// `storeFailureSeconds`, as with one server.
    private func heartbeatLoop() {
        while !stopping {
            _ = heartbeatWake.wait(timeout: .now() + configuration.heartbeatSeconds)
            guard !heartbeatPaused.load(ordering: .relaxed) else { continue }
            let running = state.withLock { Array($0.running.values) }
            for job in running where !stopping {
                do {
                    try store.renew(job.lease, for: .seconds(configuration.leaseSeconds))
                } catch StoreError.leaseLost {
                    report(job.lease.jobID, "renewing its lease",
                           "found it taken over, cancelled or deleted elsewhere; stopping it here")
                    job.flag.request.store(StopRequest.leaseLost.rawValue, ordering: .relaxed)
                } catch {
                    report(job.lease.jobID, "renewing its lease", "failed (retried at the next heartbeat)", error)
                }
            }
        }
    }

    private func run(_ claim: JobClaim) {
        let job = claim.job
        let flag = StopFlag()
        state.withLock { $0.running[job.id] = RunningJob(flag: flag, lease: claim.lease) }
        defer { _ = state.withLock { $0.running.removeValue(forKey: job.id) } }

        let recorder = JobEventRecorder(store: store, lease: claim.lease, flushSeconds: configuration.flushSeconds,
                                        storeFailureSeconds: configuration.storeFailureSeconds) {
            [self] in iterationsTrained.add($0, ordering: .relaxed)
        }
        var checkpoint: TrainingCheckpoint?
        if claim.resumed {
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
                                             || recorder.storeFailure != nil || recorder.leaseLost
                                     })
        } catch {
            finish(claim.lease, recorder, as: .failed, failure: error.description)
            return
        }
        let request = StopRequest(rawValue: flag.request.load(ordering: .relaxed)) ?? StopRequest.none
        if recorder.leaseLost || request == .leaseLost {
            // Another server trains the job now (or it was cancelled elsewhere): its writes would be refused.
            report(job.id, "training", "stopped here: the job is no longer this server's (its lease was lost)")
        } else if let failure = recorder.storeFailure {
            finish(claim.lease, recorder, as: .failed, failure: failure)
        } else if result.status == .cancelled {
            // A shutdown leaves the job running (the trainer checkpointed it) and releases it, so the next server to
            // claim — this one restarted, or another — resumes it at once.
            if request == .shutdown {
                recorder.flush()
                do { try store.release(claim.lease) } catch {
                    report(job.id, "releasing its lease", "failed (it resumes once the lease runs out)", error)
                }
                return
            }
            finish(claim.lease, recorder, as: .cancelled)
        } else {
            let parameters = result.allParameters(job.spec)
            // A job is marked succeeded only once its result is stored: otherwise it stays running and resumes.
            guard persist(job.id, "saving its result", {
                try store.saveResult(jobID: job.id, parameters: parameters, solution: nil, fence: claim.lease)
            }) else { return }
            finish(claim.lease, recorder, as: result.status == .succeeded ? .succeeded : .failed,
                   failure: result.failure, relativeL2: result.relativeL2)
        }
    }

    /// Stores the rest of the history, then the final status, each retried while the store is at fault. A job
    /// stopped because its history could not be stored is marked failed first (what is visible matters most, and a
    /// small update may land where a batch does not), then its pending records are written once the store allows.
    private func finish(_ lease: JobLease, _ recorder: JobEventRecorder, as status: JobStatus, failure: String? = nil,
                        relativeL2: Double? = nil) {
        let jobID = lease.jobID
        let mark = { [self] in
            persist(jobID, "marking it \(status.rawValue)") {
                try store.markFinished(jobID: jobID, status: status, failure: failure, relativeL2: relativeL2, fence: lease)
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
    /// read-only file, an unreachable database — so the job's end is recorded once the store recovers. Gives up,
    /// logged, on other errors (the job was deleted meanwhile, or its lease was lost) and at shutdown, when a job
    /// left `running` resumes from its checkpoint on the next start. Returns whether the write landed.
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
