import Foundation
import HTTPServer
import Testing
import PINN
import PINNStore
import PINNTestSupport
@testable import PINNService

/// The study routes through the router: a small study of tiny Burgers jobs trained by a real pool, its summary
/// checked against the jobs' own documents and stored histories; bad studies; cancel; delete; the PNG.
@Suite struct StudiesAPITests {
    /// Four jobs of a few Adam iterations on [8, 8], evaluated every 10 iterations.
    static let study = """
    {"name": "tiny adaptive comparison",
     "base": {"problem": "burgers", "network": {"layers": [8, 8]},
              "training": {"collocationPoints": 200, "boundaryPoints": 40, "threads": 1, "logEvery": 5, "evaluateEvery": 10,
                           "resampling": null, "phases": [{"optimizer": "adam", "iterations": 60, "learningRate": 0.01}]},
              "output": {"grid": {"x": 17, "t": 5}}},
     "variations": {"network.adaptive": ["fixed", "layer"]},
     "seeds": 2}
    """

    let path = WorkerPoolTests.temporaryStorePath()
    let store: SQLiteJobStore
    let pool: WorkerPool
    let router: Router

    init() throws {
        store = try SQLiteJobStore(path: path)
        pool = WorkerPool(store: store, configuration: .init(workers: 2, pollSeconds: 0.05))
        router = JobsAPI(store: store, pool: pool, limits: .init(maxQueuedJobs: 6, coresPerJob: 1)).router()
    }

    func send(_ method: String, _ path: String, query: [String: String] = [:], body: String = "") -> (Int, [String: Any]) {
        let response = router.respond(to: HTTPRequest(method: method, path: path, query: query, body: Array(body.utf8)))
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status, json)
    }

    func issues(_ body: [String: Any]) -> [String] {
        (((body["error"] as? [String: Any])?["issues"] as? [[String: String]]) ?? []).compactMap { $0["field"] }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted(), n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    @Test func aStudyRunsItsJobsAndItsSummaryIsRecomputedFromTheJobs() throws {
        let (status, submitted) = send("POST", "/v1/studies", body: Self.study)
        #expect(status == 202)
        #expect(submitted["jobs"] as? Int == 4 && submitted["status"] as? String == "queued")
        let id = try #require(submitted["id"] as? String)
        try pool.start()
        defer { pool.shutdown() }
        #expect(try WorkerPoolTests.waitUntil(120) { send("GET", "/v1/studies/\(id)").1["status"] as? String == "finished" })
        let study = send("GET", "/v1/studies/\(id)").1
        #expect((study["counts"] as? [String: Int])?["succeeded"] == 4)
        #expect(study["seeds"] as? [Int] == [0, 1])
        let cells = try #require(study["cells"] as? [[String: Any]])
        #expect(cells.map { $0["values"] as? [String: String] } == [["network.adaptive": "fixed"], ["network.adaptive": "layer"]])
        for cell in cells {
            let runs = try #require(cell["runs"] as? [[String: Any]])
            #expect(runs.map { $0["seed"] as? Int } == [0, 1])
            var finals: [Double] = [], firstBelowTenth: [Double] = []
            for run in runs {
                let jobID = try #require(run["id"] as? String)
                let job = send("GET", "/v1/jobs/\(jobID)").1
                #expect((job["spec"] as? [String: Any]).flatMap { ($0["network"] as? [String: Any])?["adaptive"] as? String }
                        == (cell["values"] as? [String: String])?["network.adaptive"])
                // The final error is the job's own, and the last of its stored errors.
                let records = try #require(send("GET", "/v1/jobs/\(jobID)/errors").1["records"] as? [[String: Any]])
                let stored = try #require(records.last?["relativeL2"] as? Double)
                let final = try #require(run["finalError"] as? Double)
                #expect(final == (job["error"] as? [String: Any])?["relativeL2"] as? Double)
                #expect(final == stored)
                finals.append(stored)
                if let first = records.first(where: { ($0["relativeL2"] as? Double ?? 1) <= 0.1 }) {
                    firstBelowTenth.append(Double(first["iteration"] as? Int ?? -1))
                }
            }
            let spread = try #require(cell["finalError"] as? [String: Any])
            // Through JSON (JSONSerialization may drop a last digit): equal to the median computed here, to rounding.
            let median = try #require(spread["median"] as? Double)
            #expect(abs(median - Self.median(finals)) <= 1e-14 * abs(median))
            #expect(spread["min"] as? Double == finals.min() && spread["max"] as? Double == finals.max())
            #expect(spread["count"] as? Int == 2)
            let decade = try #require((cell["decades"] as? [[String: Any]])?.first)
            #expect(decade["threshold"] as? Double == 0.1 && decade["runs"] as? Int == 2)
            #expect(decade["reached"] as? Int == firstBelowTenth.count)
            if !firstBelowTenth.isEmpty {
                let iterations = try #require((decade["iterations"] as? [String: Any])?["median"] as? Double)
                #expect(abs(iterations - Self.median(firstBelowTenth)) <= 1e-9)
            }
        }

        for x in ["seconds", "iteration"] {
            let response = router.respond(to: HTTPRequest(method: "GET", path: "/v1/studies/\(id)/errors.png",
                                                          query: ["x": x, "width": "400", "height": "300"]))
            #expect(response.status == 200 && response.headers["Content-Type"] == "image/png")
            let png = try DecodedPNG(response.body)
            #expect(png.width == 400 && png.height == 300)
        }
        #expect(send("GET", "/v1/studies/\(id)/errors.png", query: ["x": "epochs"]).0 == 400)
        let listed = try #require(send("GET", "/v1/studies").1["studies"] as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [id] && listed.first?["cells"] as? Int == 2)
    }

    @Test func anInvalidCellRejectsTheWholeStudyNamingTheVariationAndValue() throws {
        let body = Self.study.replacingOccurrences(of: #"["fixed", "layer"]"#, with: #"["fixed", "layer", "sideways"]"#)
            .replacingOccurrences(of: #""seeds": 2"#, with: #""seeds": 1"#)
        let (status, answer) = send("POST", "/v1/studies", body: body)
        #expect(status == 400)
        #expect(issues(answer) == [#"variations["network.adaptive"][2]"#])
        #expect((answer["error"] as? [String: Any])?["message"] as? String == "invalid study: 1 problem(s)")
        #expect(try store.counts()[.queued] == 0)
    }

    @Test func aBadBaseOrDocumentIs400NamingEachField() {
        let badBase = Self.study.replacingOccurrences(of: #""iterations": 60"#, with: #""iterations": -1"#)
        #expect(issues(send("POST", "/v1/studies", body: badBase).1) == ["base.training.phases[0].iterations"])
        #expect(Set(issues(send("POST", "/v1/studies", body: #"{"base": {"problem": "burgers"}, "seeds": "x", "grid": {}}"#).1))
                == ["seeds", "grid"])
        #expect(issues(send("POST", "/v1/studies", body: "not json").1) == ["$"])
    }

    @Test func aStudyLargerThanTheQueueIs400AndOneThatDoesNotFitNowIs429() throws {
        let big = Self.study.replacingOccurrences(of: #""seeds": 2"#, with: #""seeds": 4"#)
        let (status, answer) = send("POST", "/v1/studies", body: big)
        #expect(status == 400 && issues(answer) == ["variations"])
        #expect(send("POST", "/v1/studies", body: Self.study).0 == 202)
        let response = router.respond(to: HTTPRequest(method: "POST", path: "/v1/studies", body: Array(Self.study.utf8)))
        #expect(response.status == 429 && response.headers["Retry-After"] == "30")
    }

    @Test func cancellingAStudyCancelsItsUnfinishedJobs() throws {
        let id = try #require(send("POST", "/v1/studies", body: Self.study).1["id"] as? String)
        let (status, answer) = send("POST", "/v1/studies/\(id)/cancel")
        #expect(status == 202)
        #expect(answer["status"] as? String == "finished" && (answer["counts"] as? [String: Int])?["cancelled"] == 4)
        for job in try store.list() { #expect(job.status == .cancelled) }
        #expect(send("POST", "/v1/studies/\(id)/cancel").0 == 202)   // again: nothing left to cancel
    }

    @Test func deletingAStudyRemovesItAndItsJobs() throws {
        let id = try #require(send("POST", "/v1/studies", body: Self.study).1["id"] as? String)
        let jobIDs = try #require(try store.study(id: id)?.runs.map(\.jobID))
        let (status, answer) = send("DELETE", "/v1/studies/\(id)")
        #expect(status == 200 && answer["deleted"] as? Bool == true && answer["jobs"] as? Int == 4)
        #expect(send("GET", "/v1/studies/\(id)").0 == 404)
        for jobID in jobIDs { #expect(send("GET", "/v1/jobs/\(jobID)").0 == 404) }
        #expect(send("DELETE", "/v1/studies/\(id)").0 == 404)
        #expect(send("GET", "/v1/studies/\(id)/errors.png").0 == 404)
    }

    @Test func aStudySurvivesARestartOfTheServer() throws {
        let id = try #require(send("POST", "/v1/studies", body: Self.study).1["id"] as? String)
        let before = send("GET", "/v1/studies/\(id)").1
        store.close()
        let reopened = try SQLiteJobStore(path: path)
        let restarted = JobsAPI(store: reopened, pool: WorkerPool(store: reopened)).router()
        let response = restarted.respond(to: HTTPRequest(method: "GET", path: "/v1/studies/\(id)"))
        #expect(response.status == 200)
        let after = (try JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        #expect(after["name"] as? String == "tiny adaptive comparison" && after["jobs"] as? Int == 4)
        let runIDs = { (study: [String: Any]) in ((study["cells"] as? [[String: Any]]) ?? []).flatMap { ($0["runs"] as? [[String: Any]]) ?? [] }.compactMap { $0["id"] as? String } }
        #expect(runIDs(after) == runIDs(before) && runIDs(after).count == 4)
    }

    @Test func aStudyWithoutEvaluationsHasNoPictureYet() throws {
        let id = try #require(send("POST", "/v1/studies", body: Self.study).1["id"] as? String)
        #expect(send("GET", "/v1/studies/\(id)/errors.png").0 == 409)
    }
}
