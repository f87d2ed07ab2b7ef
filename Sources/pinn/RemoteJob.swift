import Foundation

/// A job as pinn-server shows it (`GET /v1/jobs/{id}`, the contract's JobView): only the fields the client uses.
struct RemoteJob: Decodable {
    enum Status: String, Decodable {
        case queued, running, succeeded, failed, cancelled
        var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
    }

    struct Progress: Decodable { let phase: Int; let iteration: Int; let totalIterations: Int }
    struct ErrorAgainstExact: Decodable { let relativeL2: Double }

    /// The parts of the normalised spec the client shows: the problem's name and term order, the phase count,
    /// the output grid. Every part is optional, so a spec the client does not understand still shows a status.
    struct Spec: Decodable {
        struct Named: Decodable { let name: String }
        struct Problem: Decodable {
            let name: String?
            let equations: [Named]?
            let conditions: [Named]?
            let observations: [Named]?
        }
        struct Training: Decodable { let phases: [Phase]? }
        /// One training phase; only counted.
        struct Phase: Decodable {}

        let problem: Problem?
        let training: Training?

        private enum CodingKeys: String, CodingKey { case problem, training }

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: CodingKeys.self)
            problem = try? object.decodeIfPresent(Problem.self, forKey: .problem)
            training = try? object.decodeIfPresent(Training.self, forKey: .training)
        }
    }

    let id: String
    let status: Status
    let spec: Spec?
    let createdAt: String?
    let startedAt: String?
    let finishedAt: String?
    let elapsedSeconds: Double?
    let etaSeconds: Double?
    let progress: Progress
    /// The latest loss: `total` and every term by name.
    let loss: [String: Double]?
    let error: ErrorAgainstExact?
    let failure: String?

    var problemName: String { spec?.problem?.name ?? "?" }
    var phaseCount: Int? { spec?.training?.phases?.count }

    /// The latest loss terms (without `total`) in the problem's order: equations, conditions, observations, as
    /// the trainer names them; any other term after those, by name.
    var lossTerms: [(name: String, value: Double)] {
        guard let loss else { return [] }
        let problem = spec?.problem
        let ordered = [problem?.equations, problem?.conditions, problem?.observations].flatMap { ($0 ?? []).map(\.name) }
        let rest = loss.keys.filter { $0 != "total" && !ordered.contains($0) }.sorted()
        return (ordered + rest).compactMap { name in loss[name].map { (name, $0) } }
    }

    /// `phase 2/3` (phases counted from 1).
    var phaseLabel: String {
        "phase \(progress.phase + 1)" + (phaseCount.map { "/\($0)" } ?? "")
    }

    var percent: Int { Int((fraction * 100).rounded(.down)) }

    /// Progress as a fraction in 0...1 (1 once the job has succeeded).
    var fraction: Double {
        if status == .succeeded { return 1 }
        guard progress.totalIterations > 0 else { return 0 }
        return min(1, max(0, Double(progress.iteration) / Double(progress.totalIterations)))
    }

    /// A page of `GET /v1/jobs`.
    struct Page: Decodable { let jobs: [RemoteJob] }
}
