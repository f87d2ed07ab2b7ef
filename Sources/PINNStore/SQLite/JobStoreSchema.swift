/// The SQLite schema as a list of migrations: `migrations[v]` takes a file from version v to v + 1, and
/// `PRAGMA user_version` records how many have run. A new file is version 0. Append to the list; never edit a
/// migration that has shipped, since files in the field have already run it.
///
/// Times are seconds since 2001-01-01 (`Date.timeIntervalSinceReferenceDate`), stored as REAL so they round-trip
/// exactly. Histories are engine records as JSON, keyed by (phase, iteration): the engine's types stay the
/// single definition of what a record holds.
enum JobStoreSchema {
    static let migrations: [String] = [
        // 1: jobs, histories, checkpoints, results.
        """
        CREATE TABLE jobs (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
            priority INTEGER NOT NULL DEFAULT 0,
            spec TEXT NOT NULL,
            created_at REAL NOT NULL,
            started_at REAL,
            finished_at REAL,
            phase INTEGER NOT NULL DEFAULT 0,
            iteration INTEGER NOT NULL DEFAULT 0,
            total_iterations INTEGER NOT NULL DEFAULT 0,
            latest_loss TEXT,
            relative_l2 REAL,
            failure TEXT
        );
        CREATE INDEX jobs_by_status ON jobs (status, priority DESC, created_at, seq);
        CREATE INDEX jobs_by_age ON jobs (created_at, seq);
        CREATE TABLE losses (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            phase INTEGER NOT NULL,
            iteration INTEGER NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (job_id, iteration, phase)
        ) WITHOUT ROWID;
        CREATE TABLE slopes (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            phase INTEGER NOT NULL,
            iteration INTEGER NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (job_id, iteration, phase)
        ) WITHOUT ROWID;
        CREATE TABLE checkpoints (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            iteration INTEGER NOT NULL,
            saved_at REAL NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (job_id, iteration)
        );
        CREATE TABLE results (
            job_id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
            saved_at REAL NOT NULL,
            parameters BLOB NOT NULL,
            solution BLOB
        );
        """,
        // 2: the error against the exact solution as a history, and the latest evaluation on the job.
        """
        CREATE TABLE errors (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            phase INTEGER NOT NULL,
            iteration INTEGER NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (job_id, iteration, phase)
        ) WITHOUT ROWID;
        ALTER TABLE jobs ADD COLUMN latest_error TEXT;
        """,
        // 3: access. The owner is the submitting token's name (NULL: submitted without tokens); shared jobs are
        // visible to every caller. Existing jobs have no owner, and stay visible to all.
        """
        ALTER TABLE jobs ADD COLUMN owner TEXT;
        ALTER TABLE jobs ADD COLUMN shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1));
        """,
        // 4: leases (`JobLease`): who trains a running job, the fencing token of its latest claim, and until when
        // (seconds since 2001, NULL: no live lease, so the job can be claimed). Running jobs of older files have none.
        """
        ALTER TABLE jobs ADD COLUMN lease_holder TEXT;
        ALTER TABLE jobs ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN lease_expires_at REAL;
        """,
        // 5: studies (`StudyRecord`): the submitted document, and one row per job of the study, which goes with the
        // study or with the job.
        """
        CREATE TABLE studies (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            name TEXT,
            definition TEXT NOT NULL,
            created_at REAL NOT NULL,
            owner TEXT,
            shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1))
        );
        CREATE INDEX studies_by_age ON studies (created_at, seq);
        CREATE TABLE study_runs (
            study_id TEXT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
            cell INTEGER NOT NULL,
            run INTEGER NOT NULL,
            job_id TEXT NOT NULL UNIQUE REFERENCES jobs (id) ON DELETE CASCADE,
            PRIMARY KEY (study_id, cell, run)
        );
        """,
    ]

    static var version: Int { migrations.count }
}
