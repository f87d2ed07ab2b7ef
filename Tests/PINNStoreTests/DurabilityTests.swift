import Foundation
import PINN
import Testing
@testable import PINNStore

/// A "restart" is closing the store and opening its data again (the same file, or the same database).
@Suite struct DurabilityTests {
    @Test(arguments: StoreKind.contract)
    func everythingSurvivesCloseAndReopen(_ kind: StoreKind) throws {
        let subject = try kind.make()
        let losses = (0..<5).map { StoreFixtures.loss($0) }
        let slopes = (0..<5).map { StoreFixtures.slope($0) }
        let errors = [ErrorRecord(iteration: 4, phase: 0, relativeL2: 0.01, outputs: [:])]
        let queued: JobRecord
        let finished: JobRecord
        do {
            let store = subject.store
            queued = try store.create(spec: StoreFixtures.spec, priority: 3)
            let id = try store.create(spec: StoreFixtures.spec).id
            try store.markRunning(jobID: id)
            try store.updateProgress(jobID: id, JobProgress(phase: 0, iteration: 4, totalIterations: 10))
            try store.appendLosses(jobID: id, losses, termNames: StoreFixtures.termNames)
            try store.appendSlopes(jobID: id, slopes)
            try store.appendErrors(jobID: id, errors)
            try store.saveCheckpoint(jobID: id, iteration: 4, blob: Data([4, 4]))
            try store.saveResult(jobID: id, parameters: [1, 2, 3], solution: Data([5]))
            finished = try store.markFinished(jobID: id, status: .succeeded, failure: nil, relativeL2: 0.01)
        }
        let store = try subject.reopened()
        #expect(try store.job(id: finished.id) == finished)
        #expect(try store.job(id: queued.id) == queued)
        #expect(try store.nextQueued() == queued)
        #expect(try store.losses(jobID: finished.id) == losses)
        #expect(try store.slopes(jobID: finished.id) == slopes)
        #expect(try store.errors(jobID: finished.id) == errors)
        #expect(try store.latestCheckpoint(jobID: finished.id)?.blob == Data([4, 4]))
        #expect(try store.result(jobID: finished.id)?.parameters == [1, 2, 3])
    }

    @Test(arguments: StoreKind.contract)
    func runningJobsAreInterruptedAfterReopen(_ kind: StoreKind) throws {
        let subject = try kind.make()
        let store = subject.store
        let ids = try (0..<4).map { _ in try store.create(spec: StoreFixtures.spec).id }
        try store.markRunning(jobID: ids[0])
        try store.markRunning(jobID: ids[2])
        try store.markRunning(jobID: ids[3])
        try store.markFinished(jobID: ids[3], status: .failed)
        try store.saveCheckpoint(jobID: ids[2], iteration: 50, blob: Data([2]))
        // No close: the process "crashes", and the next one opens the same data.
        let next = try subject.openedAgain()
        #expect(try next.interruptedJobs().map(\.id) == [ids[0], ids[2]])
        #expect(try next.latestCheckpoint(jobID: ids[2])?.iteration == 50)
        #expect(try next.nextQueued()?.id == ids[1])
    }

    @Test func openingCreatesParentDirectoriesAndUsesWAL() throws {
        let path = StoreFixtures.temporaryPath()
        _ = try SQLiteJobStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        let db = try SQLiteConnection(path: path)
        #expect(try db.rows("PRAGMA journal_mode") { $0.text(0) } == ["wal"])
    }

    @Test func unwritableLocationFailsWithAnActionableMessage() throws {
        let error = #expect(throws: StoreError.self) { try SQLiteJobStore(path: "/proc/pinn/jobs.sqlite") }
        #expect(error?.description.contains("/proc/pinn") == true)
    }
}

/// SQLite files written by older builds (PostgreSQL's migrations: `PostgresStoreTests`).
@Suite struct MigrationTests {
    @Test func versionZeroFileGetsTheWholeSchema() throws {
        let path = StoreFixtures.temporaryPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute("CREATE TABLE unrelated (x)")  // a real but empty-of-ours file at version 0
            #expect(try db.userVersion == 0)
        }
        let store = try SQLiteJobStore(path: path)
        _ = try store.create(spec: StoreFixtures.spec)
        store.close()
        let db = try SQLiteConnection(path: path)
        #expect(try db.userVersion == JobStoreSchema.version)
        let tables = try db.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { $0.text(0) ?? "" }
        #expect(Set(["jobs", "losses", "slopes", "checkpoints", "results", "unrelated"]).isSubset(of: tables))
    }

    @Test func aVersionOneFileKeepsItsJobsAndGainsTheErrorHistory() throws {
        let path = StoreFixtures.temporaryPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute(JobStoreSchema.migrations[0])
            try db.setUserVersion(1)
            let spec = String(decoding: try JSONEncoder().encode(StoreFixtures.spec), as: UTF8.self)
            try db.run("INSERT INTO jobs (id, status, spec, created_at, relative_l2) VALUES ('old', 'succeeded', \(spec), 0, 0.5)")
        }
        let store = try SQLiteJobStore(path: path)
        let job = try #require(try store.job(id: "old"))
        #expect(job.relativeL2 == 0.5 && job.latestError == nil)
        try store.appendErrors(jobID: "old", [ErrorRecord(iteration: 3, phase: 0, relativeL2: 0.25, outputs: [:])])
        #expect(try store.job(id: "old")?.latestError?.iteration == 3)
    }

    /// Migration 3 (access): a file written before owners existed keeps its jobs, which have no owner, are not
    /// shared, and stay visible to every caller; new jobs record theirs.
    @Test func aVersionTwoFileKeepsItsJobsOwnerlessAndVisibleToAll() throws {
        let path = StoreFixtures.temporaryPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        do {
            let db = try SQLiteConnection(path: path)
            for script in JobStoreSchema.migrations[0..<2] { try db.execute(script) }
            try db.setUserVersion(2)
            let spec = String(decoding: try JSONEncoder().encode(StoreFixtures.spec), as: UTF8.self)
            try db.run("INSERT INTO jobs (id, status, spec, created_at, relative_l2) VALUES ('old', 'succeeded', \(spec), 0, 0.5)")
        }
        let store = try SQLiteJobStore(path: path)
        let old = try #require(try store.job(id: "old"))
        #expect(old.owner == nil && old.shared == false && old.relativeL2 == 0.5)
        let alices = try store.create(spec: StoreFixtures.spec, priority: 0, owner: "alice", shared: false)
        #expect(try store.job(id: alices.id)?.owner == "alice")
        #expect(try store.list(status: nil, visibility: .visibleTo(owner: "bob"), limit: 10, offset: 0).map(\.id) == ["old"])
        #expect(try SQLiteConnection(path: path).userVersion == JobStoreSchema.version)
    }

    @Test func reopeningDoesNotRerunMigrations() throws {
        let path = StoreFixtures.temporaryPath()
        let id = try SQLiteJobStore(path: path).create(spec: StoreFixtures.spec).id
        // Migration 1 is plain CREATE TABLE, so running it twice fails: reopening must skip it, and does.
        #expect(throws: StoreError.self) { try SQLiteConnection(path: path).execute(JobStoreSchema.migrations[0]) }
        let reopened = try SQLiteJobStore(path: path)
        #expect(try reopened.job(id: id) != nil)
        #expect(try SQLiteConnection(path: path).userVersion == JobStoreSchema.version)
    }

    @Test func newerSchemaIsRefused() throws {
        let path = StoreFixtures.temporaryPath()
        _ = try SQLiteJobStore(path: path)
        try SQLiteConnection(path: path).setUserVersion(JobStoreSchema.version + 1)
        #expect(throws: StoreError.schemaTooNew(path: path, version: JobStoreSchema.version + 1,
                                                supported: JobStoreSchema.version)) {
            try SQLiteJobStore(path: path)
        }
    }
}
