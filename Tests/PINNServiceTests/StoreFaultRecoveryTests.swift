import Foundation
import Testing
import PINN
@testable import PINNStore
@testable import PINNService

/// Training while the store fills up: a short outage loses nothing; a long one stops the job, which is marked
/// failed with the reason once the store takes writes again, its history continuous up to where it stopped.
@Suite(.serialized) struct StoreFaultRecoveryTests {
    /// Caps the store at the pages it has, then fills their free space with a finished filler job's history, so
    /// that no further write of any size fits: a full disk.
    static func fill(_ store: SQLiteJobStore, path: String) throws {
        let filler = try store.create(spec: ProblemPresets.spec(named: "burgers")!).id
        try store.markFinished(jobID: filler, status: .cancelled)
        var pages = 0
        try store.withConnectionForTesting { db throws(StoreError) in
            pages = try db.rows("PRAGMA page_count") { $0.int(0) }.first ?? 1
        }
        try store.setMaxBytes(pages * 4096)
        var iteration = 0
        for size in [200, 20, 1] {
            do {
                while true {
                    let batch = (0..<size).map { i in
                        LossRecord(iteration: iteration + i, phase: 0, total: 1, terms: [1], slopeRecovery: 0, seconds: 0)
                    }
                    try store.appendLosses(jobID: filler, batch, termNames: ["x"])
                    iteration += size
                }
            } catch {
                guard case .full = error else { throw error }
            }
        }
    }

    /// Iterations 0, 1, 2, … with none missing (logEvery = 1; a phase's end repeats its last iteration).
    static func isContinuous(_ losses: [LossRecord]) -> Bool {
        let iterations = Array(Set(losses.map(\.iteration))).sorted()
        return iterations == Array(0..<iterations.count)
    }

    /// A job training with its history flushed every 0.1 s and checkpoints every 0.2 s; once it has 20 records the
    /// store is filled.
    static func trainUntilTheStoreFills(adam: Int, storeFailureSeconds: Double) throws -> (SQLiteJobStore, WorkerPool, JobRecord) {
        let path = WorkerPoolTests.temporaryStorePath()
        let store = try SQLiteJobStore(path: path)
        let pool = WorkerPool(store: store, configuration: .init(workers: 1, checkpointSeconds: 0.2, flushSeconds: 0.1,
                                                                 pollSeconds: 0.05, storeFailureSeconds: storeFailureSeconds))
        let job = try store.create(spec: WorkerPoolTests.spec(adam: adam, lbfgs: 0))
        try pool.start()
        let trains = try WorkerPoolTests.waitUntil { try store.losses(jobID: job.id).count > 20 }
        if !trains { pool.shutdown() }
        try #require(trains)
        try fill(store, path: path)
        return (store, pool, job)
    }

    @Test func aShortOutageLosesNoHistory() throws {
        let (store, pool, job) = try Self.trainUntilTheStoreFills(adam: 1500, storeFailureSeconds: 60)
        defer { pool.shutdown() }
        Thread.sleep(forTimeInterval: 1.0)   // several refused flushes and checkpoints
        try store.setMaxBytes(0)
        #expect(try WorkerPoolTests.waitUntil(120) { try store.job(id: job.id)?.status.isTerminal == true })
        let done = try #require(try store.job(id: job.id))
        #expect(done.status == .succeeded, "\(done.failure ?? "")")
        let losses = try store.losses(jobID: job.id)
        #expect(losses.last?.iteration == 1500, "\(losses.count) records, last \(losses.last?.iteration ?? -1)")
        let continuous = Self.isContinuous(losses)
        #expect(continuous)
    }

    @Test func aLongOutageFailsTheJobVisiblyOnceTheStoreRecovers() throws {
        let (store, pool, job) = try Self.trainUntilTheStoreFills(adam: 100_000, storeFailureSeconds: 0.5)
        defer { pool.shutdown() }
        // The job stops training: its trained-iteration count stops growing.
        Thread.sleep(forTimeInterval: 1.5)
        let stoppedAt = pool.iterationsTrained.load(ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(pool.iterationsTrained.load(ordering: .relaxed) == stoppedAt)
        try store.setMaxBytes(0)
        #expect(try WorkerPoolTests.waitUntil(30) { try store.job(id: job.id)?.status == .failed })
        let failed = try #require(try store.job(id: job.id))
        #expect(failed.failure?.contains("the job store refused its history") == true, "\(failed.failure ?? "")")
        #expect(failed.failure?.contains("is full") == true)
        // Once the store recovered, the records held in memory were written too: continuous to where it stopped.
        #expect(try WorkerPoolTests.waitUntil(10) { pool.runningJobs.isEmpty })
        let losses = try store.losses(jobID: job.id)
        let continuous = Self.isContinuous(losses)
        #expect(continuous && losses.count > 20 && losses.count < 100_000)
        // The iteration it names as where training stopped is in the stored history.
        let stopped = failed.failure?.firstMatch(of: /stopped at iteration (\d+)/).flatMap { Int($0.1) }
        #expect(stopped.map { s in losses.contains { $0.iteration == s } } == true)
        // No checkpoint points past the stored history.
        #expect(try (store.latestCheckpoint(jobID: job.id)?.iteration ?? 0) <= losses.last!.iteration)
    }
}
