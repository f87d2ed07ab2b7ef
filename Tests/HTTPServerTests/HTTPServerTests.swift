// The server end to end: a real daemon on an ephemeral loopback port, spoken to over raw sockets.
import Foundation
import HTTPServer
import Testing

/// The JSON error body every failure carries.
private struct ErrorBody: Decodable, Equatable {
    struct Detail: Decodable, Equatable {
        let status: Int
        let message: String
    }
    let error: Detail
}

private struct LossesQuery: Codable, Equatable {
    let id: String
    let from: String?
    let name: String?
}

private struct Boom: Error {}

private func testRouter() -> Router {
    var router = Router()
    router.add("GET", "/v1/jobs/{id}/losses") { request in
        try .json(LossesQuery(id: request.pathParameters["id"] ?? "", from: request.query["from"],
                              name: request.query["name"]))
    }
    router.add("GET", "/v1/jobs/{id}") { _ in .text("job") }
    router.add("DELETE", "/v1/jobs/{id}") { _ in HTTPResponse(status: 204) }
    router.add("GET", "/trace") { request in .text(request.headers["x-trace-id"] ?? "missing") }
    router.add("POST", "/echo") { request in
        .bytes(contentType: request.headers["content-type"] ?? "application/octet-stream", request.body)
    }
    router.add("GET", "/boom") { _ in throw Boom() }
    router.add("GET", "/unprocessable") { _ in throw HTTPError(status: 422, message: "nope") }
    return router
}

/// Runs `body` against a fresh server on an ephemeral port and always stops it.
private func withServer(_ configuration: HTTPServer.Configuration = .init(),
                        _ body: (UInt16) throws -> Void) throws {
    let server = HTTPServer(configuration: configuration, router: testRouter())
    try server.start()
    defer { server.stop() }
    let port = try #require(server.port)
    #expect(port != 0)
    try body(port)
}

private func decodeError(_ response: RawHTTPResponse) throws -> ErrorBody {
    try JSONDecoder().decode(ErrorBody.self, from: Data(response.body))
}

@Test func getRouteReceivesDecodedPathAndQueryParameters() throws {
    try withServer { port in
        let response = try RawHTTPConnection.request(port: port, "GET", "/v1/jobs/job-7/losses?from=10&name=a%20b")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        let decoded = try JSONDecoder().decode(LossesQuery.self, from: Data(response.body))
        #expect(decoded == LossesQuery(id: "job-7", from: "10", name: "a b"))
    }
}

@Test func requestHeadersAreLookedUpCaseInsensitively() throws {
    try withServer { port in
        let response = try RawHTTPConnection.request(port: port, "GET", "/trace", headers: ["X-TRACE-Id": "42"])
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(response.text == "42")
    }
}

@Test(arguments: [5, 200_000])
func postBodyIsEchoedByteForByte(size: Int) throws {
    let body = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    try withServer { port in
        let response = try RawHTTPConnection.request(port: port, "POST", "/echo",
                                                     headers: ["Content-Type": "application/x-test"], body: body)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/x-test")
        #expect(response.body == body)
    }
}

@Test func unknownPathIs404WithJSONError() throws {
    try withServer { port in
        let response = try RawHTTPConnection.request(port: port, "GET", "/v2/nothing")
        #expect(response.status == 404)
        #expect(response.headers["content-type"] == "application/json")
        #expect(try decodeError(response) == ErrorBody(error: .init(status: 404, message: "no route for /v2/nothing")))
    }
}

@Test func knownPathWithWrongMethodIs405ListingAllowedMethods() throws {
    try withServer { port in
        let response = try RawHTTPConnection.request(port: port, "PUT", "/v1/jobs/3")
        #expect(response.status == 405)
        #expect(response.headers["allow"] == "DELETE, GET")
        #expect(response.headers["content-type"] == "application/json")
        #expect(try decodeError(response).error.status == 405)
    }
}

@Test func declaredOversizeBodyIs413BeforeAnyBodyIsSent() throws {
    try withServer(.init(maxBodyBytes: 1000)) { port in
        let connection = try RawHTTPConnection(port: port)
        // Only the head: the 413 must come from the Content-Length alone.
        try connection.write(RawHTTPConnection.requestHead("POST", "/echo", contentLength: 1001))
        let response = try connection.readResponse()
        #expect(response.status == 413)
        #expect(response.headers["content-type"] == "application/json")
        #expect(try decodeError(response).error.status == 413)
    }
}

@Test func bodyAtTheLimitIsAccepted() throws {
    try withServer(.init(maxBodyBytes: 1000)) { port in
        let response = try RawHTTPConnection.request(port: port, "POST", "/echo", body: Array(repeating: 1, count: 1000))
        #expect(response.status == 200)
        #expect(response.body.count == 1000)
    }
}

@Test func streamedOversizeBodyWithoutContentLengthIs413() throws {
    try withServer(.init(maxBodyBytes: 64 * 1024)) { port in
        let connection = try RawHTTPConnection(port: port)
        try connection.write(RawHTTPConnection.requestHead("POST", "/echo", headers: ["Transfer-Encoding": "chunked"],
                                                           contentLength: nil))
        let chunk = [UInt8](repeating: 65, count: 8 * 1024)
        for _ in 0..<10 {  // 80 KiB > 64 KiB, sent as it would be by a streaming client
            try connection.write("\(String(chunk.count, radix: 16))\r\n")
            try connection.write(chunk)
            try connection.write("\r\n")
        }
        try connection.write("0\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == 413)
        #expect(try decodeError(response).error.message.contains("65536"))
    }
}

@Test func chunkedBodyWithinTheLimitIsReassembled() throws {
    try withServer { port in
        let connection = try RawHTTPConnection(port: port)
        try connection.write(RawHTTPConnection.requestHead("POST", "/echo", headers: ["Transfer-Encoding": "chunked"],
                                                           contentLength: nil))
        try connection.write("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "hello world")
    }
}

@Test func throwingHandlerIs500AndTheServerKeepsServing() throws {
    try withServer { port in
        let failed = try RawHTTPConnection.request(port: port, "GET", "/boom")
        #expect(failed.status == 500)
        #expect(try decodeError(failed) == ErrorBody(error: .init(status: 500, message: "internal server error")))
        let next = try RawHTTPConnection.request(port: port, "GET", "/v1/jobs/1")
        #expect(next.status == 200)
    }
}

@Test func thrownHTTPErrorKeepsItsStatusAndMessage() throws {
    try withServer { port in
        let response = try RawHTTPConnection.request(port: port, "GET", "/unprocessable")
        #expect(response.status == 422)
        #expect(try decodeError(response) == ErrorBody(error: .init(status: 422, message: "nope")))
    }
}

@Test func fiftySimultaneouslyOpenRequestsAreAllAnswered() throws {
    try withServer { port in
        // Open all connections and send every request before reading any answer, so all 50 are in flight at once.
        let connections = try (0..<50).map { _ in try RawHTTPConnection(port: port) }
        for (index, connection) in connections.enumerated() {
            try connection.write(RawHTTPConnection.requestHead("GET", "/v1/jobs/\(index)/losses", contentLength: nil))
        }
        for (index, connection) in connections.enumerated() {
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(try JSONDecoder().decode(LossesQuery.self, from: Data(response.body)).id == "\(index)")
        }
    }
}

@Test func stopFreesThePortForANewServer() throws {
    let first = HTTPServer(router: testRouter())
    try first.start()
    let port = try #require(first.port)
    #expect(try RawHTTPConnection.request(port: port, "GET", "/v1/jobs/1").status == 200)
    first.stop()
    #expect(first.port == nil)
    #expect(throws: RawHTTPError.self) { try RawHTTPConnection(port: port) }

    let second = HTTPServer(configuration: .init(port: port), router: testRouter())
    try second.start()
    defer { second.stop() }
    #expect(second.port == port)
    #expect(try RawHTTPConnection.request(port: port, "GET", "/v1/jobs/1").status == 200)
}

@Test func stopReturnsPromptlyWhileAClientHoldsAnIdleConnection() throws {
    let server = HTTPServer(router: testRouter())
    try server.start()
    let idle = try RawHTTPConnection(port: try #require(server.port))
    try idle.write("GET /v1/jobs/1 HTTP/1.1\r\n")  // an unfinished request head
    let clock = ContinuousClock()
    let elapsed = clock.measure { server.stop() }
    #expect(elapsed < .seconds(2))
    server.stop()  // idempotent
}

@Test func startingTwiceOrOnAnUnparsableHostThrows() throws {
    let server = HTTPServer(router: testRouter())
    try server.start()
    defer { server.stop() }
    #expect(throws: HTTPServerError.self) { try server.start() }
    let misconfigured = HTTPServer(configuration: .init(host: "localhost"), router: testRouter())
    #expect(throws: HTTPServerError.self) { try misconfigured.start() }
}

@Test func busyPortIsReportedAsAStartError() throws {
    let server = HTTPServer(router: testRouter())
    try server.start()
    defer { server.stop() }
    let rival = HTTPServer(configuration: .init(port: try #require(server.port)), router: testRouter())
    #expect(throws: HTTPServerError.self) { try rival.start() }
}

@Test func contentLengthShorterThanTheBodyBoundsWhatTheHandlerSees() throws {
    try withServer { port in
        let connection = try RawHTTPConnection(port: port)
        try connection.write(RawHTTPConnection.requestHead("POST", "/echo", contentLength: 5))
        try connection.write("hello, and then some bytes the server must not treat as this body")
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "hello")
    }
}

/// The per-request state is released by the request-completed callback even when the client vanishes mid-upload;
/// run under `--sanitize=address` to have LeakSanitizer check that nothing stays behind.
@Test func uploadAbandonedMidwayDoesNotDisturbTheServer() throws {
    try withServer { port in
        for _ in 0..<5 {
            let connection = try RawHTTPConnection(port: port)
            try connection.write(RawHTTPConnection.requestHead("POST", "/echo", contentLength: 100_000))
            try connection.write([UInt8](repeating: 7, count: 30_000))
            connection.close()
        }
        let response = try RawHTTPConnection.request(port: port, "POST", "/echo", body: Array("still here".utf8))
        #expect(response.text == "still here")
    }
}

/// Each request on a kept-alive connection starts with fresh per-request state (libmicrohttpd reuses the
/// connection, not the request's `*con_cls`).
@Test func keptAliveConnectionCarriesSeveralRequests() throws {
    try withServer { port in
        let connection = try RawHTTPConnection(port: port)
        for word in ["first", "second"] {
            try connection.write(RawHTTPConnection.requestHead("POST", "/echo", contentLength: word.utf8.count,
                                                               keepAlive: true) + word)
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text == word)
        }
    }
}

@Test func clientStreamingFarPastTheLimitIsDisconnected() throws {
    try withServer(.init(maxBodyBytes: 1024)) { port in
        let connection = try RawHTTPConnection(port: port)
        try connection.write(RawHTTPConnection.requestHead("POST", "/echo", headers: ["Transfer-Encoding": "chunked"],
                                                           contentLength: nil))
        // 8 KiB in 1 KiB chunks: past twice the limit the server stops reading and drops the connection, so the
        // later writes may fail and no response arrives.
        let chunk = [UInt8](repeating: 66, count: 1024)
        for _ in 0..<8 {
            try? connection.write("400\r\n")
            try? connection.write(chunk)
            try? connection.write("\r\n")
        }
        try? connection.write("0\r\n\r\n")
        #expect(throws: RawHTTPError.self) { try connection.readResponse() }
        #expect(try RawHTTPConnection.request(port: port, "GET", "/v1/jobs/1").status == 200)
    }
}
