import Dispatch
import HTTPServer
import PINNStore
import Locking

/// Request counts and latencies by route and status, rendered with the jobs' states in Prometheus text format.
public final class ServiceMetrics: Sendable {
    private struct Key: Hashable { let route: String; let status: Int }
    private struct Totals { var count = 0; var seconds = 0.0 }
    private let requests = Locked<[Key: Totals]>([:])

    public init() {}

    /// Wraps a handler so its requests are counted and timed.
    func measure(route: String, _ handler: @escaping HTTPHandler) -> HTTPHandler {
        { [self] request in
            let start = DispatchTime.now().uptimeNanoseconds
            let response = try handler(request)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            requests.withLock { totals in
                totals[Key(route: route, status: response.status), default: Totals()].count += 1
                totals[Key(route: route, status: response.status), default: Totals()].seconds += seconds
            }
            return response
        }
    }

    func prometheus(store: any JobStore, pool: WorkerPool, eventStreams: Int = 0) throws -> String {
        var lines = ["# HELP pinn_jobs Jobs by status.", "# TYPE pinn_jobs gauge"]
        let counts = try store.counts()
        for status in JobStatus.allCases { lines.append("pinn_jobs{status=\"\(status.rawValue)\"} \(counts[status] ?? 0)") }
        lines += ["# HELP pinn_queue_depth Jobs waiting for a worker.", "# TYPE pinn_queue_depth gauge",
                  "pinn_queue_depth \(counts[.queued] ?? 0)",
                  "# HELP pinn_jobs_training Jobs training in this process.", "# TYPE pinn_jobs_training gauge",
                  "pinn_jobs_training \(pool.runningJobs.count)",
                  "# HELP pinn_iterations_total Training iterations completed by this process (rate = iterations/s).",
                  "# TYPE pinn_iterations_total counter",
                  "pinn_iterations_total \(pool.iterationsTrained.load(ordering: .relaxed))",
                  "# HELP pinn_event_streams Open Server-Sent Event streams.", "# TYPE pinn_event_streams gauge",
                  "pinn_event_streams \(eventStreams)",
                  "# HELP pinn_http_requests_total Requests by route and status.", "# TYPE pinn_http_requests_total counter"]
        let snapshot = requests.withLock { $0 }.sorted { ($0.key.route, $0.key.status) < ($1.key.route, $1.key.status) }
        for (key, totals) in snapshot {
            lines.append("pinn_http_requests_total{route=\"\(key.route)\",status=\"\(key.status)\"} \(totals.count)")
        }
        lines += ["# HELP pinn_http_request_seconds_sum Time spent answering, by route and status.",
                  "# TYPE pinn_http_request_seconds_sum counter"]
        for (key, totals) in snapshot {
            lines.append("pinn_http_request_seconds_sum{route=\"\(key.route)\",status=\"\(key.status)\"} \(totals.seconds)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
