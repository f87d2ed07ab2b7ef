// `internal`: the compiler then guarantees no libmicrohttpd type appears in this module's public API.
internal import CMicroHTTPD
import Locking

/// An HTTP/1.1 server on libmicrohttpd that answers every request through a `Router`.
///
/// libmicrohttpd owns the sockets and a small pool of polling threads (epoll on Linux); handlers run on those
/// threads, so they must not block. Bodies are buffered whole, up to `Configuration.maxBodyBytes`.
public final class HTTPServer: Sendable {
    public struct Configuration: Sendable {
        /// Numeric IPv4 or IPv6 address to listen on. Loopback by default: exposing the service is a decision.
        public var host: String
        /// 0 asks the kernel for a free port; read it back from `HTTPServer.port`.
        public var port: UInt16
        /// Polling threads; each connection stays on one, so a slow handler stalls only its thread's connections.
        public var threads: Int
        /// Larger bodies are answered 413, by their declared Content-Length or once the received bytes pass it.
        public var maxBodyBytes: Int
        /// Idle connections are closed after this long, so stuck clients cannot hold connections forever.
        public var connectionTimeoutSeconds: Int
        /// Maximum concurrent connections; 0 keeps libmicrohttpd's default (about the descriptor limit).
        public var connectionLimit: Int
        /// Requests per client (or per the policy's bucket) beyond which the server answers 429 with `Retry-After`,
        /// before reading the body or routing; nil for no limit.
        public var rateLimit: RateLimitPolicy?
        /// Proxies whose `X-Forwarded-For` names the client (`HTTPRequest.clientAddress`); none by default, so a
        /// client cannot choose its own address.
        public var trustedProxies: TrustedProxies

        public init(host: String = "127.0.0.1", port: UInt16 = 0, threads: Int = 2, maxBodyBytes: Int = 1 << 20,
                    connectionTimeoutSeconds: Int = 30, connectionLimit: Int = 0, rateLimit: RateLimitPolicy? = nil,
                    trustedProxies: TrustedProxies = TrustedProxies()) {
            self.rateLimit = rateLimit
            self.trustedProxies = trustedProxies
            self.host = host
            self.port = port
            self.threads = threads
            self.maxBodyBytes = maxBodyBytes
            self.connectionTimeoutSeconds = connectionTimeoutSeconds
            self.connectionLimit = connectionLimit
        }
    }

    /// A started daemon. `OpaquePointer` is not Sendable; the handle is only used under `running`'s lock or,
    /// in `stop()`, after being taken out of it, so exactly one caller ever stops it.
    private struct RunningDaemon: @unchecked Sendable {
        let handle: OpaquePointer
        let context: Unmanaged<DaemonContext>
        let port: UInt16
    }

    public let configuration: Configuration
    private let router: Router
    private let running = Locked<RunningDaemon?>(nil)

    public init(configuration: Configuration = Configuration(), router: Router) {
        self.configuration = configuration
        self.router = router
    }

    deinit {
        stop()
    }

    /// The bound port while running (the real one when `configuration.port` is 0), otherwise nil.
    public var port: UInt16? {
        running.withLock { $0?.port }
    }

    /// Binds and starts serving; returns once the socket is listening.
    public func start() throws {
        try running.withLock { running in
            if let running {
                throw HTTPServerError(message: "the server is already running on port \(running.port)")
            }
            let configuration = configuration
            guard configuration.maxBodyBytes >= 0, configuration.threads >= 0,
                  configuration.connectionTimeoutSeconds >= 0, configuration.connectionLimit >= 0 else {
                throw HTTPServerError(message: "threads, maxBodyBytes, connectionTimeoutSeconds and "
                                      + "connectionLimit must not be negative")
            }
            // Retained for the daemon's lifetime: its threads dereference it until MHD_stop_daemon returns.
            let context = Unmanaged.passRetained(DaemonContext(router: router, maxBodyBytes: configuration.maxBodyBytes,
                                                               rateLimit: configuration.rateLimit,
                                                               trustedProxies: configuration.trustedProxies))
            guard let handle = pinn_http_start_daemon(
                configuration.host, configuration.port, UInt32(configuration.threads),
                UInt32(configuration.connectionTimeoutSeconds), UInt32(configuration.connectionLimit),
                handleAccess, context.toOpaque(), releaseRequestState, nil)
            else {
                context.release()
                throw HTTPServerError(message: "cannot listen on \(configuration.host):\(configuration.port): "
                                      + "the host must be a numeric IPv4/IPv6 address and the port free "
                                      + "(libmicrohttpd logs the cause on stderr)")
            }
            running = RunningDaemon(handle: handle, context: context, port: pinn_http_bound_port(handle))
        }
    }

    /// Closes the listening socket and every connection, waits for the polling threads to finish (so no handler
    /// runs after it returns), and frees the port. Safe to call more than once.
    public func stop() {
        guard let daemon = running.withLock({ running in
            defer { running = nil }
            return running
        }) else { return }
        // libmicrohttpd must not be stopped with suspended connections: end every stream first.
        daemon.context.takeUnretainedValue().endStreams()
        MHD_stop_daemon(daemon.handle)
        daemon.context.release()
    }
}
