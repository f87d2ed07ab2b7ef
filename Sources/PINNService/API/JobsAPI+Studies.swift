import Foundation
import HTTPServer
import PINN
import PINNPlot
import PINNStore

/// The study routes (docs/api.md, "Studies"): a base spec and variations expanded into jobs (`StudyExpansion`),
/// stored with them in one transaction, reported per cell (`StudyView`), cancelled or deleted as a whole, and
/// pictured as the cells' error curves (median line, min–max band).
extension JobsAPI {
    /// `POST /v1/studies`: every job is validated as a `POST /v1/jobs` body before any is stored; a study the
    /// queue could never hold is a 400, one it cannot hold now a 429.
    func submitStudy(_ request: HTTPRequest) throws -> HTTPResponse {
        let caller = try access.caller(of: request)
        let shared = try flag(request, "shared")
        let body = Data(request.body)
        let expansion = try StudyExpansion.read(body, maxJobs: limits.maxQueuedJobs)
        let runs = try expansion.runs(limits: limits.spec)
        let queued = try store.counts()[.queued] ?? 0
        guard queued + runs.count <= limits.maxQueuedJobs else {
            throw HTTPError(status: 429, message: "the queue cannot take the study's \(runs.count) jobs now ("
                            + "\(queued) of at most \(limits.maxQueuedJobs) waiting); retry later",
                            headers: ["Retry-After": "30"])
        }
        let jobs = runs.map { run in
            var spec = run.spec
            spec.training.threads = min(spec.training.threads, limits.coresPerJob)
            return (cell: run.cell, run: run.run, spec: spec)
        }
        let study = try store.createStudy(name: expansion.name, definition: body, jobs: jobs, owner: caller.name,
                                          shared: shared)
        pool.notify()
        return .json(status: 202, data: encode(try view(study)))
    }

    func listStudies(_ request: HTTPRequest) throws -> HTTPResponse {
        let limit = try integer(request, "limit", default: 20, 1...1000)
        let offset = try integer(request, "offset", default: 0, 0...Int.max)
        let studies = try store.listStudies(visibility: try access.caller(of: request).visibility, limit: limit, offset: offset)
        let listings = try studies.map { study in StudyListing(study, jobs: try jobs(of: study).values.map { $0 }) }
        return .json(data: encode(StudyPage(studies: listings, limit: limit, offset: offset,
                                            next: studies.count == limit ? "/v1/studies?limit=\(limit)&offset=\(offset + limit)" : nil)))
    }

    func studyStatus(_ request: HTTPRequest) throws -> HTTPResponse {
        .json(data: encode(try view(try study(request))))
    }

    /// `POST /v1/studies/{id}/cancel`: cancels every unfinished job of the study (202 and the study either way;
    /// finished runs keep their results).
    func cancelStudy(_ request: HTTPRequest) throws -> HTTPResponse {
        let study = try study(request)
        try access.requireOwner(try access.caller(of: request), of: study)
        for job in try jobs(of: study).values { _ = try stop(job) }
        return .json(status: 202, data: encode(try view(study)))
    }

    /// `DELETE /v1/studies/{id}`: removes the study and its jobs with all their data (running ones are stopped).
    func deleteStudy(_ request: HTTPRequest) throws -> HTTPResponse {
        let study = try study(request)
        try access.requireOwner(try access.caller(of: request), of: study)
        for run in study.runs { pool.cancel(jobID: run.jobID) }
        try store.deleteStudy(id: study.id)
        struct Deleted: Encodable { let deleted = true; let id: String; let jobs: Int }
        return .json(data: encode(Deleted(id: study.id, jobs: study.runs.count)))
    }

    /// `GET /v1/studies/{id}/errors.png`: per cell, the median of its runs' relative L2 error against training time
    /// (`x=seconds`, the default) or iteration (`x=iteration`), with the min–max band.
    func studyErrorsPicture(_ request: HTTPRequest) throws -> HTTPResponse {
        let study = try study(request)
        let width = try integer(request, "width", default: 800, 100...4000)
        let height = try integer(request, "height", default: 500, 100...4000)
        let x = request.query["x"] ?? "seconds"
        guard x == "seconds" || x == "iteration" else {
            throw HTTPError(status: 400, message: "x: must be seconds or iteration, got \"\(x)\"")
        }
        let expansion = try StudyExpansion.read(study.definition)
        var series: [Series] = []
        for cell in expansion.cells {
            var curves: [[(x: Double, y: Double)]] = []
            for run in study.runs where run.cell == cell.index {
                let errors = try store.errors(jobID: run.jobID)
                let losses = x == "seconds" ? try store.losses(jobID: run.jobID) : []
                curves.append(StudyStatistics.curve(errors: errors, losses: losses, overSeconds: x == "seconds"))
            }
            let envelope = StudyStatistics.envelope(curves)
            guard !envelope.x.isEmpty else { continue }
            series.append(Series(cell.label, x: envelope.x, y: envelope.median,
                                 color: RGB.tab10[cell.index % RGB.tab10.count], lineWidth: 2,
                                 band: Band(lower: envelope.lower, upper: envelope.upper)))
        }
        guard !series.isEmpty else {
            throw HTTPError(status: 409, message: "no run of study \(study.id) has an evaluation against an exact solution yet")
        }
        let plot = LinePlot(title: "\(study.name ?? "study \(study.id.prefix(8))"): relative L2 error, median and min-max per cell",
                            xLabel: x == "seconds" ? "training seconds" : "iteration", yLabel: "relative L2 error",
                            yScale: .log10, series: series)
        return .bytes(contentType: "image/png", try plot.png(width: width, height: height))
    }

    // MARK: - Helpers

    /// The study the path names, if the caller may see it (the rule of jobs: another's unshared study is a 404).
    func study(_ request: HTTPRequest) throws -> StudyRecord {
        let id = request.pathParameters["id"] ?? ""
        guard let study = try store.study(id: id), try access.caller(of: request).visibility.admits(study) else {
            throw HTTPError(status: 404, message: "no study with id \"\(id)\"")
        }
        return study
    }

    /// The study's jobs that still exist, by id.
    private func jobs(of study: StudyRecord) throws -> [String: JobRecord] {
        var jobs: [String: JobRecord] = [:]
        for run in study.runs { jobs[run.jobID] = try store.job(id: run.jobID) }
        return jobs
    }

    private func view(_ study: StudyRecord) throws -> StudyView {
        try StudyView(study, expansion: try StudyExpansion.read(study.definition), jobs: try jobs(of: study)) { id in
            (try store.errors(jobID: id), try store.losses(jobID: id))
        }
    }
}
