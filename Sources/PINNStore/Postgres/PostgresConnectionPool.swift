import Dispatch
import Foundation
import Locking

/// A few PostgreSQL connections, each lent to one caller at a time, opened when first needed and again after a
/// loss. Why a pool and not one connection behind a mutex, as `SQLiteJobStore` has: PostgreSQL runs the
/// transactions of different connections concurrently, and over a network every statement costs a round trip, so
/// with one connection a status read or an event stream's poll would queue behind a worker's history batch or
/// checkpoint upload. `size` bounds what one server asks of the database (servers × size ≤ `max_connections`).
///
/// Connection loss: a connection found closed when lent (the server restarted while it was idle) is replaced
/// before use; one lost during a call makes that call throw `StoreError.unavailable` and is replaced on the next.
/// While the server cannot be reached, new connections are attempted with exponential backoff (`initialBackoff`
/// doubling to `maxBackoff`), and calls in between fail at once with `unavailable` instead of each waiting for a
/// connect timeout — callers that must not lose a write (the worker pool recording a job's end) retry storage
/// faults themselves.
final class PostgresConnectionPool: Sendable {
    let url: PostgresURL
    let size: Int
    let lockTimeout: Duration
    static let initialBackoff: Duration = .milliseconds(100)
    static let maxBackoff: Duration = .seconds(5)

    private struct State {
        var idle: [PostgresConnection] = []
        var closed = false
        /// While set, no connection is attempted before this instant (the last attempt failed).
        var retryAt: ContinuousClock.Instant?
        var backoff = PostgresConnectionPool.initialBackoff
        var lastFailure: StoreError?
    }

    private let state = Locked(State())
    /// Counts connections not lent out; a caller waits at most `lockTimeout` for one, then fails with `busy`.
    private let available: DispatchSemaphore

    init(url: PostgresURL, size: Int, lockTimeout: Duration) {
        precondition(size >= 1, "a pool needs at least one connection")
        self.url = url
        self.size = size
        self.lockTimeout = lockTimeout
        available = DispatchSemaphore(value: size)
    }

    /// Lends a connection to `body`. A connection that `body` leaves unusable (lost, or inside a transaction that
    /// could not be rolled back) is closed, not returned to the pool.
    func withConnection<T>(
        _ body: (PostgresConnection) throws(StoreError) -> sending T
    ) throws(StoreError) -> sending T {
        let (seconds, attoseconds) = lockTimeout.components
        guard available.wait(timeout: .now() + Double(seconds) + Double(attoseconds) * 1e-18) == .success else {
            throw .busy(path: url.description, operation: "waiting for a connection",
                        message: "all \(size) connections of this server were in use for \(lockTimeout)")
        }
        defer { available.signal() }
        let connection = try lend()
        do {
            let result = try body(connection)
            giveBack(connection)
            return result
        } catch {
            giveBack(connection)
            throw error
        }
    }

    /// Closes every idle connection; later calls fail with `StoreError.closed`. Connections lent out are closed
    /// when they come back.
    func close() {
        let idle = state.withLock { state in
            state.closed = true
            defer { state.idle = [] }
            return state.idle
        }
        for connection in idle { connection.close() }
    }

    /// The server processes of the idle connections (for tests that end a session from outside).
    var idleBackendPIDs: [Int32] { state.withLock { $0.idle.map(\.backendPID) } }

    /// Whether any idle connection would still be lent as it is (for tests: a session's end reaches the client a
    /// moment after its server process has left `pg_stat_activity`).
    var anyIdleConnectionUsable: Bool { state.withLock { $0.idle.contains { $0.isUsable } } }

    private func lend() throws(StoreError) -> PostgresConnection {
        while let connection = try takeIdle() {
            if connection.isUsable { return connection }
            connection.close()
        }
        return try connect()
    }

    private func takeIdle() throws(StoreError) -> PostgresConnection? {
        try state.withLock { (state: inout State) throws(StoreError) -> PostgresConnection? in
            guard !state.closed else { throw .closed(path: url.description) }
            return state.idle.popLast()
        }
    }

    private func giveBack(_ connection: PostgresConnection) {
        let keep = connection.isUsable && state.withLock { state in
            guard !state.closed else { return false }
            state.idle.append(connection)
            return true
        }
        if !keep { connection.close() }
    }

    private func connect() throws(StoreError) -> PostgresConnection {
        let now = ContinuousClock.now
        if let failure = state.withLock({ state -> StoreError? in
            guard let retryAt = state.retryAt, now < retryAt else { return nil }
            return state.lastFailure
        }) {
            throw failure
        }
        do throws(StoreError) {
            let connection = try PostgresConnection(url: url, lockTimeout: lockTimeout)
            state.withLock { state in
                state.retryAt = nil
                state.backoff = Self.initialBackoff
                state.lastFailure = nil
            }
            return connection
        } catch {
            state.withLock { state in
                state.retryAt = ContinuousClock.now + state.backoff
                state.backoff = min(Self.maxBackoff, state.backoff * 2)
                state.lastFailure = error
            }
            throw error
        }
    }
}
