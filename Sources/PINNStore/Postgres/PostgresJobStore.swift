import Foundation

/// A `JobStore` in a PostgreSQL database, which several servers can share. Same contract as `SQLiteJobStore` —
/// one test suite runs against both (Tests/PINNStoreTests) — the same tables (`PostgresSchema`) and the same
/// queries (`SQLJobStore`), in PostgreSQL's dialect (`PostgresConnection`'s conformance to `SQLConnection`).
///
/// Where SQLite takes its file's write lock for a whole transaction (`BEGIN IMMEDIATE`), PostgreSQL runs
/// transactions concurrently at read committed, so every read-then-write locks the job's row first (`RowLock`).
/// Work is distributed by `claim`: `SELECT … FOR UPDATE SKIP LOCKED` picks the next claimable job, skipping rows
/// that other servers' claims hold, so concurrent claims never wait for each other nor get the same job. Lease
/// times are read on the database server's clock (`PostgresConnection.now`), so servers whose clocks disagree
/// still agree on when a lease expires.
///
/// What is this store's own is here: connections come from a small pool (`PostgresConnectionPool`: why a pool,
/// and how a lost connection is survived), and the schema is migrated under an advisory lock (`PostgresSchema`).
public final class PostgresJobStore: SQLJobStore {
    /// How many checkpoints per job survive a save (`SQLJobStore.checkpointsKept`).
    public let checkpointsKept: Int
    /// The URL without its password.
    public let location: String
    private let pool: PostgresConnectionPool
    let decoder = JobRowDecoder()

    /// Connects to `url` and brings the schema up to date (waiting for another server that is migrating it).
    /// `connections` bounds this store's connections; `lockTimeout` bounds every wait for a lock or a free
    /// connection, past which a call fails with `StoreError.busy`. Throws `StoreError.unavailable` when the
    /// server cannot be reached.
    public init(url: PostgresURL, connections: Int = 4, lockTimeout: Duration = .seconds(5),
                checkpointsKept: Int = 3) throws(StoreError) {
        precondition(checkpointsKept >= 1, "keep at least one checkpoint")
        self.checkpointsKept = checkpointsKept
        location = url.description
        pool = PostgresConnectionPool(url: url, size: connections, lockTimeout: lockTimeout)
        try pool.withConnection { db throws(StoreError) in try PostgresSchema.migrate(db) }
    }

    /// Ends the store's sessions; later calls throw `StoreError.closed`. Dropping the store closes them too.
    public func close() { pool.close() }

    /// The server processes of the store's idle connections, so a test can end them from outside.
    var idleBackendPIDsForTesting: [Int32] { pool.idleBackendPIDs }
    var anyIdleConnectionUsableForTesting: Bool { pool.anyIdleConnectionUsable }

    /// Runs `body` on one of the store's connections (for tests that put the session into a state a real fault
    /// would, e.g. read-only).
    func withConnectionForTesting(_ body: (PostgresConnection) throws(StoreError) -> Void) throws(StoreError) {
        try pool.withConnection { db throws(StoreError) in try body(db) }
    }

    /// A connection of the pool, lent to this call alone.
    func withConnection<T>(
        _ body: (PostgresConnection) throws(StoreError) -> sending T
    ) throws(StoreError) -> sending T {
        try pool.withConnection(body)
    }
}
