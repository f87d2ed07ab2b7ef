import Foundation
import Testing
import PINN
import PINNStore
import Synchronization
@testable import PINNService

/// The worker pool against a real SQLite store: jobs run, cancel, and survive a shutdown by resuming exactly.
@Suite struct WorkerPoolTests {
    static func spec(adam: Int = 300, lbfgs: Int = 100) -> JobSpec {
        var spec = ProblemPresets.spec(named: "burgers")!
        spec.network.layers = [12, 12, 12]
        spec.training.collocationPoints = 600
        spec.training.boundaryPoints = 60
        spec.training.threads = 1
        spec.training.logEvery = 1
        // The classic schedule: Adam with slope recovery, then L-BFGS with the slopes frozen.
        spec.network.adaptive = .neuron
        spec.network.scale = 10
        spec.network.slopeRecovery = true
        spec.training.weights = [:]
        spec.training.resampling = nil
        var frozen = JobSpec.PhaseSpec.defaults(.lbfgs, iterations: lbfgs)
        frozen.trainSlopes = false
        spec.training.phases = [.defaults(.adam, iterations: adam), frozen]
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
        #expect(try store.result(jobID: job.id)?.parameters.count == ParameterLayout(
            NetworkArchitecture(inputs: 2, outputs: 1, hidden: [12, 12, 12], adaptive: .neuron, scale: 10)).count)
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
