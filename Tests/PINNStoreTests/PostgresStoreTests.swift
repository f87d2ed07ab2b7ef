import Dispatch
import Foundation
import PINN
import Locking
import Testing
@testable import PINNStore

/// What only the PostgreSQL store has: versioned migrations under an advisory lock, sessions the server ends,
/// lock timeouts, read-only transactions, closing. The behaviour both stores share is the contract suite (every
/// test taking a `StoreKind`).
// Skipped, and reported so, without a test database: run `scripts/postgres-test-cluster.sh start` and set
// PINN_TEST_POSTGRES_URL to the URL it prints (.ci/run does).
@Suite(.enabled(if: StoreKind.postgresIsAvailable,
                "PINN_TEST_POSTGRES_URL is unset: the PostgreSQL store is not tested (scripts/postgres-test-cluster.sh)"))
struct PostgresStoreTests {
    // MARK: Migrations

    @Test func aNewDatabaseGetsTheWholeSchemaAndItsVersion() throws {
        let url = try PostgresTestDatabase.freshSchema()
        _ = try PostgresJobStore(url: url).create(spec: StoreFixtures.spec)
        let db = try PostgresConnection(url: url, lockTimeout: .seconds(5))
        #expect(try db.rows("SELECT version FROM schema_version") { $0.int(0) } == [PostgresSchema.version])
        let tables = try db.rows("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()") {
            $0.text(0) ?? ""
        }
        #expect(Set(tables) == ["schema_version", "jobs", "losses", "slopes", "errors", "checkpoints", "results", "studies",
                               "study_runs"])
    }

    @Test func reopeningDoesNotRerunMigrations() throws {
        let url = try PostgresTestDatabase.freshSchema()
        let id = try PostgresJobStore(url: url).create(spec: StoreFixtures.spec).id
        // Migration 1 is plain CREATE TABLE, so running it twice fails: reopening must skip it, and does.
        let db = try PostgresConnection(url: url, lockTimeout: .seconds(5))
        #expect(throws: StoreError.self) { try db.run(SQLStatement(verbatim: PostgresSchema.migrations[0][0])) }
        let reopened = try PostgresJobStore(url: url)
        #expect(try reopened.job(id: id) != nil)
        #expect(try db.rows("SELECT version FROM schema_version") { $0.int(0) } == [PostgresSchema.version])
    }

    @Test func aNewerSchemaIsRefused() throws {
        let url = try PostgresTestDatabase.freshSchema()
        _ = try PostgresJobStore(url: url)
        try PostgresConnection(url: url, lockTimeout: .seconds(5))
            .run("UPDATE schema_version SET version = \(PostgresSchema.version + 1)")
        #expect(throws: StoreError.schemaTooNew(path: url.description, version: PostgresSchema.version + 1,
                                                supported: PostgresSchema.version)) {
            try PostgresJobStore(url: url)
        }
    }

    /// Without the advisory lock, concurrent CREATE TABLEs of one new schema fail ("duplicate key value violates
    /// unique constraint pg_type_typname_nsp_index", "relation already exists").
    @Test func serversStartingAtOnceMigrateOnce() throws {
        let url = try PostgresTestDatabase.freshSchema()
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do { _ = try PostgresJobStore(url: url, connections: 1) } catch { failures.append("\(error)") }
        }
        #expect(failures.all.isEmpty)
        let db = try PostgresConnection(url: url, lockTimeout: .seconds(5))
        #expect(try db.rows("SELECT version FROM schema_version") { $0.int(0) } == [PostgresSchema.version])
    }

    // MARK: Connection loss, locks, read-only sessions

    /// A server restart ends every session; an idle connection whose session ended is replaced before it is used,
    /// so the next call just works. (A call in the instant between the server process's exit and its socket's
    /// close reaching the client fails instead, as the next test's does.)
    @Test func aSessionEndedWhileIdleIsReplacedBeforeTheNextCall() throws {
        let store = try PostgresJobStore(url: try PostgresTestDatabase.freshSchema())
        let id = try store.create(spec: StoreFixtures.spec).id
        let ended = store.idleBackendPIDsForTesting
        #expect(!ended.isEmpty)
        let admin = try PostgresTestDatabase.administrator()
        for pid in ended { try Self.terminate(pid, admin) }
        _ = try Self.poll { store.anyIdleConnectionUsableForTesting ? nil : true }
        #expect(try store.job(id: id)?.id == id)
        #expect(Set(store.idleBackendPIDsForTesting).isDisjoint(with: ended))
    }

    /// The session of a call in progress ends (the server restarts, or the network is cut): that call fails with a
    /// storage fault, which the worker pool retries, and the next call reconnects and finds the data intact.
    @Test func aConnectionLostMidCallFailsAsAStorageFaultAndTheNextCallReconnects() throws {
        let store = try PostgresJobStore(url: try PostgresTestDatabase.freshSchema(), connections: 1,
                                         lockTimeout: .seconds(30))
        let id = try store.create(spec: StoreFixtures.spec).id
        // Hold the job's row so that markRunning waits inside its transaction, then end the waiting session.
        let blocker = try PostgresConnection(url: try PostgresTestDatabase.url(try #require(StoreKind.postgresURL),
                                                                               searchPath: Self.schema(of: store)),
                                             lockTimeout: .seconds(5))
        try blocker.run("BEGIN")
        _ = try blocker.rows("SELECT 1 FROM jobs WHERE id = \(id) FOR UPDATE") { _ in () }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do throws(StoreError) { _ = try store.markRunning(jobID: id) } catch { outcome.set(error) }
            done.signal()
        }
        let admin = try PostgresTestDatabase.administrator()
        let waiting = try Self.poll {
            try admin.rows("SELECT pid FROM pg_stat_activity WHERE \(Int(blocker.backendPID)) = ANY(pg_blocking_pids(pid))") {
                Int32($0.int(0))
            }.first
        }
        try Self.terminate(waiting, admin)
        #expect(done.wait(timeout: .now() + 30) == .success)
        let error = try #require(outcome.error)
        guard case .unavailable = error else { Issue.record("expected .unavailable, got \(error)"); return }
        #expect(error.isStorageFault)
        try blocker.run("ROLLBACK")
        #expect(try store.job(id: id)?.status == .queued)
        #expect(try store.markRunning(jobID: id).status == .running)
    }

    @Test func aLockHeldPastTheTimeoutIsBusy() throws {
        let url = try PostgresTestDatabase.freshSchema()
        let store = try PostgresJobStore(url: url, lockTimeout: .milliseconds(200))
        let id = try store.create(spec: StoreFixtures.spec).id
        let blocker = try PostgresConnection(url: url, lockTimeout: .seconds(5))
        try blocker.run("BEGIN")
        _ = try blocker.rows("SELECT 1 FROM jobs WHERE id = \(id) FOR UPDATE") { _ in () }
        let error = #expect(throws: StoreError.self) { try store.markRunning(jobID: id) }
        guard case .busy = error else { Issue.record("expected .busy, got \(String(describing: error))"); return }
        #expect(error?.isStorageFault == true)
        try blocker.run("ROLLBACK")
        #expect(try store.markRunning(jobID: id).status == .running)
    }

    /// A read-only session (a hot standby, or `default_transaction_read_only`) refuses writes with `.readOnly`,
    /// still reads, and writes again once it is writable.
    @Test func aReadOnlySessionRefusesWritesWithAReadOnlyErrorAndStillReads() throws {
        let store = try PostgresJobStore(url: try PostgresTestDatabase.freshSchema(), connections: 1)
        let job = try store.create(spec: StoreFixtures.spec)
        try store.withConnectionForTesting { db throws(StoreError) in
            try db.run("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        }
        let error = #expect(throws: StoreError.self) { try store.markRunning(jobID: job.id) }
        guard case .readOnly = error else { Issue.record("expected .readOnly, got \(String(describing: error))"); return }
        #expect(error?.description.contains("read-only") == true)
        #expect(try store.job(id: job.id)?.status == .queued)
        try store.withConnectionForTesting { db throws(StoreError) in
            try db.run("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")
        }
        #expect(try store.markRunning(jobID: job.id).status == .running)
    }

    @Test func callsAfterCloseFailWithClosed() throws {
        let url = try PostgresTestDatabase.freshSchema()
        let store = try PostgresJobStore(url: url)
        store.close()
        #expect(throws: StoreError.closed(path: url.description)) { try store.job(id: "x") }
    }

    /// PostgreSQL text cannot hold U+0000; a failure message carrying one is still recorded.
    @Test func aNulCharacterInFreeTextIsReplacedNotRefused() throws {
        let store = try PostgresJobStore(url: try PostgresTestDatabase.freshSchema())
        let id = try store.create(spec: StoreFixtures.spec).id
        try store.markFinished(jobID: id, status: .failed, failure: "bad\u{0}name", relativeL2: nil)
        #expect(try store.job(id: id)?.failure == "bad\u{FFFD}name")
    }

    // MARK: Helpers

    /// Ends a session as a server shutdown would, and waits until it is gone.
    static func terminate(_ pid: Int32, _ admin: PostgresConnection) throws {
        _ = try admin.rows("SELECT pg_terminate_backend(\(Int(pid))::integer)") { _ in () }
        _ = try poll {
            try admin.rows("SELECT 1 FROM pg_stat_activity WHERE pid = \(Int(pid))") { _ in () }
                .isEmpty ? true : nil
        }
    }

    /// Retries `probe` every 10 ms until it returns a value (10 s at most).
    static func poll<T>(_ probe: () throws -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let value = try probe() { return value }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return try #require(try probe(), "timed out")
    }

    static func schema(of store: PostgresJobStore) throws -> String {
        var schema = ""
        try store.withConnectionForTesting { db throws(StoreError) in
            schema = try db.rows("SELECT current_schema()") { $0.text(0) ?? "" }.first ?? ""
        }
        return schema
    }
}

/// An error caught on another thread.
final class Outcome: Sendable {
    private let stored = Locked<StoreError?>(nil)
    func set(_ error: StoreError) { stored.withLock { $0 = error } }
    var error: StoreError? { stored.withLock { $0 } }
}

/// What needs no server: URLs shown without passwords, an unreachable server, SQLSTATEs as `StoreError`s.
@Suite struct PostgresErrorTests {
    @Test func passwordsAreNeverShown() throws {
        let url = try #require(PostgresURL("postgresql://pinn:s3cret@db.example:5432/jobs?sslmode=require&password=other"))
        #expect(url.description == "postgresql://pinn:***@db.example:5432/jobs?sslmode=require&password=***")
        #expect(url.hasPassword)
        let plain = try #require(PostgresURL("postgres:///jobs?host=/run/postgresql"))
        #expect(plain.description == plain.text && !plain.hasPassword)
        #expect(PostgresURL("/var/lib/pinn.sqlite") == nil && PostgresURL("mysql://x") == nil)
    }

    @Test func anUnreachableServerIsUnavailableAndNamedWithoutItsPassword() throws {
        let url = try #require(PostgresURL("postgresql://pinn:s3cret@/jobs?host=/nonexistent-pinn-socket-dir"))
        let error = #expect(throws: StoreError.self) { try PostgresJobStore(url: url) }
        guard case .unavailable = error else { Issue.record("expected .unavailable, got \(String(describing: error))"); return }
        let message = error?.description ?? ""
        #expect(message.contains("postgresql://pinn:***@/jobs") && message.contains("cannot be reached"))
        #expect(!message.contains("s3cret"))
        #expect(error?.isStorageFault == true)
    }

    @Test(arguments: [
        ("53100", "full"), ("25006", "readOnly"), ("55P03", "busy"), ("40001", "busy"), ("40P01", "busy"),
        ("57014", "busy"), ("57P01", "unavailable"), ("08006", "unavailable"), ("23505", "database"),
        ("42P01", "database"),
    ])
    func sqlStatesMapToTheirFaults(_ state: String, _ expected: String) {
        let error = StoreError.postgres(sqlState: state, connectionLost: false, path: "p", operation: "o", message: "m")
        #expect(Self.name(error) == expected)
        #expect(Self.name(.postgres(sqlState: state, connectionLost: true, path: "p", operation: "o", message: "m"))
                == "unavailable")
        #expect(Self.name(.postgres(sqlState: nil, connectionLost: false, path: "p", operation: "o", message: "m"))
                == "unavailable")
    }

    static func name(_ error: StoreError) -> String {
        switch error {
        case .full: "full"
        case .readOnly: "readOnly"
        case .busy: "busy"
        case .unavailable: "unavailable"
        case .database: "database"
        default: "other"
        }
    }
}
