// What keeps one client from taking the server: the per-client rate limit, and the timeout that closes slow and
// half-open connections without holding a polling thread.
import Foundation
import HTTPServer
import Testing

private func router() -> Router {
    var router = Router()
    router.add("GET", "/ping") { _ in .text("pong") }
    router.add("GET", "/client") { request in .text(request.clientAddress) }
    return router
}

private func withServer(_ configuration: HTTPServer.Configuration, _ body: (UInt16) throws -> Void) throws {
    let server = HTTPServer(configuration: configuration, router: router())
    try server.start()
    defer { server.stop() }
    try body(try #require(server.port))
}

@Suite struct RateLimiterTests {
    @Test func aBurstPassesThenRequestsWaitForTheRefill() {
        let limiter = RateLimiter(requestsPerSecond: 2, burst: 3)
        let t0: UInt64 = 1_000_000_000
        #expect((0..<3).map { _ in limiter.admit("a", now: t0) } == [nil, nil, nil])
        // Empty bucket: one token takes 1/2 s at 2 per second, announced as a whole second.
        #expect(limiter.admit("a", now: t0) == 1)
        #expect(limiter.admit("a", now: t0 + 400_000_000) == 1)     // 0.8 of a token
        #expect(limiter.admit("a", now: t0 + 500_000_000) == nil)   // 1.0: passes
        #expect(limiter.admit("a", now: t0 + 500_000_000) == 1)
    }

    @Test func clientsHaveTheirOwnBuckets() {
        let limiter = RateLimiter(requestsPerSecond: 1, burst: 1)
        #expect(limiter.admit("10.0.0.1", now: 0) == nil)
        #expect(limiter.admit("10.0.0.1", now: 0) == 1)
        #expect(limiter.admit("10.0.0.2", now: 0) == nil)
    }

    @Test func retryAfterCountsTheSecondsToTheNextToken() {
        let limiter = RateLimiter(requestsPerSecond: 0.25, burst: 1)   // one request every 4 s
        #expect(limiter.admit("a", now: 0) == nil)
        #expect(limiter.admit("a", now: 0) == 4)
        #expect(limiter.admit("a", now: 3_000_000_000) == 1)
    }

    @Test func theBucketNeverHoldsMoreThanTheBurst() {
        let limiter = RateLimiter(requestsPerSecond: 100, burst: 2)
        let later: UInt64 = 3_600 * 1_000_000_000
        #expect([limiter.admit("a", now: later), limiter.admit("a", now: later), limiter.admit("a", now: later)]
                    .map { $0 == nil } == [true, true, false])
    }

    @Test func theTableForgetsClientsWhoseBucketRefilled() {
        let limiter = RateLimiter(requestsPerSecond: 10, burst: 1, maxClients: 100)
        for i in 0..<100 { _ = limiter.admit("client-\(i)", now: 0) }
        #expect(limiter.trackedClients == 100)
        // A second later every bucket is full again, so a new client makes room by dropping them.
        #expect(limiter.admit("newcomer", now: 1_000_000_000) == nil)
        #expect(limiter.trackedClients == 1)
    }
}

@Test func aClientOverItsRateGets429WithRetryAfterAndOthersAreServed() throws {
    let limiter = RateLimiter(requestsPerSecond: 0.5, burst: 2)
    try withServer(.init(rateLimit: RateLimitPolicy(limiter: limiter))) { port in
        #expect(try RawHTTPConnection.request(port: port, "GET", "/ping").status == 200)
        #expect(try RawHTTPConnection.request(port: port, "GET", "/client").text == "127.0.0.1")
        let refused = try RawHTTPConnection.request(port: port, "GET", "/ping")
        #expect(refused.status == 429)
        #expect(refused.headers["retry-after"] == "2")
        #expect(refused.headers["content-type"] == "application/json")
        #expect(refused.text.contains("too many requests from 127.0.0.1"))
        // A POST is refused before its body is read, with the same answer.
        let post = try RawHTTPConnection.request(port: port, "POST", "/ping", body: Array(repeating: 65, count: 5000))
        #expect(post.status == 429)
    }
}

@Test func withoutALimitEveryRequestIsServed() throws {
    try withServer(.init()) { port in
        for _ in 0..<300 {
            let status = try RawHTTPConnection.request(port: port, "GET", "/ping").status
            #expect(status == 200)
        }
    }
}

/// A client that sends half a request head and stops (a slow client), and one that connects and sends nothing
/// (half-open): both are closed after the connection timeout, and meanwhile other clients are answered at once.
@Test func slowAndSilentConnectionsAreClosedAfterTheTimeoutWithoutBlockingOthers() throws {
    try withServer(.init(threads: 2, connectionTimeoutSeconds: 1)) { port in
        var slow: [RawHTTPConnection] = []
        for i in 0..<100 {
            let connection = try RawHTTPConnection(port: port, timeoutSeconds: 10)
            if i % 2 == 0 { try connection.write("GET /ping HTTP/1.1\r\nHost: a\r\nX-Slow: ") }
            slow.append(connection)
        }
        let clock = ContinuousClock()
        let start0 = clock.now
        for _ in 0..<20 {
            let status = try RawHTTPConnection.request(port: port, "GET", "/ping").status
            #expect(status == 200)
        }
        let answered = clock.now - start0
        #expect(answered < .seconds(1))
        let start = clock.now
        for connection in slow { #expect(connection.waitForClose()) }
        // Every one closed after about the timeout (1 s; libmicrohttpd checks it at most once a second).
        #expect(clock.now - start < .seconds(4))
    }
}
