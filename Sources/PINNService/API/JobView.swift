import Foundation
import PINN
import PINNStore

/// A job as the API shows it: `GET /v1/jobs/{id}` and the answer to `POST /v1/jobs`.
struct JobView: Encodable {
    struct Progress: Encodable { let phase: Int; let iteration: Int; let totalIterations: Int }
    struct Links: Encodable {
        let `self`: String, losses: String, slopes: String, errors: String, solution: String, events: String
        let model: String, predict: String
        let pictures: [String: String]
    }

    let id: String
    let status: String
    /// Nil when the caller splices in the spec's cached encoding (`JobsAPI.encodeJob`).
    let spec: JobSpec?
    let priority: Int
    let createdAt: Date
    let startedAt: Date?
    let finishedAt: Date?
    let elapsedSeconds: Double?
    let etaSeconds: Double?
    let progress: Progress
    /// The latest loss terms: `total` and every term by name.
    let loss: [String: Double]?
    /// The latest evaluation against the exact solution (live while running).
    let error: ErrorRecord?
    let failure: String?
    /// The name of the API token that submitted it (absent when submitted without tokens).
    let owner: String?
    /// Whether callers other than its owner may see it (docs/api.md, "Authentication").
    let shared: Bool
    let links: Links

    init(_ job: JobRecord, includingSpec: Bool = true) {
        id = job.id
        status = job.status.rawValue
        spec = includingSpec ? job.spec : nil
        priority = job.priority
        createdAt = job.createdAt
        startedAt = job.startedAt
        finishedAt = job.finishedAt
        let elapsed = job.startedAt.map { (job.finishedAt ?? Date()).timeIntervalSince($0) }
        elapsedSeconds = elapsed
        let p = job.progress
        etaSeconds = job.status == .running && p.iteration > 0 && elapsed != nil
            ? elapsed! * Double(p.totalIterations - p.iteration) / Double(p.iteration) : nil
        progress = Progress(phase: p.phase, iteration: p.iteration, totalIterations: p.totalIterations)
        loss = job.latestLoss.map { $0.terms.merging(["total": $0.total]) { $1 } }
        error = job.latestError ?? job.relativeL2.map {
            ErrorRecord(iteration: job.progress.iteration, phase: job.progress.phase, relativeL2: $0, outputs: [:])
        }
        failure = job.failure
        owner = job.owner
        shared = job.shared
        let base = "/v1/jobs/\(job.id)"
        links = Links(self: base, losses: base + "/losses", slopes: base + "/slopes", errors: base + "/errors",
                      solution: base + "/solution", events: base + "/events", model: base + "/model",
                      predict: base + "/predict",
                      pictures: Dictionary(uniqueKeysWithValues: JobPicture.allCases.map { ($0.rawValue, base + "/\($0.rawValue).png") }))
    }
}

struct JobPage: Encodable {
    let jobs: [JobView]
    let limit: Int
    let offset: Int
    let next: String?
}

struct LossHistory: Encodable {
    let id: String
    let terms: [String]
    let records: [LossRecord]
}

struct SlopeHistory: Encodable {
    let id: String
    let adaptive: String
    let scale: Double
    let records: [SlopeRecord]
}

struct ErrorHistory: Encodable {
    let id: String
    let outputs: [String]
    let records: [ErrorRecord]
}
