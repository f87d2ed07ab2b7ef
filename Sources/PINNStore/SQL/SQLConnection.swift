/// What the store's shared queries (`SQLJobStore`) need of a database: statements, transactions, and the few
/// places where SQLite's and PostgreSQL's SQL differ — the dialect. Everything else is written once, in SQL both
/// accept (`ON CONFLICT … DO UPDATE`, `RETURNING`, `TRUE`, a derived table with an alias).
///
/// The dialect, and why each part differs:
/// - *Parameters*: `?` in SQLite, `$n` in PostgreSQL (`placeholder`).
/// - *The clock of leases*: SQLite has one server per file, whose clock is the one that matters; servers sharing a
///   PostgreSQL database read the database server's, so that they agree on when a lease runs out (`now`).
/// - *Transactions and locking*: an SQLite transaction holds the file's write lock from its start
///   (`BEGIN IMMEDIATE`), so nothing more is locked; PostgreSQL runs transactions concurrently, so a
///   read-then-write locks the job's row first (`beginTransaction`, `lockClause`).
/// - *A batch of history*: one prepared statement per row in SQLite (no round trips), one statement for the
///   whole batch in PostgreSQL, where every statement is a round trip (`insertHistory`).
protocol SQLConnection {
    associatedtype Row: StoredRow

    /// Runs one statement; returns how many rows it inserted, updated or deleted.
    @discardableResult func run(_ statement: SQLStatement) throws(StoreError) -> Int
    /// Runs one statement and maps each result row with `read`.
    func rows<T>(_ statement: SQLStatement, _ read: (Row) throws(StoreError) -> T) throws(StoreError) -> [T]

    // MARK: Dialect

    /// How the n-th parameter (from 1) is written in a statement's text.
    static func placeholder(_ n: Int) -> String
    /// The statement that opens a transaction (`transaction`).
    static var beginTransaction: SQLStatement { get }
    /// An expression for now, in the schema's unit (seconds since 2001-01-01), on the clock leases are kept by.
    static var now: SQLStatement { get }
    /// What follows a `SELECT` of jobs to lock the rows it returns for the rest of the transaction.
    static func lockClause(_ lock: RowLock) -> String
    /// Inserts a batch of one history's records for the job, replacing a stored (phase, iteration). `rows` holds no
    /// key twice (`HistoryRow.encode`).
    func insertHistory(_ rows: [HistoryRow], into table: HistoryTable, jobID: String) throws(StoreError)
}

extension SQLConnection {
    /// Runs `body` in one transaction: all of its writes land, or (on a thrown error) none do.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try run(Self.beginTransaction)
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            // The body's error is the one to report. If ROLLBACK fails too (the connection is gone), a PostgreSQL
            // connection is left outside an idle state, and its pool closes it instead of lending it again.
            _ = try? run("ROLLBACK")
            throw error
        }
    }
}

/// How strongly a transaction locks the job rows it reads (PostgreSQL's row locks; SQLite's transactions lock the
/// whole file instead). A transition changes the status, which claims and other transitions read, so it excludes
/// them (`update`); other writes only keep the row from changing under them or being deleted (`noKeyUpdate`); a
/// claim takes the first claimable row that no other claim holds (`updateSkippingLocked`), so concurrent claims
/// neither wait for each other nor get the same job.
enum RowLock {
    case update, noKeyUpdate, updateSkippingLocked
}
