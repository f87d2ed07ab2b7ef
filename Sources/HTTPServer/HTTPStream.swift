internal import CMicroHTTPD
import Locking

/// A response body written over time — Server-Sent Events — without holding a thread: a producer `send`s bytes
/// whenever it has them; libmicrohttpd pulls them as the socket drains. When the buffer is empty the connection is
/// suspended (out of the polling loop, costing no thread) until the next `send` or `finish` resumes it.
///
/// A suspended connection does not notice a client that went away, so producers should send something (an SSE
/// comment) every few seconds; `send` returns false once the client is gone, and `onClose` runs once then.
public final class HTTPStream: Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var finished = false
        /// The connection this body is queued on (set when queued) and whether it is suspended waiting for data.
        var connection: Connection?
        var suspended = false
        /// The response was destroyed: the client is gone or the body ended.
        var closed = false
        var onClose: (@Sendable () -> Void)?
    }

    /// libmicrohttpd's connection handle, only touched under the lock (and by libmicrohttpd's own threads).
    private struct Connection: @unchecked Sendable { let handle: OpaquePointer }

    private let state = Locked(State())

    public init() {}

    /// Queues bytes for the client. False when the client is gone (the bytes are dropped).
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        state.withLock { state in
            guard !state.closed, !state.finished else { return false }
            state.buffer.append(contentsOf: bytes)
            resumeIfSuspended(&state)
            return true
        }
    }

    /// Ends the body once what was sent has been delivered.
    public func finish() {
        state.withLock { state in
            state.finished = true
            resumeIfSuspended(&state)
        }
    }

    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Runs once when the client is gone or the body has ended (immediately if that already happened).
    public func onClose(_ action: @escaping @Sendable () -> Void) {
        let closed = state.withLock { state in
            if !state.closed { state.onClose = action }
            return state.closed
        }
        if closed { action() }
    }

    // MARK: - Called by the daemon's callbacks

    func attach(to connection: OpaquePointer) {
        let connection = Connection(handle: connection)
        state.withLock { $0.connection = connection }
    }

    /// libmicrohttpd's content reader: the buffered bytes, the end of the stream, or — nothing buffered — suspend
    /// the connection and answer 0 (legal only together with a suspend). Suspending and resuming both happen
    /// under the lock, so a `send` can never resume a connection that is not (yet) suspended.
    func read(into destination: UnsafeMutablePointer<CChar>, max: Int) -> Int {
        state.withLock { state in
            if !state.buffer.isEmpty {
                let n = min(max, state.buffer.count)
                state.buffer.withUnsafeBytes { source in
                    UnsafeMutableRawPointer(destination).copyMemory(from: source.baseAddress!, byteCount: n)
                }
                state.buffer.removeFirst(n)
                return n
            }
            if state.finished || state.closed { return -1 }  // MHD_CONTENT_READER_END_OF_STREAM
            guard let connection = state.connection else { return -1 }
            state.suspended = true
            MHD_suspend_connection(connection.handle)
            return 0
        }
    }

    /// The response was destroyed (the connection closed).
    func close() {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            state.closed = true
            state.connection = nil
            state.suspended = false
            defer { state.onClose = nil }
            return state.onClose
        }
        action?()
    }

    /// Before the daemon stops: end the body and take the connection out of suspension (libmicrohttpd must not be
    /// stopped with suspended connections).
    func end() { finish() }

    private func resumeIfSuspended(_ state: inout State) {
        if state.suspended, let connection = state.connection {
            state.suspended = false
            MHD_resume_connection(connection.handle)
        }
    }
}
