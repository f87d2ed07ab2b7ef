import Foundation
import HTTPServer
import Testing
import PINN
import PINNStore
@testable import PINNService

/// Tokens and ownership through the router (docs/api.md, "Authentication"). The oracle of the route table is the
/// open service: with the right token every route answers exactly as it does without tokens; without one, or with
/// a wrong one, the answer is a 401 (or, for a read in `writes` mode, what an anonymous caller may see).
@Suite struct AccessControlTests {
    static let alice = "alice-secret-0123456789"
    static let bob = "bob-secret-abcdefghijkl"
    static let tokens = try! APITokens(["alice": alice, "bob": bob])

    /// A store holding alice's finished job (with a network, so the solution routes answer 200) and her queued
    /// one, and a router over it.
    struct Fixture {
        let store: SQLiteJobStore
        let done: String
        let queued: String
        /// alice's study of one job, which has a history (so its picture has a line to draw).
        let study: String

        init() throws {
            store = try SQLiteJobStore.inMemory()
            var spec = ProblemPresets.spec(named: "burgers")!
            spec.network.layers = [4]
            spec.output.grid = ["x": 5, "t": 3]
            done = try store.create(spec: spec, priority: 0, owner: "alice", shared: false).id
            try store.markRunning(jobID: done)
            var generator = SeededGenerator(seed: 1)
            let network = Network<Double>(architecture: spec.architecture,
                                          lower: [-1, 0], upper: [1, 1], generator: &generator)
            try store.saveResult(jobID: done, parameters: network.parameters, solution: nil)
            // Two records of each history, so every picture has a line to draw.
            try store.appendLosses(jobID: done, [0, 10].map {
                LossRecord(iteration: $0, phase: 0, total: 1, terms: [0.5, 0.25, 0.25], slopeRecovery: 0, seconds: 0)
            }, termNames: spec.termNames)
            try store.appendSlopes(jobID: done, [0, 10].map { SlopeRecord(iteration: $0, phase: 0, slopes: [1], layerMeans: [1]) })
            try store.appendErrors(jobID: done, [0, 10].map {
                ErrorRecord(iteration: $0, phase: 0, relativeL2: 0.5, outputs: ["u": .init(relativeL2: 0.5, maxAbsError: 0.1)])
            })
            try store.markFinished(jobID: done, status: .succeeded, failure: nil, relativeL2: 0.5)
            queued = try store.create(spec: spec, priority: 0, owner: "alice", shared: false).id
            let created = try store.createStudy(name: nil, definition: Data(#"{"base": {"problem": "burgers"}}"#.utf8),
                                                jobs: [(cell: 0, run: 0, spec: spec)], owner: "alice", shared: false)
            study = created.id
            let run = created.runs[0].jobID
            try store.appendLosses(jobID: run, [0, 10].map {
                LossRecord(iteration: $0, phase: 0, total: 1, terms: [0.5, 0.25, 0.25], slopeRecovery: 0, seconds: Double($0))
            }, termNames: spec.termNames)
            try store.appendErrors(jobID: run, [0, 10].map { ErrorRecord(iteration: $0, phase: 0, relativeL2: 0.5, outputs: [:]) })
        }

        func router(_ access: AccessControl) -> Router {
            JobsAPI(store: store, pool: WorkerPool(store: store), limits: .init(maxQueuedJobs: 100), access: access).router()
        }
    }

    struct Route: Sendable, CustomStringConvertible {
        let method: String
        /// `DONE` and `QUEUED` stand for the fixture's jobs, `STUDY` for its study.
        let path: String
        var query: [String: String] = [:]
        var body = ""
        var description: String { "\(method) \(path)" }
        var isPublic: Bool { ["/", "/dashboard/app.js", "/dashboard/app.css", "/healthz"].contains(path) }
        var isWrite: Bool { method != "GET" }
        var namesAJob: Bool { path.contains("DONE") || path.contains("QUEUED") || namesAStudy }
        var namesAStudy: Bool { path.contains("STUDY") }
    }

    /// One request per route the router registers (`everyRouteIsInTheTable` keeps it so).
    static let routes: [Route] = [
        Route(method: "POST", path: "/v1/jobs", body: #"{"problem": "burgers"}"#),
        Route(method: "GET", path: "/v1/jobs"),
        Route(method: "GET", path: "/v1/jobs/DONE"),
        Route(method: "DELETE", path: "/v1/jobs/QUEUED"),
        Route(method: "POST", path: "/v1/jobs/QUEUED/cancel"),
        Route(method: "GET", path: "/v1/jobs/DONE/losses"),
        Route(method: "GET", path: "/v1/jobs/DONE/slopes"),
        Route(method: "GET", path: "/v1/jobs/DONE/errors"),
        Route(method: "GET", path: "/v1/jobs/DONE/events"),
        Route(method: "GET", path: "/v1/jobs/DONE/solution", query: ["nx": "4", "nt": "3"]),
        Route(method: "GET", path: "/v1/jobs/DONE/solution.png", query: ["width": "100", "height": "100"]),
        Route(method: "GET", path: "/v1/jobs/DONE/exact.png", query: ["width": "100", "height": "100"]),
        Route(method: "GET", path: "/v1/jobs/DONE/error.png", query: ["width": "100", "height": "100"]),
        Route(method: "GET", path: "/v1/jobs/DONE/losses.png", query: ["width": "100", "height": "100"]),
        Route(method: "GET", path: "/v1/jobs/DONE/errors.png"),
        Route(method: "GET", path: "/v1/jobs/DONE/slopes.png"),
        Route(method: "GET", path: "/v1/jobs/DONE/model"),
        Route(method: "GET", path: "/v1/jobs/DONE/model.onnx"),
        Route(method: "POST", path: "/v1/jobs/DONE/predict", body: #"{"points": {"x": [0], "t": [0.5]}}"#),
        Route(method: "GET", path: "/"),
        Route(method: "GET", path: "/dashboard/app.js"),
        Route(method: "GET", path: "/dashboard/app.css"),
        Route(method: "GET", path: "/v1/presets"),
        Route(method: "GET", path: "/v1/presets/heat"),
        Route(method: "GET", path: "/healthz"),
        Route(method: "GET", path: "/metrics"),
        Route(method: "POST", path: "/v1/studies",
              body: #"{"base": {"problem": "burgers", "network": {"layers": [4]}}, "variations": {"network.scale": [1, 2]}}"#),
        Route(method: "GET", path: "/v1/studies"),
        Route(method: "GET", path: "/v1/studies/STUDY"),
        Route(method: "POST", path: "/v1/studies/STUDY/cancel"),
        Route(method: "DELETE", path: "/v1/studies/STUDY"),
        Route(method: "GET", path: "/v1/studies/STUDY/errors.png", query: ["width": "100", "height": "100"]),
    ]

    enum Credential: String, CaseIterable, Sendable {
        case none, wrong, shorter, longer, right
        /// The Authorization header: alice's token, or one differing in its last byte, one byte short, one too long.
        var header: String? {
            switch self {
            case .none: nil
            case .wrong: "Bearer " + alice.dropLast() + "X"
            case .shorter: "Bearer " + alice.dropLast()
            case .longer: "Bearer " + alice + "0"
            case .right: "Bearer " + alice
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let route: Route
        let mode: AccessControl.Mode
        let credential: Credential
        var testDescription: String { "\(mode) \(credential) \(route)" }
    }

    static let cases: [Case] = AccessControl.Mode.allCases.flatMap { mode in
        Credential.allCases.flatMap { credential in routes.map { Case(route: $0, mode: mode, credential: credential) } }
    }

    static func send(_ route: Route, to router: Router, fixture: Fixture, authorization: String?) -> HTTPResponse {
        var headers = HTTPHeaders()
        if let authorization { headers["Authorization"] = authorization }
        let path = route.path.replacingOccurrences(of: "DONE", with: fixture.done)
            .replacingOccurrences(of: "QUEUED", with: fixture.queued).replacingOccurrences(of: "STUDY", with: fixture.study)
        return router.respond(to: HTTPRequest(method: route.method, path: path, query: route.query, headers: headers,
                                              body: Array(route.body.utf8)))
    }

    @Test(arguments: cases)
    func eachRouteAnswersAsTheRulesSay(_ test: Case) throws {
        // The oracle: the same request to the same jobs on the open service.
        let open = try Fixture()
        let baseline = Self.send(test.route, to: open.router(AccessControl()), fixture: open, authorization: nil)
        #expect(baseline.status < 400, "the open service answers \(baseline.status)")

        let fixture = try Fixture()
        let response = Self.send(test.route, to: fixture.router(AccessControl(tokens: Self.tokens, mode: test.mode)),
                                 fixture: fixture, authorization: test.credential.header)
        let expected: Int
        switch test.credential {
        case _ where test.route.isPublic, .right: expected = baseline.status
        case .none where test.mode == .writes && !test.route.isWrite:
            // An anonymous reader sees shared and ownerless jobs only; alice's are neither.
            expected = test.route.namesAJob ? 404 : baseline.status
        case .none, .wrong, .shorter, .longer: expected = 401
        }
        #expect(response.status == expected, "\(String(decoding: response.body.prefix(200), as: UTF8.self))")
        if expected == 401 {
            #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            let error = try #require(json["error"] as? [String: Any])
            #expect(error["status"] as? Int == 401)
            #expect((error["message"] as? String)?.isEmpty == false)
            // The message never repeats what was presented.
            #expect(!(error["message"] as? String ?? "").contains("secret"))
        }
        if expected == 404 && test.route.namesAJob {
            let message = ((try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["error"]
                           as? [String: Any])?["message"] as? String
            #expect(message?.hasPrefix(test.route.namesAStudy ? "no study with id" : "no job with id") == true,
                    "the same answer as an unknown id")
        }
    }

    @Test func everyRouteIsInTheTable() throws {
        let fixture = try Fixture()
        let table = Set(Self.routes.map { route -> String in
            let pattern = route.path.replacingOccurrences(of: "DONE", with: "{id}").replacingOccurrences(of: "QUEUED", with: "{id}")
                .replacingOccurrences(of: "STUDY", with: "{id}")
            let named = ["/v1/presets/heat": "/v1/presets/{name}", "/dashboard/app.js": "/dashboard/{file}",
                         "/dashboard/app.css": "/dashboard/{file}"]
            return route.method + " " + (named[pattern] ?? pattern)
        })
        #expect(table == Set(fixture.router(AccessControl()).patterns))
    }

    @Test func aMalformedAuthorizationHeaderIs401NamingTheExpectedForm() throws {
        let fixture = try Fixture()
        let router = fixture.router(AccessControl(tokens: Self.tokens, mode: .writes))
        for header in ["Basic YWxpY2U6eA==", "Bearer", "Bearer ", Self.alice] {
            let response = Self.send(Route(method: "GET", path: "/v1/jobs"), to: router, fixture: fixture, authorization: header)
            #expect(response.status == 401, "\(header)")
            #expect(response.headers["WWW-Authenticate"]?.contains("error=") == true)
        }
        let lowercase = Self.send(Route(method: "GET", path: "/v1/jobs"), to: router, fixture: fixture,
                                  authorization: "bearer " + Self.alice)
        #expect(lowercase.status == 200, "the scheme is case-insensitive")
    }
}

/// Owners and shared jobs between two token holders, alice and bob, through the router.
@Suite struct OwnershipTests {
    let store: SQLiteJobStore
    let router: Router

    init() throws {
        store = try SQLiteJobStore.inMemory()
        router = JobsAPI(store: store, pool: WorkerPool(store: store), limits: .init(maxQueuedJobs: 100),
                         access: AccessControl(tokens: AccessControlTests.tokens, mode: .writes)).router()
    }

    func send(_ method: String, _ path: String, as token: String?, query: [String: String] = [:],
              body: String = "") -> (status: Int, json: [String: Any]) {
        var headers = HTTPHeaders()
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let response = router.respond(to: HTTPRequest(method: method, path: path, query: query, headers: headers,
                                                      body: Array(body.utf8)))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
    }

    func submit(as token: String, shared: Bool? = nil) -> String {
        let answer = send("POST", "/v1/jobs", as: token, query: shared.map { ["shared": "\($0)"] } ?? [:],
                          body: #"{"problem": "burgers"}"#)
        return answer.json["id"] as? String ?? ""
    }

    func listed(as token: String?) -> [String] {
        (send("GET", "/v1/jobs", as: token).json["jobs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func aJobRecordsItsOwnerAndIsNotSharedByDefault() {
        let answer = send("POST", "/v1/jobs", as: AccessControlTests.alice, body: #"{"problem": "burgers"}"#)
        #expect(answer.status == 202)
        #expect(answer.json["owner"] as? String == "alice")
        #expect(answer.json["shared"] as? Bool == false)
        let id = answer.json["id"] as! String
        #expect(send("GET", "/v1/jobs/\(id)", as: AccessControlTests.alice).json["owner"] as? String == "alice")
    }

    @Test func bobCannotSeeListOrCancelAlicesJob() throws {
        let id = submit(as: AccessControlTests.alice)
        let bob = AccessControlTests.bob
        let unknown = send("GET", "/v1/jobs/no-such-id", as: bob)
        for sub in ["", "/losses", "/slopes", "/errors", "/events", "/solution", "/model", "/solution.png", "/losses.png"] {
            let answer = send("GET", "/v1/jobs/\(id)\(sub)", as: bob)
            #expect(answer.status == 404, "\(sub)")
            // Word for word what an unknown id gets, but for the id itself.
            let message = (answer.json["error"] as? [String: Any])?["message"] as? String
            let unknownMessage = (unknown.json["error"] as? [String: Any])?["message"] as? String
            #expect(message == unknownMessage?.replacingOccurrences(of: "no-such-id", with: id))
        }
        #expect(send("POST", "/v1/jobs/\(id)/predict", as: bob, body: #"{"points": {"x": [0], "t": [0]}}"#).status == 404)
        #expect(send("POST", "/v1/jobs/\(id)/cancel", as: bob).status == 404)
        #expect(send("DELETE", "/v1/jobs/\(id)", as: bob).status == 404)
        #expect(!listed(as: bob).contains(id))
        #expect(!listed(as: nil).contains(id))
        // Nothing happened to it.
        #expect(try store.job(id: id)?.status == .queued)
        #expect(listed(as: AccessControlTests.alice) == [id])
    }

    @Test func aSharedJobIsVisibleToAllButCancelledOnlyByItsOwner() throws {
        let id = submit(as: AccessControlTests.alice, shared: true)
        let bob = AccessControlTests.bob
        let view = send("GET", "/v1/jobs/\(id)", as: bob)
        #expect(view.status == 200 && view.json["shared"] as? Bool == true && view.json["owner"] as? String == "alice")
        #expect(send("GET", "/v1/jobs/\(id)/losses", as: bob).status == 200)
        #expect(send("GET", "/v1/jobs/\(id)", as: nil).status == 200, "writes mode: anonymous readers see shared jobs")
        #expect(listed(as: bob) == [id])
        #expect(listed(as: nil) == [id])
        let refused = send("POST", "/v1/jobs/\(id)/cancel", as: bob)
        #expect(refused.status == 403)
        #expect(send("DELETE", "/v1/jobs/\(id)", as: bob).status == 403)
        #expect(try store.job(id: id)?.status == .queued)
        #expect(send("POST", "/v1/jobs/\(id)/cancel", as: AccessControlTests.alice).status == 202)
        #expect(send("DELETE", "/v1/jobs/\(id)", as: AccessControlTests.alice).status == 200)
        #expect(try store.job(id: id) == nil)
    }

    @Test func listingShowsOwnAndSharedJobsOnly() {
        let alicePrivate = submit(as: AccessControlTests.alice)
        let aliceShared = submit(as: AccessControlTests.alice, shared: true)
        let bobPrivate = submit(as: AccessControlTests.bob, shared: false)
        #expect(listed(as: AccessControlTests.alice) == [aliceShared, alicePrivate])
        #expect(listed(as: AccessControlTests.bob) == [bobPrivate, aliceShared])
    }

    @Test func aJobSubmittedWithoutTokensIsVisibleToAllAndAnyTokenMayCancelIt() throws {
        let old = try store.create(spec: ProblemPresets.spec(named: "burgers")!).id
        #expect(send("GET", "/v1/jobs/\(old)", as: AccessControlTests.bob).status == 200)
        #expect(send("POST", "/v1/jobs/\(old)/cancel", as: nil).status == 401)
        #expect(send("POST", "/v1/jobs/\(old)/cancel", as: AccessControlTests.bob).status == 202)
    }

    @Test func sharedMustBeTrueOrFalse() {
        let answer = send("POST", "/v1/jobs", as: AccessControlTests.alice, query: ["shared": "yes"], body: #"{"problem": "burgers"}"#)
        #expect(answer.status == 400)
        #expect(((answer.json["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("shared:") == true)
    }
}

/// Without tokens nothing changes: every job is everyone's.
@Suite struct OpenServiceTests {
    @Test func withoutTokensEveryJobIsVisibleAndSharedIsOnlyRecorded() throws {
        let store = try SQLiteJobStore.inMemory()
        let router = JobsAPI(store: store, pool: WorkerPool(store: store)).router()
        let response = router.respond(to: HTTPRequest(method: "POST", path: "/v1/jobs", query: ["shared": "true"],
                                                      body: Array(#"{"problem": "burgers"}"#.utf8)))
        #expect(response.status == 202)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(json["owner"] == nil && json["shared"] as? Bool == true)
        let id = try #require(json["id"] as? String)
        // A token is not needed, and one that is sent is not checked.
        let read = router.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs/\(id)",
                                                  headers: ["Authorization": "Bearer whatever"]))
        #expect(read.status == 200)
        #expect(router.respond(to: HTTPRequest(method: "POST", path: "/v1/jobs/\(id)/cancel")).status == 202)
    }
}
