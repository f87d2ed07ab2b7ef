import Foundation
import HTTPServer
import Testing
import PINNStore
@testable import PINNService

/// CORS: no header at all unless origins are configured; then exactly the configured origins are allowed.
@Suite struct CORSTests {
    static let origin = "https://lab.example.org"

    static func router(origins: Set<String>, tokens: APITokens = APITokens()) throws -> Router {
        let store = try SQLiteJobStore.inMemory()
        return JobsAPI(store: store, pool: WorkerPool(store: store), access: AccessControl(tokens: tokens),
                       cors: CORSPolicy(origins: origins)).router()
    }

    static func corsHeaders(_ response: HTTPResponse) -> [String] {
        response.headers.fields.map(\.name).filter { $0.lowercased().hasPrefix("access-control-") || $0.lowercased() == "vary" }
    }

    @Test func offByDefaultNoRequestGetsACORSHeader() throws {
        let router = try Self.router(origins: [])
        let get = router.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs", headers: ["Origin": Self.origin]))
        #expect(get.status == 200)
        #expect(Self.corsHeaders(get).isEmpty)
        let preflight = router.respond(to: HTTPRequest(method: "OPTIONS", path: "/v1/jobs",
                                                       headers: ["Origin": Self.origin, "Access-Control-Request-Method": "POST"]))
        #expect(preflight.status == 405)
        #expect(Self.corsHeaders(preflight).isEmpty)
    }

    @Test func aConfiguredOriginIsAllowedByName() throws {
        let router = try Self.router(origins: [Self.origin])
        let get = router.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs", headers: ["Origin": Self.origin]))
        #expect(get.status == 200)
        #expect(get.headers["Access-Control-Allow-Origin"] == Self.origin)
        #expect(get.headers.values(for: "Vary") == ["Origin"])
        // Unknown routes too: every answer, so the page can read its errors.
        let missing = router.respond(to: HTTPRequest(method: "GET", path: "/v2/x", headers: ["Origin": Self.origin]))
        #expect(missing.status == 404 && missing.headers["Access-Control-Allow-Origin"] == Self.origin)
    }

    @Test func anotherOriginGetsNoAllowOriginButVary() throws {
        let router = try Self.router(origins: [Self.origin])
        for other in ["https://evil.example.org", "https://lab.example.org:8443", "http://lab.example.org", "null"] {
            let get = router.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs", headers: ["Origin": other]))
            #expect(get.headers["Access-Control-Allow-Origin"] == nil, "\(other)")
            #expect(get.headers["Vary"] == "Origin")
            let preflight = router.respond(to: HTTPRequest(method: "OPTIONS", path: "/v1/jobs",
                                                           headers: ["Origin": other, "Access-Control-Request-Method": "POST"]))
            #expect(preflight.status == 405 && preflight.headers["Access-Control-Allow-Origin"] == nil)
        }
    }

    @Test func aPreflightIsAnsweredWithTheMethodsAndHeadersTheAPIReads() throws {
        // With tokens: the browser sends no Authorization on a preflight, so it must not need one.
        let router = try Self.router(origins: [Self.origin], tokens: try APITokens(["alice": AccessControlTests.alice]))
        let preflight = router.respond(to: HTTPRequest(method: "OPTIONS", path: "/v1/jobs/abc/events", headers: [
            "Origin": Self.origin, "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization, last-event-id"]))
        #expect(preflight.status == 204)
        #expect(preflight.headers["Access-Control-Allow-Origin"] == Self.origin)
        #expect(preflight.headers["Access-Control-Allow-Methods"] == "GET, POST, DELETE")
        #expect(preflight.headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type, Last-Event-ID")
        #expect(preflight.headers["Access-Control-Allow-Credentials"] == nil)
        // The real request then needs its token, and its 401 is readable by the page.
        let unauthorized = router.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs", headers: ["Origin": Self.origin]))
        #expect(unauthorized.status == 401 && unauthorized.headers["Access-Control-Allow-Origin"] == Self.origin)
    }
}
