import Foundation
import HTTPServer
import Testing
import PINN
@testable import PINNStore
@testable import PINNService

/// The server's limits as configured (file, environment, flags), and the answers when the store is at fault.
@Suite struct ServiceLimitsTests {
    @Test func everyLimitIsReadFromTheEnvironmentAndFlags() throws {
        let configuration = try ServiceConfiguration.load(
            arguments: ["--rate-limit-per-second", "2.5", "--max-points", "5000", "--retain-days", "7"],
            environment: ["PINN_RATE_LIMIT_BURST": "9", "PINN_RETAIN_JOBS": "50", "PINN_MAX_STORE_BYTES": "1048576",
                          "PINN_MAX_JOB_MEMORY_BYTES": "1000000000", "PINN_MAX_EXPRESSION_LENGTH": "100",
                          "PINN_STORE_FAILURE_SECONDS": "5", "PINN_MAX_ITERATIONS": "1000", "PINN_MAX_LAYERS": "4",
                          "PINN_MAX_WIDTH": "64", "PINN_MAX_PARAMETERS": "20000", "PINN_MAX_OBSERVATIONS": "10"],
            defaultFile: "/nonexistent")
        #expect(configuration.rateLimitPerSecond == 2.5 && configuration.rateLimitBurst == 9)
        #expect(configuration.retainJobs == 50 && configuration.retainDays == 7)
        #expect(configuration.maxStoreBytes == 1 << 20 && configuration.storeFailureSeconds == 5)
        let limits = configuration.specLimits
        #expect(limits.maxPoints == 5000 && limits.maxIterations == 1000 && limits.maxLayers == 4)
        #expect(limits.maxWidth == 64 && limits.maxParameters == 20_000 && limits.maxExpressionLength == 100)
        #expect(limits.maxObservations == 10 && limits.maxJobBytes == 1_000_000_000)
    }

    @Test(arguments: [["--rate-limit-burst", "0"], ["--retain-days", "-1"], ["--max-points", "0"],
                      ["--storeFailureSeconds", "1"], ["--rate-limit-per-second", "fast"], ["--max-width", "0"],
                      ["--max-expression-depth", "65"], ["--max-expression-length", "4001"]])
    func aBadSettingIsRefusedNamingIt(arguments: [String]) {
        #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.load(arguments: arguments, environment: [:], defaultFile: "/nonexistent")
        }
    }

    @Test func theConfiguredSpecLimitsApplyToSubmissions() throws {
        var configuration = ServiceConfiguration()
        configuration.maxPoints = 5000
        configuration.maxIterations = 100
        let store = try SQLiteJobStore.inMemory()
        let api = JobsAPI(store: store, pool: WorkerPool(store: store),
                          limits: .init(spec: configuration.specLimits)).router()
        let body = #"{"problem": "burgers", "training": {"collocationPoints": 6000, "phases": [{"optimizer": "adam", "iterations": 101}]}}"#
        let response = api.respond(to: HTTPRequest(method: "POST", path: "/v1/jobs", body: Array(body.utf8)))
        #expect(response.status == 400)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains("training.collocationPoints") && text.contains("training.phases[0].iterations"))
    }

    @Test func theConfiguredExpressionDepthApplies() throws {
        var configuration = ServiceConfiguration()
        configuration.maxExpressionDepth = 3
        let store = try SQLiteJobStore.inMemory()
        let api = JobsAPI(store: store, pool: WorkerPool(store: store), limits: .init(spec: configuration.specLimits)).router()
        func submit(_ equation: String) -> HTTPResponse {
            let body = #"{"problem": {"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "equations": ["\#(equation)"], "#
                + #""conditions": [{"on": ["x = 0", "x = 1"], "u": "0"}]}}"#
            return api.respond(to: HTTPRequest(method: "POST", path: "/v1/jobs", body: Array(body.utf8)))
        }
        #expect(submit("u_xx + ((1))").status == 202)
        let deep = submit("u_xx + ((((1))))")
        #expect(deep.status == 400)
        #expect(String(decoding: deep.body, as: UTF8.self).contains("nested more than 3 levels deep"))
    }

    @Test func aFullStoreAnswers507AndAReadOnlyOne503BothWithRetryAfter() throws {
        let path = WorkerPoolTests.temporaryStorePath()
        let store = try SQLiteJobStore(path: path)
        let api = JobsAPI(store: store, pool: WorkerPool(store: store)).router()
        let submit = HTTPRequest(method: "POST", path: "/v1/jobs", body: Array(#"{"problem": "burgers"}"#.utf8))
        let id = try store.create(spec: ProblemPresets.spec(named: "burgers")!).id
        // Full: the spec does not fit.
        try StoreFaultRecoveryTests.fill(store, path: path)
        // The jobs table's own last page may still take a spec or two; then nothing fits.
        var full = api.respond(to: submit)
        for _ in 0..<20 where full.status == 202 { full = api.respond(to: submit) }
        #expect(full.status == 507)
        #expect(full.headers["Retry-After"] == "60")
        #expect(String(decoding: full.body, as: UTF8.self).contains("is full"))
        // Reads go on.
        #expect(api.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs/\(id)")).status == 200)
        try store.setMaxBytes(0)
        #expect(api.respond(to: submit).status == 202)
        try store.withConnectionForTesting { db throws(StoreError) in try db.execute("PRAGMA query_only = ON") }
        let readOnly = api.respond(to: submit)
        #expect(readOnly.status == 503)
        #expect(readOnly.headers["Retry-After"] == "10")
        #expect(String(decoding: readOnly.body, as: UTF8.self).contains("read-only"))
    }

    @Test func retentionRunsOnTheServerStore() throws {
        let store = try SQLiteJobStore.inMemory()
        for _ in 0..<3 {
            let id = try store.create(spec: ProblemPresets.spec(named: "burgers")!).id
            try store.markRunning(jobID: id)
            try store.markFinished(jobID: id, status: .succeeded)
        }
        let retention = JobRetention(store: store, keep: 1, maxAgeSeconds: nil)
        #expect(retention.purge().count == 2)
        #expect(try store.counts()[.succeeded] == 1)
        // Days: a job finished now is not older than a day.
        #expect(JobRetention(store: store, keep: nil, maxAgeSeconds: 86_400).purge().isEmpty)
        #expect(JobRetention(store: store, keep: nil, maxAgeSeconds: 86_400).purge(now: Date().addingTimeInterval(2 * 86_400)).count == 1)
    }
}
