import Foundation
import Testing
import PINNStore

@Suite struct CheckpointAndResultTests {
    @Test func latestCheckpointIsTheHighestIteration() throws {
        let store = try SQLiteJobStore.inMemory()
        let id = try store.create(spec: StoreFixtures.spec).id
        #expect(try store.latestCheckpoint(jobID: id) == nil)
        try store.saveCheckpoint(jobID: id, iteration: 100, blob: Data("a".utf8))
        try store.saveCheckpoint(jobID: id, iteration: 200, blob: Data(repeating: 7, count: 100_000))
        let latest = try #require(try store.latestCheckpoint(jobID: id))
        #expect(latest.iteration == 200)
        #expect(latest.blob == Data(repeating: 7, count: 100_000))
    }

    @Test func onlyTheLatestFewCheckpointsAreKept() throws {
        let path = StoreFixtures.temporaryPath()
        let store = try SQLiteJobStore(path: path, checkpointsKept: 2)
        let id = try store.create(spec: StoreFixtures.spec).id
        for iteration in [10, 20, 30, 40] { try store.saveCheckpoint(jobID: id, iteration: iteration, blob: Data([1])) }
        #expect(try StoreFixtures.rowCount("checkpoints", jobID: id, path: path) == 2)
        #expect(try store.latestCheckpoint(jobID: id)?.iteration == 40)
    }

    @Test func emptyCheckpointIsNotNil() throws {
        let store = try SQLiteJobStore.inMemory()
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.saveCheckpoint(jobID: id, iteration: 0, blob: Data())
        #expect(try store.latestCheckpoint(jobID: id)?.blob == Data())
    }

    @Test func resultRoundTripsBitExactly() throws {
        let store = try SQLiteJobStore.inMemory()
        let id = try store.create(spec: StoreFixtures.spec).id
        #expect(try store.result(jobID: id) == nil)
        let parameters = [0.1, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -3.25, .infinity]
        try store.saveResult(jobID: id, parameters: parameters, solution: Data([9, 8, 7]))
        let result = try #require(try store.result(jobID: id))
        #expect(result.parameters.map(\.bitPattern) == parameters.map(\.bitPattern))
        #expect(result.solution == Data([9, 8, 7]))
    }

    @Test func resultWithoutSolutionKeepsNil() throws {
        let store = try SQLiteJobStore.inMemory()
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.saveResult(jobID: id, parameters: [], solution: nil)
        let result = try #require(try store.result(jobID: id))
        #expect(result.parameters.isEmpty)
        #expect(result.solution == nil)
    }
}
