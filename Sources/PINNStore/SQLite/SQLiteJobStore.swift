import Foundation
import Locking

/// A `JobStore` in one SQLite file (WAL journal), or in memory. One connection serves every thread, behind a
/// mutex: SQLite writes one transaction at a time anyway, and the service's writes (a batch of history every
/// few seconds per job, a status change) are short, so a connection pool would buy nothing but complexity.
///
/// The file is embedded: one server owns it. Leases work as in PostgreSQL (its workers claim, renew and are
/// fenced alike), except that opening the store voids every lease an earlier process left, so the jobs that
/// process was training resume at once instead of after their leases run out.
///
/// The queries are `SQLJobStore`'s, shared with `PostgresJobStore`; what is SQLite's own is here: opening the file
/// (WAL, its size cap), migrating it, and reopening a connection that a read-only file left read-only.
public final class SQLiteJobStore: SQLJobStore {
    private let connection: Locked<OpenFile>
    let decoder = JobRowDecoder()
    /// How many checkpoints per job survive a save (`SQLJobStore.checkpointsKept`).
    public let checkpointsKept: Int

    /// Opens (creating if needed, with its parent directories) the store at `path` and brings its schema up to
    /// date. `busyTimeout` is how long a write waits for another process holding the file before failing;
    /// `maxBytes` (0 = none) caps the file's size, past which writes fail with `StoreError.full` as on a full disk.
    public init(path: String, busyTimeout: Duration = .seconds(5), checkpointsKept: Int = 3,
                maxBytes: Int = 0) throws(StoreError) {
        precondition(checkpointsKept >= 1, "keep at least one checkpoint")
        if path != ":memory:" {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw .database(path: path, operation: "create directory \(directory.path)",
                                message: error.localizedDescription)
            }
        }
        let (seconds, attoseconds) = busyTimeout.components
        let settings = Settings(path: path, busyMilliseconds: Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000),
                                maxBytes: maxBytes)
        let db = try Self.open(settings)
        if !db.isReadOnly {
            try db.run("UPDATE jobs SET lease_expires_at = NULL WHERE status = 'running' AND lease_expires_at IS NOT NULL")
        }
        self.connection = Locked(OpenFile(db: db, settings: settings))
        self.checkpointsKept = checkpointsKept
    }

    /// What a connection is opened with, kept so that a read-only one can be opened again once the file is writable.
    private struct Settings {
        let path: String
        let busyMilliseconds: Int32
        var maxBytes: Int
    }

    /// The open connection with what reopening it needs.
    private struct OpenFile {
        var db: SQLiteConnection
        var settings: Settings
        var lastReopen: ContinuousClock.Instant?
    }

    private static func open(_ settings: Settings) throws(StoreError) -> SQLiteConnection {
        let db = try SQLiteConnection(path: settings.path)
        try db.setBusyTimeout(milliseconds: settings.busyMilliseconds)
        // WAL lets readers (HTTP handlers) proceed while a worker writes; with WAL, synchronous=NORMAL is still
        // crash-safe for the database and only risks the last transactions on power loss. (On a read-only file
        // SQLite opens it for reading: the pragmas then only read, and writes fail with `StoreError.readOnly`.)
        _ = try db.rows("PRAGMA journal_mode = WAL") { $0.text(0) }
        try db.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
        if !db.isReadOnly { try migrate(db) }
        try db.limitSize(bytes: settings.maxBytes)
        return db
    }

    /// Whether the file is open for reading only (it was read-only when opened); writes then fail until it is
    /// opened again, which the store does by itself once the file is writable.
    public var isReadOnly: Bool { connection.withLock { $0.db.isReadOnly } }

    /// A store that lives as long as this object: for tests, and for a service run without persistence.
    public static func inMemory(checkpointsKept: Int = 3) throws(StoreError) -> SQLiteJobStore {
        try SQLiteJobStore(path: ":memory:", checkpointsKept: checkpointsKept)
    }

    /// Changes the size cap of `init(maxBytes:)` while open (0 lifts it): "space returns" in the fault tests.
    func setMaxBytes(_ bytes: Int) throws(StoreError) {
        try connection.withLock { (connection: inout OpenFile) throws(StoreError) in
            connection.settings.maxBytes = bytes > 0 ? bytes : Int(Int32.max) * 4096
            try connection.db.limitSize(bytes: connection.settings.maxBytes)
        }
    }

    /// Runs `body` on the connection (for tests that put the file into a state a real fault would, e.g. read-only).
    func withConnectionForTesting(_ body: (SQLiteConnection) throws(StoreError) -> Void) throws(StoreError) {
        try withConnection { db throws(StoreError) in try body(db) }
    }


    /// Closes the file; later calls throw `StoreError.closed`. Dropping the store closes it too.
    public func close() {
        connection.withLock { $0.db.close() }
    }

    /// Runs the migrations the file has not seen, all in one transaction: a crash mid-way leaves the old version.
    /// The version is read inside the transaction so two processes opening a new file cannot both migrate it.
    static func migrate(_ db: SQLiteConnection) throws(StoreError) {
        try db.transaction { () throws(StoreError) in
            let version = try db.userVersion
            guard version <= JobStoreSchema.version else {
                throw .schemaTooNew(path: db.path, version: version, supported: JobStoreSchema.version)
            }
            guard version < JobStoreSchema.version else { return }
            for script in JobStoreSchema.migrations[version...] { try db.execute(script) }
            try db.setUserVersion(JobStoreSchema.version)
        }
    }

    /// The one connection, behind the mutex. A connection opened on a read-only file stays read-only: once the
    /// file is writable again (a remount), it is opened again, at most once a second, and `body` retried.
    func withConnection<T>(
        _ body: (SQLiteConnection) throws(StoreError) -> sending T
    ) throws(StoreError) -> sending T {
        try connection.withLock { (connection: inout OpenFile) throws(StoreError) -> sending T in
            do throws(StoreError) {
                return try body(connection.db)
            } catch {
                guard case .readOnly = error, connection.db.isReadOnly else { throw error }
                let now = ContinuousClock.now
                if let last = connection.lastReopen, now - last < .seconds(1) { throw error }
                connection.lastReopen = now
                // Close first: connections of one process share a file's lock and shared-memory state, which the
                // read-only handle would otherwise keep read-only for the new one too.
                connection.db.close()
                connection.db = try Self.open(connection.settings)
                guard !connection.db.isReadOnly else { throw error }
                return try body(connection.db)
            }
        }
    }
}
