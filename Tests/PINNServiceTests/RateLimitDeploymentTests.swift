import Foundation
import Testing
@testable import PINNService

/// The rate limit as a deployment meets it (docs/deploy.md): a live server whose health and metrics routes answer
/// through a flood from their address, whose buckets are per token once tokens exist, and whose `trustedProxies`
/// setting is read like every other setting.
@Suite(.serialized) struct RateLimitDeploymentTests {
    static let alice = "alice-secret-0123456789"
    static let bob = "bob-secret-abcdefghijkl"

    /// A server on a free port with a burst of `burst` requests and a refill too slow to matter during a test.
    static func withServer(burst: Int, tokens: [String: String] = [:], _ body: (String) throws -> Void) throws {
        var configuration = ServiceConfiguration()
        configuration.port = 0
        configuration.storePath = WorkerPoolTests.temporaryStorePath()
        configuration.rateLimitPerSecond = 0.01
        configuration.rateLimitBurst = burst
        configuration.tokens = try APITokens(tokens)
        let server = try PINNServer(configuration: configuration)
        try server.start()
        defer { server.stop() }
        try body("http://127.0.0.1:\(try #require(server.port))")
    }

    static func status(_ url: String, token: String? = nil) -> Int {
        LiveJobTests.fetch(url, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:], timeout: 10).status
    }

    @Test func duringAFloodHealthAndMetricsKeepAnswering200() throws {
        try Self.withServer(burst: 10) { base in
            let flood = (0..<30).map { _ in Self.status(base + "/v1/presets") }
            #expect(flood.filter { $0 == 200 }.count == 10 && flood.filter { $0 == 429 }.count == 20)
            for _ in 0..<20 {
                #expect(Self.status(base + "/healthz") == 200)
                #expect(Self.status(base + "/metrics") == 200)
            }
            #expect(Self.status(base + "/v1/presets") == 429)
        }
    }

    @Test func withTokensEachTokenHasItsOwnBucket() throws {
        try Self.withServer(burst: 3, tokens: ["alice": Self.alice, "bob": Self.bob]) { base in
            let alice = (0..<4).map { _ in Self.status(base + "/v1/jobs", token: Self.alice) }
            #expect(alice == [200, 200, 200, 429])
            // Bob calls from the same address, and is not held back by alice's requests.
            let bob = (0..<4).map { _ in Self.status(base + "/v1/jobs", token: Self.bob) }
            #expect(bob == [200, 200, 200, 429])
            let refused = LiveJobTests.fetch(base + "/v1/jobs", headers: ["Authorization": "Bearer \(Self.bob)"])
            #expect(String(decoding: refused.body, as: UTF8.self).contains("too many requests from token bob"))
            // A request without a (valid) token draws from its address's bucket, still full.
            #expect(Self.status(base + "/v1/jobs", token: "not-a-token-of-ours-at-all") == 401)
        }
    }

    @Test func trustedProxiesAreReadFromTheFileTheEnvironmentAndFlags() throws {
        let path = try AccessConfigurationTests.file(#"{"trustedProxies": ["10.0.0.0/8", "fd00::/8"]}"#)
        let fromFile = try AccessConfigurationTests.load(file: path)
        #expect(fromFile.trustedProxies.ranges.map(\.description) == ["10.0.0.0/8", "fd00::/8"])
        let fromEnvironment = try AccessConfigurationTests.load(environment: ["PINN_TRUSTED_PROXIES": "172.18.0.0/16, 127.0.0.1"])
        #expect(fromEnvironment.trustedProxies.trusts("172.18.0.3") && fromEnvironment.trustedProxies.trusts("127.0.0.1"))
        let fromFlag = try AccessConfigurationTests.load(arguments: ["--trusted-proxies", "192.0.2.1"])
        #expect(fromFlag.trustedProxies.trusts("192.0.2.1") && !fromFlag.trustedProxies.trusts("192.0.2.2"))
        #expect(try AccessConfigurationTests.load().trustedProxies.isEmpty)
    }

    @Test func aBadTrustedProxyStopsTheServerNamingTheSettingAndTheEntry() {
        let message = AccessConfigurationTests.message {
            try AccessConfigurationTests.load(arguments: ["--trusted-proxies", "10.0.0.0/8,proxy.internal"])
        }
        #expect(message.contains("trustedProxies") && message.contains("\"proxy.internal\""))
    }
}
