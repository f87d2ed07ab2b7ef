import HTTPServer

/// The per-client rate limit these settings describe (docs/api.md, "Limits and faults").
extension ServiceConfiguration {
    /// Probes that must be answered however busy their address is: an orchestrator restarts a server whose health
    /// check answers 429, and a scraper that misses samples hides the very flood it should show.
    static let rateLimitExemptPaths: Set<String> = ["/healthz", "/metrics"]

    /// nil when `rateLimitPerSecond` is 0. A request takes from the bucket of the API token it presents when tokens
    /// are configured (so callers behind one proxy or NAT do not share a bucket, and one caller does not get a
    /// bucket per address), else from its client address's; an unknown token counts against its address.
    public var rateLimitPolicy: RateLimitPolicy? {
        guard rateLimitPerSecond > 0 else { return nil }
        let access = accessControl
        return RateLimitPolicy(limiter: RateLimiter(requestsPerSecond: rateLimitPerSecond, burst: rateLimitBurst),
                               exemptPaths: Self.rateLimitExemptPaths) { request in
            access.tokenName(of: request).map { "token \($0)" } ?? request.clientAddress
        }
    }
}
