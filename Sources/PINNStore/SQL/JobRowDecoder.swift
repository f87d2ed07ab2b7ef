import Foundation
import PINN
import Locking

/// Reads a `JobRecord` from a row of `columns`, for both stores: their schemas differ in column types (REAL and
/// INTEGER flags in SQLite, DOUBLE PRECISION and BOOLEAN in PostgreSQL), not in columns or meaning.
final class JobRowDecoder: Sendable {
    static let columns = """
        id, status, priority, spec, created_at, started_at, finished_at, phase, iteration, total_iterations, \
        latest_loss, relative_l2, failure, latest_error, owner, shared
        """

    /// Decoded specs by job id: a spec never changes once stored, and decoding it dominated a status read. Ids are
    /// never reused, so an entry can only be stale by outliving its job — deleted through another server sharing a
    /// PostgreSQL store, which this one is not told of — and the cache is emptied past `maxCachedSpecs` so such
    /// entries cannot pile up.
    private let specs = Locked<[String: JobSpec]>([:])
    static let maxCachedSpecs = 10_000

    func job(from row: some StoredRow) throws(StoreError) -> JobRecord {
        let id = row.text(0) ?? ""
        guard let status = row.text(1).flatMap(JobStatus.init(rawValue:)) else {
            throw .corrupt(jobID: id, detail: "unknown status \(row.text(1) ?? "NULL")")
        }
        return JobRecord(
            id: id, status: status,
            spec: try spec(of: id, row.text(3)),
            priority: row.int(2),
            createdAt: Date(timeIntervalSinceReferenceDate: row.double(4) ?? 0),
            startedAt: row.double(5).map(Date.init(timeIntervalSinceReferenceDate:)),
            finishedAt: row.double(6).map(Date.init(timeIntervalSinceReferenceDate:)),
            progress: JobProgress(phase: row.int(7), iteration: row.int(8), totalIterations: row.int(9)),
            latestLoss: try row.text(10).map { (text) throws(StoreError) in
                try StoredJSON.decode(LatestLoss.self, from: text, jobID: id)
            },
            relativeL2: row.double(11),
            failure: row.text(12),
            latestError: try row.text(13).map { (text) throws(StoreError) in
                try StoredJSON.decode(ErrorRecord.self, from: text, jobID: id)
            },
            owner: row.text(14),
            shared: row.bool(15))
    }

    /// Drops the cached specs of deleted jobs.
    func forget(_ ids: some Sequence<String>) {
        specs.withLock { specs in for id in ids { specs[id] = nil } }
    }

    private func spec(of id: String, _ text: String?) throws(StoreError) -> JobSpec {
        if let spec = specs.withLock({ $0[id] }) { return spec }
        let spec = try StoredJSON.decode(JobSpec.self, from: text ?? "", jobID: id)
        specs.withLock { specs in
            if specs.count >= Self.maxCachedSpecs { specs.removeAll(keepingCapacity: true) }
            specs[id] = spec
        }
        return spec
    }
}

extension JobRecord {
    /// A job as `create` stores it: queued, with a fresh random id and its total iterations from the spec.
    static func queued(spec: JobSpec, priority: Int, owner: String?, shared: Bool) -> JobRecord {
        JobRecord(
            id: UUID().uuidString.lowercased(), status: .queued, spec: spec, priority: priority, createdAt: Date(),
            progress: JobProgress(phase: 0, iteration: 0,
                                  totalIterations: spec.training.totalIterations),
            owner: owner, shared: shared)
    }
}

extension LatestLoss {
    /// The job's latest loss from the last record of a batch, its terms named by `termNames` (the first of a
    /// repeated name wins).
    init(_ record: LossRecord, termNames: [String]) {
        self.init(iteration: record.iteration, total: record.total,
                  terms: Dictionary(zip(termNames, record.terms), uniquingKeysWith: { first, _ in first }))
    }
}

extension JobStatus {
    /// Counts per status from (status, count) rows, every status present with zeros included; a status this build
    /// does not know is left out.
    static func counts(_ rows: [(status: String, count: Int)]) -> [JobStatus: Int] {
        var counts = Dictionary(uniqueKeysWithValues: allCases.map { ($0, 0) })
        for (status, count) in rows { if let status = JobStatus(rawValue: status) { counts[status] = count } }
        return counts
    }
}
