import Foundation
import PINN
import Testing
@testable import PINNStore

/// A full SQLite file and a read-only one: writes fail with an error that says which, nothing stored before is
/// harmed, reads go on, and writes succeed again once the condition is gone (PostgreSQL's faults:
/// `PostgresStoreTests`).
@Suite struct StoreFaultTests {
    @Test func aFullStoreRefusesWritesKeepsWhatItHasAndRecoversWhenSpaceReturns() throws {
        let path = StoreFixtures.temporaryPath()
        let store = try SQLiteJobStore(path: path)
        let job = try store.create(spec: StoreFixtures.spec)
        try store.appendLosses(jobID: job.id, (0..<10).map { StoreFixtures.loss($0) }, termNames: StoreFixtures.termNames)
        // Cap the file at its current size: the next pages cannot be had, as on a full disk.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        try store.setMaxBytes(max(size, 4096))
        let big = (10..<5_000).map { StoreFixtures.loss($0) }
        let error = #expect(throws: StoreError.self) {
            try store.appendLosses(jobID: job.id, big, termNames: StoreFixtures.termNames)
        }
        guard case .full = error else { Issue.record("expected .full, got \(String(describing: error))"); return }
        #expect(error?.description.contains("is full") == true)
        #expect(error?.isStorageFault == true)
        // The failed batch left nothing half-written; reads work.
        #expect(try store.losses(jobID: job.id).map(\.iteration) == Array(0..<10))
        #expect(try store.job(id: job.id)?.latestLoss?.iteration == 9)
        try store.setMaxBytes(0)
        try store.appendLosses(jobID: job.id, big, termNames: StoreFixtures.termNames)
        #expect(try store.losses(jobID: job.id).count == 5_000)
        // A fresh connection sees an intact file.
        let reopened = try SQLiteConnection(path: path)
        #expect(try reopened.rows("PRAGMA integrity_check") { $0.text(0) } == ["ok"])
    }

    @Test func aReadOnlyStoreRefusesWritesWithAReadOnlyErrorAndStillReads() throws {
        let store = try SQLiteJobStore.inMemory()
        let job = try store.create(spec: StoreFixtures.spec)
        try store.withConnectionForTesting { db throws(StoreError) in try db.execute("PRAGMA query_only = ON") }
        let error = #expect(throws: StoreError.self) { try store.markRunning(jobID: job.id) }
        guard case .readOnly = error else { Issue.record("expected .readOnly, got \(String(describing: error))"); return }
        #expect(error?.description.contains("read-only") == true)
        #expect(try store.job(id: job.id)?.status == .queued)
        try store.withConnectionForTesting { db throws(StoreError) in try db.execute("PRAGMA query_only = OFF") }
        #expect(try store.markRunning(jobID: job.id).status == .running)
    }

    @Test func theSizeCapIsTakenAtOpen() throws {
        let store = try SQLiteJobStore(path: StoreFixtures.temporaryPath(), maxBytes: 64 * 1024)
        let job = try store.create(spec: StoreFixtures.spec)
        #expect(throws: StoreError.self) {
            try store.appendLosses(jobID: job.id, (0..<20_000).map { StoreFixtures.loss($0) }, termNames: StoreFixtures.termNames)
        }
    }
}
