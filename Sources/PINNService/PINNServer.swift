import Foundation
import HTTPServer
import PINNStore

/// The whole service in one object: the store (SQLite, or PostgreSQL when `store` is set), the worker pool and the
/// HTTP server over the API.
/// `start()` resumes interrupted jobs; `stop()` checkpoints running jobs, then stops serving.
public final class PINNServer: Sendable {
    public let configuration: ServiceConfiguration
    public let store: any JobStore
    public let pool: WorkerPool
    public let retention: JobRetention
    private let http: HTTPServer

    public init(configuration: ServiceConfiguration) throws {
        self.configuration = configuration
        store = try configuration.openStore()
        pool = WorkerPool(store: store, configuration: .init(workers: configuration.workers,
                                                             checkpointSeconds: configuration.checkpointSeconds,
                                                             storeFailureSeconds: configuration.storeFailureSeconds,
                                                             leaseSeconds: configuration.leaseSeconds,
                                                             heartbeatSeconds: configuration.heartbeatSeconds))
        retention = JobRetention(store: store, keep: configuration.retainJobs,
                                 maxAgeSeconds: configuration.retainDays * 86_400)
        let api = JobsAPI(store: store, pool: pool,
                          limits: .init(maxQueuedJobs: configuration.maxQueuedJobs, coresPerJob: configuration.coresPerJob,
                                        spec: configuration.specLimits, maxGridPoints: configuration.maxGridPoints,
                                        maxPredictPoints: configuration.maxPredictPoints),
                          access: configuration.accessControl, cors: configuration.corsPolicy)
        http = HTTPServer(configuration: .init(host: configuration.host, port: UInt16(configuration.port),
                                               threads: configuration.httpThreads,
                                               maxBodyBytes: configuration.maxBodyBytes,
                                               connectionTimeoutSeconds: configuration.connectionTimeoutSeconds,
                                               connectionLimit: configuration.maxConnections,
                                               rateLimit: configuration.rateLimitPolicy,
                                               trustedProxies: configuration.trustedProxies),
                          router: api.router())
    }

    /// Whether the store is an SQLite file opened read-only: reads are served, writes answer 503 until the file
    /// is writable again (`SQLiteJobStore.isReadOnly`). PostgreSQL reports a read-only server per write instead.
    public var storeIsReadOnly: Bool { (store as? SQLiteJobStore)?.isReadOnly ?? false }

    /// The port actually bound (useful with port 0).
    public var port: Int? { http.port.map(Int.init) }

    public func start() throws {
        try pool.start()
        try http.start()
        retention.start()
    }

    public func stop() {
        retention.stop()
        pool.shutdown()
        http.stop()
    }
}
