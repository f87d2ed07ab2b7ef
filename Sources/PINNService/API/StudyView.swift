import Foundation
import PINN
import PINNStore

/// A study as the API shows it (`GET /v1/studies/{id}`, and the answer to `POST /v1/studies`): its grid, each
/// cell's runs, and per cell the median, min and max of the final error and of the time to each decade of error
/// (`StudyStatistics`, the one place they are computed).
struct StudyView: Encodable {
    struct Variation: Encodable { let path: String; let values: [JSONValue] }
    struct Run: Encodable {
        let id: String
        let seed: UInt64
        let status: String
        /// The final relative L2 error of a succeeded run.
        let finalError: Double?
        /// The latest evaluation (live while it runs).
        let error: Double?
        let iteration: Int
        let decades: [StudyStatistics.Crossing]
    }
    struct Cell: Encodable {
        let index: Int
        let label: String
        let values: [String: JSONValue]
        let runs: [Run]
        /// Over the succeeded runs.
        let finalError: StudyStatistics.Spread?
        /// 10⁻¹ down to the deepest decade any run reached; each over the runs that reached it (`reached` of `runs`).
        let decades: [StudyStatistics.Decade]
    }
    struct Links: Encodable { let `self`: String; let cancel: String; let errors: String }

    let id: String
    let name: String?
    let createdAt: Date
    let owner: String?
    let shared: Bool
    /// `queued` (no run started), `running` (some run unfinished), `finished`.
    let status: String
    let jobs: Int
    let counts: [String: Int]
    let variations: [Variation]
    let seeds: [UInt64]?
    let cells: [Cell]
    let links: Links

    /// `histories(jobID)`: the run's stored errors and losses, in iteration order.
    init(_ study: StudyRecord, expansion: StudyExpansion, jobs: [String: JobRecord],
         histories: (String) throws -> (errors: [ErrorRecord], losses: [LossRecord])) rethrows {
        id = study.id
        name = study.name
        createdAt = study.createdAt
        owner = study.owner
        shared = study.shared
        let records = study.runs.compactMap { jobs[$0.jobID] }
        self.jobs = records.count
        let summary = StudyListing.summary(of: records)
        status = summary.status
        counts = summary.counts
        variations = expansion.variations.map { Variation(path: $0.path.description, values: $0.values.map(JSONValue.init(jsonText:))) }
        seeds = expansion.seeds
        var cells: [Cell] = []
        for cell in expansion.cells {
            var runs: [Run] = [], statistics: [StudyStatistics.Run] = []
            for run in study.runs where run.cell == cell.index {
                guard let job = jobs[run.jobID] else { continue }
                let (errors, losses) = try histories(job.id)
                let finalError = job.status == .succeeded ? job.relativeL2 : nil
                let summary = StudyStatistics.Run(finalError: finalError, errors: errors, losses: losses)
                statistics.append(summary)
                runs.append(Run(id: job.id, seed: job.spec.training.seed, status: job.status.rawValue, finalError: finalError,
                                error: job.latestError?.relativeL2 ?? job.relativeL2, iteration: job.progress.iteration,
                                decades: summary.crossings))
            }
            cells.append(Cell(index: cell.index, label: cell.label,
                              values: Dictionary(cell.values.map { ($0.path, JSONValue(jsonText: $0.json)) }, uniquingKeysWith: { a, _ in a }),
                              runs: runs, finalError: StudyStatistics.finalError(statistics),
                              decades: StudyStatistics.decades(statistics)))
        }
        self.cells = cells
        links = StudyListing.links(study.id)
    }
}

/// A study in `GET /v1/studies`: what it is and how far its jobs are, without their histories.
struct StudyListing: Encodable {
    let id: String
    let name: String?
    let createdAt: Date
    let owner: String?
    let shared: Bool
    let status: String
    let jobs: Int
    let cells: Int
    let counts: [String: Int]
    let links: StudyView.Links

    init(_ study: StudyRecord, jobs: [JobRecord]) {
        id = study.id
        name = study.name
        createdAt = study.createdAt
        owner = study.owner
        shared = study.shared
        let summary = Self.summary(of: jobs)
        status = summary.status
        counts = summary.counts
        self.jobs = jobs.count
        cells = Set(study.runs.map(\.cell)).count
        links = Self.links(study.id)
    }

    static func summary(of jobs: [JobRecord]) -> (status: String, counts: [String: Int]) {
        var counts = Dictionary(uniqueKeysWithValues: JobStatus.allCases.map { ($0.rawValue, 0) })
        for job in jobs { counts[job.status.rawValue, default: 0] += 1 }
        let status = jobs.allSatisfy { $0.status == .queued } && !jobs.isEmpty ? "queued"
            : jobs.allSatisfy(\.status.isTerminal) ? "finished" : "running"
        return (status, counts)
    }

    static func links(_ id: String) -> StudyView.Links {
        let base = "/v1/studies/\(id)"
        return StudyView.Links(self: base, cancel: base + "/cancel", errors: base + "/errors.png")
    }
}

struct StudyPage: Encodable {
    let studies: [StudyListing]
    let limit: Int
    let offset: Int
    let next: String?
}
