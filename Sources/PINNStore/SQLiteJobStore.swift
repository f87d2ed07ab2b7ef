import Foundation
import PINN
import Locking

/// A `JobStore` in one SQLite file (WAL journal), or in memory. One connection serves every thread, behind a
/// mutex: SQLite writes one transaction at a time anyway, and the service's writes (a batch of history every
/// few seconds per job, a status change) are short, so a connection pool would buy nothing but complexity.
///
/// The file is embedded: one server owns it. Leases work as in PostgreSQL (its workers claim, renew and are
/// fenced alike), except that opening the store voids every lease an earlier process left, so the jobs that
/// process was training resume at once instead of after their leases run out.
public final class SQLiteJobStore: JobStore {
    private let connection: Locked<Connection>
    private let decoder = JobRowDecoder()
    /// How many checkpoints per job survive a save; more than one, so a checkpoint torn by a crash mid-write
    /// (which SQLite prevents, but a bug in the encoder might not) still leaves an older one to resume from.
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
        self.connection = Locked(Connection(db: db, settings: settings))
        self.checkpointsKept = checkpointsKept
    }

    /// What a connection is opened with, kept so that a read-only one can be opened again once the file is writable.
    private struct Settings {
        let path: String
        let busyMilliseconds: Int32
        var maxBytes: Int
    }

    private struct Connection {
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
        try connection.withLock { (connection: inout Connection) throws(StoreError) in
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

    private func withConnection<T>(
        _ body: (SQLiteConnection) throws(StoreError) -> sending T
    ) throws(StoreError) -> sending T {
        try connection.withLock { (connection: inout Connection) throws(StoreError) -> sending T in
            do throws(StoreError) {
                return try body(connection.db)
            } catch {
                // A connection opened on a read-only file stays read-only: once the file is writable again (a
                // remount), open it again, at most once a second, and retry.
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

    // MARK: - Jobs

    private func jobs(_ db: SQLiteConnection, where condition: String,
                             _ values: [SQLiteValue]) throws(StoreError) -> [JobRecord] {
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
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(record.id), .text(record.status.rawValue), .integer(priority), .text(specJSON),
                 .real(record.createdAt.timeIntervalSinceReferenceDate), .integer(record.progress.totalIterations),
                 .text(owner), .integer(shared ? 1 : 0)])
        }
        return record
    }

    public func job(id: String) throws(StoreError) -> JobRecord? {
        try withConnection { db throws(StoreError) in try self.jobs(db, where: "id = ?", [.text(id)]).first }
    }

    public func list(status: JobStatus?, visibility: JobVisibility, limit: Int,
                     offset: Int) throws(StoreError) -> [JobRecord] {
        let visible = visibility.sqlCondition
        return try withConnection { db throws(StoreError) in
            try self.jobs(db, where: "(? IS NULL OR status = ?) AND \(visible.text) ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?",
                          [.text(status?.rawValue), .text(status?.rawValue)] + visible.values
                            + [.integer(max(0, limit)), .integer(max(0, offset))])
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
        return try withConnection { db throws(StoreError) in try db.run("DELETE FROM jobs WHERE id = ?", [.text(jobID)]) > 0 }
    }

    public func purgeFinished(keep: Int?, finishedBefore: Date?) throws(StoreError) -> [String] {
        let ids = try withConnection { db throws(StoreError) in
            // LIMIT -1 is SQLite's "no limit"; a NULL cut-off compares as unknown, so it selects nothing.
            try db.rows("""
                SELECT id FROM jobs WHERE status IN ('succeeded', 'failed', 'cancelled') AND (finished_at < ?1
                    OR id NOT IN (SELECT id FROM jobs WHERE status IN ('succeeded', 'failed', 'cancelled')
                                  ORDER BY finished_at DESC, seq DESC LIMIT ?2))
                ORDER BY finished_at, seq
                """, [.real(finishedBefore?.timeIntervalSinceReferenceDate), .integer(keep.map { max(0, $0) } ?? -1)]) {
                $0.text(0) ?? ""
            }
        }
        // In batches, so a purge of thousands of jobs does not hold the write lock against a training job's flush.
        var deleted: [String] = []
        for start in stride(from: 0, to: ids.count, by: 200) {
            let batch = Array(ids[start..<min(ids.count, start + 200)])
            try withConnection { db throws(StoreError) in
                try db.transaction { () throws(StoreError) in
                    for id in batch { try db.run("DELETE FROM jobs WHERE id = ?", [.text(id)]) }
                }
            }
            decoder.forget(batch)
            deleted += batch
        }
        return deleted
    }

    // MARK: - Work distribution

    /// Running jobs without a live lease first (oldest first), then the queue (highest priority, then oldest).
    static let claimable = """
        status = 'queued' OR (status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < ?))
        ORDER BY status = 'running' DESC, CASE WHEN status = 'running' THEN 0 ELSE priority END DESC, created_at, seq
        """

    public func claim(holder: String, for duration: Duration) throws(StoreError) -> JobClaim? {
        try withConnection { db throws(StoreError) -> JobClaim? in
            try db.transaction { () throws(StoreError) -> JobClaim? in
                let now = Date().timeIntervalSinceReferenceDate
                guard let (id, status) = try db.rows("SELECT id, status FROM jobs WHERE \(Self.claimable) LIMIT 1",
                                                     [.real(now)], { ($0.text(0) ?? "", $0.text(1)) }).first else {
                    return nil
                }
                try db.run("""
                    UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, ?), lease_holder = ?,
                                    lease_token = lease_token + 1, lease_expires_at = ?
                    WHERE id = ?
                    """, [.real(now), .text(holder), .real(now + duration.inSeconds), .text(id)])
                let claimed = try db.rows("SELECT \(JobRowDecoder.columns), lease_token FROM jobs WHERE id = ?",
                                          [.text(id)]) { row throws(StoreError) in
                    (try decoder.job(from: row), row.int(16))
                }
                guard let (job, token) = claimed.first else { throw .notFound(jobID: id) }
                return JobClaim(job: job, lease: JobLease(jobID: id, holder: holder, token: token),
                                resumed: status == JobStatus.running.rawValue)
            }
        }
    }

    public func renew(_ lease: JobLease, for duration: Duration) throws(StoreError) {
        let renewed = try withConnection { db throws(StoreError) in
            try db.run("UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND lease_token = ? AND status = 'running'",
                       [.real(Date().timeIntervalSinceReferenceDate + duration.inSeconds), .text(lease.jobID),
                        .integer(lease.token)])
        }
        if renewed == 0 { throw .leaseLost(jobID: lease.jobID) }
    }

    public func release(_ lease: JobLease) throws(StoreError) {
        _ = try withConnection { db throws(StoreError) in
            try db.run("UPDATE jobs SET lease_expires_at = NULL WHERE id = ? AND lease_token = ? AND status = 'running'",
                       [.text(lease.jobID), .integer(lease.token)])
        }
    }

    // MARK: - Status and progress

    @discardableResult
    public func markRunning(jobID: String) throws(StoreError) -> JobRecord {
        try transition(jobID, to: .running, fence: nil, "started_at = ?", [.real(Date().timeIntervalSinceReferenceDate)])
    }

    @discardableResult
    public func markFinished(jobID: String, status: JobStatus, failure: String?,
                             relativeL2: Double?, fence: JobLease?) throws(StoreError) -> JobRecord {
        guard status.isTerminal else {
            guard let current = try job(id: jobID) else { throw .notFound(jobID: jobID) }
            throw .invalidTransition(jobID: jobID, from: current.status, to: status)
        }
        // A job that never reported an error keeps the one it has (e.g. from a mid-training evaluation).
        return try transition(jobID, to: status, fence: fence,
                              "finished_at = ?, failure = ?, relative_l2 = COALESCE(?, relative_l2)",
                              [.real(Date().timeIntervalSinceReferenceDate), .text(failure), .real(relativeL2)])
    }

    /// Checks the lease and the edge against the stored job and applies it in one transaction, so two workers
    /// racing to start the same job cannot both succeed. A change made without the lease (the API cancelling)
    /// advances the fencing token, so the job's holder, wherever it runs, can write nothing more for it; its own
    /// end keeps the token, so the history it still holds can follow.
    private func transition(_ jobID: String, to next: JobStatus, fence: JobLease?, _ assignments: String,
                            _ values: [SQLiteValue]) throws(StoreError) -> JobRecord {
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                let current = try Self.requireJob(jobID, fence: fence, in: db)
                guard current.allowsTransition(to: next) else {
                    throw .invalidTransition(jobID: jobID, from: current, to: next)
                }
                let fencing = fence == nil ? ", lease_token = lease_token + 1" : ""
                try db.run("UPDATE jobs SET status = ?, \(assignments)\(fencing) WHERE id = ?",
                           [.text(next.rawValue)] + values + [.text(jobID)])
                guard let record = try self.jobs(db, where: "id = ?", [.text(jobID)]).first else {
                    throw .notFound(jobID: jobID)
                }
                return record
            }
        }
    }

    public func updateProgress(jobID: String, _ progress: JobProgress, fence: JobLease?) throws(StoreError) {
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try Self.requireJob(jobID, fence: fence, in: db)
                try db.run("UPDATE jobs SET phase = ?, iteration = ?, total_iterations = ? WHERE id = ?",
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
                try db.run("UPDATE jobs SET latest_loss = ? WHERE id = ?", [.text(latest), .text(jobID)])
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
                try db.run("UPDATE jobs SET latest_error = ?, relative_l2 = ? WHERE id = ?",
                           [.text(latest), .real(error), .text(jobID)])
            }
        }
    }

    public func errors(jobID: String, from: Int, every: Int) throws(StoreError) -> [ErrorRecord] {
        try history(.errors, jobID: jobID, from: from, every: every)
    }

    public func losses(jobID: String, from: Int, every: Int) throws(StoreError) -> [LossRecord] {
        try history(.losses, jobID: jobID, from: from, every: every)
    }

    public func slopes(jobID: String, from: Int, every: Int) throws(StoreError) -> [SlopeRecord] {
        try history(.slopes, jobID: jobID, from: from, every: every)
    }

    /// Encodes outside the lock, then writes the whole batch (and `alsoInTransaction`) in one transaction.
    private func append<R: Encodable>(_ table: HistoryTable, jobID: String, _ records: [R], fence: JobLease?,
                                      key: (R) -> (phase: Int, iteration: Int),
                                      alsoInTransaction: (SQLiteConnection) throws(StoreError) -> Void = { _ in }
    ) throws(StoreError) {
        guard !records.isEmpty else { return }
        let rows = try HistoryRow.encode(records, key: key)
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try Self.requireJob(jobID, fence: fence, in: db)
                for row in rows {
                    try db.run("""
                        INSERT OR REPLACE INTO \(table.rawValue) (job_id, phase, iteration, record) VALUES (?, ?, ?, ?)
                        """, [.text(jobID), .integer(row.phase), .integer(row.iteration), .text(row.record)])
                }
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
                    FROM \(table.rawValue) WHERE job_id = ? AND iteration >= ?)
                WHERE n % ? = 0 OR n = count - 1
                ORDER BY iteration, phase
                """, [.text(jobID), .integer(from), .integer(max(1, every))]) { $0.text(0) ?? "" }
        }
        return try HistoryRow.decode(texts, jobID: jobID)
    }

    /// The job's status, or `notFound`; with a fence, `leaseLost` unless the job's latest claim is that lease.
    @discardableResult
    private static func requireJob(_ jobID: String, fence: JobLease?,
                                   in db: SQLiteConnection) throws(StoreError) -> JobStatus {
        guard let (status, token) = try db.rows("SELECT status, lease_token FROM jobs WHERE id = ?", [.text(jobID)], {
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

    // MARK: - Checkpoints and results

    public func saveCheckpoint(jobID: String, iteration: Int, blob: Data, fence: JobLease?) throws(StoreError) {
        let kept = checkpointsKept
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try Self.requireJob(jobID, fence: fence, in: db)
                try db.run("INSERT OR REPLACE INTO checkpoints (job_id, iteration, saved_at, data) VALUES (?, ?, ?, ?)",
                           [.text(jobID), .integer(iteration), .real(Date().timeIntervalSinceReferenceDate),
                            .blob(blob)])
                try db.run("""
                    DELETE FROM checkpoints WHERE job_id = ?1 AND iteration NOT IN (
                        SELECT iteration FROM checkpoints WHERE job_id = ?1 ORDER BY iteration DESC LIMIT ?2)
                    """, [.text(jobID), .integer(kept)])
            }
        }
    }

    public func latestCheckpoint(jobID: String) throws(StoreError) -> (iteration: Int, blob: Data)? {
        let rows = try withConnection { db throws(StoreError) in
            try db.rows("SELECT iteration, data FROM checkpoints WHERE job_id = ? ORDER BY iteration DESC LIMIT 1",
                        [.text(jobID)]) { ($0.int(0), $0.blob(1) ?? Data()) }
        }
        return rows.first.map { (iteration: $0.0, blob: $0.1) }
    }

    public func saveResult(jobID: String, parameters: [Double], solution: Data?,
                           fence: JobLease?) throws(StoreError) {
        let encoded = ParameterEncoding.encode(parameters)
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try Self.requireJob(jobID, fence: fence, in: db)
                try db.run("INSERT OR REPLACE INTO results (job_id, saved_at, parameters, solution) VALUES (?, ?, ?, ?)",
                           [.text(jobID), .real(Date().timeIntervalSinceReferenceDate), .blob(encoded),
                            .blob(solution)])
            }
        }
    }

    public func result(jobID: String) throws(StoreError) -> JobResult? {
        let rows = try withConnection { db throws(StoreError) in
            try db.rows("SELECT saved_at, parameters, solution FROM results WHERE job_id = ?", [.text(jobID)]) {
                ($0.double(0) ?? 0, $0.blob(1) ?? Data(), $0.blob(2))
            }
        }
        guard let (savedAt, parameters, solution) = rows.first else { return nil }
        return JobResult(parameters: try ParameterEncoding.decode(parameters, jobID: jobID), solution: solution,
                         savedAt: Date(timeIntervalSinceReferenceDate: savedAt))
    }
}
