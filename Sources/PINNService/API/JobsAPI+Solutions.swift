import Foundation
import HTTPServer
import PINN
import PINNFigures
import PINNPlot
import PINNStore

/// The handlers that evaluate a job's network: the solution on a grid, its pictures, the model export and
/// predictions at given points. A succeeded (or failed) job answers from its stored result; a running one from its
/// latest checkpoint, so users see the solution form while it trains (`"final": false`).
extension JobsAPI {
    /// The job's network: final when there is a stored result, else the latest checkpoint's.
    func trainedSolution(_ job: JobRecord) throws -> TrainedSolution {
        if job.status != .running, let result = try store.result(jobID: job.id) {
            return try cachedSolution(job.id, iteration: nil) { () throws in
                try TrainedSolution(spec: job.spec, parameters: result.parameters, iteration: job.progress.iteration)
            }
        }
        guard let saved = try store.latestCheckpoint(jobID: job.id) else {
            throw HTTPError(status: 409, message: "job \(job.id) is \(job.status.rawValue) and has no checkpoint yet: "
                            + "its network exists after the first checkpoint or once it has succeeded")
        }
        return try cachedSolution(job.id, iteration: saved.iteration) { () throws in
            let checkpoint = try JSONDecoder().decode(TrainingCheckpoint.self, from: saved.blob)
            return try TrainedSolution(spec: job.spec, parameters: checkpoint.solutionParameters, iteration: checkpoint.iteration,
                                       final: false)
        }
    }

    /// The network on the spec's grid, `n<input>` query values overriding its sizes.
    func solutionOnGrid(_ request: HTTPRequest, _ job: JobRecord) throws -> (TrainedSolution, SolutionOnGrid) {
        let trained = try trainedSolution(job)
        let inputs = job.spec.problem.inputs
        for name in request.query.keys where name.count == 2 && name.first == "n" && !inputs.contains(String(name.last!)) {
            throw HTTPError(status: 400, message: "\(name): \(name.dropFirst()) is not an input of this problem "
                            + "(grid sizes: \(inputs.map { "n\($0)" }.joined(separator: ", ")))")
        }
        var sizes: [String: Int] = [:]
        for name in inputs where request.query["n\(name)"] != nil {
            sizes[name] = try integer(request, "n\(name)", default: 2, 2...limits.maxGridPoints)
        }
        let total = trained.problem.inputs.map { sizes[$0] ?? job.spec.output.grid[$0] ?? 2 }.reduce(1, *)
        guard total <= limits.maxGridPoints * limits.maxGridPoints else {
            throw HTTPError(status: 400, message: "the grid would have \(total) points; at most "
                            + "\(limits.maxGridPoints * limits.maxGridPoints) are served")
        }
        return (trained, trained.onGrid(sizes: sizes))
    }

    func solution(_ request: HTTPRequest) throws -> HTTPResponse {
        let job = try job(request)
        let (trained, solution) = try solutionOnGrid(request, job)
        let format = request.query["format"] ?? ""
        guard request.query["format"] == nil || ["json", "csv", "npy"].contains(format) else {
            throw HTTPError(status: 400, message: "format: must be json, csv or npy (pictures: /v1/jobs/\(job.id)/solution.png), got \"\(format)\"")
        }
        let npy = format == "npy" || (format.isEmpty && (request.headers["Accept"] ?? "").contains("application/x-npy"))
        guard npy || request.query["quantity"] == nil else {
            throw HTTPError(status: 400, message: "quantity: applies to format=npy only (JSON and CSV carry every quantity)")
        }
        if npy {
            let quantity = try request.query["quantity"].map { name in
                guard let q = SolutionOnGrid.Quantity(rawValue: name) else {
                    throw HTTPError(status: 400, message: "quantity: must be one of value, exact, error, absoluteError")
                }
                return q
            } ?? .value
            guard let data = solution.npy(quantity) else {
                throw HTTPError(status: 404, message: "the problem of job \(job.id) has no exact solution")
            }
            return .bytes(contentType: "application/x-npy", Array(data))
        }
        if format == "csv" || (format.isEmpty && (request.headers["Accept"] ?? "").contains("text/csv")) {
            return .bytes(contentType: "text/csv; charset=utf-8", Array(solution.csv()))
        }
        return .json(data: solution.json(extra: ["final": "\(trained.final)",
                                                 "iteration": "\(trained.iteration ?? job.progress.iteration)"]))
    }

    func picture(_ kind: JobPicture) -> @Sendable (HTTPRequest) throws -> HTTPResponse {
        { [self] request in
            let job = try job(request)
            let width = try integer(request, "width", default: 800, 100...4000)
            let height = try integer(request, "height", default: 500, 100...4000)
            let title = "\(job.spec.problem.name) \(job.id.prefix(8))"
            let panel: any Panel
            switch kind {
            case .solution, .exact, .error:
                let (trained, solution) = try solutionOnGrid(request, job)
                guard solution.grid.axes.count == 2 else {
                    throw HTTPError(status: 404, message: "pictures of the solution need a problem over two inputs "
                                    + "(this one has \(solution.grid.axes.count))")
                }
                let name = request.query["output"] ?? solution.outputs[0]
                guard let o = solution.outputs.firstIndex(of: name) else {
                    throw HTTPError(status: 400, message: "output: must be one of \(solution.outputs.joined(separator: ", ")), got \"\(name)\"")
                }
                let scale: AxisScale
                switch request.query["scale"] ?? "linear" {
                case "linear": scale = .linear
                case "log": scale = .log10
                case let other: throw HTTPError(status: 400, message: "scale: must be linear or log, got \"\(other)\"")
                }
                guard let heatmap = SolutionHeatmap.make(solution, output: o, quantity: kind.quantity, colorScale: scale) else {
                    throw HTTPError(status: 404, message: "the problem of job \(job.id) has no exact solution")
                }
                var titled = heatmap
                // A running job's network is a checkpoint: say which (the exact solution does not change).
                if !trained.final && kind == .solution { titled.title += trained.iteration.map { " (iteration \($0))" } ?? "" }
                panel = titled
            case .losses:
                let records = try store.losses(jobID: job.id, from: 0, every: thinning(job))
                guard !records.isEmpty else { throw HTTPError(status: 409, message: "job \(job.id) has no loss record yet") }
                panel = HistoryPlots.losses(records, termNames: job.spec.termNames, title: "\(title): loss")
            case .errors:
                guard job.spec.problem.exact != nil else {
                    throw HTTPError(status: 404, message: "the problem of job \(job.id) has no exact solution")
                }
                let records = try store.errors(jobID: job.id, from: 0, every: 1)
                guard !records.isEmpty else {
                    throw HTTPError(status: 409, message: "job \(job.id) has no evaluation against an exact solution yet")
                }
                panel = HistoryPlots.errors(records, outputs: job.spec.problem.outputs, title: "\(title): error")
            case .slopes:
                let records = try store.slopes(jobID: job.id, from: 0, every: thinning(job))
                guard !records.isEmpty else {
                    throw HTTPError(status: 409, message: "job \(job.id) has no slope record yet (fixed activations have none)")
                }
                panel = HistoryPlots.slopes(records, scale: job.spec.network.scale,
                                            neuronWidths: job.spec.network.adaptive == .neuron ? job.spec.network.layers : nil,
                                            title: "\(title): slopes n·a")
            }
            return .bytes(contentType: "image/png", try panel.png(width: width, height: height))
        }
    }

    /// Every n-th record so a plot draws at most ~2,000 points.
    private func thinning(_ job: JobRecord) -> Int {
        max(1, job.progress.totalIterations / max(job.spec.training.logEvery, 1) / 2000)
    }

    func model(_ request: HTTPRequest) throws -> HTTPResponse {
        let job = try job(request)
        let trained = try trainedSolution(job)
        return .json(data: encode(trained.model))
    }

    /// The same network as an ONNX model (`ModelExport.onnx`), a download named for the job.
    func modelONNX(_ request: HTTPRequest) throws -> HTTPResponse {
        let job = try job(request)
        var response = HTTPResponse.bytes(contentType: "application/octet-stream",
                                          try trainedSolution(job).model.onnx.serialized())
        response.headers.add(name: "Content-Disposition", value: "attachment; filename=\"\(job.id).onnx\"")
        return response
    }

    /// `{"points": {"t": […], "x": […]}, "derivatives": ["u_x", …], "residuals": true}`
    func predict(_ request: HTTPRequest) throws -> HTTPResponse {
        let job = try job(request)
        let trained = try trainedSolution(job)
        let body = try PredictRequest.parse(Data(request.body), inputs: trained.problem.inputs,
                                            maxPoints: limits.maxPredictPoints)
        let prediction: Prediction
        do {
            prediction = try trained.predict(points: body.points, derivatives: body.derivatives, residuals: body.residuals)
        } catch {
            throw HTTPError(status: 400, message: error.issues.map(\.description).joined(separator: "; "))
        }
        var object: [String: JSONValue] = ["count": .number(Double(prediction.count))]
        for (name, values) in prediction.fields { object[name] = .array(values.map(JSONValue.finite)) }
        if body.residuals {
            object["residuals"] = .object(Dictionary(uniqueKeysWithValues: prediction.residuals.map {
                ($0.name, JSONValue.array($0.values.map(JSONValue.finite)))
            }))
        }
        object["iteration"] = .number(Double(trained.iteration ?? job.progress.iteration))
        object["final"] = .bool(trained.final)
        return .json(data: encode(JSONValue.object(object)))
    }

    /// A few decoded networks, so a dashboard's three pictures and its line cuts decode a checkpoint once.
    private func cachedSolution(_ id: String, iteration: Int?, _ make: () throws -> TrainedSolution) throws -> TrainedSolution {
        let key = "\(id)@\(iteration ?? -1)"
        if let cached = solutions.withLock({ $0.first { $0.key == key }?.value }) { return cached }
        let made: TrainedSolution
        do { made = try make() } catch let error as JobSpecError {
            throw HTTPError(status: 500, message: "job \(id): its stored network cannot be rebuilt: \(error)")
        }
        solutions.withLock { cache in
            cache.removeAll { $0.key == key }
            cache.append((key, made))
            if cache.count > 8 { cache.removeFirst() }
        }
        return made
    }
}

/// The body of `POST /v1/jobs/{id}/predict`, validated: every input's coordinates, the same count each.
struct PredictRequest {
    let points: [Double]
    let derivatives: [String]
    let residuals: Bool

    private struct Body: Decodable {
        let points: [String: [Double]]
        let derivatives: [String]?
        let residuals: Bool?
    }

    static func parse(_ data: Data, inputs: [String], maxPoints: Int) throws -> PredictRequest {
        func bad(_ message: String) -> HTTPError { HTTPError(status: 400, message: message) }
        let shape = "{\"points\": {\(inputs.map { "\"\($0)\": [...]" }.joined(separator: ", "))}, "
            + "\"derivatives\": [\"u_x\", ...], \"residuals\": true}"
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw bad("the body must be a JSON object \(shape)")
        }
        let unknown = Set(object.keys).subtracting(["points", "derivatives", "residuals"])
        guard unknown.isEmpty else { throw bad("unknown field(s) \(unknown.sorted().joined(separator: ", ")); expected \(shape)") }
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().dropFirst()
            throw bad("\(path): wrong type; expected \(shape)")
        } catch DecodingError.keyNotFound(let key, _) {
            throw bad("\(key.stringValue): missing; expected \(shape)")
        } catch {
            throw bad("the body does not read as \(shape)")
        }
        let extra = Set(body.points.keys).subtracting(inputs)
        guard extra.isEmpty else {
            throw bad("points: unknown input(s) \(extra.sorted().joined(separator: ", ")) (inputs: \(inputs.joined(separator: ", ")))")
        }
        var columns: [[Double]] = []
        for name in inputs {
            guard let column = body.points[name] else { throw bad("points.\(name): missing (inputs: \(inputs.joined(separator: ", ")))") }
            columns.append(column)
        }
        let count = columns.first?.count ?? 0
        guard columns.allSatisfy({ $0.count == count }) else {
            throw bad("points: every input needs the same number of coordinates (got \(columns.map(\.count)))")
        }
        guard count <= maxPoints else { throw bad("points: at most \(maxPoints) points per request, got \(count)") }
        var points = [Double](repeating: 0, count: count * inputs.count)
        for i in 0..<count { for j in inputs.indices { points[i * inputs.count + j] = columns[j][i] } }
        return PredictRequest(points: points, derivatives: body.derivatives ?? [], residuals: body.residuals ?? false)
    }
}
