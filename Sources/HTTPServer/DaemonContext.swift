import Locking

/// What the daemon's callbacks need, passed to them through libmicrohttpd's `cls` pointer, and the streams
/// currently open (which must be ended before the daemon stops).
final class DaemonContext: Sendable {
    let router: Router
    let maxBodyBytes: Int
    let rateLimit: RateLimitPolicy?
    let trustedProxies: TrustedProxies
    private let streams = Locked<[ObjectIdentifier: HTTPStream]>([:])

    init(router: Router, maxBodyBytes: Int, rateLimit: RateLimitPolicy?, trustedProxies: TrustedProxies) {
        self.router = router
        self.maxBodyBytes = maxBodyBytes
        self.rateLimit = rateLimit
        self.trustedProxies = trustedProxies
    }

    func opened(_ stream: HTTPStream) { streams.withLock { $0[ObjectIdentifier(stream)] = stream } }

    func closed(_ stream: HTTPStream) { _ = streams.withLock { $0.removeValue(forKey: ObjectIdentifier(stream)) } }

    /// Ends every open stream, resuming suspended connections.
    func endStreams() {
        for stream in streams.withLock({ Array($0.values) }) { stream.end() }
    }
}
