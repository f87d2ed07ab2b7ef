import Foundation
import PINN

/// Studies over SQL, for both stores: a row in `studies` (the document, owner, sharing) and one in `study_runs` per
/// job, which goes with its study or its job (`ON DELETE CASCADE` from either), so a study only ever lists jobs
/// that exist.
extension SQLJobStore {
    public func createStudy(name: String?, definition: Data, jobs: [(cell: Int, run: Int, spec: JobSpec)],
                            owner: String?, shared: Bool) throws(StoreError) -> StudyRecord {
        let study = StudyRecord(id: UUID().uuidString.lowercased(), name: name, definition: definition, createdAt: Date(),
                                owner: owner, shared: shared, runs: [])
        var records: [(record: JobRecord, specJSON: String, cell: Int, run: Int)] = []
        for job in jobs {
            records.append((JobRecord.queued(spec: job.spec, priority: 0, owner: owner, shared: shared),
                            try StoredJSON.encode(job.spec), job.cell, job.run))
        }
        let text = String(decoding: definition, as: UTF8.self)
        try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try db.run("""
                    INSERT INTO studies (id, name, definition, created_at, owner, shared)
                    VALUES (\(study.id), \(name), \(text), \(study.createdAt.timeIntervalSinceReferenceDate), \(owner), \(shared))
                    """)
                for job in records {
                    try Self.insert(job.record, specJSON: job.specJSON, into: db)
                    try db.run("""
                        INSERT INTO study_runs (study_id, cell, run, job_id)
                        VALUES (\(study.id), \(job.cell), \(job.run), \(job.record.id))
                        """)
                }
            }
        }
        var created = study
        created.runs = records.map { StudyRecord.Run(cell: $0.cell, run: $0.run, jobID: $0.record.id) }
            .sorted { ($0.cell, $0.run) < ($1.cell, $1.run) }
        return created
    }

    public func study(id: String) throws(StoreError) -> StudyRecord? {
        try withConnection { db throws(StoreError) in try studies(db, where: "id = \(id)").first }
    }

    public func listStudies(visibility: JobVisibility, limit: Int, offset: Int) throws(StoreError) -> [StudyRecord] {
        try withConnection { db throws(StoreError) in
            try studies(db, where: """
                \(Self.condition(visibility)) ORDER BY created_at DESC, seq DESC LIMIT \(max(0, limit)) OFFSET \(max(0, offset))
                """)
        }
    }

    @discardableResult
    public func deleteStudy(id: String) throws(StoreError) -> Bool {
        let (existed, jobIDs) = try withConnection { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                let jobIDs = try db.rows("SELECT job_id FROM study_runs WHERE study_id = \(id)") { $0.text(0) ?? "" }
                // The jobs first: their histories, checkpoints and results go with them (ON DELETE CASCADE).
                try db.run("DELETE FROM jobs WHERE id IN (SELECT job_id FROM study_runs WHERE study_id = \(id))")
                return (try db.run("DELETE FROM studies WHERE id = \(id)") > 0, jobIDs)
            }
        }
        decoder.forget(jobIDs)
        return existed
    }

    private func studies(_ db: Connection, where condition: SQLStatement) throws(StoreError) -> [StudyRecord] {
        let rows = try db.rows("""
            SELECT id, name, definition, created_at, owner, shared FROM studies WHERE \(condition)
            """) { row in
            StudyRecord(id: row.text(0) ?? "", name: row.text(1), definition: Data((row.text(2) ?? "").utf8),
                        createdAt: Date(timeIntervalSinceReferenceDate: row.double(3) ?? 0), owner: row.text(4),
                        shared: row.bool(5), runs: [])
        }
        var studies: [StudyRecord] = []
        for var study in rows {
            study.runs = try db.rows("SELECT cell, run, job_id FROM study_runs WHERE study_id = \(study.id) ORDER BY cell, run") {
                StudyRecord.Run(cell: $0.int(0), run: $0.int(1), jobID: $0.text(2) ?? "")
            }
            studies.append(study)
        }
        return studies
    }
}
