import Foundation
import Testing
import PINNStore

@Suite struct CheckpointAndResultTests {
    @Test(arguments: StoreKind.contract)
    func latestCheckpointIsTheHighestIteration(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        #expect(try store.latestCheckpoint(jobID: id) == nil)
        try store.saveCheckpoint(jobID: id, iteration: 100, blob: Data("a".utf8))
        try store.saveCheckpoint(jobID: id, iteration: 200, blob: Data(repeating: 7, count: 100_000))
        let latest = try #require(try store.latestCheckpoint(jobID: id))
        #expect(latest.iteration == 200)
        #expect(latest.blob == Data(repeating: 7, count: 100_000))
    }

    @Test(arguments: StoreKind.contract)
    func onlyTheLatestFewCheckpointsAreKept(_ kind: StoreKind) throws {
        let subject = try kind.make(checkpointsKept: 2)
        let store = subject.store
        let id = try store.create(spec: StoreFixtures.spec).id
        for iteration in [10, 20, 30, 40] { try store.saveCheckpoint(jobID: id, iteration: iteration, blob: Data([1])) }
        #expect(try subject.rowCount("checkpoints", jobID: id) == 2)
        #expect(try store.latestCheckpoint(jobID: id)?.iteration == 40)
    }

    @Test(arguments: StoreKind.contract)
    func savingACheckpointAgainReplacesIt(_ kind: StoreKind) throws {
        let subject = try kind.make()
        let id = try subject.store.create(spec: StoreFixtures.spec).id
        try subject.store.saveCheckpoint(jobID: id, iteration: 10, blob: Data([1]))
        try subject.store.saveCheckpoint(jobID: id, iteration: 10, blob: Data([2, 2]))
        #expect(try subject.rowCount("checkpoints", jobID: id) == 1)
        #expect(try subject.store.latestCheckpoint(jobID: id)?.blob == Data([2, 2]))
        #expect(throws: StoreError.notFound(jobID: "nope")) {
            try subject.store.saveCheckpoint(jobID: "nope", iteration: 1, blob: Data([1]))
        }
    }

    @Test(arguments: StoreKind.contract)
    func emptyCheckpointIsNotNil(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.saveCheckpoint(jobID: id, iteration: 0, blob: Data())
        #expect(try store.latestCheckpoint(jobID: id)?.blob == Data())
    }

    @Test(arguments: StoreKind.contract)
    func resultRoundTripsBitExactly(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        #expect(try store.result(jobID: id) == nil)
        let parameters = [0.1, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -3.25, .infinity]
        try store.saveResult(jobID: id, parameters: parameters, solution: Data([9, 8, 7]))
        let result = try #require(try store.result(jobID: id))
        #expect(result.parameters.map(\.bitPattern) == parameters.map(\.bitPattern))
        #expect(result.solution == Data([9, 8, 7]))
    }

    @Test(arguments: StoreKind.contract)
    func savingAResultAgainReplacesIt(_ kind: StoreKind) throws {
        let subject = try kind.make()
        let id = try subject.store.create(spec: StoreFixtures.spec).id
        try subject.store.saveResult(jobID: id, parameters: [1], solution: Data([1]))
        try subject.store.saveResult(jobID: id, parameters: [2, 3], solution: nil)
        #expect(try subject.rowCount("results", jobID: id) == 1)
        let result = try #require(try subject.store.result(jobID: id))
        #expect(result.parameters == [2, 3] && result.solution == nil)
        #expect(throws: StoreError.notFound(jobID: "nope")) {
            try subject.store.saveResult(jobID: "nope", parameters: [], solution: nil)
        }
    }

    @Test(arguments: StoreKind.contract)
    func resultWithoutSolutionKeepsNil(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.saveResult(jobID: id, parameters: [], solution: nil)
        let result = try #require(try store.result(jobID: id))
        #expect(result.parameters.isEmpty)
        #expect(result.solution == nil)
    }
}
