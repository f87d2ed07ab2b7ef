import Foundation
import Testing
import PINNStore

@Suite struct JobStatusTransitionTests {
    @Test(arguments: StoreKind.contract)
    func runningRecordsTheStartTime(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        let before = Date()
        let running = try store.markRunning(jobID: id)
        #expect(running.status == .running)
        #expect(try #require(running.startedAt) >= before.addingTimeInterval(-1))
        #expect(running.finishedAt == nil)
    }

    @Test(arguments: StoreKind.contract)
    func succeedingRecordsTheEndTimeAndError(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.markRunning(jobID: id)
        let done = try store.markFinished(jobID: id, status: .succeeded, failure: nil, relativeL2: 1.5e-3)
        #expect(done.status == .succeeded)
        #expect(done.relativeL2 == 1.5e-3)
        #expect(done.finishedAt != nil)
        #expect(try store.job(id: id) == done)
    }

    @Test(arguments: StoreKind.contract)
    func failureKeepsItsMessage(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.markRunning(jobID: id)
        try store.markFinished(jobID: id, status: .failed, failure: "loss became NaN at iteration 12", relativeL2: nil)
        #expect(try store.job(id: id)?.failure == "loss became NaN at iteration 12")
        #expect(try store.job(id: id)?.relativeL2 == nil)
    }

    @Test(arguments: StoreKind.contract)
    func queuedJobsCanBeCancelledButNotSucceed(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let a = try store.create(spec: StoreFixtures.spec).id
        let b = try store.create(spec: StoreFixtures.spec).id
        #expect(try store.markFinished(jobID: a, status: .cancelled).status == .cancelled)
        #expect(throws: StoreError.invalidTransition(jobID: b, from: .queued, to: .succeeded)) {
            try store.markFinished(jobID: b, status: .succeeded)
        }
    }

    @Test(arguments: StoreKind.contract)
    func finishedJobsNeverChangeAgain(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.markRunning(jobID: id)
        try store.markFinished(jobID: id, status: .succeeded)
        #expect(throws: StoreError.invalidTransition(jobID: id, from: .succeeded, to: .running)) {
            try store.markRunning(jobID: id)
        }
        #expect(throws: StoreError.invalidTransition(jobID: id, from: .succeeded, to: .failed)) {
            try store.markFinished(jobID: id, status: .failed)
        }
    }

    @Test(arguments: StoreKind.contract)
    func finishingWithANonFinalStatusIsRejected(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        #expect(throws: StoreError.invalidTransition(jobID: id, from: .queued, to: .running)) {
            try store.markFinished(jobID: id, status: .running)
        }
        #expect(try store.job(id: id)?.status == .queued)
    }

    @Test(arguments: StoreKind.contract)
    func startingARunningJobAgainIsRejected(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.markRunning(jobID: id)
        #expect(throws: StoreError.invalidTransition(jobID: id, from: .running, to: .running)) {
            try store.markRunning(jobID: id)
        }
    }

    @Test(arguments: StoreKind.contract)
    func unknownJobsAreNotFound(_ kind: StoreKind) throws {
        let store = try kind.make().store
        #expect(throws: StoreError.notFound(jobID: "nope")) { try store.markRunning(jobID: "nope") }
        #expect(throws: StoreError.notFound(jobID: "nope")) {
            try store.updateProgress(jobID: "nope", JobProgress(phase: 0, iteration: 1, totalIterations: 2))
        }
        #expect(throws: StoreError.notFound(jobID: "nope")) {
            try store.appendLosses(jobID: "nope", [StoreFixtures.loss(0)], termNames: [])
        }
    }

    @Test(arguments: StoreKind.contract)
    func progressIsStored(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        let progress = JobProgress(phase: 1, iteration: 5_010, totalIterations: 6_000)
        try store.updateProgress(jobID: id, progress)
        #expect(try store.job(id: id)?.progress == progress)
    }
}
