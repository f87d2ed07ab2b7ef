import Dispatch
import Foundation
import PINN
import Testing
@testable import PINNStore

/// Work distribution (`claim`, `renew`, `release`, fenced writes): each job trains in one place at a time, a lease
/// that runs out returns the job, and a holder whose lease was taken over can no longer write the job.
@Suite struct LeaseTests {
    static let long: Duration = .seconds(60)
    /// Long enough for a claim to be made under it, short enough to wait out.
    static let short: Duration = .milliseconds(150)

    static func waitOut(_ duration: Duration) { Thread.sleep(forTimeInterval: duration.inSeconds + 0.1) }

    @Test(arguments: StoreKind.contract)
    func claimsTakeTheQueueByPriorityThenSubmissionOrder(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let low1 = try store.create(spec: StoreFixtures.spec, priority: 0).id
        let high1 = try store.create(spec: StoreFixtures.spec, priority: 5).id
        let low2 = try store.create(spec: StoreFixtures.spec, priority: 0).id
        let high2 = try store.create(spec: StoreFixtures.spec, priority: 5).id
        var claims: [JobClaim] = []
        while let claim = try store.claim(holder: "a", for: Self.long) { claims.append(claim) }
        #expect(claims.map(\.job.id) == [high1, high2, low1, low2])
        #expect(claims.allSatisfy { $0.job.status == .running && $0.job.startedAt != nil && !$0.resumed })
        #expect(claims.allSatisfy { $0.lease.holder == "a" && $0.lease.jobID == $0.job.id })
        #expect(try store.job(id: low2)?.status == .running)
    }

    @Test(arguments: StoreKind.contract)
    func aLiveLeaseKeepsTheJobFromOtherHolders(_ kind: StoreKind) throws {
        let store = try kind.make().store
        _ = try store.create(spec: StoreFixtures.spec)
        #expect(try store.claim(holder: "a", for: Self.long) != nil)
        #expect(try store.claim(holder: "b", for: Self.long) == nil)
    }

    @Test(arguments: StoreKind.contract)
    func anExpiredLeaseReturnsTheJobAheadOfTheQueueToBeResumed(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let first = try store.create(spec: StoreFixtures.spec).id
        let a = try #require(try store.claim(holder: "a", for: Self.short))
        let queued = try store.create(spec: StoreFixtures.spec, priority: 9).id
        Self.waitOut(Self.short)
        let b = try #require(try store.claim(holder: "b", for: Self.long))
        #expect(b.job.id == first && b.resumed && b.lease.holder == "b" && b.lease.token > a.lease.token)
        #expect(b.job.startedAt == a.job.startedAt)
        #expect(try store.claim(holder: "b", for: Self.long)?.job.id == queued)
    }

    @Test(arguments: StoreKind.contract)
    func renewingKeepsTheLeasePastItsFirstTerm(_ kind: StoreKind) throws {
        let store = try kind.make().store
        _ = try store.create(spec: StoreFixtures.spec)
        let a = try #require(try store.claim(holder: "a", for: Self.short))
        try store.renew(a.lease, for: Self.long)
        Self.waitOut(Self.short)
        #expect(try store.claim(holder: "b", for: Self.long) == nil)
    }

    @Test(arguments: StoreKind.contract)
    func aReleasedJobIsClaimableAtOnce(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        let a = try #require(try store.claim(holder: "a", for: Self.long))
        try store.release(a.lease)
        #expect(try store.job(id: id)?.status == .running)
        let b = try #require(try store.claim(holder: "b", for: Self.long))
        #expect(b.job.id == id && b.resumed)
        // Releasing a lease that is no longer held changes nothing.
        try store.release(a.lease)
        #expect(try store.claim(holder: "c", for: Self.long) == nil)
    }

    /// A job left running without a lease (by `markRunning`, or by a build before leases) is claimable.
    @Test(arguments: StoreKind.contract)
    func aRunningJobWithoutALeaseIsResumed(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.markRunning(jobID: id)
        let claim = try #require(try store.claim(holder: "a", for: Self.long))
        #expect(claim.job.id == id && claim.resumed)
    }

    @Test(arguments: StoreKind.contract)
    func aTakenOverLeaseFencesEveryWriteOfItsFormerHolder(_ kind: StoreKind) throws {
        let subject = try kind.make()
        let store = subject.store
        let id = try store.create(spec: StoreFixtures.spec).id
        let stale = try #require(try store.claim(holder: "a", for: Self.short)).lease
        try store.appendLosses(jobID: id, [StoreFixtures.loss(0)], termNames: StoreFixtures.termNames, fence: stale)
        Self.waitOut(Self.short)
        let live = try #require(try store.claim(holder: "b", for: Self.long)).lease
        let lost = StoreError.leaseLost(jobID: id)
        #expect(throws: lost) { try store.renew(stale, for: Self.long) }
        #expect(throws: lost) {
            try store.appendLosses(jobID: id, [StoreFixtures.loss(1)], termNames: StoreFixtures.termNames, fence: stale)
        }
        #expect(throws: lost) { try store.appendSlopes(jobID: id, [StoreFixtures.slope(1)], fence: stale) }
        #expect(throws: lost) {
            try store.appendErrors(jobID: id, [ErrorRecord(iteration: 1, phase: 0, relativeL2: 1, outputs: [:])],
                                   fence: stale)
        }
        #expect(throws: lost) {
            try store.updateProgress(jobID: id, JobProgress(phase: 0, iteration: 1, totalIterations: 9), fence: stale)
        }
        #expect(throws: lost) { try store.saveCheckpoint(jobID: id, iteration: 1, blob: Data([1]), fence: stale) }
        #expect(throws: lost) { try store.saveResult(jobID: id, parameters: [1], solution: nil, fence: stale) }
        #expect(throws: lost) {
            try store.markFinished(jobID: id, status: .succeeded, failure: nil, relativeL2: nil, fence: stale)
        }
        // Nothing of the stale holder's landed; the live holder writes and finishes.
        #expect(try store.losses(jobID: id).map(\.iteration) == [0])
        #expect(try subject.rowCount("slopes", jobID: id) == 0 && subject.rowCount("checkpoints", jobID: id) == 0)
        #expect(try store.job(id: id)?.progress.iteration == 0 && store.result(jobID: id) == nil)
        try store.appendLosses(jobID: id, [StoreFixtures.loss(1)], termNames: StoreFixtures.termNames, fence: live)
        try store.renew(live, for: Self.long)
        try store.saveResult(jobID: id, parameters: [2], solution: nil, fence: live)
        #expect(try store.markFinished(jobID: id, status: .succeeded, failure: nil, relativeL2: nil, fence: live)
                    .status == .succeeded)
        #expect(try store.losses(jobID: id).map(\.iteration) == [0, 1])
    }

    /// Cancelling through any server (an unfenced write) ends the lease: the holder's next renewal or write says so.
    @Test(arguments: StoreKind.contract)
    func aJobCancelledElsewhereIsLostToItsHolder(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        let lease = try #require(try store.claim(holder: "a", for: Self.long)).lease
        try store.markFinished(jobID: id, status: .cancelled)
        #expect(throws: StoreError.leaseLost(jobID: id)) { try store.renew(lease, for: Self.long) }
        #expect(throws: StoreError.leaseLost(jobID: id)) {
            try store.saveCheckpoint(jobID: id, iteration: 5, blob: Data([5]), fence: lease)
        }
        #expect(try store.job(id: id)?.status == .cancelled)
        #expect(try store.claim(holder: "b", for: Self.long) == nil)
    }

    /// A job failed by its holder (the store refused its history for too long) is marked first; the history the
    /// holder kept in memory follows under the same lease.
    @Test(arguments: StoreKind.contract)
    func theHoldersOwnEndKeepsItsLeaseForTheHistoryThatFollows(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        let lease = try #require(try store.claim(holder: "a", for: Self.long)).lease
        try store.markFinished(jobID: id, status: .failed, failure: "stopped", relativeL2: nil, fence: lease)
        try store.appendLosses(jobID: id, [StoreFixtures.loss(0)], termNames: StoreFixtures.termNames, fence: lease)
        #expect(try store.losses(jobID: id).count == 1)
        #expect(throws: StoreError.leaseLost(jobID: id)) { try store.renew(lease, for: Self.long) }
    }

    @Test(arguments: StoreKind.contract)
    func concurrentClaimersEachGetADifferentJob(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let ids = try (0..<12).map { _ in try store.create(spec: StoreFixtures.spec).id }
        let claimed = Failures()
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            do throws(StoreError) {
                while let claim = try store.claim(holder: "worker-\(worker)", for: Self.long) { claimed.append(claim.job.id) }
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
        #expect(claimed.all.sorted() == ids.sorted())
    }

    /// One server owns an SQLite file: when it starts again, the leases its previous process held are void, so
    /// the jobs resume at once rather than after their leases run out.
    @Test func openingAnSQLiteFileVoidsTheLeasesOfTheProcessBefore() throws {
        let subject = try StoreKind.sqlite.make()
        let id = try subject.store.create(spec: StoreFixtures.spec).id
        _ = try #require(try subject.store.claim(holder: "before", for: Self.long))
        let reopened = try subject.reopened()
        let claim = try #require(try reopened.claim(holder: "after", for: Self.long))
        #expect(claim.job.id == id && claim.resumed)
    }
}
