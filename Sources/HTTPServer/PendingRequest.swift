import Locking

/// The body of one request while libmicrohttpd delivers it in chunks. It lives behind the connection's `*con_cls`
/// (retained there by the first access-handler call, released by the request-completed callback).
///
/// libmicrohttpd hands one connection to one thread at a time, so the lock is never contended; it is there so
/// that the type is honestly `Sendable` rather than trusted to be.
final class PendingRequest: Sendable {
    /// What `append` decided about a chunk.
    enum Outcome {
        case accepted
        /// The body passed the limit: the rest is read and dropped, and the request is answered 413 at its end
        /// (libmicrohttpd cannot queue a response while body data is still arriving).
        case overLimit
        /// The client kept sending far past the limit: drop the connection rather than read without bound.
        case abandon
    }

    private struct State {
        var body: [UInt8] = []
        var received = 0
    }

    private let state = Locked(State())
    private let limit: Int
    /// The client's numeric address (the peer's, or behind a trusted proxy the forwarded one), found once with the
    /// headers.
    let clientAddress: String
    /// The header fields, read once when they arrive (the rate limit's policy looks at them before the body).
    let headers: HTTPHeaders

    init(limit: Int, clientAddress: String = "", headers: HTTPHeaders = HTTPHeaders()) {
        self.limit = limit
        self.clientAddress = clientAddress
        self.headers = headers
    }

    func append(_ chunk: UnsafeRawBufferPointer) -> Outcome {
        state.withLock { state in
            state.received += chunk.count
            if state.received <= limit {
                state.body.append(contentsOf: chunk)
                return .accepted
            }
            state.body = []
            // Reading up to twice the limit lets a modestly oversized upload finish and receive its 413.
            return state.received <= 2 * limit ? .overLimit : .abandon
        }
    }

    /// The whole body, or nil if it exceeded the limit.
    func takeBody() -> [UInt8]? {
        state.withLock { state in
            guard state.received <= limit else { return nil }
            defer { state.body = [] }
            return state.body
        }
    }
}
