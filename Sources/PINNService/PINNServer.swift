import Foundation
import HTTPServer
import PINNStore

/// The whole service in one object: the SQLite store, the worker pool and the HTTP server over the API.
/// `start()` resumes interrupted jobs; `stop()` checkpoints running jobs, then stops serving.
public final class PINNServer: Sendable {
    public let configuration: ServiceConfiguration
    public let store: SQLiteJobStore
    public let pool: WorkerPool
    private let http: HTTPServer

    public init(configuration: ServiceConfiguration) throws {
        self.configuration = configuration
        store = try SQLiteJobStore(path: configuration.storePath)
        pool = WorkerPool(store: store, configuration: .init(workers: configuration.workers,
                                                             checkpointSeconds: configuration.checkpointSeconds))
        let api = JobsAPI(store: store, pool: pool,
                          limits: .init(maxQueuedJobs: configuration.maxQueuedJobs, coresPerJob: configuration.coresPerJob,
                                        maxGridPoints: configuration.maxGridPoints,
                                        maxPredictPoints: configuration.maxPredictPoints),
                          access: configuration.accessControl, cors: configuration.corsPolicy)
        http = HTTPServer(configuration: .init(host: configuration.host, port: UInt16(configuration.port),
                                               threads: configuration.httpThreads,
                                               maxBodyBytes: configuration.maxBodyBytes,
                                               connectionTimeoutSeconds: configuration.connectionTimeoutSeconds,
                                               connectionLimit: configuration.maxConnections),
                          router: api.router())
    }

    /// The port actually bound (useful with port 0).
    public var port: Int? { http.port.map(Int.init) }

    public func start() throws {
        try pool.start()
        try http.start()
    }

    public func stop() {
        pool.shutdown()
        http.stop()
    }
}
