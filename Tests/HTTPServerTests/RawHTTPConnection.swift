// A deliberately dumb blocking HTTP/1.1 client over a POSIX socket, so tests control every byte on the wire
// (lying Content-Length, chunked uploads, many simultaneously open connections).
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct RawHTTPResponse {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String

    init(_ what: String) {
        description = "\(what): \(String(cString: strerror(errno)))"
    }
}

/// One TCP connection to 127.0.0.1.
final class RawHTTPConnection {
    private var socketDescriptor: Int32

    init(port: UInt16, timeoutSeconds: Int = 10) throws {
        #if canImport(Glibc)
        socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        socketDescriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socketDescriptor >= 0 else { throw RawHTTPError("socket") }
        // A hung server must fail the test, not hang it.
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(socketDescriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socketDescriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            // Closing here and again in deinit (which runs for a fully initialised object whose init throws)
            // would close whatever descriptor the process opened in between, perhaps the server's own socket.
            let error = RawHTTPError("connect to port \(port)")
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    func close() {
        if socketDescriptor >= 0 {
            _ = Glibc.close(socketDescriptor)
            socketDescriptor = -1
        }
    }

    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                send(socketDescriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw RawHTTPError("send") }
            offset += sent
        }
    }

    /// Waits (up to the receive timeout) for the server to close the connection: true when it did, false when the
    /// wait timed out; bytes the server sent first (an error response) are read and dropped.
    func waitForClose() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socketDescriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    /// Reads one response: until its Content-Length body is complete, or else until the server closes.
    /// Bytes past the response stay unread, so the connection can carry a further (keep-alive) request.
    func readResponse() throws -> RawHTTPResponse {
        var received: [UInt8] = []
        var byte = [UInt8](repeating: 0, count: 1)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        // Byte by byte until the head is complete, so nothing of a following response is consumed.
        while !received.suffix(4).elementsEqual("\r\n\r\n".utf8) {
            let count = byte.withUnsafeMutableBytes { recv(socketDescriptor, $0.baseAddress, 1, 0) }
            if count == 0 { throw RawHTTPError("connection closed after \(received.count) bytes of head") }
            guard count > 0 else { throw RawHTTPError("recv after \(received.count) bytes of head") }
            received.append(byte[0])
        }
        var response = try RawHTTPConnection.parseHead(received)
        let length = response.headers["content-length"].flatMap(Int.init)
        while length.map({ response.body.count < $0 }) ?? true {
            let wanted = min(buffer.count, length.map { $0 - response.body.count } ?? buffer.count)
            let count = buffer.withUnsafeMutableBytes { recv(socketDescriptor, $0.baseAddress, wanted, 0) }
            if count == 0 { break }
            guard count > 0 else { throw RawHTTPError("recv after \(response.body.count) bytes of body") }
            response.body.append(contentsOf: buffer[0..<count])
        }
        return response
    }

    private static func parseHead(_ bytes: [UInt8]) throws -> RawHTTPResponse {
        let head = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw RawHTTPError("bad status line \(head[0])")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RawHTTPResponse(status: status, headers: headers, body: [])
    }

    /// Sends one complete request with `Connection: close` and a Content-Length body, and reads the answer.
    static func request(port: UInt16, _ method: String, _ target: String, headers: [String: String] = [:],
                        body: [UInt8] = []) throws -> RawHTTPResponse {
        let connection = try RawHTTPConnection(port: port)
        try connection.write(requestHead(method, target, headers: headers, contentLength: body.count))
        try connection.write(body)
        return try connection.readResponse()
    }

    static func requestHead(_ method: String, _ target: String, headers: [String: String] = [:],
                            contentLength: Int?, keepAlive: Bool = false) -> String {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if !keepAlive { head += "Connection: close\r\n" }
        if let contentLength { head += "Content-Length: \(contentLength)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return head + "\r\n"
    }
}
