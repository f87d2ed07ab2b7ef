import Foundation
import PINN

/// The `JobStore` contract written once over SQL: every query, transition and history write of both stores, over a
/// connection that supplies the dialect (`SQLConnection`: parameters, the clock of leases, row locks, a batch of
/// history). A store provides what is its own — how it opens, migrates, lends and recovers its connections — and
/// conforms; `SQLiteJobStore` and `PostgresJobStore` are the two.
///
/// Every read-then-write runs in one transaction that first reads the job with `lockJob`: in SQLite the
/// transaction holds the file's write lock from its start; in PostgreSQL the read locks the job's row, so of two
/// workers starting one job the second waits, then sees it running and fails, and no delete can slip between the
/// check and the write. One lock per transaction, taken first, so no two writes to a job can deadlock.
protocol SQLJobStore: JobStore {
    associatedtype Connection: SQLConnection

    /// How many checkpoints per job survive a save; more than one, so a checkpoint torn by a crash mid-write (which
    /// the databases prevent, but a bug in the encoder might not) still leaves an older one to resume from.
    var checkpointsKept: Int { get }
    var decoder: JobRowDecoder { get }
    /// Runs `body` on one of the store's connections, which no other thread uses meanwhile.
    func withConnection<T>(_ body: (Connection) throws(StoreError) -> sending T) throws(StoreError) -> sending T
}

// MARK: - Jobs

extension SQLJobStore {
    public func create(spec: JobSpec, priority: Int, owner: String?, shared: Bool) throws(StoreError) -> JobRecord {
        let record = JobRecord.queued(spec: spec, priority: priority, owner: owner, shared: shared)
        let specJSON = try StoredJSON.encode(spec)
        try withConnection { db throws(StoreError) in try Self.insert(record, specJSON: specJSON, into: db) }
        return record
    }

    /// Writes a new job's row (`create`, and a study's jobs in the study's transaction).
    static func insert(_ record: JobRecord, specJSON: String, into db: Connection) throws(StoreError) {
        try db.run("""
            INSERT INTO jobs (id, status, priority, spec, created_at, total_iterations, owner, shared)
            VALUES (\(record.id), \(record.status.rawValue), \(record.priority), \(specJSON),
                    \(record.createdAt.timeIntervalSinceReferenceDate), \(record.progress.totalIterations),
                    \(record.owner), \(record.shared))
            """)
    }

    public func job(id: String) throws(StoreError) -> JobRecord? {
        try withConnection { db throws(StoreError) in try jobs(db, where: "id = \(id)").first }
    }

    public func list(status: JobStatus?, visibility: JobVisibility, limit: Int,
                     offset: Int) throws(StoreError) -> [JobRecord] {
        try withConnection { db throws(StoreError) in
            try jobs(db, where: """
                (\(status?.rawValue) IS NULL OR status = \(status?.rawValue)) AND \(Self.condition(visibility))
                ORDER BY created_at DESC, seq DESC LIMIT \(max(0, limit)) OFFSET \(max(0, offset))
                """)
        }
    }

    /// `JobVisibility.admits` as a condition on the jobs table. (`owner = NULL` is never true, so an anonymous
    /// caller matches no owner; `shared` is a boolean in PostgreSQL and 0 or 1 in SQLite, a condition in both.)
    static func condition(_ visibility: JobVisibility) -> SQLStatement {
        switch visibility {
        case .everyJob: "TRUE"
        case .visibleTo(let owner): "(owner IS NULL OR shared OR owner = \(owner))"
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
            try jobs(db, where: "status = 'queued' ORDER BY priority DESC, created_at, seq LIMIT 1").first
        }
    }

    public func interruptedJobs() throws(StoreError) -> [JobRecord] {
        try withConnection { db throws(StoreError) in try jobs(db, where: "status = 'running' ORDER BY created_at, seq") }
    }

    @discardableResult
    public func delete(jobID: String) throws(StoreError) -> Bool {
        // Histories, checkpoints and the result go with the job through ON DELETE CASCADE.
        decoder.forget([jobID])
        return try withConnection { db throws(StoreError) in try db.run("DELETE FROM jobs WHERE id = \(jobID)") > 0 }
    }

    public func purgeFinished(keep: Int?, finishedBefore: Date?) throws(StoreError) -> [String] {
        let finished = "status IN ('succeeded', 'failed', 'cancelled')"
        // A NULL cut-off compares as unknown, so it selects nothing; no `keep`, no limit of that kind.
        let beyondKept: SQLStatement = keep.map { keep in
            "OR id NOT IN (SELECT id FROM jobs WHERE \(sql: finished) ORDER BY finished_at DESC, seq DESC LIMIT \(max(0, keep)))"
        } ?? ""
        let ids = try withConnection { db throws(StoreError) in
            try db.rows("""
                SELECT id FROM jobs
                WHERE \(sql: finished) AND (finished_at < \(finishedBefore?.timeIntervalSinceReferenceDate) \(beyondKept))
                ORDER BY finished_at, seq
                """) { $0.text(0) ?? "" }
        }
        // In batches, so a purge of thousands of jobs is not one long transaction holding SQLite's write lock (against
        // a training job's flush) or PostgreSQL's rows.
        var deleted: [String] = []
        for start in stride(from: 0, to: ids.count, by: 200) {
            let batch = Array(ids[start..<min(ids.count, start + 200)])
            try withConnection { db throws(StoreError) in
                try db.transaction { () throws(StoreError) in
                    for id in batch { try db.run("DELETE FROM jobs WHERE id = \(id)") }
                }
            }
            decoder.forget(batch)
            deleted += batch
        }
        return deleted
    }

    func jobs(_ db: Connection, where condition: SQLStatement) throws(StoreError) -> [JobRecord] {
        try db.rows("SELECT \(sql: JobRowDecoder.columns) FROM jobs WHERE \(condition)") { row throws(StoreError) in
            try decoder.job(from: row)
        }
    }
}

// MARK: - Work distribution

extension SQLJobStore {
    public func claim(holder: String, for duration: Duration) throws(StoreError) -> JobClaim? {
        try withConnection { db throws(StoreError) -> JobClaim? in
            try db.transaction { () throws(StoreError) -> JobClaim? in
                // Running jobs without a live lease first (oldest first), then the queue (priority, then oldest).
                guard let (id, status) = try db.rows("""
                    SELECT id, status FROM jobs
                    WHERE status = 'queued'
                       OR (status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < \(Connection.now)))
                    ORDER BY status = 'running' DESC, CASE WHEN status = 'running' THEN 0 ELSE priority END DESC,
                             created_at, seq
                    LIMIT 1 \(sql: Connection.lockClause(.updateSkippingLocked))
                    """, { ($0.text(0) ?? "", $0.text(1)) }).first else {
                    return nil
                }
                let claimed = try db.rows("""
                    UPDATE jobs SET status = 'running',
                                    started_at = COALESCE(started_at, \(Date().timeIntervalSinceReferenceDate)),
                                    lease_holder = \(holder), lease_token = lease_token + 1,
                                    lease_expires_at = \(Connection.now) + \(duration.inSeconds)
                    WHERE id = \(id)
                    RETURNING \(sql: JobRowDecoder.columns), lease_token
                    """) { row throws(StoreError) in
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
            try db.run("""
                UPDATE jobs SET lease_expires_at = \(Connection.now) + \(duration.inSeconds)
                WHERE id = \(lease.jobID) AND lease_token = \(lease.token) AND status = 'running'
                """)
        }
        if renewed == 0 { throw .leaseLost(jobID: lease.jobID) }
    }

    public func release(_ lease: JobLease) throws(StoreError) {
        _ = try withConnection { db throws(StoreError) in
            try db.run("""
                UPDATE jobs SET lease_expires_at = NULL
                WHERE id = \(lease.jobID) AND lease_token = \(lease.token) AND status = 'running'
                """)
        }
    }
}

// MARK: - Status and progress

extension SQLJobStore {
    @discardableResult
    public func markRunning(jobID: String) throws(StoreError) -> JobRecord {
        try transition(jobID, to: .running, fence: nil, "started_at = \(Date().timeIntervalSinceReferenceDate)")
    }

    @discardableResult
    public func markFinished(jobID: String, status: JobStatus, failure: String?,
                             relativeL2: Double?, fence: JobLease?) throws(StoreError) -> JobRecord {
        guard status.isTerminal else {
            guard let current = try job(id: jobID) else { throw .notFound(jobID: jobID) }
            throw .invalidTransition(jobID: jobID, from: current.status, to: status)
        }
        // A job that never reported an error keeps the one it has (e.g. from a mid-training evaluation).
        return try transition(jobID, to: status, fence: fence, """
            finished_at = \(Date().timeIntervalSinceReferenceDate), failure = \(failure),
            relative_l2 = COALESCE(\(relativeL2), relative_l2)
            """)
    }

    /// Checks the lease and the edge against the stored job and applies it in one transaction, so two workers
    /// racing to start the same job cannot both succeed. A change made without the lease (the API cancelling)
    /// advances the fencing token, so the job's holder, wherever it runs, can write nothing more for it; its own
    /// end keeps the token, so the history it still holds can follow.
    private func transition(_ jobID: String, to next: JobStatus, fence: JobLease?,
                            _ assignments: SQLStatement) throws(StoreError) -> JobRecord {
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                let current = try Self.lockJob(jobID, fence: fence, for: .update, in: db)
                guard current.allowsTransition(to: next) else {
                    throw .invalidTransition(jobID: jobID, from: current, to: next)
                }
                let fencing = fence == nil ? ", lease_token = lease_token + 1" : ""
                let updated = try db.rows("""
                    UPDATE jobs SET status = \(next.rawValue), \(assignments)\(sql: fencing)
                    WHERE id = \(jobID)
                    RETURNING \(sql: JobRowDecoder.columns)
                    """) { row throws(StoreError) in
                    try decoder.job(from: row)
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
                try db.run("""
                    UPDATE jobs SET phase = \(progress.phase), iteration = \(progress.iteration),
                                    total_iterations = \(progress.totalIterations)
                    WHERE id = \(jobID)
                    """)
            }
        }
    }

    /// Reads the job's status, locking its row for the rest of the transaction (it is about to be written, or rows
    /// referring to it are), or throws `notFound`; with a fence, `leaseLost` unless the job's latest claim is that
    /// lease.
    @discardableResult
    static func lockJob(_ jobID: String, fence: JobLease?, for lock: RowLock = .noKeyUpdate,
                        in db: Connection) throws(StoreError) -> JobStatus {
        guard let (status, token) = try db.rows(
            "SELECT status, lease_token FROM jobs WHERE id = \(jobID) \(sql: Connection.lockClause(lock))", {
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
}

// MARK: - Histories

extension SQLJobStore {
    public func appendLosses(jobID: String, _ records: [LossRecord], termNames: [String],
                             fence: JobLease?) throws(StoreError) {
        let latest = try records.last.map { (last) throws(StoreError) in
            try StoredJSON.encode(LatestLoss(last, termNames: termNames))
        }
        try append(.losses, jobID: jobID, records, fence: fence, key: { ($0.phase, $0.iteration) }) { db throws(StoreError) in
            if let latest { try db.run("UPDATE jobs SET latest_loss = \(latest) WHERE id = \(jobID)") }
        }
    }

    public func appendSlopes(jobID: String, _ records: [SlopeRecord], fence: JobLease?) throws(StoreError) {
        try append(.slopes, jobID: jobID, records, fence: fence, key: { ($0.phase, $0.iteration) })
    }

    public func appendErrors(jobID: String, _ records: [ErrorRecord], fence: JobLease?) throws(StoreError) {
        let latest = try records.last.map { (last) throws(StoreError) in try StoredJSON.encode(last) }
        try append(.errors, jobID: jobID, records, fence: fence, key: { ($0.phase, $0.iteration) }) { db throws(StoreError) in
            if let latest, let error = records.last?.relativeL2 {
                try db.run("UPDATE jobs SET latest_error = \(latest), relative_l2 = \(error) WHERE id = \(jobID)")
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

    /// Encodes the records before taking a connection, then writes the whole batch (`SQLConnection.insertHistory`)
    /// and `alsoInTransaction` in one transaction.
    private func append<R: Encodable>(_ table: HistoryTable, jobID: String, _ records: [R], fence: JobLease?,
                                      key: (R) -> (phase: Int, iteration: Int),
                                      alsoInTransaction: (Connection) throws(StoreError) -> Void = { _ in }
    ) throws(StoreError) {
        guard !records.isEmpty else { return }
        let rows = try HistoryRow.encode(records, key: key)
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try Self.lockJob(jobID, fence: fence, in: db)
                try db.insertHistory(rows, into: table, jobID: jobID)
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
                    FROM \(sql: table.rawValue) WHERE job_id = \(jobID) AND iteration >= \(from)) AS matching
                WHERE n % \(max(1, every)) = 0 OR n = count - 1
                ORDER BY iteration, phase
                """) { $0.text(0) ?? "" }
        }
        return try HistoryRow.decode(texts, jobID: jobID)
    }
}

// MARK: - Checkpoints and results

extension SQLJobStore {
    public func saveCheckpoint(jobID: String, iteration: Int, blob: Data, fence: JobLease?) throws(StoreError) {
        let kept = checkpointsKept
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try Self.lockJob(jobID, fence: fence, in: db)
                try db.run("""
                    INSERT INTO checkpoints (job_id, iteration, saved_at, data)
                    VALUES (\(jobID), \(iteration), \(Date().timeIntervalSinceReferenceDate), \(blob))
                    ON CONFLICT (job_id, iteration) DO UPDATE SET saved_at = EXCLUDED.saved_at, data = EXCLUDED.data
                    """)
                try db.run("""
                    DELETE FROM checkpoints WHERE job_id = \(jobID) AND iteration NOT IN (
                        SELECT iteration FROM checkpoints WHERE job_id = \(jobID) ORDER BY iteration DESC LIMIT \(kept))
                    """)
            }
        }
    }

    public func latestCheckpoint(jobID: String) throws(StoreError) -> (iteration: Int, blob: Data)? {
        let rows = try withConnection { db throws(StoreError) in
            try db.rows("SELECT iteration, data FROM checkpoints WHERE job_id = \(jobID) ORDER BY iteration DESC LIMIT 1") {
                ($0.int(0), $0.blob(1) ?? Data())
            }
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
                    INSERT INTO results (job_id, saved_at, parameters, solution)
                    VALUES (\(jobID), \(Date().timeIntervalSinceReferenceDate), \(encoded), \(solution))
                    ON CONFLICT (job_id) DO UPDATE
                    SET saved_at = EXCLUDED.saved_at, parameters = EXCLUDED.parameters, solution = EXCLUDED.solution
                    """)
            }
        }
    }

    public func result(jobID: String) throws(StoreError) -> JobResult? {
        let rows = try withConnection { db throws(StoreError) in
            try db.rows("SELECT saved_at, parameters, solution FROM results WHERE job_id = \(jobID)") {
                ($0.double(0) ?? 0, $0.blob(1) ?? Data(), $0.blob(2))
            }
        }
        guard let (savedAt, parameters, solution) = rows.first else { return nil }
        return JobResult(parameters: try ParameterEncoding.decode(parameters, jobID: jobID), solution: solution,
                         savedAt: Date(timeIntervalSinceReferenceDate: savedAt))
    }
}
