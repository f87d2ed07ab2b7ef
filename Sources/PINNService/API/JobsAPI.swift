import Foundation
import HTTPServer
import PINN
import PINNStore
import Locking

/// The versioned HTTP API (docs/api.md): handlers validate, read or write the store and wake the pool; none of
/// them waits for a training step. Errors map to HTTP statuses in one place, `APIError`.
public final class JobsAPI: Sendable {
    public struct Limits: Sendable {
        /// Queued jobs beyond which submissions get 429.
        public var maxQueuedJobs: Int
        /// Threads a job may ask for (more is clamped, and the normalised spec says so).
        public var coresPerJob: Int
        public var spec: JobSpecParser.Limits
        /// Points per axis of a solution grid (and their product at most its square).
        public var maxGridPoints: Int
        /// Points one `predict` request may ask for (20,000 points of two inputs fit the default 1 MiB body).
        public var maxPredictPoints: Int

        public init(maxQueuedJobs: Int = 100, coresPerJob: Int = 2, spec: JobSpecParser.Limits = .init(),
                    maxGridPoints: Int = 1024, maxPredictPoints: Int = 20_000) {
            self.maxQueuedJobs = maxQueuedJobs
            self.coresPerJob = coresPerJob
            self.spec = spec
            self.maxGridPoints = maxGridPoints
            self.maxPredictPoints = maxPredictPoints
        }
    }

    let store: any JobStore
    let pool: WorkerPool
    let limits: Limits
    let metrics: ServiceMetrics
    /// Tokens, owners and shared jobs (`AccessControl`); open by default.
    let access: AccessControl
    let cors: CORSPolicy
    /// Encoded specs by job id (a spec never changes): encoding it was most of a status read's cost.
    private let encodedSpecs = Locked<[String: Data]>([:])
    /// The last few networks rebuilt from results or checkpoints (`JobsAPI+Solutions`).
    let solutions = Locked<[(key: String, value: TrainedSolution)]>([])
    let events: JobEventStreams

    public init(store: any JobStore, pool: WorkerPool, limits: Limits = Limits(), metrics: ServiceMetrics = ServiceMetrics(),
                access: AccessControl = AccessControl(), cors: CORSPolicy = CORSPolicy()) {
        self.store = store
        self.pool = pool
        self.limits = limits
        self.metrics = metrics
        self.access = access
        self.cors = cors
        events = JobEventStreams(store: store, renderStatus: { job in JobsAPI.encoded(JobView(job, includingSpec: false)) },
                                 encodeRecord: { JobsAPI.encoded($0) })
    }

    /// Open event streams (`pinn_event_streams` in /metrics).
    public var openEventStreams: Int { events.count }

    public func router() -> Router {
        var router = Router()
        /// `query`: the parameters the route reads; any other is a 400 (a typo must not be silently ignored).
        /// `n<letter>` (grid sizes per input) is allowed where `gridSizes` is set, and checked by the handler.
        /// `isPublic` routes never ask for a token; on the others a missing or wrong one is a 401 before anything
        /// else is looked at (`AccessControl`).
        func route(_ method: String, _ pattern: String, query: Set<String> = [], gridSizes: Bool = false,
                   isPublic: Bool = false, _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
            router.add(method, pattern, metrics.measure(route: "\(method) \(pattern)") { [access] request in
                do {
                    if !isPublic { _ = try access.caller(of: request) }
                    for name in request.query.keys.sorted() where !query.contains(name) {
                        let isGridSize = name.count == 2 && name.first == "n" && name.last!.isLowercase
                        guard gridSizes && isGridSize else {
                            let known = query.sorted() + (gridSizes ? ["n<input>"] : [])
                            throw HTTPError(status: 400, message: "unknown query parameter \"\(name)\" ("
                                            + (known.isEmpty ? "this route takes none" : "known: \(known.joined(separator: ", "))") + ")")
                        }
                    }
                    return try handler(request)
                } catch {
                    return APIError.response(for: error)
                }
            })
        }
        let history: Set<String> = ["from", "every", "format"]
        route("POST", "/v1/jobs", query: ["shared"], submit)
        route("GET", "/v1/jobs", query: ["status", "limit", "offset"], list)
        route("GET", "/v1/jobs/{id}", status)
        route("DELETE", "/v1/jobs/{id}", query: ["purge"], delete)
        route("POST", "/v1/jobs/{id}/cancel", cancel)
        route("GET", "/v1/jobs/{id}/losses", query: history, losses)
        route("GET", "/v1/jobs/{id}/slopes", query: history, slopes)
        route("GET", "/v1/jobs/{id}/errors", query: history, errors)
        route("GET", "/v1/jobs/{id}/events", query: ["since", "lastEventId"], eventStream)
        route("GET", "/v1/jobs/{id}/solution", query: ["format", "quantity"], gridSizes: true, solution)
        for picture in JobPicture.allCases {
            route("GET", "/v1/jobs/{id}/\(picture.rawValue).png", query: ["width", "height", "output", "scale"],
                  gridSizes: true, self.picture(picture))
        }
        route("GET", "/v1/jobs/{id}/model", model)
        route("GET", "/v1/jobs/{id}/model.onnx", modelONNX)
        route("POST", "/v1/jobs/{id}/predict", predict)
        route("POST", "/v1/studies", query: ["shared"], submitStudy)
        route("GET", "/v1/studies", query: ["limit", "offset"], listStudies)
        route("GET", "/v1/studies/{id}", studyStatus)
        route("DELETE", "/v1/studies/{id}", deleteStudy)
        route("POST", "/v1/studies/{id}/cancel", cancelStudy)
        route("GET", "/v1/studies/{id}/errors.png", query: ["width", "height", "x"], studyErrorsPicture)
        // The dashboard's files, embedded in the binary, are the only files served; they hold no data, and the page
        // asks for a token. A name is looked up among them, never in the file system.
        route("GET", "/", isPublic: true) { _ in try DashboardAssets.response(for: "index.html") }
        route("GET", "/dashboard/{file}", isPublic: true) { request in
            try DashboardAssets.response(for: request.pathParameters["file"] ?? "")
        }
        route("GET", "/v1/presets", presets)
        route("GET", "/v1/presets/{name}", preset)
        route("GET", "/healthz", isPublic: true) { _ in .json(data: Data(#"{"status":"ok"}"#.utf8)) }
        route("GET", "/metrics") { [self] _ in try .text(metrics.prometheus(store: store, pool: pool, eventStreams: events.count)) }
        cors.apply(to: &router)
        return router
    }

    // MARK: - Handlers

    func submit(_ request: HTTPRequest) throws -> HTTPResponse {
        let caller = try access.caller(of: request)
        let shared = try flag(request, "shared")
        var spec = try JobSpecParser.parse(Data(request.body), limits: limits.spec)
        spec.training.threads = min(spec.training.threads, limits.coresPerJob)
        let queued = try store.counts()[.queued] ?? 0
        guard queued < limits.maxQueuedJobs else {
            throw HTTPError(status: 429, message: "the queue is full (\(queued) jobs waiting); retry later",
                            headers: ["Retry-After": "30"])
        }
        let job = try store.create(spec: spec, priority: 0, owner: caller.name, shared: shared)
        pool.notify()
        return .json(status: 202, data: encode(JobView(job)))
    }

    func list(_ request: HTTPRequest) throws -> HTTPResponse {
        let status = try request.query["status"].map { name in
            guard let status = JobStatus(rawValue: name) else {
                throw HTTPError(status: 400, message: "status: must be one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return status
        }
        let limit = try integer(request, "limit", default: 50, 1...1000)
        let offset = try integer(request, "offset", default: 0, 0...Int.max)
        let jobs = try store.list(status: status, visibility: try access.caller(of: request).visibility,
                                  limit: limit, offset: offset)
        let page = JobPage(jobs: jobs.map { JobView($0) }, limit: limit, offset: offset,
                           next: jobs.count == limit ? "/v1/jobs?limit=\(limit)&offset=\(offset + limit)"
                               + (status.map { "&status=\($0.rawValue)" } ?? "") : nil)
        return .json(data: encode(page))
    }

    func status(_ request: HTTPRequest) throws -> HTTPResponse {
        .json(data: encodeJob(try job(request)))
    }

    /// `POST /v1/jobs/{id}/cancel`: a queued job is cancelled at once, a running one stops within an iteration
    /// (202 and the status document either way); a finished job is a 409.
    func cancel(_ request: HTTPRequest) throws -> HTTPResponse {
        let job = try job(request)
        try access.requireOwner(try access.caller(of: request), of: job)
        return try cancel(job)
    }

    /// `DELETE /v1/jobs/{id}`: removes the job and all its data (a queued or running job is cancelled first, so a
    /// worker stops training it); afterwards every route of the job answers 404 and its event streams end with
    /// `deleted`. `?purge=true` is the same (it was how a job was removed before DELETE meant it). Deprecated:
    /// `?purge=false` keeps the old meaning of DELETE, cancelling without removing, and says so in `Deprecation` and
    /// `Link`.
    func delete(_ request: HTTPRequest) throws -> HTTPResponse {
        let job = try job(request)
        let purge = try request.query["purge"] == nil || flag(request, "purge")
        try access.requireOwner(try access.caller(of: request), of: job)
        guard purge else {
            var response = try cancel(job)
            response.headers.add(name: "Deprecation", value: "true")
            response.headers.add(name: "Link", value: "</v1/jobs/\(job.id)/cancel>; rel=\"successor-version\"")
            return response
        }
        pool.cancel(jobID: job.id)
        try store.delete(jobID: job.id)
        return .json(data: Data(#"{"deleted":true,"id":"\#(job.id)","purged":true}"#.utf8))
    }

    private func cancel(_ job: JobRecord) throws -> HTTPResponse {
        guard try stop(job) else {
            throw HTTPError(status: 409, message: "job \(job.id) has already finished (\(job.status.rawValue)); "
                            + "DELETE /v1/jobs/\(job.id) removes it")
        }
        return .json(status: 202, data: encode(JobView(try store.job(id: job.id) ?? job)))
    }

    /// Cancels a queued job at once and tells the worker of a running one to stop (within an iteration); false when
    /// the job had already finished. Jobs and studies cancel through here.
    func stop(_ job: JobRecord) throws -> Bool {
        guard !job.status.isTerminal else { return false }
        if !pool.cancel(jobID: job.id) || job.status == .queued {
            do {
                try store.markFinished(jobID: job.id, status: .cancelled, failure: nil, relativeL2: nil)
            } catch {
                // It finished (or a worker took it and was told to stop) between the read and this write.
                guard case .invalidTransition = error else { throw error }
            }
        }
        return true
    }

    func presets(_ request: HTTPRequest) throws -> HTTPResponse {
        struct Entry: Encodable { let name: String; let summary: String; let link: String }
        return .json(data: encode(["presets": ProblemPresets.all.map {
            Entry(name: $0.name, summary: $0.summary, link: "/v1/presets/\($0.name)")
        }]))
    }

    /// A preset's normalised spec: a complete job to submit as is, or to edit and submit inline.
    func preset(_ request: HTTPRequest) throws -> HTTPResponse {
        let name = request.pathParameters["name"] ?? ""
        guard let spec = ProblemPresets.spec(named: name) else {
            throw HTTPError(status: 404, message: "no preset \"\(name)\" (known: \(ProblemPresets.names.joined(separator: ", ")))")
        }
        return .json(data: encode(spec))
    }

    func losses(_ request: HTTPRequest) throws -> HTTPResponse {
        let job = try job(request)
        let records = try store.losses(jobID: job.id, from: try integer(request, "from", default: 0, 0...Int.max),
                                       every: try integer(request, "every", default: 1, 1...Int.max))
        let terms = job.spec.termNames
        let learned = job.spec.problem.learned.map(\.name)
        if try wantsCSV(request) {
            return .bytes(contentType: "text/csv; charset=utf-8",
                          Array(HistoryCSV.losses(records, termNames: terms, learned: learned).utf8))
        }
        return .json(data: encode(LossHistory(id: job.id, terms: terms, records: records)))
    }

    func slopes(_ request: HTTPRequest) throws -> HTTPResponse {
        let job = try job(request)
        let records = try store.slopes(jobID: job.id, from: try integer(request, "from", default: 0, 0...Int.max),
                                       every: try integer(request, "every", default: 1, 1...Int.max))
        if try wantsCSV(request) {
            return .bytes(contentType: "text/csv; charset=utf-8", Array(HistoryCSV.slopes(records).utf8))
        }
        return .json(data: encode(SlopeHistory(id: job.id, adaptive: job.spec.network.adaptive.rawValue,
                                               scale: job.spec.network.scale, records: records)))
    }

    func errors(_ request: HTTPRequest) throws -> HTTPResponse {
        let job = try job(request)
        let records = try store.errors(jobID: job.id, from: try integer(request, "from", default: 0, 0...Int.max),
                                       every: try integer(request, "every", default: 1, 1...Int.max))
        let outputs = job.spec.problem.outputs
        if try wantsCSV(request) {
            return .bytes(contentType: "text/csv; charset=utf-8", Array(HistoryCSV.errors(records, outputs: outputs).utf8))
        }
        return .json(data: encode(ErrorHistory(id: job.id, outputs: outputs, records: records)))
    }

    /// Server-Sent Events from `Last-Event-ID` (header) or `lastEventId` (query), else from `since` (an
    /// iteration), else from the start of the job's history.
    func eventStream(_ request: HTTPRequest) throws -> HTTPResponse {
        let job = try job(request)
        // Every value given is checked, whichever wins: the header (an EventSource reconnecting keeps the URL's
        // `since`), then `lastEventId`, then `since`.
        var cursors: [EventCursor] = []
        for (name, text) in [("Last-Event-ID", request.headers["Last-Event-ID"]), ("lastEventId", request.query["lastEventId"])] {
            guard let text else { continue }
            guard let parsed = EventCursor(text: text) else {
                throw HTTPError(status: 400, message: "\(name): \"\(text)\" is not an id this server sent")
            }
            cursors.append(parsed)
        }
        let since = try request.query["since"].map { _ in try integer(request, "since", default: 0, 0...Int.max) }
        let cursor = cursors.first ?? since.map(EventCursor.init(since:)) ?? EventCursor()
        let stream = HTTPStream()
        events.add(jobID: job.id, stream: stream, cursor: cursor)
        return .eventStream(stream)
    }

    // MARK: - Helpers

    /// The job the path names, if the caller may see it: another's unshared job is a 404 with the same message as
    /// an unknown id, so whether an id exists is not revealed.
    func job(_ request: HTTPRequest) throws -> JobRecord {
        let id = request.pathParameters["id"] ?? ""
        guard let job = try store.job(id: id), try access.caller(of: request).visibility.admits(job) else {
            throw HTTPError(status: 404, message: "no job with id \"\(id)\"")
        }
        return job
    }

    /// A boolean query parameter: `true` or `false`, absent is false; anything else is a 400 naming it.
    func flag(_ request: HTTPRequest, _ name: String) throws -> Bool {
        guard let text = request.query[name] else { return false }
        guard text == "true" || text == "false" else {
            throw HTTPError(status: 400, message: "\(name): must be true or false, got \"\(text)\"")
        }
        return text == "true"
    }

    func integer(_ request: HTTPRequest, _ name: String, default value: Int, _ range: ClosedRange<Int>) throws -> Int {
        guard let text = request.query[name] else { return value }
        guard let n = Int(text), range.contains(n) else {
            throw HTTPError(status: 400, message: "\(name): must be an integer in \(range.lowerBound)...\(range.upperBound == Int.max ? "" : "\(range.upperBound)"), got \"\(text)\"")
        }
        return n
    }

    /// `format=csv` (or `Accept: text/csv`); any format but `json` and `csv` is a 400.
    func wantsCSV(_ request: HTTPRequest) throws -> Bool {
        if let format = request.query["format"] {
            guard format == "json" || format == "csv" else {
                throw HTTPError(status: 400, message: "format: must be json or csv, got \"\(format)\"")
            }
            return format == "csv"
        }
        return (request.headers["Accept"] ?? "").contains("text/csv")
    }

    /// A job's status document: the changing fields encoded now, the spec's cached encoding spliced in front
    /// (`{"spec":…,` + the rest of the object).
    private func encodeJob(_ job: JobRecord) -> Data {
        let spec = encodedSpecs.withLock { cache in
            if let data = cache[job.id] { return data }
            let data = encode(job.spec)
            if cache.count > 10_000 { cache.removeAll() }
            cache[job.id] = data
            return data
        }
        let rest = encode(JobView(job, includingSpec: false))
        return Data(#"{"spec":"#.utf8) + spec + Data(",".utf8) + rest.dropFirst()
    }

    func encode<T: Encodable>(_ value: T) -> Data { Self.encoded(value) }

    /// The API's JSON: sorted keys, ISO 8601 dates, non-finite numbers as the strings "NaN"/"Infinity" (records
    /// may hold a diverged loss). Encoding fails only for a value whose own `encode` throws, which no API type does;
    /// the fallback keeps the server up regardless.
    static func encoded(_ value: any Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return (try? encoder.encode(value)) ?? Data(#"{"error":{"status":500,"message":"unencodable value"}}"#.utf8)
    }
}
