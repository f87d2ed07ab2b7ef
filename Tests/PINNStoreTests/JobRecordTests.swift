import Foundation
import PINN
import Testing
@testable import PINNStore

@Suite struct JobRecordTests {
    @Test(arguments: StoreKind.contract)
    func createdJobIsQueuedAndReadsBackEqual(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let created = try store.create(spec: StoreFixtures.spec, priority: 2)
        #expect(created.status == .queued)
        #expect(created.progress.totalIterations == StoreFixtures.spec.training.phases.reduce(0) { $0 + $1.iterations })
        #expect(try store.job(id: created.id) == created)
    }

    @Test(arguments: StoreKind.contract)
    func idsAreFreshAndUnknownIdsAreNil(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let a = try store.create(spec: StoreFixtures.spec)
        let b = try store.create(spec: StoreFixtures.spec)
        #expect(a.id != b.id)
        #expect(try store.job(id: "no-such-job") == nil)
    }

    @Test(arguments: StoreKind.contract)
    func listIsNewestFirst(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let ids = try (0..<5).map { _ in try store.create(spec: StoreFixtures.spec).id }
        #expect(try store.list(status: nil, limit: 10, offset: 0).map(\.id) == ids.reversed())
    }

    @Test(arguments: StoreKind.contract)
    func listFiltersByStatusAndPaginates(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let ids = try (0..<7).map { _ in try store.create(spec: StoreFixtures.spec).id }
        try store.markRunning(jobID: ids[1])
        try store.markRunning(jobID: ids[4])
        #expect(try store.list(status: .running, limit: 10, offset: 0).map(\.id) == [ids[4], ids[1]])
        let queued = ids.enumerated().filter { $0.offset != 1 && $0.offset != 4 }.map(\.element).reversed()
        #expect(try store.list(status: .queued, limit: 2, offset: 0).map(\.id) == Array(queued.prefix(2)))
        #expect(try store.list(status: .queued, limit: 2, offset: 2).map(\.id) == Array(queued.dropFirst(2).prefix(2)))
        #expect(try store.list(status: .queued, limit: 10, offset: 5).isEmpty)
    }

    @Test(arguments: StoreKind.contract)
    func countsCoverEveryStatus(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let ids = try (0..<3).map { _ in try store.create(spec: StoreFixtures.spec).id }
        try store.markFinished(jobID: ids[0], status: .cancelled)
        #expect(try store.counts() == [.queued: 2, .running: 0, .succeeded: 0, .failed: 0, .cancelled: 1])
    }

    @Test(arguments: StoreKind.contract)
    func nextQueuedIsHighestPriorityThenOldest(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let low1 = try store.create(spec: StoreFixtures.spec, priority: 0).id
        let high1 = try store.create(spec: StoreFixtures.spec, priority: 5).id
        let low2 = try store.create(spec: StoreFixtures.spec, priority: 0).id
        let high2 = try store.create(spec: StoreFixtures.spec, priority: 5).id
        var order: [String] = []
        while let next = try store.nextQueued() {
            order.append(next.id)
            try store.markRunning(jobID: next.id)
        }
        #expect(order == [high1, high2, low1, low2])
    }

    @Test(arguments: StoreKind.contract)
    func deletePurgesTheJobAndAllItsData(_ kind: StoreKind) throws {
        let subject = try kind.make()
        let store = subject.store
        let id = try store.create(spec: StoreFixtures.spec).id
        let other = try store.create(spec: StoreFixtures.spec).id
        for job in [id, other] {
            try store.appendLosses(jobID: job, [StoreFixtures.loss(0)], termNames: StoreFixtures.termNames)
            try store.appendSlopes(jobID: job, [StoreFixtures.slope(0)])
            try store.appendErrors(jobID: job, [ErrorRecord(iteration: 0, phase: 0, relativeL2: 1, outputs: [:])])
            try store.saveCheckpoint(jobID: job, iteration: 0, blob: Data([1, 2, 3]))
            try store.saveResult(jobID: job, parameters: [1, 2], solution: Data([4]))
        }
        #expect(try store.delete(jobID: id))
        #expect(try store.job(id: id) == nil)
        for table in ["jobs", "losses", "slopes", "errors", "checkpoints", "results"] {
            #expect(try subject.rowCount(table, jobID: id) == 0, "\(table) still holds rows")
            #expect(try subject.rowCount(table, jobID: other) == 1, "\(table) lost another job's rows")
        }
        #expect(try store.delete(jobID: id) == false)
    }

    @Test func callsAfterCloseFailWithClosed() throws {
        let store = try SQLiteJobStore.inMemory()
        store.close()
        #expect(throws: StoreError.closed(path: ":memory:")) { try store.job(id: "x") }
    }
}
