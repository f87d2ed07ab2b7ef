// Streamed responses (Server-Sent Events): bytes arrive as they are sent, a waiting stream holds no polling
// thread, a client that leaves is noticed, and a server stops with streams open.
import Foundation
import HTTPServer
import Locking
import Synchronization
import Testing

/// A server with one polling thread whose `/stream` hands its `HTTPStream` to the test, and a quick `/ping`.
private final class StreamingServer {
    final class Opened: Sendable { let list = Locked<[HTTPStream]>([]) }
    let server: HTTPServer
    let opened = Opened()

    init() throws {
        var router = Router()
        let opened = self.opened
        router.add("GET", "/stream") { _ in
            let stream = HTTPStream()
            opened.list.withLock { $0.append(stream) }
            return .eventStream(stream)
        }
        router.add("GET", "/ping") { _ in .text("pong") }
        server = HTTPServer(configuration: .init(threads: 1), router: router)
        try server.start()
    }

    var port: UInt16 { server.port! }

    func waitForStream(_ count: Int = 1) throws -> HTTPStream {
        for _ in 0..<500 {
            if let stream = opened.list.withLock({ $0.count >= count ? $0[count - 1] : nil }) { return stream }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw RawHTTPError("no stream opened")
    }
}

@Test func streamedBytesArriveInOrderWhileAnIdleStreamHoldsNoThread() throws {
    let fixture = try StreamingServer()
    defer { fixture.server.stop() }
    let connection = try RawHTTPConnection(port: fixture.port)
    try connection.write(RawHTTPConnection.requestHead("GET", "/stream", contentLength: nil))
    let stream = try fixture.waitForStream()
    // The stream is waiting (its connection suspended); the single polling thread still answers others.
    for _ in 0..<5 {
        let ping = try RawHTTPConnection.request(port: fixture.port, "GET", "/ping")
        #expect(ping.status == 200 && ping.text == "pong")
    }
    #expect(stream.send(Array("data: one\n\n".utf8)))
    Thread.sleep(forTimeInterval: 0.1)
    #expect(stream.send(Array("data: two\n\n".utf8)))
    stream.finish()
    let response = try connection.readResponse()
    #expect(response.status == 200)
    #expect(response.headers["content-type"] == "text/event-stream; charset=utf-8")
    let text = response.text
    let one = try #require(text.range(of: "data: one")), two = try #require(text.range(of: "data: two"))
    #expect(one.upperBound <= two.lowerBound)
}

@Test func aClientThatLeavesIsNoticedBySendAndOnClose() throws {
    let fixture = try StreamingServer()
    defer { fixture.server.stop() }
    let connection = try RawHTTPConnection(port: fixture.port)
    try connection.write(RawHTTPConnection.requestHead("GET", "/stream", contentLength: nil))
    let stream = try fixture.waitForStream()
    let closed = Atomic<Bool>(false)
    stream.onClose { closed.store(true, ordering: .relaxed) }
    connection.close()
    var noticed = false
    for _ in 0..<200 where !noticed {
        noticed = !stream.send(Array(": keepalive\n\n".utf8))
        Thread.sleep(forTimeInterval: 0.025)
    }
    #expect(noticed && closed.load(ordering: .relaxed) && stream.isClosed)
}

@Test func theServerStopsWithStreamsOpenAndTheirClientsSeeTheEnd() throws {
    let fixture = try StreamingServer()
    var connections: [RawHTTPConnection] = []
    for k in 1...3 {
        let connection = try RawHTTPConnection(port: fixture.port)
        try connection.write(RawHTTPConnection.requestHead("GET", "/stream", contentLength: nil))
        _ = try fixture.waitForStream(k)
        connections.append(connection)
    }
    let started = Date()
    fixture.server.stop()
    #expect(Date().timeIntervalSince(started) < 5)
    for connection in connections { #expect(try connection.readResponse().status == 200) }
}
