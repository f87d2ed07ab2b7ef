import Foundation
import PINN

/// A `JobStore` in a PostgreSQL database, which several servers can share. Same contract as `SQLiteJobStore` —
/// one test suite runs against both (Tests/PINNStoreTests) — and the same tables (`PostgresSchema`).
///
/// Where SQLite takes its file's write lock for a whole transaction (`BEGIN IMMEDIATE`), PostgreSQL runs
/// transactions concurrently at read committed, so every read-then-write locks the job's row first: transitions
/// with `FOR UPDATE` (of two workers starting one job, the second waits, then sees it running and fails), history,
/// checkpoint and result writes with `FOR NO KEY UPDATE` (one lock per transaction, taken first, so no two writes
/// to a job can deadlock, and a concurrent delete cannot slip between the check and the insert).
///
/// Work is distributed by `claim`: `SELECT … FOR UPDATE SKIP LOCKED` picks the next claimable job, skipping rows
/// that other servers' claims hold, so concurrent claims never wait for each other nor get the same job. Lease
/// times are read on the database server's clock (`databaseNow`), so servers whose clocks disagree still agree
/// on when a lease expires.
///
/// Connections come from a small pool (`PostgresConnectionPool`: why a pool, and how a lost connection is
/// survived).
public final class PostgresJobStore: JobStore {
    /// How many checkpoints per job survive a save (as `SQLiteJobStore.checkpointsKept`).
    public let checkpointsKept: Int
    /// The URL without its password.
    public let location: String
    private let pool: PostgresConnectionPool
    private let decoder = JobRowDecoder()

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

    private func withConnection<T>(_ body: (PostgresConnection) throws(StoreError) -> T) throws(StoreError) -> T {
        try pool.withConnection(body)
    }

    // MARK: - Jobs

    private func jobs(_ db: PostgresConnection, where condition: String,
                      _ values: [PostgresValue]) throws(StoreError) -> [JobRecord] {
        try db.rows("SELECT \(JobRowDecoder.columns) FROM jobs WHERE \(condition)", values) { row throws(StoreError) in
            try decoder.job(from: row)
        }
    }

    public func create(spec: JobSpec, priority: Int, owner: String?, shared: Bool) throws(StoreError) -> JobRecord {
        let record = JobRecord.queued(spec: spec, priority: priority, owner: owner, shared: shared)
        let specJSON = try StoredJSON.encode(spec)
        _ = try withConnection { db throws(StoreError) in
            try db.run("""
                INSERT INTO jobs (id, status, priority, spec, created_at, total_iterations, owner, shared)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """,
                [.text(record.id), .text(record.status.rawValue), .integer(priority), .text(specJSON),
                 .real(record.createdAt.timeIntervalSinceReferenceDate), .integer(record.progress.totalIterations),
                 .text(owner), .boolean(shared)])
        }
        return record
    }

    public func job(id: String) throws(StoreError) -> JobRecord? {
        try withConnection { db throws(StoreError) in try self.jobs(db, where: "id = $1", [.text(id)]).first }
    }

    public func list(status: JobStatus?, visibility: JobVisibility, limit: Int,
                     offset: Int) throws(StoreError) -> [JobRecord] {
        let visible = visibility.postgresCondition(firstParameter: 2)
        let limitParameter = 2 + visible.values.count
        return try withConnection { db throws(StoreError) in
            try self.jobs(db, where: """
                ($1::text IS NULL OR status = $1) AND \(visible.text)
                ORDER BY created_at DESC, seq DESC LIMIT $\(limitParameter) OFFSET $\(limitParameter + 1)
                """, [.text(status?.rawValue)] + visible.values + [.integer(max(0, limit)), .integer(max(0, offset))])
        }
    }

    public func counts() throws(StoreError) -> [JobStatus: Int] {
        let rows = try withConnection { db throws(StoreError) in
            try db.rows("SELECT status, COUNT(*) FROM jobs GROUP BY status") { (status: $0.text(0) ?? "", count: $0.int(1)) }
        }
        return JobStatus.counts(rows)
    }

    public func nextQueued() throws(StoreError) -> JobRecord? {
        try withConnection { db throws(StoreError) in
            try self.jobs(db, where: "status = 'queued' ORDER BY priority DESC, created_at, seq LIMIT 1", []).first
        }
    }

    public func interruptedJobs() throws(StoreError) -> [JobRecord] {
        try withConnection { db throws(StoreError) in
            try self.jobs(db, where: "status = 'running' ORDER BY created_at, seq", [])
        }
    }

    @discardableResult
    public func delete(jobID: String) throws(StoreError) -> Bool {
        // Histories, checkpoints and the result go with the job through ON DELETE CASCADE.
        decoder.forget([jobID])
        return try withConnection { db throws(StoreError) in
            try db.run("DELETE FROM jobs WHERE id = $1", [.text(jobID)]) > 0
        }
    }

    public func purgeFinished(keep: Int?, finishedBefore: Date?) throws(StoreError) -> [String] {
        let ids = try withConnection { db throws(StoreError) in
            // LIMIT NULL is PostgreSQL's "no limit"; a NULL cut-off compares as unknown, so it selects nothing.
            try db.rows("""
                SELECT id FROM jobs WHERE status IN ('succeeded', 'failed', 'cancelled') AND (finished_at < $1
                    OR id NOT IN (SELECT id FROM jobs WHERE status IN ('succeeded', 'failed', 'cancelled')
                                  ORDER BY finished_at DESC, seq DESC LIMIT $2))
                ORDER BY finished_at, seq
                """, [.real(finishedBefore?.timeIntervalSinceReferenceDate), .integer(keep.map { Int64(max(0, $0)) })]) {
                $0.text(0) ?? ""
            }
        }
        // In batches, so a purge of thousands of jobs is not one long transaction holding their rows.
        var deleted: [String] = []
        for start in stride(from: 0, to: ids.count, by: 200) {
            let batch = Array(ids[start..<min(ids.count, start + 200)])
            try withConnection { db throws(StoreError) in
                try db.transaction { () throws(StoreError) in
                    for id in batch { try db.run("DELETE FROM jobs WHERE id = $1", [.text(id)]) }
                }
            }
            decoder.forget(batch)
            deleted += batch
        }
        return deleted
    }

    // MARK: - Work distribution

    /// Now on the database server's clock, in the schema's unit (seconds since 2001-01-01; 978307200 is that date
    /// as a Unix time). `clock_timestamp()`, not `now()`, which stands still for a whole transaction.
    static let databaseNow = "(EXTRACT(EPOCH FROM clock_timestamp())::DOUBLE PRECISION - 978307200)"

    public func claim(holder: String, for duration: Duration) throws(StoreError) -> JobClaim? {
        try withConnection { db throws(StoreError) -> JobClaim? in
            try db.transaction { () throws(StoreError) -> JobClaim? in
                // Running jobs without a live lease first (oldest first), then the queue (priority, then oldest).
                guard let (id, status) = try db.rows("""
                    SELECT id, status FROM jobs
                    WHERE status = 'queued'
                       OR (status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < \(Self.databaseNow)))
                    ORDER BY status = 'running' DESC, CASE WHEN status = 'running' THEN 0 ELSE priority END DESC,
                             created_at, seq
                    LIMIT 1 FOR UPDATE SKIP LOCKED
                    """, [], { ($0.text(0) ?? "", $0.text(1)) }).first else {
                    return nil
                }
                let claimed = try db.rows("""
                    UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, $2), lease_holder = $3,
                                    lease_token = lease_token + 1, lease_expires_at = \(Self.databaseNow) + $4
                    WHERE id = $1
                    RETURNING \(JobRowDecoder.columns), lease_token
                    """, [.text(id), .real(Date().timeIntervalSinceReferenceDate), .text(holder),
                          .real(duration.inSeconds)]) { row throws(StoreError) in
                    (try self.decoder.job(from: row), row.int(16))
                }
                guard let (job, token) = claimed.first else { throw .notFound(jobID: id) }
                return JobClaim(job: job, lease: JobLease(jobID: id, holder: holder, token: token),
                                resumed: status == JobStatus.running.rawValue)
            }
        }
    }

    public func renew(_ lease: JobLease, for duration: Duration) throws(StoreError) {
        let renewed = try withConnection { db throws(StoreError) in
            try db.run("""
                UPDATE jobs SET lease_expires_at = \(Self.databaseNow) + $3
                WHERE id = $1 AND lease_token = $2 AND status = 'running'
                """, [.text(lease.jobID), .integer(lease.token), .real(duration.inSeconds)])
        }
        if renewed == 0 { throw .leaseLost(jobID: lease.jobID) }
    }

    public func release(_ lease: JobLease) throws(StoreError) {
        _ = try withConnection { db throws(StoreError) in
            try db.run("UPDATE jobs SET lease_expires_at = NULL WHERE id = $1 AND lease_token = $2 AND status = 'running'",
                       [.text(lease.jobID), .integer(lease.token)])
        }
    }

    // MARK: - Status and progress

    @discardableResult
    public func markRunning(jobID: String) throws(StoreError) -> JobRecord {
        try transition(jobID, to: .running, fence: nil, "started_at = $2", [.real(Date().timeIntervalSinceReferenceDate)])
    }

    @discardableResult
    public func markFinished(jobID: String, status: JobStatus, failure: String?,
                             relativeL2: Double?, fence: JobLease?) throws(StoreError) -> JobRecord {
        guard status.isTerminal else {
            guard let current = try job(id: jobID) else { throw .notFound(jobID: jobID) }
            throw .invalidTransition(jobID: jobID, from: current.status, to: status)
        }
        // A job that never reported an error keeps the one it has (e.g. from a mid-training evaluation).
        return try transition(jobID, to: status, fence: fence, "finished_at = $2, failure = $3, relative_l2 = COALESCE($4, relative_l2)",
                              [.real(Date().timeIntervalSinceReferenceDate), .text(failure), .real(relativeL2)])
    }

    /// Locks the job's row, checks the lease and the edge against it and applies the edge, in one transaction.
    /// `assignments` use $2, $3, … for `values` ($1 is the new status; the job's id comes last). A change made
    /// without the lease (the API cancelling) advances the fencing token, as in SQLite.
    private func transition(_ jobID: String, to next: JobStatus, fence: JobLease?, _ assignments: String,
                            _ values: [PostgresValue]) throws(StoreError) -> JobRecord {
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                let current = try Self.lockJob(jobID, fence: fence, for: .update, in: db)
                guard current.allowsTransition(to: next) else {
                    throw .invalidTransition(jobID: jobID, from: current, to: next)
                }
                let updated = try db.rows("""
                    UPDATE jobs SET status = $1, \(assignments)\(fence == nil ? ", lease_token = lease_token + 1" : "")
                    WHERE id = $\(values.count + 2)
                    RETURNING \(JobRowDecoder.columns)
                    """, [.text(next.rawValue)] + values + [.text(jobID)]) { row throws(StoreError) in
                    try self.decoder.job(from: row)
                }
                guard let record = updated.first else { throw .notFound(jobID: jobID) }
                return record
            }
        }
    }

    public func updateProgress(jobID: String, _ progress: JobProgress, fence: JobLease?) throws(StoreError) {
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try Self.lockJob(jobID, fence: fence, in: db)
                try db.run("UPDATE jobs SET phase = $1, iteration = $2, total_iterations = $3 WHERE id = $4",
                           [.integer(progress.phase), .integer(progress.iteration), .integer(progress.totalIterations),
                            .text(jobID)])
            }
        }
    }

    // MARK: - Histories

    public func appendLosses(jobID: String, _ records: [LossRecord], termNames: [String],
                             fence: JobLease?) throws(StoreError) {
        let latest = try records.last.map { (last) throws(StoreError) in
            try StoredJSON.encode(LatestLoss(last, termNames: termNames))
        }
        try append(.losses, jobID: jobID, records, fence: fence, key: { ($0.phase, $0.iteration) }) { db throws(StoreError) in
            if let latest {
                try db.run("UPDATE jobs SET latest_loss = $1 WHERE id = $2", [.text(latest), .text(jobID)])
            }
        }
    }

    public func appendSlopes(jobID: String, _ records: [SlopeRecord], fence: JobLease?) throws(StoreError) {
        try append(.slopes, jobID: jobID, records, fence: fence, key: { ($0.phase, $0.iteration) })
    }

    public func appendErrors(jobID: String, _ records: [ErrorRecord], fence: JobLease?) throws(StoreError) {
        let latest = try records.last.map { (last) throws(StoreError) in try StoredJSON.encode(last) }
        try append(.errors, jobID: jobID, records, fence: fence, key: { ($0.phase, $0.iteration) }) { db throws(StoreError) in
            if let latest, let error = records.last?.relativeL2 {
                try db.run("UPDATE jobs SET latest_error = $1, relative_l2 = $2 WHERE id = $3",
                           [.text(latest), .real(error), .text(jobID)])
            }
        }
    }

    public func losses(jobID: String, from: Int, every: Int) throws(StoreError) -> [LossRecord] {
        try history(.losses, jobID: jobID, from: from, every: every)
    }

    public func slopes(jobID: String, from: Int, every: Int) throws(StoreError) -> [SlopeRecord] {
        try history(.slopes, jobID: jobID, from: from, every: every)
    }

    public func errors(jobID: String, from: Int, every: Int) throws(StoreError) -> [ErrorRecord] {
        try history(.errors, jobID: jobID, from: from, every: every)
    }

    /// Encodes outside the connection, then writes the whole batch as one statement — a JSON array of
    /// {phase, iteration, record} unpacked by `json_to_recordset`, so a batch costs one round trip whatever its
    /// size — with `alsoInTransaction`, in one transaction. A stored (phase, iteration) is replaced, as SQLite's
    /// INSERT OR REPLACE does; `HistoryRow.encode` keeps a batch free of repeated keys, which ON CONFLICT
    /// could not apply twice.
    private func append<R: Encodable>(_ table: HistoryTable, jobID: String, _ records: [R], fence: JobLease?,
                                      key: (R) -> (phase: Int, iteration: Int),
                                      alsoInTransaction: (PostgresConnection) throws(StoreError) -> Void = { _ in }
    ) throws(StoreError) {
        guard !records.isEmpty else { return }
        let batch = try StoredJSON.encode(HistoryRow.encode(records, key: key))
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try Self.lockJob(jobID, fence: fence, in: db)
                try db.run("""
                    INSERT INTO \(table.rawValue) (job_id, phase, iteration, record)
                    SELECT $1, row.phase, row.iteration, row.record
                    FROM json_to_recordset($2::json) AS row (phase BIGINT, iteration BIGINT, record TEXT)
                    ON CONFLICT (job_id, iteration, phase) DO UPDATE SET record = EXCLUDED.record
                    """, [.text(jobID), .text(batch)])
                try alsoInTransaction(db)
            }
        }
    }

    private func history<R: Decodable>(_ table: HistoryTable, jobID: String, from: Int,
                                       every: Int) throws(StoreError) -> [R] {
        let texts = try withConnection { db throws(StoreError) in
            // n numbers the matching rows from 0; the last row (n = count - 1) is kept whatever `every` is.
            try db.rows("""
                SELECT record FROM (
                    SELECT record, iteration, phase,
                           ROW_NUMBER() OVER (ORDER BY iteration, phase) - 1 AS n,
                           COUNT(*) OVER () AS count
                    FROM \(table.rawValue) WHERE job_id = $1 AND iteration >= $2) AS matching
                WHERE n % $3 = 0 OR n = count - 1
                ORDER BY iteration, phase
                """, [.text(jobID), .integer(from), .integer(max(1, every))]) { $0.text(0) ?? "" }
        }
        return try HistoryRow.decode(texts, jobID: jobID)
    }

    /// Locks the job's row for the rest of the transaction (it is about to be written, or rows referring to it
    /// are) and returns its status, or throws `notFound`; with a fence, `leaseLost` unless the job's latest claim
    /// is that lease.
    @discardableResult
    private static func lockJob(_ jobID: String, fence: JobLease?, for strength: RowLock = .noKeyUpdate,
                                in db: PostgresConnection) throws(StoreError) -> JobStatus {
        guard let (status, token) = try db.rows("SELECT status, lease_token FROM jobs WHERE id = $1 FOR \(strength.rawValue)",
                                                [.text(jobID)], {
            ($0.text(0).flatMap(JobStatus.init(rawValue:)), $0.int(1))
        }).first else {
            throw .notFound(jobID: jobID)
        }
        guard let status else { throw .corrupt(jobID: jobID, detail: "unknown status") }
        if let fence {
            precondition(fence.jobID == jobID, "a lease fences writes of its own job only")
            guard token == fence.token else { throw .leaseLost(jobID: jobID) }
        }
        return status
    }

    /// How strongly a write locks its job's row: a transition changes the status (which claims and other
    /// transitions read), so it excludes them (`FOR UPDATE`); other writes only keep the row from changing under
    /// them or being deleted (`FOR NO KEY UPDATE`).
    private enum RowLock: String {
        case update = "UPDATE"
        case noKeyUpdate = "NO KEY UPDATE"
    }

    // MARK: - Checkpoints and results

    public func saveCheckpoint(jobID: String, iteration: Int, blob: Data, fence: JobLease?) throws(StoreError) {
        let kept = checkpointsKept
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try Self.lockJob(jobID, fence: fence, in: db)
                try db.run("""
                    INSERT INTO checkpoints (job_id, iteration, saved_at, data) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (job_id, iteration) DO UPDATE SET saved_at = EXCLUDED.saved_at, data = EXCLUDED.data
                    """, [.text(jobID), .integer(iteration), .real(Date().timeIntervalSinceReferenceDate), .blob(blob)])
                try db.run("""
                    DELETE FROM checkpoints WHERE job_id = $1 AND iteration NOT IN (
                        SELECT iteration FROM checkpoints WHERE job_id = $1 ORDER BY iteration DESC LIMIT $2)
                    """, [.text(jobID), .integer(kept)])
            }
        }
    }

    public func latestCheckpoint(jobID: String) throws(StoreError) -> (iteration: Int, blob: Data)? {
        let rows = try withConnection { db throws(StoreError) in
            try db.rows("SELECT iteration, data FROM checkpoints WHERE job_id = $1 ORDER BY iteration DESC LIMIT 1",
                        [.text(jobID)]) { ($0.int(0), $0.blob(1) ?? Data()) }
        }
        return rows.first.map { (iteration: $0.0, blob: $0.1) }
    }

    public func saveResult(jobID: String, parameters: [Double], solution: Data?,
                           fence: JobLease?) throws(StoreError) {
        let encoded = ParameterEncoding.encode(parameters)
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try Self.lockJob(jobID, fence: fence, in: db)
                try db.run("""
                    INSERT INTO results (job_id, saved_at, parameters, solution) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (job_id) DO UPDATE
                    SET saved_at = EXCLUDED.saved_at, parameters = EXCLUDED.parameters, solution = EXCLUDED.solution
                    """, [.text(jobID), .real(Date().timeIntervalSinceReferenceDate), .blob(encoded), .blob(solution)])
            }
        }
    }

    public func result(jobID: String) throws(StoreError) -> JobResult? {
        let rows = try withConnection { db throws(StoreError) in
            try db.rows("SELECT saved_at, parameters, solution FROM results WHERE job_id = $1", [.text(jobID)]) {
                ($0.double(0) ?? 0, $0.blob(1) ?? Data(), $0.blob(2))
            }
        }
        guard let (savedAt, parameters, solution) = rows.first else { return nil }
        return JobResult(parameters: try ParameterEncoding.decode(parameters, jobID: jobID), solution: solution,
                         savedAt: Date(timeIntervalSinceReferenceDate: savedAt))
    }
}
