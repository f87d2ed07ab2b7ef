// Deployments behind a reverse proxy: address ranges, the client found in X-Forwarded-For only behind a trusted
// proxy, and the rate limit's exempt paths, on a live server whose every request comes from 127.0.0.1.
import Foundation
import HTTPServer
import Testing

@Suite struct IPAddressRangeTests {
    @Test func aSingleAddressMatchesOnlyItself() throws {
        let range = try #require(IPAddressRange("192.0.2.7"))
        #expect(range.contains("192.0.2.7") && !range.contains("192.0.2.8") && range.prefixLength == 32)
    }

    @Test func aBlockMatchesTheAddressesSharingItsPrefix() throws {
        let range = try #require(IPAddressRange("172.16.0.0/12"))
        #expect(range.contains("172.16.0.1") && range.contains("172.31.255.255"))
        #expect(!range.contains("172.32.0.0") && !range.contains("172.15.255.255"))
        #expect(try #require(IPAddressRange("0.0.0.0/0")).contains("203.0.113.9"))
    }

    @Test func ipv6BlocksAndIPv4MappedPeers() throws {
        let v6 = try #require(IPAddressRange("fd00::/8"))
        #expect(v6.contains("fd12:3456::1") && !v6.contains("fe80::1") && !v6.contains("10.0.0.1"))
        // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d; it is the same peer.
        let v4 = try #require(IPAddressRange("10.0.0.0/8"))
        #expect(v4.contains("::ffff:10.1.2.3") && v4.contains("10.1.2.3") && !v4.contains("::ffff:11.0.0.1"))
        #expect(try #require(IPAddressRange("::1")).contains("[::1]"))
    }

    @Test(arguments: ["", "proxy.example.org", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "::/129",
                      "1.2.3", "10.0.0.1 ", "fe80::1%eth0"])
    func textThatIsNoAddressOrBlockIsRefused(text: String) {
        #expect(IPAddressRange(text) == nil)
    }
}

@Suite struct TrustedProxiesTests {
    let proxies: TrustedProxies

    init() throws { proxies = try TrustedProxies(parsing: ["10.0.0.0/8", "192.0.2.1"]) }

    @Test func withoutTrustedProxiesThePeerIsTheClient() {
        #expect(TrustedProxies().client(peer: "10.0.0.5", forwardedFor: ["203.0.113.9"]) == "10.0.0.5")
    }

    @Test func anUntrustedPeersForwardedForIsIgnored() {
        #expect(proxies.client(peer: "198.51.100.4", forwardedFor: ["203.0.113.9"]) == "198.51.100.4")
    }

    @Test func behindATrustedProxyTheRightMostUntrustedAddressIsTheClient() {
        // The client wrote "1.1.1.1" itself; the trusted proxy appended the address it saw, 203.0.113.9.
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: ["1.1.1.1, 203.0.113.9"]) == "203.0.113.9")
        // Two trusted hops (192.0.2.1 forwarded to 10.0.0.5), across repeated header fields.
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: ["1.1.1.1, 203.0.113.9", "192.0.2.1"]) == "203.0.113.9")
    }

    @Test func aChainOfTrustedProxiesOnlyEndsAtItsLeftMostAddress() {
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: ["10.0.0.7, 192.0.2.1"]) == "10.0.0.7")
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: []) == "10.0.0.5")
    }

    @Test func anEntryThatIsNoAddressEndsTheWalkAtTheNearestVouchedHop() {
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: ["unknown, 192.0.2.1"]) == "192.0.2.1")
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: ["203.0.113.9, garbage"]) == "10.0.0.5")
    }

    @Test func theFirstBadEntryIsNamedWhenParsing() {
        #expect(throws: TrustedProxies.InvalidRange.self) { try TrustedProxies(parsing: ["10.0.0.1", "proxy"]) }
    }
}

private func withServer(_ configuration: HTTPServer.Configuration, _ body: (UInt16) throws -> Void) throws {
    var router = Router()
    router.add("GET", "/ping") { _ in .text("pong") }
    router.add("GET", "/healthz") { _ in .text("ok") }
    router.add("GET", "/client") { request in .text(request.clientAddress) }
    let server = HTTPServer(configuration: configuration, router: router)
    try server.start()
    defer { server.stop() }
    try body(try #require(server.port))
}

/// A limiter that refills too slowly to matter during a test: every client has `burst` requests.
private func policy(burst: Int, exempt: Set<String> = []) -> RateLimitPolicy {
    RateLimitPolicy(limiter: RateLimiter(requestsPerSecond: 0.01, burst: burst), exemptPaths: exempt)
}

private func status(_ port: UInt16, _ path: String, forwardedFor: String? = nil) throws -> Int {
    try RawHTTPConnection.request(port: port, "GET", path,
                                  headers: forwardedFor.map { ["X-Forwarded-For": $0] } ?? [:]).status
}

@Test func duringAFloodFromOneAddressAnExemptPathKeepsAnswering() throws {
    try withServer(.init(rateLimit: policy(burst: 5, exempt: ["/healthz"]))) { port in
        let flood = try (0..<40).map { _ in try status(port, "/ping") }
        #expect(flood.filter { $0 == 200 }.count == 5 && flood.filter { $0 == 429 }.count == 35)
        for _ in 0..<20 { #expect(try status(port, "/healthz") == 200) }
        #expect(try status(port, "/ping") == 429)
    }
}

@Test func twoClientsBehindATrustedProxyGetSeparateBuckets() throws {
    let proxies = try TrustedProxies(parsing: ["127.0.0.1"])
    try withServer(.init(rateLimit: policy(burst: 3), trustedProxies: proxies)) { port in
        let first = try (0..<5).map { _ in try status(port, "/ping", forwardedFor: "203.0.113.1") }
        #expect(first == [200, 200, 200, 429, 429])
        // Another client behind the same proxy still has its whole burst.
        let second = try (0..<4).map { _ in try status(port, "/ping", forwardedFor: "203.0.113.2") }
        #expect(second == [200, 200, 200, 429])
        let refused = try RawHTTPConnection.request(port: port, "GET", "/ping", headers: ["X-Forwarded-For": "203.0.113.2"])
        #expect(refused.text.contains("too many requests from 203.0.113.2"))
        #expect(try RawHTTPConnection.request(port: port, "GET", "/client",
                                              headers: ["X-Forwarded-For": "1.1.1.1, 203.0.113.3"]).text == "203.0.113.3")
    }
}

@Test func anUntrustedForwardedForIsIgnored() throws {
    let proxies = try TrustedProxies(parsing: ["10.0.0.0/8"])   // the test's peer, 127.0.0.1, is not one
    try withServer(.init(rateLimit: policy(burst: 3), trustedProxies: proxies)) { port in
        // A client naming a new address on every request still draws from one bucket, its own.
        let statuses = try (0..<5).map { i in try status(port, "/ping", forwardedFor: "203.0.113.\(i)") }
        #expect(statuses == [200, 200, 200, 429, 429])
        #expect(try RawHTTPConnection.request(port: port, "GET", "/client",
                                              headers: ["X-Forwarded-For": "203.0.113.9"]).status == 429)
    }
    try withServer(.init(trustedProxies: proxies)) { port in
        let answer = try RawHTTPConnection.request(port: port, "GET", "/client", headers: ["X-Forwarded-For": "203.0.113.9"])
        #expect(answer.text == "127.0.0.1")
    }
}
