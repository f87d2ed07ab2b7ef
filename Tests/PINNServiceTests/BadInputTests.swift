import Foundation
import HTTPServer
import Testing
import PINN
import PINNStore
@testable import PINNService

/// Every class of bad input on every route (issue 11): malformed JSON, wrong types, out-of-range numbers, NaN and
/// Infinity literals, unknown members and query parameters, deep nesting, invalid UTF-8, unknown ids, bad query
/// values. Each must be a 4xx JSON error whose message names the problem — never a 5xx, never a crash.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let method: String
        let path: String
        let query: [String: String]
        let headers: [String: String]
        let body: [UInt8]
        let status: Int
        /// A piece of the message that names the problem.
        let mentions: String
        var testDescription: String {
            "\(method) \(path)\(query.isEmpty ? "" : "?" + query.map { "\($0)=\($1)" }.sorted().joined(separator: "&")) "
                + String(decoding: body.prefix(40), as: UTF8.self)
        }

        init(_ method: String, _ path: String, query: [String: String] = [:], headers: [String: String] = [:],
             body: String = "", bytes: [UInt8]? = nil, _ status: Int, _ mentions: String) {
            (self.method, self.path, self.query, self.headers) = (method, path, query, headers)
            self.body = bytes ?? Array(body.utf8)
            (self.status, self.mentions) = (status, mentions)
        }
    }

    /// A succeeded job with a stored network (so the solution routes have something to evaluate) and a queued one.
    static let done = "done", queued = "queued"

    static func api() throws -> (Router, SQLiteJobStore, done: String, queued: String) {
        let store = try SQLiteJobStore.inMemory()
        var spec = ProblemPresets.spec(named: "burgers")!
        spec.network.layers = [4]
        spec.output.grid = ["x": 5, "t": 3]
        let done = try store.create(spec: spec).id
        try store.markRunning(jobID: done)
        var generator = SeededGenerator(seed: 1)
        let network = Network<Double>(architecture: spec.architecture,
                                      lower: [-1, 0], upper: [1, 1], generator: &generator)
        try store.saveResult(jobID: done, parameters: network.parameters, solution: nil)
        try store.markFinished(jobID: done, status: .succeeded, failure: nil, relativeL2: 0.5)
        let queued = try store.create(spec: spec).id
        let api = JobsAPI(store: store, pool: WorkerPool(store: store), limits: .init(maxQueuedJobs: 100))
        return (api.router(), store, done, queued)
    }

    static let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)

    static let cases: [Case] = {
        let d = "/v1/jobs/\(done)"
        var cases: [Case] = [
            // Submissions.
            Case("POST", "/v1/jobs", body: #"{"problem": "burgers""#, 400, "JSON"),
            Case("POST", "/v1/jobs", body: "", 400, "JSON"),
            Case("POST", "/v1/jobs", body: "[1, 2]", 400, "object"),
            Case("POST", "/v1/jobs", body: #"{"problem": 7}"#, 400, "problem"),
            Case("POST", "/v1/jobs", body: #"{"problem": "burgers", "training": {"seed": "x"}}"#, 400, "training.seed"),
            Case("POST", "/v1/jobs", body: #"{"problem": "burgers", "training": {"seed": 1e300}}"#, 400, "training.seed"),
            Case("POST", "/v1/jobs", body: #"{"problem": "burgers", "training": {"seed": 9007199254740993}}"#, 400, "training.seed"),
            Case("POST", "/v1/jobs", body: #"{"problem": "burgers", "training": {"collocationPoints": -5}}"#, 400, "collocationPoints"),
            Case("POST", "/v1/jobs", body: #"{"problem": "burgers", "training": {"seed": NaN}}"#, 400, "JSON"),
            Case("POST", "/v1/jobs", body: #"{"problem": "burgers", "parameters": {"nu": Infinity}}"#, 400, "JSON"),
            Case("POST", "/v1/jobs", body: #"{"problem": "burgers", "netwrok": {}}"#, 400, "netwrok"),
            Case("POST", "/v1/jobs", body: deep, 400, "JSON"),
            Case("POST", "/v1/jobs", bytes: Array(#"{"problem": "burg"#.utf8) + [0xff, 0xfe] + Array(#"ers"}"#.utf8), 400, "UTF-8"),
            Case("POST", "/v1/jobs", body: #"{"problem": {"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "equations": ["u_x - 1/0"]}}"#, 400, "division by zero"),
            // Listing.
            Case("GET", "/v1/jobs", query: ["status": "done"], 400, "status"),
            Case("GET", "/v1/jobs", query: ["limit": "0"], 400, "limit"),
            Case("GET", "/v1/jobs", query: ["limit": "abc"], 400, "limit"),
            Case("GET", "/v1/jobs", query: ["offset": "-1"], 400, "offset"),
            Case("GET", "/v1/jobs", query: ["offset": "99999999999999999999"], 400, "offset"),
            Case("GET", "/v1/jobs", query: ["sort": "id"], 400, "sort"),
            // Unknown ids and presets.
            Case("GET", "/v1/jobs/nope", 404, "nope"),
            Case("DELETE", "/v1/jobs/nope", 404, "nope"),
            Case("GET", "/v1/presets/navier", 404, "navier"),
            Case("POST", "/v1/jobs/nope/cancel", 404, "nope"),
            Case("DELETE", d, query: ["purge": "yes"], 400, "purge"),
            Case("DELETE", d, query: ["cancel": "true"], 400, "cancel"),
            Case("DELETE", d, query: ["purge": "false"], 409, "finished"),
            Case("POST", d + "/cancel", 409, "finished"),
            // Histories.
            Case("GET", d + "/losses", query: ["from": "-1"], 400, "from"),
            Case("GET", d + "/losses", query: ["every": "0"], 400, "every"),
            Case("GET", d + "/slopes", query: ["every": "1.5"], 400, "every"),
            Case("GET", d + "/errors", query: ["from": "x"], 400, "from"),
            Case("GET", d + "/errors", query: ["format": "xml"], 400, "format"),
            Case("GET", d + "/losses", query: ["form": "csv"], 400, "form"),
            // Events.
            Case("GET", d + "/events", headers: ["Last-Event-ID": "l1.0"], 400, "Last-Event-ID"),
            Case("GET", d + "/events", query: ["since": "-3"], 400, "since"),
            // Solution and pictures.
            Case("GET", d + "/solution", query: ["nx": "1"], 400, "nx"),
            Case("GET", d + "/solution", query: ["nx": "100000"], 400, "nx"),
            Case("GET", d + "/solution", query: ["nq": "10"], 400, "nq"),
            Case("GET", d + "/solution", query: ["format": "png"], 400, "format"),
            Case("GET", d + "/solution", query: ["quantity": "exact"], 400, "quantity"),
            Case("GET", d + "/solution", query: ["format": "npy", "quantity": "slope"], 400, "quantity"),
            Case("GET", d + "/solution.png", query: ["width": "99"], 400, "width"),
            Case("GET", d + "/error.png", query: ["height": "4001"], 400, "height"),
            Case("GET", d + "/exact.png", query: ["output": "v"], 400, "output"),
            Case("GET", d + "/error.png", query: ["scale": "sqrt"], 400, "scale"),
            Case("GET", d + "/losses.png", 409, "loss record"),
            Case("GET", "/v1/jobs/\(queued)/model", 409, "checkpoint"),
            Case("GET", "/v1/jobs/\(queued)/solution.png", 409, "checkpoint"),
            // Predict.
            Case("POST", d + "/predict", body: "{", 400, "JSON object"),
            Case("POST", d + "/predict", body: #"{"points": {"x": [0], "t": [NaN]}}"#, 400, "JSON object"),
            Case("POST", d + "/predict", body: #"{"points": {"x": [0], "t": [1e999]}}"#, 400, "points"),
            Case("POST", d + "/predict", body: #"{"points": {"x": [0], "t": ["a"]}}"#, 400, "points.t[0]"),
            Case("POST", d + "/predict", body: #"{"points": {"x": [0, 1], "t": [0]}}"#, 400, "same number"),
            Case("POST", d + "/predict", body: #"{"points": {"x": [0], "t": [0], "y": [0]}}"#, 400, "y"),
            Case("POST", d + "/predict", body: #"{"points": {"x": [0], "t": [0]}, "extra": 1}"#, 400, "extra"),
            Case("POST", d + "/predict", body: #"{"points": {"x": [0], "t": [0]}, "derivatives": ["u_xxxxx"]}"#, 400, "up to order 4"),
            Case("POST", d + "/predict", body: #"{"points": {"x": [0], "t": [0]}, "residuals": "yes"}"#, 400, "residuals"),
            Case("POST", d + "/predict", body: deep, 400, "JSON object"),
            Case("POST", d + "/predict", bytes: [0x7b, 0xff, 0x7d], 400, "JSON object"),
            Case("POST", "/v1/jobs/nope/predict", body: "{}", 404, "nope"),
            // Methods and paths.
            Case("PUT", "/v1/jobs", 405, "PUT"),
            Case("GET", "/v1/nothing", 404, "/v1/nothing"),
        ]
        for route in ["losses", "slopes", "errors", "events", "solution", "model", "solution.png", "losses.png"] {
            cases.append(Case("GET", "/v1/jobs/nope/\(route)", 404, "nope"))
        }
        return cases
    }()

    @Test(arguments: cases)
    func answersWithA4xxThatNamesTheProblem(_ bad: Case) throws {
        let (router, _, done, queued) = try Self.api()
        let path = bad.path.replacingOccurrences(of: "/\(Self.done)", with: "/\(done)")
            .replacingOccurrences(of: "/\(Self.queued)", with: "/\(queued)")
        var headers = HTTPHeaders()
        for (name, value) in bad.headers { headers[name] = value }
        let response = router.respond(to: HTTPRequest(method: bad.method, path: path, query: bad.query,
                                                      headers: headers, body: bad.body))
        #expect(response.status == bad.status, "\(String(decoding: response.body, as: UTF8.self))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let message = (json["error"] as? [String: Any])?["message"] as? String ?? ""
        let issues = ((json["error"] as? [String: Any])?["issues"] as? [[String: String]] ?? [])
            .map { "\($0["field"] ?? ""): \($0["message"] ?? "")" }.joined(separator: "; ")
        #expect((message + " " + issues).contains(bad.mentions), "\(message) \(issues)")
    }
}
