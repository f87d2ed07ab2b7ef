import Foundation
import Testing
import PINN
import PINNStore

@Suite struct HistoryTests {
    @Test(arguments: StoreKind.contract)
    func lossBatchesReadBackInIterationOrder(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        let records = (0..<30).map { StoreFixtures.loss($0 * 10, phase: $0 < 20 ? 0 : 1) }
        for batch in stride(from: 0, to: records.count, by: 7) {
            try store.appendLosses(jobID: id, Array(records[batch..<min(batch + 7, records.count)]),
                                   termNames: StoreFixtures.termNames)
        }
        #expect(try store.losses(jobID: id) == records)
    }

    @Test(arguments: StoreKind.contract)
    func latestLossNamesTheTermsOfTheLastRecord(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.appendLosses(jobID: id, [StoreFixtures.loss(0), StoreFixtures.loss(9, total: 6)],
                               termNames: StoreFixtures.termNames)
        #expect(try store.job(id: id)?.latestLoss
                == LatestLoss(iteration: 9, total: 6, terms: ["pde": 3, "initial": 2, "boundary": 1]))
    }

    @Test(arguments: StoreKind.contract)
    func errorsAreAHistoryWhoseLastRecordIsTheJobsLiveError(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        func record(_ iteration: Int, _ error: Double) -> ErrorRecord {
            ErrorRecord(iteration: iteration, phase: iteration < 50 ? 0 : 1, relativeL2: error,
                        outputs: ["u": ErrorRecord.OutputError(relativeL2: error, maxAbsError: 3 * error)])
        }
        try store.appendErrors(jobID: id, [record(0, 1), record(25, 0.5)])
        try store.appendErrors(jobID: id, [record(50, 0.25), record(75, 1e-300)])
        #expect(try store.errors(jobID: id).map(\.iteration) == [0, 25, 50, 75])
        #expect(try store.errors(jobID: id, from: 30, every: 1) == [record(50, 0.25), record(75, 1e-300)])
        let job = try #require(try store.job(id: id))
        #expect(job.latestError == record(75, 1e-300) && job.relativeL2 == 1e-300)
        #expect(throws: StoreError.self) { try store.appendErrors(jobID: "nope", [record(0, 1)]) }
        try store.delete(jobID: id)
        #expect(try store.errors(jobID: id).isEmpty)
    }

    @Test(arguments: StoreKind.contract)
    func thinningStartsAtFromTakesEveryNthAndKeepsTheLast(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.appendLosses(jobID: id, (0..<10).map { StoreFixtures.loss($0) }, termNames: StoreFixtures.termNames)
        // Iterations ≥ 3 are 3…9; every 3rd of those is 3, 6, 9 (9 is also the last).
        #expect(try store.losses(jobID: id, from: 3, every: 3).map(\.iteration) == [3, 6, 9])
        // Every 4th from 0 is 0, 4, 8, and the last (9) is kept so the curve ends where training is.
        #expect(try store.losses(jobID: id, from: 0, every: 4).map(\.iteration) == [0, 4, 8, 9])
        #expect(try store.losses(jobID: id, from: 0, every: 0).count == 10)
        #expect(try store.losses(jobID: id, from: 10, every: 1).isEmpty)
    }

    @Test(arguments: StoreKind.contract)
    func reappendingAnIterationReplacesIt(_ kind: StoreKind) throws {
        // A job resumed from a checkpoint recomputes and re-appends iterations it had already stored.
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.appendLosses(jobID: id, [StoreFixtures.loss(0), StoreFixtures.loss(1)], termNames: [])
        try store.appendLosses(jobID: id, [StoreFixtures.loss(1, total: 7)], termNames: [])
        #expect(try store.losses(jobID: id).map(\.total) == [1, 7])
    }

    @Test(arguments: StoreKind.contract)
    func nonFiniteLossesAreRecorded(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.appendLosses(jobID: id, [StoreFixtures.loss(0, total: .infinity), StoreFixtures.loss(1, total: .nan)],
                               termNames: StoreFixtures.termNames)
        let back = try store.losses(jobID: id)
        #expect(back[0].total == .infinity)
        #expect(back[1].total.isNaN)
        #expect(try store.job(id: id)?.latestLoss?.total.isNaN == true)
    }

    @Test(arguments: StoreKind.contract)
    func lossValuesRoundTripBitExactly(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        var generator = SystemRandomNumberGenerator()
        let records = (0..<50).map { i in
            StoreFixtures.loss(i, total: Double(bitPattern: generator.next() >> 2))  // finite, any magnitude
        }
        try store.appendLosses(jobID: id, records, termNames: [])
        #expect(try store.losses(jobID: id) == records)
    }

    @Test(arguments: StoreKind.contract)
    func slopesRoundTripAndThin(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        let records = (0..<6).map { StoreFixtures.slope($0) }
        try store.appendSlopes(jobID: id, Array(records[0..<4]))
        try store.appendSlopes(jobID: id, Array(records[4...]))
        #expect(try store.slopes(jobID: id) == records)
        #expect(try store.slopes(jobID: id, from: 1, every: 2).map(\.iteration) == [1, 3, 5])
    }

    @Test(arguments: StoreKind.contract)
    func historiesOfOtherJobsStayApart(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let a = try store.create(spec: StoreFixtures.spec).id
        let b = try store.create(spec: StoreFixtures.spec).id
        try store.appendLosses(jobID: a, [StoreFixtures.loss(0)], termNames: [])
        #expect(try store.losses(jobID: b).isEmpty)
        #expect(try store.job(id: b)?.latestLoss == nil)
    }
}
