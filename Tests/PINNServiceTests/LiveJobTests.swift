import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import PINN
import PINNTestSupport
import Locking
@testable import PINNService

/// A real server (HTTP, pool, SQLite) training a small Burgers job, watched the way users watch one: the live
/// error in the status, the event stream (many at once, and a reconnect with Last-Event-ID), the pictures, the
/// model export and predictions — checked against the stored histories and the solution grid.
@Suite(.serialized) struct LiveJobTests {
    struct Fetched { let status: Int; let body: Data; let contentType: String }

    /// Sessions of their own: URLSession queues requests beyond a few per host, which would measure the client.
    static func session() -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 100
        return URLSession(configuration: configuration)
    }
    static let streamSession = session()
    static let requestSession = session()

    /// One request, synchronously (the stream routes answer once the job has ended).
    static func fetch(_ url: String, method: String = "GET", body: String? = nil, headers: [String: String] = [:],
                      timeout: Double = 120, session: URLSession = requestSession) -> Fetched {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result = Fetched(status: 0, body: Data(), contentType: "")
        session.dataTask(with: request) { data, response, _ in
            let http = response as? HTTPURLResponse
            result = Fetched(status: http?.statusCode ?? 0, body: data ?? Data(),
                             contentType: http?.value(forHTTPHeaderField: "Content-Type") ?? "")
            done.signal()
        }.resume()
        done.wait()
        return result
    }

    static func json(_ data: Data) -> [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }

    /// `(id, event, data)` of every event in an SSE body.
    static func events(_ body: Data) -> [(id: String, event: String, data: [String: Any])] {
        String(decoding: body, as: UTF8.self).components(separatedBy: "\n\n").compactMap { block in
            var id = "", event = "", data = Data()
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = Data(line.dropFirst(6).utf8) }
            }
            return event.isEmpty ? nil : (id, event, json(data))
        }
    }

    /// Long enough (~2–3 s alone) that the recorder flushes (every second) while it runs, short for a test.
    static func spec() -> String {
        """
        {"problem": "burgers", "network": {"layers": [10, 10], "adaptive": "neuron", "scale": 5, "periodic": {}},
         "training": {"collocationPoints": 400, "boundaryPoints": 60, "threads": 1, "logEvery": 20, "evaluateEvery": 40,
                      "resampling": null,
                      "phases": [{"optimizer": "adam", "iterations": 6000, "learningRate": 0.003},
                                 {"optimizer": "lbfgs", "iterations": 150}]},
         "output": {"grid": {"x": 33, "t": 9}}}
        """
    }

    @Test func aJobIsWatchedLiveThroughStatusEventsPicturesModelAndPredictions() throws {
        var configuration = ServiceConfiguration()
        configuration.port = 0
        configuration.storePath = WorkerPoolTests.temporaryStorePath()
        configuration.checkpointSeconds = 0.2
        let server = try PINNServer(configuration: configuration)
        try server.start()
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port!)"

        let submitted = Self.fetch(base + "/v1/jobs", method: "POST", body: Self.spec())
        #expect(submitted.status == 202)
        let id = try #require(Self.json(submitted.body)["id"] as? String)

        // Many streams at once, opened while the job is queued or running; status reads must still be quick.
        let streams = 40
        let bodies = Locked<[Data]>([])
        let group = DispatchGroup()
        for _ in 0..<streams {
            group.enter()
            // A thread each, not Dispatch's pool: forty blocked pool threads would starve URLSession's own queues.
            Thread {
                let body = Self.fetch(base + "/v1/jobs/\(id)/events", session: Self.streamSession).body
                bodies.withLock { $0.append(body) }
                group.leave()
            }.start()
        }
        var sawLiveError = false
        var slowest = 0.0
        while true {
            let start = Date()
            let status = Self.json(Self.fetch(base + "/v1/jobs/\(id)").body)
            slowest = max(slowest, Date().timeIntervalSince(start))
            if status["status"] as? String == "running", let error = status["error"] as? [String: Any],
               error["relativeL2"] is Double, (error["outputs"] as? [String: Any])?["u"] != nil {
                sawLiveError = true
            }
            if ["succeeded", "failed", "cancelled"].contains(status["status"] as? String ?? "") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        print("status reads with \(streams) open event streams: slowest \(String(format: "%.1f", slowest * 1000)) ms")
        #expect(sawLiveError, "the status shows the latest error while the job runs")
        #expect(slowest < 5, "status reads are not starved by open streams (other tests train beside this one)")
        #expect(group.wait(timeout: .now() + 30) == .success, "every stream ends when the job ends")

        // Every stream saw every stored record, in order, and the end.
        let losses = Self.json(Self.fetch(base + "/v1/jobs/\(id)/losses").body)["records"] as? [[String: Any]] ?? []
        let errors = Self.json(Self.fetch(base + "/v1/jobs/\(id)/errors").body)["records"] as? [[String: Any]] ?? []
        #expect(losses.count > 60 && errors.count > 15)
        for body in bodies.withLock({ $0 }) {
            let events = Self.events(body)
            let lossEvents = events.filter { $0.event == "loss" }
            #expect(lossEvents.map { $0.data["iteration"] as? Int } == losses.map { $0["iteration"] as? Int })
            #expect(events.filter { $0.event == "error" }.count == errors.count)
            #expect(events.filter { $0.event == "slopes" }.count == losses.count)
            #expect(events.last?.event == "end" && events.last?.data["status"] as? String == "succeeded")
        }

        // A reconnect with Last-Event-ID gets exactly what came after that event.
        let all = Self.events(bodies.withLock { $0[0] })
        let cut = all.firstIndex { $0.event == "loss" && $0.data["iteration"] as? Int == 1000 }!
        let resumed = Self.events(Self.fetch(base + "/v1/jobs/\(id)/events", headers: ["Last-Event-ID": all[cut].id]).body)
        // The id holds one position per history (l…-s…-e…): per history, the reconnect sends exactly the records
        // after the position the id gave, in order.
        func position(_ id: String, _ k: Int) -> [Int] { id.split(separator: "-")[k].dropFirst().split(separator: ".").map { Int($0) ?? -1 } }
        for (k, kind) in ["loss", "slopes", "error"].enumerated() {
            let after = position(all[cut].id, k)
            let expected = all.filter { $0.event == kind && position($0.id, k).lexicographicallyPrecedes(after) == false
                                        && position($0.id, k) != after }.map { position($0.id, k) }
            #expect(resumed.filter { $0.event == kind }.map { position($0.id, k) } == expected, "\(kind)")
            #expect(!expected.isEmpty)
        }
        #expect(resumed.last?.event == "end")
        #expect(Self.fetch(base + "/v1/jobs/\(id)/events", headers: ["Last-Event-ID": "nonsense"]).status == 400)

        // Pictures: valid PNGs of the requested size.
        for picture in ["solution", "exact", "error", "losses", "errors", "slopes"] {
            let png = Self.fetch(base + "/v1/jobs/\(id)/\(picture).png?width=640&height=360")
            #expect(png.status == 200 && png.contentType == "image/png", "\(picture).png")
            let decoded = try DecodedPNG(Array(png.body))
            #expect(decoded.width == 640 && decoded.height == 360, "\(picture).png")
        }
        #expect(Self.fetch(base + "/v1/jobs/\(id)/solution.png?width=5").status == 400)
        #expect(Self.fetch(base + "/v1/jobs/\(id)/solution.png?output=w").status == 400)

        // The model export, evaluated by its documented formula, agrees with the grid and with predict.
        let model = try JSONDecoder().decode(ModelExport.self, from: Self.fetch(base + "/v1/jobs/\(id)/model").body)
        struct Grid: Decodable { let x: [Double]; let t: [Double]; let u: [[Double]] }
        let grid = try JSONDecoder().decode(Grid.self, from: Self.fetch(base + "/v1/jobs/\(id)/solution").body)
        var worst = 0.0
        for (i, t) in grid.t.enumerated() {
            for (j, x) in grid.x.enumerated() { worst = max(worst, abs(ModelFormula.evaluate(model, [x, t])[0] - grid.u[i][j])) }
        }
        #expect(worst < 1e-12)
        let predicted = Self.json(Self.fetch(base + "/v1/jobs/\(id)/predict", method: "POST",
                                             body: #"{"points": {"x": [0.25, -0.5], "t": [0.5, 1.0]}, "derivatives": ["u_x"], "residuals": true}"#).body)
        let u = predicted["u"] as? [Double] ?? []
        #expect(u.count == 2 && abs(u[0] - ModelFormula.evaluate(model, [0.25, 0.5])[0]) < 1e-12)
        #expect((predicted["u_x"] as? [Double])?.count == 2 && ((predicted["residuals"] as? [String: Any])?["pde"] as? [Double])?.count == 2)
        for bad in [#"{"points": {"x": [1]}}"#, #"{"points": {"x": [1], "t": [1, 2]}}"#, #"{"points": {"x": ["a"], "t": [1]}}"#,
                    #"{"points": {"x": [1], "t": [1]}, "extra": 1}"#, #"{"points": {"x": [1], "t": [1]}, "derivatives": ["v_x"]}"#, "[]"] {
            let answer = Self.fetch(base + "/v1/jobs/\(id)/predict", method: "POST", body: bad)
            #expect(answer.status == 400, "\(bad)")
            #expect(((Self.json(answer.body)["error"] as? [String: Any])?["message"] as? String)?.isEmpty == false)
        }
        #expect(server.pool.runningJobs.isEmpty)
    }
}
