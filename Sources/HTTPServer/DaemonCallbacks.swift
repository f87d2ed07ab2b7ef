// The C callbacks libmicrohttpd calls, and the conversions between its types and HTTPRequest/HTTPResponse.
// Nothing here is public: no other module sees a libmicrohttpd type.
// `internal`: the compiler then guarantees no libmicrohttpd type appears in this module's public API.
internal import CMicroHTTPD

/// libmicrohttpd's access handler: called once with the headers, once per body chunk, and once at the end.
func handleAccess(
    context: UnsafeMutableRawPointer?, connection: OpaquePointer?, url: UnsafePointer<CChar>?,
    method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?, uploadData: UnsafePointer<CChar>?,
    uploadDataSize: UnsafeMutablePointer<Int>?, requestState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let context, let connection, let url, let method, let requestState else { return .NO }
    let daemon = Unmanaged<DaemonContext>.fromOpaque(context).takeUnretainedValue()

    guard let state = requestState.pointee else {
        // Headers only. Refuse a client over its rate, or a declared oversize body, now, before any of it is read.
        let headers = HTTPHeaders(fields: values(of: .HEADER_KIND, on: connection))
        let client = daemon.trustedProxies.client(peer: clientAddress(of: connection),
                                                  forwardedFor: headers.values(for: "X-Forwarded-For"))
        let pending = PendingRequest(limit: daemon.maxBodyBytes, clientAddress: client, headers: headers)
        requestState.pointee = Unmanaged.passRetained(pending).toOpaque()
        if let policy = daemon.rateLimit,
           let refusal = policy.refusal(of: HTTPRequest(method: String(cString: method), path: String(cString: url),
                                                        headers: headers, clientAddress: client)) {
            return queue(refusal.response, on: connection)
        }
        if let declared = MHD_lookup_connection_value(connection, .HEADER_KIND, "Content-Length"),
           let length = Int(String(cString: declared)), length > daemon.maxBodyBytes {
            return queue(tooLarge(daemon.maxBodyBytes), on: connection)
        }
        return .YES
    }
    let pending = Unmanaged<PendingRequest>.fromOpaque(state).takeUnretainedValue()

    if let uploadDataSize, uploadDataSize.pointee > 0 {
        let outcome = pending.append(UnsafeRawBufferPointer(start: uploadData, count: uploadDataSize.pointee))
        uploadDataSize.pointee = 0
        return outcome == .abandon ? .NO : .YES
    }

    guard let body = pending.takeBody() else {
        return queue(tooLarge(daemon.maxBodyBytes), on: connection)
    }
    let request = HTTPRequest(
        method: String(cString: method),
        path: String(cString: url),
        query: Dictionary(values(of: .GET_ARGUMENT_KIND, on: connection).map { ($0.name, $0.value) },
                          uniquingKeysWith: { first, _ in first }),
        headers: pending.headers,
        body: body, clientAddress: pending.clientAddress)
    return queue(daemon.router.respond(to: request), on: connection, daemon: daemon)
}

/// libmicrohttpd's request-completed callback: fires once per request, aborted and timed-out ones included, so it
/// is the one place the per-request state is released.
func releaseRequestState(
    context: UnsafeMutableRawPointer?, connection: OpaquePointer?,
    requestState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, reason: MHD_RequestTerminationCode
) {
    guard let requestState, let state = requestState.pointee else { return }
    Unmanaged<PendingRequest>.fromOpaque(state).release()
    requestState.pointee = nil
}

private func tooLarge(_ limit: Int) -> HTTPResponse {
    HTTPResponse.error(status: 413, message: "request body exceeds the limit of \(limit) bytes")
}

/// Copies `response` into a libmicrohttpd response and queues it; a streamed body is pulled from its
/// `HTTPStream` (retained by the response until libmicrohttpd frees it).
private func queue(_ response: HTTPResponse, on connection: OpaquePointer, daemon: DaemonContext? = nil) -> MHD_Result {
    var headers = response.headers
    if (!response.body.isEmpty || response.stream != nil) && headers["Content-Type"] == nil {
        headers["Content-Type"] = "application/octet-stream"
    }
    let created: OpaquePointer?
    if let stream = response.stream, let daemon {
        stream.attach(to: connection)
        daemon.opened(stream)
        let body = Unmanaged.passRetained(StreamBody(stream: stream, daemon: daemon))
        created = MHD_create_response_from_callback(UInt64.max, 16 * 1024, { cls, _, buffer, max in
            guard let cls, let buffer else { return -2 }
            return Unmanaged<StreamBody>.fromOpaque(cls).takeUnretainedValue().stream.read(into: buffer, max: max)
        }, body.toOpaque(), { cls in
            guard let cls else { return }
            let body = Unmanaged<StreamBody>.fromOpaque(cls).takeRetainedValue()
            body.daemon.closed(body.stream)
            body.stream.close()
        })
        if created == nil { body.release() }
    } else {
        created = response.body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                                            .RESPMEM_MUST_COPY)
        }
    }
    guard let created else { return .NO }
    defer { MHD_destroy_response(created) }
    for field in headers {
        // libmicrohttpd refuses fields containing CR or LF, which is what we want: no header injection.
        _ = MHD_add_response_header(created, field.name, field.value)
    }
    return MHD_queue_response(connection, UInt32(response.status), created)
}

private func clientAddress(of connection: OpaquePointer) -> String {
    var buffer = [CChar](repeating: 0, count: 64)   // INET6_ADDRSTRLEN is 46
    guard pinn_http_client_address(connection, &buffer, buffer.count) == 0 else { return "" }
    return String(cString: buffer)
}

/// The request's fields of one kind (headers, query arguments), already percent-decoded by libmicrohttpd.
private func values(of kind: MHD_ValueKind, on connection: OpaquePointer) -> [HTTPHeaders.Field] {
    var fields: [HTTPHeaders.Field] = []
    withUnsafeMutablePointer(to: &fields) { pointer in
        _ = MHD_get_connection_values(connection, kind, { target, _, name, value in
            guard let target, let name else { return .YES }
            target.assumingMemoryBound(to: [HTTPHeaders.Field].self).pointee.append(
                HTTPHeaders.Field(name: String(cString: name), value: value.map { String(cString: $0) } ?? ""))
            return .YES
        }, pointer)
    }
    return fields
}

/// What a streamed response's callbacks hold: the stream, and the daemon that tracks open streams.
private final class StreamBody {
    let stream: HTTPStream
    let daemon: DaemonContext
    init(stream: HTTPStream, daemon: DaemonContext) { (self.stream, self.daemon) = (stream, daemon) }
}
