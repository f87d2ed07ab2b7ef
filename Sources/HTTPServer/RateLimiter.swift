import Dispatch
import Locking

/// A token bucket per client address: each client may send `burst` requests at once and `requestsPerSecond` on
/// average; beyond that a request is refused with the seconds until the next one would pass (`Retry-After`).
///
/// Bucket of client c at time t: tokens(t) = min(burst, tokens(t₀) + rate·(t − t₀)); a request passes when
/// tokens ≥ 1 and takes one. The table forgets clients whose bucket has refilled, so it stays as small as the set
/// of clients active in the last `burst / rate` seconds (and is bounded by `maxClients` regardless).
public final class RateLimiter: Sendable {
    public let requestsPerSecond: Double
    public let burst: Double
    private let maxClients: Int
    private struct Bucket { var tokens: Double; var updated: UInt64 }
    private let buckets = Locked<[String: Bucket]>([:])

    public init(requestsPerSecond: Double, burst: Int, maxClients: Int = 100_000) {
        precondition(requestsPerSecond > 0 && burst >= 1, "a rate limit needs a positive rate and a burst of at least 1")
        self.requestsPerSecond = requestsPerSecond
        self.burst = Double(burst)
        self.maxClients = maxClients
    }

    /// Takes a token for `client`: nil when the request may pass, else the whole seconds (≥ 1) to wait.
    public func admit(_ client: String, now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Int? {
        buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
            let elapsed = Double(now &- bucket.updated) / 1e9
            bucket.tokens = min(burst, bucket.tokens + max(0, elapsed) * requestsPerSecond)
            bucket.updated = max(now, bucket.updated)
            guard bucket.tokens >= 1 else {
                buckets[client] = bucket
                return max(1, Int(((1 - bucket.tokens) / requestsPerSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            if buckets[client] == nil && buckets.count >= maxClients { forgetRefilled(&buckets, now: now) }
            buckets[client] = bucket
            return nil
        }
    }

    /// Clients currently tracked (for tests and metrics).
    public var trackedClients: Int { buckets.withLock { $0.count } }

    /// Drops buckets that are full again (their clients are indistinguishable from new ones); if every client is
    /// active, drops the fullest half, which can only be generous.
    private func forgetRefilled(_ buckets: inout [String: Bucket], now: UInt64) {
        let refill = { (bucket: Bucket) in bucket.tokens + Double(now &- bucket.updated) / 1e9 * self.requestsPerSecond }
        buckets = buckets.filter { refill($0.value) < burst }
        if buckets.count >= maxClients {
            let kept = buckets.sorted { refill($0.value) < refill($1.value) }.prefix(maxClients / 2)
            buckets = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }
}
