// The router on its own: matching, precedence and error mapping, without sockets.
import HTTPServer
import Testing

@Test func literalRegisteredFirstWinsOverParameter() {
    var router = Router()
    router.add("GET", "/v1/jobs/stats") { _ in .text("stats") }
    router.add("GET", "/v1/jobs/{id}") { request in .text("job \(request.pathParameters["id"]!)") }
    #expect(router.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs/stats")).body == Array("stats".utf8))
    #expect(router.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs/9")).body == Array("job 9".utf8))
}

@Test func trailingAndRepeatedSlashesDoNotChangeTheRoute() {
    var router = Router()
    router.add("GET", "/v1/jobs/{id}/losses") { request in .text(request.pathParameters["id"]!) }
    #expect(router.respond(to: HTTPRequest(method: "GET", path: "/v1//jobs/x/losses/")).status == 200)
}

@Test func parameterDoesNotMatchAcrossSegmentsOrEmptySegments() {
    var router = Router()
    router.add("GET", "/v1/jobs/{id}") { _ in .text("job") }
    #expect(router.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs/a/b")).status == 404)
    #expect(router.respond(to: HTTPRequest(method: "GET", path: "/v1/jobs/")).status == 404)
}

@Test func headersAreCaseInsensitiveAndSettingReplacesEverySpelling() {
    var headers: HTTPHeaders = ["Content-Type": "text/plain", "content-type": "text/html"]
    #expect(headers["CONTENT-TYPE"] == "text/plain")
    #expect(headers.values(for: "content-type") == ["text/plain", "text/html"])
    headers["Content-type"] = "application/json"
    #expect(headers.values(for: "content-type") == ["application/json"])
}

@Test func aWrapRunsAroundEveryRequestRoutedOrNotAndLaterWrapsRunOutside() {
    var router = Router()
    router.add("GET", "/a") { _ in .text("a") }
    router.wrap { request, next in
        var response = next(request)
        response.headers.add(name: "X-Order", value: "inner")
        return response
    }
    router.wrap { request, next in
        if request.method == "OPTIONS" { return HTTPResponse(status: 204) }  // answers by itself
        var response = next(request)
        response.headers.add(name: "X-Order", value: "outer")
        return response
    }
    let routed = router.respond(to: HTTPRequest(method: "GET", path: "/a"))
    #expect(routed.body == Array("a".utf8) && routed.headers.values(for: "X-Order") == ["inner", "outer"])
    #expect(router.respond(to: HTTPRequest(method: "GET", path: "/missing")).headers.values(for: "X-Order") == ["inner", "outer"])
    let preflight = router.respond(to: HTTPRequest(method: "OPTIONS", path: "/a"))
    #expect(preflight.status == 204 && preflight.headers.values(for: "X-Order").isEmpty)
}
