import Foundation
import HTTPServer
import Testing
import PINN
import PINNStore
import PINNService

/// The API's handlers through its router, against an in-memory store and a pool that is not started (so
/// submitted jobs stay queued). The real server process is exercised by scripts/e2e-service.sh.
@Suite struct JobsAPITests {
    let store: SQLiteJobStore
    let router: Router

    init() throws {
        store = try SQLiteJobStore.inMemory()
        let pool = WorkerPool(store: store)
        router = JobsAPI(store: store, pool: pool, limits: .init(maxQueuedJobs: 3, coresPerJob: 1)).router()
    }

    func send(_ method: String, _ path: String, query: [String: String] = [:], body: String = "") -> (Int, [String: Any]) {
        let response = router.respond(to: HTTPRequest(method: method, path: path, query: query, body: Array(body.utf8)))
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status, json)
    }

    @Test func submittingAJobAnswers202WithTheNormalisedSpecAndLinks() {
        let (status, body) = send("POST", "/v1/jobs", body: #"{"problem": "burgers", "training": {"threads": 8}}"#)
        #expect(status == 202)
        #expect(body["status"] as? String == "queued")
        let spec = body["spec"] as? [String: Any], training = spec?["training"] as? [String: Any]
        #expect(training?["threads"] as? Int == 1)   // clamped to the server's cores per job
        #expect((spec?["network"] as? [String: Any])?["layers"] as? [Int] == [20, 20, 20, 20])
        let id = body["id"] as! String
        #expect((body["links"] as? [String: Any])?["solution"] as? String == "/v1/jobs/\(id)/solution")
    }

    @Test func theStatusDocumentIsValidJSONWithTheStoredSpec() throws {
        let id = send("POST", "/v1/jobs", body: #"{"problem": "burgers", "training": {"seed": 42}}"#).1["id"] as! String
        for _ in 0..<2 {   // the second read comes from the spec cache
            let response = router.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs/\(id)"))
            struct Status: Decodable { let id: String; let status: String; let spec: JobSpec; let progress: [String: Int] }
            let status = try JSONDecoder().decode(Status.self, from: Data(response.body))
            #expect(status.id == id && status.status == "queued")
            #expect(status.spec == (try store.job(id: id))?.spec)
            #expect(status.progress["totalIterations"] == 5000)
        }
    }

    @Test func anInvalidSpecIs400WithEveryIssueNamingItsField() {
        let (status, body) = send("POST", "/v1/jobs", body: #"{"problem": "burgers", "network": {"activation": "relu"}, "training": {"seed": -2}}"#)
        #expect(status == 400)
        let issues = ((body["error"] as? [String: Any])?["issues"] as? [[String: String]]) ?? []
        #expect(Set(issues.compactMap { $0["field"] }) == ["network.activation", "training.seed"])
    }

    @Test func anInlineProblemWithBadExpressionsIs400NamingTheExpressionAndColumn() {
        let (status, body) = send("POST", "/v1/jobs", body: """
        {"problem": {"inputs": ["x", "t"], "domain": {"x": [0, 1], "t": [0, 1]}, "outputs": ["u"],
                     "equations": ["u_t - u_yy"], "conditions": [{"on": "x = 2", "u": "0"}]}}
        """)
        #expect(status == 400)
        let issues = ((body["error"] as? [String: Any])?["issues"] as? [[String: String]]) ?? []
        #expect(issues.contains { $0["field"] == "problem.equations[0].residual" && $0["message"]!.contains("at column 7") })
        #expect(issues.contains { $0["field"] == "problem.conditions[0].on" })
    }

    @Test func anInlineProblemIsAcceptedAndStoredInFull() throws {
        let (status, body) = send("POST", "/v1/jobs", body: """
        {"problem": {"name": "my-heat", "inputs": ["x", "t"], "domain": {"x": [0, 1], "t": [0, 1]}, "outputs": ["u"],
                     "equations": ["u_t - 0.4*u_xx"], "conditions": [{"on": "t = 0", "u": "sin(pi*x)"}]}}
        """)
        #expect(status == 202)
        let stored = try #require(try store.job(id: body["id"] as! String))
        #expect(stored.spec.problem.name == "my-heat")
        #expect(stored.spec.problem.termNames == ["pde", "initial"])
    }

    @Test func presetsAreListedAndServedAsFullSpecs() throws {
        let (status, body) = send("GET", "/v1/presets")
        #expect(status == 200)
        let names = ((body["presets"] as? [[String: String]]) ?? []).compactMap { $0["name"] }
        #expect(names == ProblemPresets.names)
        let response = router.respond(to: HTTPRequest(method: "GET", path: "/v1/presets/heat"))
        #expect(response.status == 200)
        #expect(try JSONDecoder().decode(JobSpec.self, from: Data(response.body)) == ProblemPresets.spec(named: "heat"))
        #expect(send("GET", "/v1/presets/navier").0 == 404)
    }

    @Test func aFullQueueAnswers429WithRetryAfter() {
        for _ in 0..<3 { #expect(send("POST", "/v1/jobs", body: #"{"problem": "burgers"}"#).0 == 202) }
        let response = router.respond(to: HTTPRequest(method: "POST", path: "/v1/jobs", body: Array(#"{"problem": "burgers"}"#.utf8)))
        #expect(response.status == 429)
        #expect(response.headers["Retry-After"] == "30")
    }

    @Test func listingIsNewestFirstFilteredAndPaginated() throws {
        var ids: [String] = []
        for _ in 0..<3 { ids.append(send("POST", "/v1/jobs", body: #"{"problem": "burgers"}"#).1["id"] as! String) }
        _ = send("POST", "/v1/jobs/\(ids[0])/cancel")
        let (_, page) = send("GET", "/v1/jobs", query: ["status": "queued", "limit": "1"])
        let jobs = page["jobs"] as! [[String: Any]]
        #expect(jobs.map { $0["id"] as! String } == [ids[2]])
        #expect(page["next"] as? String == "/v1/jobs?limit=1&offset=1&status=queued")
        #expect(send("GET", "/v1/jobs", query: ["status": "sleeping"]).0 == 400)
        #expect(send("GET", "/v1/jobs", query: ["limit": "0"]).0 == 400)
    }

    @Test func cancellingAQueuedJobKeepsItAndItsData() throws {
        let id = send("POST", "/v1/jobs", body: #"{"problem": "burgers"}"#).1["id"] as! String
        let (status, body) = send("POST", "/v1/jobs/\(id)/cancel")
        #expect(status == 202 && body["status"] as? String == "cancelled")
        #expect(send("POST", "/v1/jobs/\(id)/cancel").0 == 409)
        #expect(send("GET", "/v1/jobs/\(id)").1["status"] as? String == "cancelled")
        #expect(send("GET", "/v1/jobs/\(id)/solution").0 == 409)
    }

    @Test func deleteRemovesAQueuedJobSoEveryRouteOfItAnswers404() throws {
        let id = send("POST", "/v1/jobs", body: #"{"problem": "burgers"}"#).1["id"] as! String
        let (status, body) = send("DELETE", "/v1/jobs/\(id)")
        #expect(status == 200 && body["id"] as? String == id && body["deleted"] as? Bool == true)
        #expect(try store.job(id: id) == nil)
        for path in ["", "/losses", "/model", "/model.onnx"] { #expect(send("GET", "/v1/jobs/\(id)\(path)").0 == 404, "\(path)") }
        #expect(send("DELETE", "/v1/jobs/\(id)").0 == 404)
        #expect(send("POST", "/v1/jobs/\(id)/cancel").0 == 404)
    }

    @Test func deleteRemovesAFinishedJobAndPurgeTrueIsTheSame() throws {
        for query in [[:], ["purge": "true"]] {
            let id = send("POST", "/v1/jobs", body: #"{"problem": "burgers"}"#).1["id"] as! String
            #expect(send("POST", "/v1/jobs/\(id)/cancel").0 == 202)
            #expect(send("DELETE", "/v1/jobs/\(id)", query: query).0 == 200)
            #expect(send("GET", "/v1/jobs/\(id)").0 == 404)
        }
    }

    @Test func deleteWithPurgeFalseIsTheDeprecatedCancelThatKeepsTheJob() throws {
        let id = send("POST", "/v1/jobs", body: #"{"problem": "burgers"}"#).1["id"] as! String
        let response = router.respond(to: HTTPRequest(method: "DELETE", path: "/v1/jobs/\(id)", query: ["purge": "false"]))
        #expect(response.status == 202)
        #expect(response.headers["Deprecation"] == "true")
        #expect(response.headers["Link"] == "</v1/jobs/\(id)/cancel>; rel=\"successor-version\"")
        #expect(send("GET", "/v1/jobs/\(id)").1["status"] as? String == "cancelled")
        let (status, body) = send("DELETE", "/v1/jobs/\(id)", query: ["purge": "false"])
        #expect(status == 409)
        #expect(((body["error"] as? [String: Any])?["message"] as? String)?.contains("DELETE /v1/jobs/\(id) removes it") == true)
    }

    @Test func unknownJobsAndRoutesAreJSONErrors() {
        let (status, body) = send("GET", "/v1/jobs/nope/losses")
        #expect(status == 404)
        #expect((body["error"] as? [String: Any])?["message"] as? String == "no job with id \"nope\"")
        #expect(send("GET", "/v2/things").0 == 404)
        #expect(send("PUT", "/v1/jobs").0 == 405)
    }
}
