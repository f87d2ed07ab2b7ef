import Foundation

/// Which requests the per-client rate limit applies to, and whose bucket each takes from: decided from the
/// request's head (method, path, headers, client address), before its body is read.
public struct RateLimitPolicy: Sendable {
    public var limiter: RateLimiter
    /// Paths never limited: a health probe or a metrics scraper that shares an address with a busy client must
    /// still be answered (an orchestrator that sees 429 on its probe restarts a healthy server).
    public var exemptPaths: Set<String>
    /// The bucket of a request, also named in its 429 message: by default its client address (behind trusted
    /// proxies the forwarded one, `TrustedProxies`); a service may key by caller instead, e.g. an API token's name.
    public var bucket: @Sendable (HTTPRequest) -> String

    public init(limiter: RateLimiter, exemptPaths: Set<String> = [],
                bucket: @escaping @Sendable (HTTPRequest) -> String = { $0.clientAddress }) {
        self.limiter = limiter
        self.exemptPaths = exemptPaths
        self.bucket = bucket
    }

    /// nil when `head` may pass (or is exempt), else the 429 to answer it with.
    func refusal(of head: HTTPRequest) -> HTTPError? {
        guard !exemptPaths.contains(head.path) else { return nil }
        let bucket = bucket(head)
        guard let wait = limiter.admit(bucket) else { return nil }
        return HTTPError(status: 429, message: "too many requests from \(bucket): at most "
                         + "\(limiter.requestsPerSecond.formatted()) per second (bursts of \(Int(limiter.burst))); "
                         + "retry after \(wait) s", headers: ["Retry-After": String(wait)])
    }
}
