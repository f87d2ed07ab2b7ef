import Foundation
import HTTPServer
import PINN
import PINNStore

/// The server's settings: built-in defaults, then `config/server.json` (or `--config FILE`), then environment
/// variables (`PINN_PORT`, …), then command-line flags (`--port 8080`, …); the last one given wins.
/// Encodable for the log line of the effective configuration (tokens appear by name only); never decoded.
public struct ServiceConfiguration: Encodable, Sendable, Equatable {
    /// Listen address; loopback unless you mean to expose the service.
    public var host = "127.0.0.1"
    public var port = 8080
    /// Jobs trained at once.
    public var workers = 1
    /// Threads one job may use (its spec's `training.threads` is clamped to this).
    public var coresPerJob = 2
    /// The SQLite file (created with its directory), the store unless `store` is set.
    public var storePath = "data/pinn.sqlite"
    /// A PostgreSQL database (`postgresql://user@host/db`) to keep jobs in instead of the SQLite file: the store
    /// several servers can share. Logged without its password (`PostgresURL`).
    public var store: PostgresURL?
    /// Connections this server opens to PostgreSQL at most (`PostgresConnectionPool`).
    public var storeConnections = 4
    public var httpThreads = 2
    public var maxBodyBytes = 1 << 20
    public var maxQueuedJobs = 100
    public var connectionTimeoutSeconds = 30
    public var checkpointSeconds = 5.0
    /// Concurrent connections beyond which new ones are refused (event streams count).
    public var maxConnections = 1000
    /// Points per input of a downloaded solution grid or a picture (at most its square in all: 1,024 × 1,024 is a
    /// 22 MB JSON grid and a second of work; 4,096² took 100 s and held an HTTP thread that long).
    public var maxGridPoints = 1024
    /// Points per `predict` request.
    public var maxPredictPoints = 20_000
    /// Requests per second one client may send on average (bursts of `rateLimitBurst`); beyond it, 429 with
    /// `Retry-After`. A client is its address (behind `trustedProxies` the forwarded one), or with tokens configured
    /// the token it presents (`ServiceConfiguration+RateLimit`). 0 turns the limit off.
    public var rateLimitPerSecond = 100.0
    public var rateLimitBurst = 200
    /// Finished jobs kept (the most recently finished); older ones are purged with all their data. 0 = no limit.
    public var retainJobs = 10_000
    /// Days a finished job is kept; 0 = no limit.
    public var retainDays = 0.0
    /// The store file's size cap in bytes (writes past it fail as on a full disk); 0 = the disk's size.
    public var maxStoreBytes = 0
    /// How long the store may refuse a running job's history before the job is stopped and failed.
    public var storeFailureSeconds = 30.0
    /// How long a job claimed by this server stays its own without a heartbeat (`WorkerPool`): after a kill,
    /// another server sharing the database resumes the job this long after the last renewal at most.
    public var leaseSeconds = 30.0
    /// How often this server renews the leases of the jobs it trains (less than `leaseSeconds`).
    public var heartbeatSeconds = 10.0
    /// Memory one job may need while it trains (`JobMemoryEstimate`); a bigger job is refused at submission.
    public var maxJobMemoryBytes = 4 << 30
    /// Per-job limits of the spec: points of one term or of the output grid, iterations of a phase, hidden
    /// layers and their width, trainable parameters, characters and nesting of one expression, rows of observations.
    public var maxPoints = 1_000_000
    public var maxIterations = 1_000_000
    public var maxLayers = 32
    public var maxWidth = 1024
    public var maxParameters = 1_000_000
    public var maxExpressionLength = 4000
    public var maxExpressionDepth = 64
    public var maxObservations = 100_000
    /// API tokens by name (`ServiceConfiguration+Access`); none: the service is open.
    public var tokens = APITokens()
    /// A JSON file of more tokens, `{"name": "token"}`, so secrets need not sit in the main configuration.
    public var tokensFile: String?
    /// Which requests need a token once there are tokens.
    public var auth = AccessControl.Mode.all
    /// Origins whose pages may call the API from a browser (CORS); none by default.
    public var corsOrigins: [String] = []
    /// Reverse proxies (addresses or CIDR blocks) whose `X-Forwarded-For` names the client, for the rate limit and
    /// its messages; none by default, so a client cannot choose the address it is limited by.
    public var trustedProxies = TrustedProxies()

    public init() {}

    /// Every setting as a flag/environment name: `--store-path` / `PINN_STORE_PATH` for `storePath`.
    static let names: [(key: String, flag: String, environment: String)] = [
        "host", "port", "workers", "coresPerJob", "storePath", "store", "storeConnections", "httpThreads", "maxBodyBytes", "maxQueuedJobs",
        "connectionTimeoutSeconds", "checkpointSeconds", "maxConnections", "maxGridPoints", "maxPredictPoints",
        "rateLimitPerSecond", "rateLimitBurst", "retainJobs", "retainDays", "maxStoreBytes", "storeFailureSeconds", "leaseSeconds", "heartbeatSeconds",
        "maxJobMemoryBytes", "maxPoints", "maxIterations", "maxLayers", "maxWidth", "maxParameters",
        "maxExpressionLength", "maxExpressionDepth", "maxObservations",
        "tokens", "tokensFile", "auth", "corsOrigins", "trustedProxies",
    ].map { key in
        let words = key.reduce(into: [""]) { words, c in c.isUppercase ? words.append(String(c).lowercased()) : (words[words.count - 1] += String(c)) }
        return (key, "--" + words.joined(separator: "-"), "PINN_" + words.joined(separator: "_").uppercased())
    }

    /// Reads the layers in order. Throws a message naming the bad setting.
    public static func load(arguments: [String], environment: [String: String], defaultFile: String = "config/server.json") throws -> ServiceConfiguration {
        var overrides: [String: Any] = [:]
        var file = defaultFile
        var explicitFile = false
        var args = arguments.makeIterator()
        var flags: [String: String] = [:]
        while let arg = args.next() {
            if arg == "--config" { file = args.next() ?? ""; explicitFile = true; continue }
            guard let name = names.first(where: { $0.flag == arg }) else { throw ConfigurationError("unknown option \(arg)") }
            try Self.refuseSecretFlag(name.key)
            guard let value = args.next() else { throw ConfigurationError("\(arg) needs a value") }
            try Self.refusePasswordInFlag(name.key, value)
            flags[name.key] = value
        }
        if let data = FileManager.default.contents(atPath: file) {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ConfigurationError("\(file): not a JSON object")
            }
            for (key, value) in object {
                guard names.contains(where: { $0.key == key }) else { throw ConfigurationError("\(file): unknown setting \"\(key)\"") }
                overrides[key] = value
            }
        } else if explicitFile {
            throw ConfigurationError("cannot read \(file)")
        }
        for name in names {
            if let value = environment[name.environment] { overrides[name.key] = value }
            if let value = flags[name.key] { overrides[name.key] = value }
        }
        var configuration = ServiceConfiguration()
        for (key, value) in overrides { try configuration.set(key, value) }
        try configuration.readTokensFile()
        try configuration.validate()
        return configuration
    }

    private mutating func set(_ key: String, _ value: Any) throws {
        let text = "\(value)"
        func int() throws -> Int {
            guard let n = (value as? NSNumber)?.intValue ?? Int(text) else { throw ConfigurationError("\(key): expected an integer, got \(text)") }
            return n
        }
        func number() throws -> Double {
            guard let x = (value as? NSNumber)?.doubleValue ?? Double(text), x.isFinite else {
                throw ConfigurationError("\(key): expected a number, got \(text)")
            }
            return x
        }
        switch key {
        case "host": host = text
        case "port": port = try int()
        case "workers": workers = try int()
        case "coresPerJob": coresPerJob = try int()
        case "storePath": storePath = text
        case "httpThreads": httpThreads = try int()
        case "maxBodyBytes": maxBodyBytes = try int()
        case "maxQueuedJobs": maxQueuedJobs = try int()
        case "connectionTimeoutSeconds": connectionTimeoutSeconds = try int()
        case "maxConnections": maxConnections = try int()
        case "maxGridPoints": maxGridPoints = try int()
        case "maxPredictPoints": maxPredictPoints = try int()
        case "checkpointSeconds": checkpointSeconds = try number()
        case "rateLimitPerSecond": rateLimitPerSecond = try number()
        case "rateLimitBurst": rateLimitBurst = try int()
        case "retainJobs": retainJobs = try int()
        case "retainDays": retainDays = try number()
        case "maxStoreBytes": maxStoreBytes = try int()
        case "storeFailureSeconds": storeFailureSeconds = try number()
        case "leaseSeconds": leaseSeconds = try number()
        case "heartbeatSeconds": heartbeatSeconds = try number()
        case "maxJobMemoryBytes": maxJobMemoryBytes = try int()
        case "maxPoints": maxPoints = try int()
        case "maxIterations": maxIterations = try int()
        case "maxLayers": maxLayers = try int()
        case "maxWidth": maxWidth = try int()
        case "maxParameters": maxParameters = try int()
        case "maxExpressionLength": maxExpressionLength = try int()
        case "maxExpressionDepth": maxExpressionDepth = try int()
        case "maxObservations": maxObservations = try int()
        default:
            guard try setAccess(key, value) || setStore(key, value) else {
                throw ConfigurationError("unknown setting \(key)")
            }
        }
    }

    private func validate() throws {
        guard (0...65535).contains(port) else { throw ConfigurationError("port: must be in 0...65535, got \(port)") }
        guard workers >= 1, coresPerJob >= 1, httpThreads >= 1 else { throw ConfigurationError("workers, coresPerJob and httpThreads must be at least 1") }
        guard maxBodyBytes >= 1024, maxQueuedJobs >= 1, checkpointSeconds > 0 else {
            throw ConfigurationError("maxBodyBytes ≥ 1024, maxQueuedJobs ≥ 1 and checkpointSeconds > 0 are required")
        }
        guard maxConnections >= 1, (2...65536).contains(maxGridPoints), maxPredictPoints >= 1 else {
            throw ConfigurationError("maxConnections ≥ 1, maxGridPoints in 2...65536 and maxPredictPoints ≥ 1 are required")
        }
        guard rateLimitPerSecond >= 0, rateLimitBurst >= 1, retainJobs >= 0, retainDays >= 0, maxStoreBytes >= 0,
              storeFailureSeconds > 0, maxJobMemoryBytes >= 0 else {
            throw ConfigurationError("rateLimitPerSecond, retainJobs, retainDays, maxStoreBytes and maxJobMemoryBytes must "
                                     + "not be negative, rateLimitBurst must be at least 1 and storeFailureSeconds positive")
        }
        for (name, value) in [("maxPoints", maxPoints), ("maxIterations", maxIterations), ("maxLayers", maxLayers),
                              ("maxWidth", maxWidth), ("maxParameters", maxParameters),
                              ("maxExpressionLength", maxExpressionLength), ("maxObservations", maxObservations)]
        where value < 1 {
            throw ConfigurationError("\(name): must be at least 1, got \(value)")
        }
        // The expression parser's own bounds (they keep hostile input off the stack) can be tightened, not loosened.
        guard maxExpressionLength <= 4000, (1...64).contains(maxExpressionDepth) else {
            throw ConfigurationError("maxExpressionLength must be at most 4000 and maxExpressionDepth in 1...64")
        }
        try validateStore()
        guard heartbeatSeconds > 0, leaseSeconds > heartbeatSeconds else {
            throw ConfigurationError("heartbeatSeconds must be positive and leaseSeconds greater than it (a lease must "
                                     + "outlast the heartbeat that renews it), got \(heartbeatSeconds) and \(leaseSeconds)")
        }
    }

    /// The spec limits these settings give (the engine's defaults for the rest).
    public var specLimits: JobSpecParser.Limits {
        var limits = JobSpecParser.Limits()
        limits.maxPoints = maxPoints
        limits.maxIterations = maxIterations
        limits.maxLayers = maxLayers
        limits.maxWidth = maxWidth
        limits.maxParameters = maxParameters
        limits.maxExpressionLength = maxExpressionLength
        limits.maxExpressionDepth = maxExpressionDepth
        limits.maxObservations = maxObservations
        limits.maxJobBytes = maxJobMemoryBytes
        return limits
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
