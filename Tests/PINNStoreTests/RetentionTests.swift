import Foundation
import Testing
import PINNStore

/// `purgeFinished`: finished jobs beyond a count or older than a cut-off go with all their data; queued and running
/// jobs stay.
@Suite struct RetentionTests {
    /// Three finished jobs (oldest first), one queued, one running.
    func fixture(_ kind: StoreKind) throws -> (any JobStore, finished: [String], queued: String, running: String) {
        let store = try kind.make().store
        var finished: [String] = []
        for status in [JobStatus.succeeded, .failed, .cancelled] {
            let id = try store.create(spec: StoreFixtures.spec).id
            try store.markRunning(jobID: id)
            try store.appendLosses(jobID: id, [StoreFixtures.loss(0)], termNames: StoreFixtures.termNames)
            try store.saveCheckpoint(jobID: id, iteration: 0, blob: Data([1]))
            try store.markFinished(jobID: id, status: status)
            finished.append(id)
            Thread.sleep(forTimeInterval: 0.01)   // distinct finish times
        }
        let queued = try store.create(spec: StoreFixtures.spec).id
        let running = try store.create(spec: StoreFixtures.spec).id
        try store.markRunning(jobID: running)
        return (store, finished, queued, running)
    }

    @Test(arguments: StoreKind.contract)
    func keepingByCountPurgesTheOldestFinishedWithTheirData(_ kind: StoreKind) throws {
        let (store, finished, queued, running) = try fixture(kind)
        #expect(try store.purgeFinished(keep: 1, finishedBefore: nil) == [finished[0], finished[1]])
        #expect(try store.job(id: finished[0]) == nil && store.job(id: finished[1]) == nil)
        #expect(try store.losses(jobID: finished[0]).isEmpty)
        #expect(try store.latestCheckpoint(jobID: finished[1]) == nil)
        #expect(try store.job(id: finished[2]) != nil && store.job(id: queued) != nil && store.job(id: running) != nil)
        #expect(try store.purgeFinished(keep: 1, finishedBefore: nil).isEmpty)
    }

    @Test(arguments: StoreKind.contract)
    func keepingByAgePurgesThoseFinishedBeforeTheCutOff(_ kind: StoreKind) throws {
        let (store, finished, queued, running) = try fixture(kind)
        let cutOff = try #require(try store.job(id: finished[2])?.finishedAt)
        #expect(try store.purgeFinished(keep: nil, finishedBefore: cutOff) == [finished[0], finished[1]])
        #expect(try store.purgeFinished(keep: nil, finishedBefore: Date().addingTimeInterval(1)) == [finished[2]])
        #expect(try store.list().map(\.id).sorted() == [queued, running].sorted())
    }

    @Test(arguments: StoreKind.contract)
    func noLimitPurgesNothingAndZeroKeepsNone(_ kind: StoreKind) throws {
        let (store, finished, _, _) = try fixture(kind)
        #expect(try store.purgeFinished(keep: nil, finishedBefore: nil).isEmpty)
        #expect(try store.purgeFinished(keep: 0, finishedBefore: nil) == finished)
    }
}
