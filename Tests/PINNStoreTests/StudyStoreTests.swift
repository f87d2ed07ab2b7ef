import Foundation
import Testing
@testable import PINN
@testable import PINNStore

/// Studies in the store, both kinds: created with their jobs in one transaction, read back after a restart,
/// listed by visibility, and deleted with their jobs and all their data.
@Suite struct StudyStoreTests {
    /// Computed, not stored: a static `Data` lives in lazily initialised global storage that LeakSanitizer reports
    /// as leaked at exit.
    static var definition: Data {
        Data(#"{"base": {"problem": "burgers"}, "variations": {"network.scale": [1, 2]}, "seeds": 2}"#.utf8)
    }

    static func jobs() -> [(cell: Int, run: Int, spec: JobSpec)] {
        [(0, 0), (0, 1), (1, 0), (1, 1)].map { cell, run in
            var spec = StoreFixtures.spec
            spec.network.scale = Double(cell + 1)
            spec.training.seed = UInt64(run)
            return (cell, run, spec)
        }
    }

    @Test(arguments: StoreKind.contract)
    func aStudyIsStoredWithItsQueuedJobs(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let study = try store.createStudy(name: "scales", definition: Self.definition, jobs: Self.jobs(), owner: "alice", shared: true)
        #expect(study.runs.map { [$0.cell, $0.run] } == [[0, 0], [0, 1], [1, 0], [1, 1]])
        let read = try #require(try store.study(id: study.id))
        #expect(read.name == "scales" && read.definition == Self.definition && read.owner == "alice" && read.shared)
        #expect(read.runs == study.runs)
        #expect(abs(read.createdAt.timeIntervalSince(study.createdAt)) < 1e-3)
        for (run, job) in zip(read.runs, Self.jobs()) {
            let stored = try #require(try store.job(id: run.jobID))
            #expect(stored.status == .queued && stored.owner == "alice" && stored.shared)
            #expect(stored.spec == job.spec)
        }
        #expect(try store.counts()[.queued] == 4)
        #expect(try store.study(id: "no-such-study") == nil)
    }

    @Test(arguments: StoreKind.contract)
    func aStudySurvivesARestart(_ kind: StoreKind) throws {
        let underTest = try kind.make()
        let study = try underTest.store.createStudy(name: nil, definition: Self.definition, jobs: Self.jobs(), owner: nil, shared: false)
        let reopened = try underTest.reopened()
        let read = try #require(try reopened.study(id: study.id))
        #expect(read.runs == study.runs && read.name == nil && read.definition == Self.definition)
    }

    @Test(arguments: StoreKind.contract)
    func studiesAreListedNewestFirstByVisibility(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let alice = try store.createStudy(name: "a", definition: Self.definition, jobs: [], owner: "alice", shared: false)
        let bob = try store.createStudy(name: "b", definition: Self.definition, jobs: [], owner: "bob", shared: false)
        #expect(try store.listStudies(visibility: .everyJob, limit: 10, offset: 0).map(\.id) == [bob.id, alice.id])
        #expect(try store.listStudies(visibility: .visibleTo(owner: "alice"), limit: 10, offset: 0).map(\.id) == [alice.id])
        #expect(try store.listStudies(visibility: .everyJob, limit: 1, offset: 1).map(\.id) == [alice.id])
        #expect(JobVisibility.visibleTo(owner: "bob").admits(bob) && !JobVisibility.visibleTo(owner: "bob").admits(alice))
    }

    @Test(arguments: StoreKind.contract)
    func deletingAStudyRemovesItsJobsAndTheirData(_ kind: StoreKind) throws {
        let underTest = try kind.make()
        let store = underTest.store
        let other = try store.create(spec: StoreFixtures.spec)
        let study = try store.createStudy(name: nil, definition: Self.definition, jobs: Self.jobs(), owner: nil, shared: false)
        let first = study.runs[0].jobID
        try store.markRunning(jobID: first)
        try store.appendLosses(jobID: first, [StoreFixtures.loss(0)], termNames: StoreFixtures.termNames)
        try store.appendErrors(jobID: first, [ErrorRecord(iteration: 0, phase: 0, relativeL2: 0.5, outputs: [:])])
        try store.saveCheckpoint(jobID: first, iteration: 0, blob: Data([1, 2]))
        #expect(try store.deleteStudy(id: study.id))
        #expect(try store.study(id: study.id) == nil)
        for run in study.runs { #expect(try store.job(id: run.jobID) == nil) }
        for table in ["losses", "errors", "checkpoints"] { #expect(try underTest.rowCount(table, jobID: first) == 0) }
        #expect(try store.job(id: other.id) != nil)
        #expect(try store.deleteStudy(id: study.id) == false)
    }

    @Test(arguments: StoreKind.contract)
    func aJobDeletedOnItsOwnLeavesTheStudy(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let study = try store.createStudy(name: nil, definition: Self.definition, jobs: Self.jobs(), owner: nil, shared: false)
        try store.delete(jobID: study.runs[1].jobID)
        #expect(try store.study(id: study.id)?.runs == study.runs.enumerated().filter { $0.offset != 1 }.map(\.element))
    }
}
