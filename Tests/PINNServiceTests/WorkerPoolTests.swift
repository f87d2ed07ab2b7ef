import Foundation
import Testing
import PINN
import PINNStore
import HTTPServer
import PINNTestSupport
import Synchronization
@testable import PINNService

/// The worker pool against a real SQLite store: jobs run, cancel, and survive a shutdown by resuming exactly.
@Suite struct WorkerPoolTests {
    static func spec(adam: Int = 300, lbfgs: Int = 100) -> JobSpec {
        var spec = JobSpec.smallClassicBurgers(adam: adam, lbfgs: lbfgs)
        spec.output.grid = ["x": 16, "t": 5]
        return spec
    }

    static func temporaryStorePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pool-\(UUID().uuidString)/jobs.sqlite").path
    }

    static func waitUntil(_ seconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    @Test func aQueuedJobTrainsToSuccessWithItsHistoryAndResultStored() throws {
        let store = try SQLiteJobStore(path: Self.temporaryStorePath())
        let pool = WorkerPool(store: store, configuration: .init(workers: 1, pollSeconds: 0.05))
        let job = try store.create(spec: Self.spec(adam: 50, lbfgs: 20))
        try pool.start()
        pool.notify()
        #expect(try Self.waitUntil { try store.job(id: job.id)?.status == .succeeded })
        pool.shutdown()
        #expect(pool.iterationsTrained.load(ordering: .relaxed) == 70)
        let done = try #require(try store.job(id: job.id))
        #expect(done.relativeL2 != nil && done.latestLoss != nil)
        let losses = try store.losses(jobID: job.id)
        #expect(losses.first?.iteration == 0 && losses.count >= 70)
        #expect(try store.result(jobID: job.id)?.parameters.count == ParameterLayout(Self.spec().architecture).count)
    }

    @Test func cancellingARunningJobStopsItWithinAnIteration() throws {
        let store = try SQLiteJobStore(path: Self.temporaryStorePath())
        let pool = WorkerPool(store: store, configuration: .init(workers: 1, pollSeconds: 0.05))
        let job = try store.create(spec: Self.spec(adam: 100_000, lbfgs: 0))
        try pool.start()
        #expect(try Self.waitUntil { (try store.job(id: job.id)?.progress.iteration ?? 0) > 5 })
        #expect(pool.cancel(jobID: job.id))
        #expect(try Self.waitUntil(5) { try store.job(id: job.id)?.status == .cancelled })
        pool.shutdown()
    }

    /// DELETE of a running job: the worker is told to stop, the job and its data go, the job's routes answer 404,
    /// and the worker goes on to the next job.
    @Test func deletingARunningJobStopsItsWorkerAndRemovesItsData() throws {
        let store = try SQLiteJobStore(path: Self.temporaryStorePath())
        let pool = WorkerPool(store: store, configuration: .init(workers: 1, pollSeconds: 0.05))
        let router = JobsAPI(store: store, pool: pool).router()
        let job = try store.create(spec: Self.spec(adam: 100_000, lbfgs: 0))
        try pool.start()
        defer { pool.shutdown() }
        #expect(try Self.waitUntil { (try store.job(id: job.id)?.progress.iteration ?? 0) > 5 })
        #expect(router.respond(to: HTTPRequest(method: "DELETE", path: "/v1/jobs/\(job.id)")).status == 200)
        #expect(try store.job(id: job.id) == nil)
        #expect(try store.losses(jobID: job.id).isEmpty && store.latestCheckpoint(jobID: job.id) == nil)
        #expect(Self.waitUntil(5) { pool.runningJobs.isEmpty })
        #expect(router.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs/\(job.id)")).status == 404)
        let next = try store.create(spec: Self.spec(adam: 20, lbfgs: 0))
        pool.notify()
        #expect(try Self.waitUntil { try store.job(id: next.id)?.status == .succeeded })
        #expect(try store.job(id: job.id) == nil, "nothing of the deleted job was written back")
    }

    @Test func aJobStoppedByShutdownResumesOnTheNextStartAndEndsAsIfUninterrupted() throws {
        let spec = Self.spec()
        let uninterrupted = try Trainer.run(spec)

        let path = Self.temporaryStorePath()
        var store: SQLiteJobStore? = try SQLiteJobStore(path: path)
        let first = WorkerPool(store: store!, configuration: .init(workers: 1, checkpointSeconds: 0.05, flushSeconds: 0.05, pollSeconds: 0.05))
        let job = try store!.create(spec: spec)
        try first.start()
        #expect(try Self.waitUntil { (try store!.job(id: job.id)?.progress.iteration ?? 0) > 120 })
        first.shutdown()
        #expect(try store!.job(id: job.id)?.status == .running)
        #expect(try store!.latestCheckpoint(jobID: job.id) != nil)
        store = nil   // the "process" ends

        let reopened = try SQLiteJobStore(path: path)
        let second = WorkerPool(store: reopened, configuration: .init(workers: 1, pollSeconds: 0.05))
        try second.start()
        #expect(try Self.waitUntil { try reopened.job(id: job.id)?.status == .succeeded })
        second.shutdown()
        #expect(try reopened.result(jobID: job.id)?.parameters == uninterrupted.parameters)
        // The history is continuous: every iteration from 0 to the end, each once per phase.
        let iterations = try reopened.losses(jobID: job.id).map(\.iteration)
        let expected = Set(0...uninterrupted.phases.map(\.iterations).reduce(0, +))
        #expect(Set(iterations) == expected)
    }
}

/// Work distribution between pools sharing one store, as servers share one database: leases, takeover, fencing.
@Suite struct WorkerPoolLeaseTests {
    static let configuration = WorkerPool.Configuration(workers: 1, checkpointSeconds: 0.05, flushSeconds: 0.05,
                                                        pollSeconds: 0.05, leaseSeconds: 1, heartbeatSeconds: 0.2)

    /// Server A stops renewing (paused, cut off) but trains on; once its lease runs out, B takes the job over and
    /// resumes it from the latest checkpoint, A's next write is refused and it stops, and the job ends exactly as an
    /// uninterrupted run, with a continuous history: it never trained in two places at once.
    @Test func aJobWhoseLeaseRunsOutIsTakenOverAndFinishedAsIfUninterrupted() throws {
        // Long enough that A is still training when its lease runs out, ≥ 1 s after the pause, however fast the
        // build: 3,000 Adam iterations took 0.8 s in a release build on 2026-12-03, and A then finished first.
        // 12,000 take ≥ 3 s there, and 63 s for the whole test under ThreadSanitizer, hence the long wait below.
        let spec = WorkerPoolTests.spec(adam: 12_000, lbfgs: 100)
        let uninterrupted = try Trainer.run(spec)
        let store = try SQLiteJobStore(path: WorkerPoolTests.temporaryStorePath())
        let a = WorkerPool(store: store, configuration: Self.configuration)
        let b = WorkerPool(store: store, configuration: Self.configuration)
        let job = try store.create(spec: spec)
        try a.start()
        defer { a.shutdown() }
        #expect(try WorkerPoolTests.waitUntil { (try store.job(id: job.id)?.progress.iteration ?? 0) > 50 })
        a.heartbeatPaused.store(true, ordering: .relaxed)
        try b.start()
        defer { b.shutdown() }
        #expect(try WorkerPoolTests.waitUntil(10) { b.runningJobs == [job.id] })
        #expect(try WorkerPoolTests.waitUntil(10) { a.runningJobs.isEmpty })
        #expect(try WorkerPoolTests.waitUntil(300) { try store.job(id: job.id)?.status == .succeeded })
        #expect(try store.result(jobID: job.id)?.parameters == uninterrupted.parameters)
        let total = uninterrupted.phases.map(\.iterations).reduce(0, +)
        let iterations = try store.losses(jobID: job.id).map(\.iteration)
        #expect(Set(iterations) == Set(0...total))
        // A stopped once it lost the job (not at its end), and B resumed it rather than starting over.
        let trainedByA = a.iterationsTrained.load(ordering: .relaxed)
        let trainedByB = b.iterationsTrained.load(ordering: .relaxed)
        #expect(trainedByA < total && trainedByB < total && trainedByA + trainedByB >= total - 2,
                "A trained \(trainedByA), B \(trainedByB) of \(total) iterations")
    }

    /// Cancelling through another server (the API's unfenced write): the pool training the job finds its lease
    /// lost at its next write, stops, and writes nothing over the cancellation.
    @Test func aJobCancelledThroughAnotherServerStopsHereWithoutWritingMore() throws {
        let store = try SQLiteJobStore(path: WorkerPoolTests.temporaryStorePath())
        let pool = WorkerPool(store: store, configuration: Self.configuration)
        let job = try store.create(spec: WorkerPoolTests.spec(adam: 100_000, lbfgs: 0))
        try pool.start()
        defer { pool.shutdown() }
        #expect(try WorkerPoolTests.waitUntil { (try store.job(id: job.id)?.progress.iteration ?? 0) > 5 })
        let cancelled = try store.markFinished(jobID: job.id, status: .cancelled)
        #expect(try WorkerPoolTests.waitUntil(5) { pool.runningJobs.isEmpty })
        let stored = try store.losses(jobID: job.id).count
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try store.losses(jobID: job.id).count == stored)
        #expect(try store.job(id: job.id) == cancelled)
    }
}
