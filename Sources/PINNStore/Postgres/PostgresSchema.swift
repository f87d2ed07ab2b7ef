/// The PostgreSQL schema as a list of migrations: `migrations[v]` takes a database from version v to v + 1 and is a
/// list of single statements (each sent with `PQexecParams`, which takes one at a time); the one-row table
/// `schema_version` records how many have run, and a database without it is version 0. Append to the list; never
/// edit a migration that has shipped, since databases in the field have already run it.
///
/// The tables and columns are SQLite's (`JobStoreSchema`, whose versions 1–3 are folded into version 1 here, as no
/// PostgreSQL store predates them), so both stores read a job the same way (`JobRowDecoder`). Times are DOUBLE
/// PRECISION seconds since 2001-01-01 (`Date.timeIntervalSinceReferenceDate`), not `timestamptz`, whose
/// microseconds would not round-trip a `Date` exactly; records are the engine's JSON as TEXT, not `jsonb`, which
/// would reorder keys and re-print numbers.
enum PostgresSchema {
    static let migrations: [[String]] = [
        // 1: jobs with access (owner, shared), histories (losses, slopes, errors), checkpoints, results.
        [
            """
            CREATE TABLE jobs (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
                priority BIGINT NOT NULL DEFAULT 0,
                spec TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                started_at DOUBLE PRECISION,
                finished_at DOUBLE PRECISION,
                phase BIGINT NOT NULL DEFAULT 0,
                iteration BIGINT NOT NULL DEFAULT 0,
                total_iterations BIGINT NOT NULL DEFAULT 0,
                latest_loss TEXT,
                relative_l2 DOUBLE PRECISION,
                failure TEXT,
                latest_error TEXT,
                owner TEXT,
                shared BOOLEAN NOT NULL DEFAULT FALSE
            )
            """,
            "CREATE INDEX jobs_by_status ON jobs (status, priority DESC, created_at, seq)",
            "CREATE INDEX jobs_by_age ON jobs (created_at, seq)",
            "CREATE INDEX jobs_by_finish ON jobs (finished_at, seq) WHERE finished_at IS NOT NULL",
        ] + HistoryTable.allCases.map { table in
            """
            CREATE TABLE \(table.rawValue) (
                job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                phase BIGINT NOT NULL,
                iteration BIGINT NOT NULL,
                record TEXT NOT NULL,
                PRIMARY KEY (job_id, iteration, phase)
            )
            """
        } + [
            """
            CREATE TABLE checkpoints (
                job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                iteration BIGINT NOT NULL,
                saved_at DOUBLE PRECISION NOT NULL,
                data BYTEA NOT NULL,
                PRIMARY KEY (job_id, iteration)
            )
            """,
            """
            CREATE TABLE results (
                job_id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
                saved_at DOUBLE PRECISION NOT NULL,
                parameters BYTEA NOT NULL,
                solution BYTEA
            )
            """,
        ],
        // 2: leases (`JobLease`), as SQLite's migration 4; `lease_expires_at` is on the database server's clock
        // (`PostgresConnection.now`), which every server sharing the database reads alike.
        [
            "ALTER TABLE jobs ADD COLUMN lease_holder TEXT",
            "ALTER TABLE jobs ADD COLUMN lease_token BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE jobs ADD COLUMN lease_expires_at DOUBLE PRECISION",
        ],
        // 3: studies (`StudyRecord`), as SQLite's migration 5.
        [
            """
            CREATE TABLE studies (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                name TEXT,
                definition TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                owner TEXT,
                shared BOOLEAN NOT NULL DEFAULT FALSE
            )
            """,
            "CREATE INDEX studies_by_age ON studies (created_at, seq)",
            """
            CREATE TABLE study_runs (
                study_id TEXT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
                cell BIGINT NOT NULL,
                run BIGINT NOT NULL,
                job_id TEXT NOT NULL UNIQUE REFERENCES jobs (id) ON DELETE CASCADE,
                PRIMARY KEY (study_id, cell, run)
            )
            """,
        ],
    ]

    static var version: Int { migrations.count }

    /// The key of the advisory lock that migrations hold (`pg_advisory_xact_lock`): "pinnschm" in ASCII, a constant
    /// no other application is likely to pick.
    static let migrationLock: Int64 = 0x7069_6e6e_7363_686d

    /// Runs the migrations the database has not seen, all in one transaction (DDL is transactional in
    /// PostgreSQL: a failure mid-way leaves the old version). The transaction first takes an advisory lock, so of
    /// two servers starting at once on a new database one migrates and the other, waiting, then finds it done.
    static func migrate(_ db: PostgresConnection) throws(StoreError) {
        try db.transaction { () throws(StoreError) in
            _ = try db.rows("SELECT pg_advisory_xact_lock(\(SQLValue.integer(migrationLock)))") { _ in () }
            try db.run("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
            let stored = try db.rows("SELECT version FROM schema_version") { $0.int(0) }
            let current = stored.max() ?? 0
            guard current <= version else {
                throw .schemaTooNew(path: db.location, version: current, supported: version)
            }
            guard current < version else { return }
            for statement in migrations[current...].joined() { try db.run(SQLStatement(verbatim: statement)) }
            try db.run("DELETE FROM schema_version")
            try db.run("INSERT INTO schema_version (version) VALUES (\(version))")
        }
    }
}
