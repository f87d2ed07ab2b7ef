import CLibPQ
import Foundation

/// One libpq connection. Every statement goes through `PQexecParams` with its values as separate, typed parameters
/// (`SQLValue`), never spliced into the SQL text; values and results both travel in binary format, so doubles
/// and blobs arrive bit-exact. Every failure becomes a `StoreError` carrying PostgreSQL's own message.
/// Not thread-safe by itself: `PostgresConnectionPool` lends a connection to one caller at a time, which is what
/// the `@unchecked Sendable` relies on.
final class PostgresConnection: @unchecked Sendable {
    /// The URL without its password, for messages.
    let location: String
    private var handle: OpaquePointer?

    /// Largest value one parameter may carry: PostgreSQL's limit for one field.
    static let maxValueBytes = 1 << 30

    /// Connects and prepares the session. libpq's defaults come first and the URL last, so a parameter the URL
    /// gives (`connect_timeout=3`) wins. `lockTimeout` bounds every wait for a row, table or advisory lock, past
    /// which a statement fails with `StoreError.busy` (SQLite's busy timeout). The keepalive and TCP user timeouts
    /// turn a silently cut network into an error within about half a minute instead of a hang.
    init(url: PostgresURL, lockTimeout: Duration) throws(StoreError) {
        location = url.description
        let parameters = [
            ("connect_timeout", "10"), ("application_name", "pinn-service"), ("client_encoding", "UTF8"),
            ("keepalives_idle", "10"), ("keepalives_interval", "5"), ("keepalives_count", "3"),
            ("tcp_user_timeout", "30000"), ("dbname", url.text),
        ]
        let keywords = parameters.map { UnsafePointer(strdup($0.0)) } + [nil]
        let values = parameters.map { UnsafePointer(strdup($0.1)) } + [nil]
        defer { for pointer in keywords + values { free(UnsafeMutablePointer(mutating: pointer)) } }
        let connection = PQconnectdbParams(keywords, values, 1)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { Self.trimmed(PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            throw .unavailable(path: location, operation: "connect", message: message)
        }
        // Notices ("relation already exists, skipping", "there is no transaction in progress") would otherwise go
        // to stderr; nothing the store does needs them.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        let milliseconds = max(1, lockTimeout.components.seconds * 1000
                                  + lockTimeout.components.attoseconds / 1_000_000_000_000_000)
        _ = try rows("SELECT set_config('lock_timeout', \(String(milliseconds)), false)") { _ in () }
    }

    deinit { close() }

    /// Ends the session; later calls fail with `StoreError.closed`.
    func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Whether the connection can take a statement now: reads, without waiting, whatever the server sent while it
    /// was idle — a server that restarted or ended the session has sent its last message and closed the socket —
    /// and checks that no transaction was left open. Twice, because one read returns the message and only the
    /// next one finds the end of the stream, which is what marks the connection lost.
    var isUsable: Bool {
        guard let handle else { return false }
        guard PQconsumeInput(handle) == 1, PQconsumeInput(handle) == 1 else { return false }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// The server process serving this connection (`pg_stat_activity.pid`).
    var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    /// Runs one statement; returns how many rows it inserted, updated or deleted.
    @discardableResult
    func run(_ statement: SQLStatement) throws(StoreError) -> Int {
        let result = try execute(statement)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Runs one statement and maps each result row with `read`.
    func rows<T>(_ statement: SQLStatement, _ read: (PostgresRow) throws(StoreError) -> T) throws(StoreError) -> [T] {
        let result = try execute(statement)
        defer { PQclear(result) }
        let count = PQntuples(result)
        var rows: [T] = []
        rows.reserveCapacity(Int(count))
        for row in 0..<count { rows.append(try read(PostgresRow(result: result, row: row))) }
        return rows
    }

    private func execute(_ statement: SQLStatement) throws(StoreError) -> OpaquePointer {
        guard let handle else { throw .closed(path: location) }
        let sql = statement.text(placeholder: Self.placeholder)
        let values = statement.values
        // One buffer holds every value, so the pointers handed to libpq stay valid for the call.
        var buffer: [UInt8] = []
        var offsets: [Int?] = []
        var lengths: [Int32] = []
        for value in values {
            guard let bytes = value.postgresBytes else {
                offsets.append(nil)
                lengths.append(0)
                continue
            }
            guard bytes.count <= Self.maxValueBytes else {
                throw .database(path: location, operation: String(sql.prefix(80)),
                                message: "a value of \(bytes.count) bytes is over PostgreSQL's limit of 1 GiB per field")
            }
            offsets.append(buffer.count)
            lengths.append(Int32(bytes.count))
            buffer += bytes
        }
        buffer.append(0)   // a base address even when every value is empty
        let types = values.map(\.postgresType)
        let formats = [Int32](repeating: 1, count: values.count)
        let result = buffer.withUnsafeBytes { raw -> OpaquePointer? in
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { $0.map { base + $0 } }
            return PQexecParams(handle, sql, Int32(values.count), types, pointers, lengths, formats, 1)
        }
        guard let result else { throw failure(nil, sql) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return result
        default:
            defer { PQclear(result) }
            throw failure(result, sql)
        }
    }

    private func failure(_ result: OpaquePointer?, _ sql: String) -> StoreError {
        let message = result.flatMap { pinn_pq_primary_message($0) }.map { Self.trimmed($0) }
            ?? result.map { Self.trimmed(PQresultErrorMessage($0)) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? handle.map { Self.trimmed(PQerrorMessage($0)) } ?? "no connection"
        let lost = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
        return StoreError.postgres(sqlState: result.flatMap { pinn_pq_sqlstate($0) }.map { String(cString: $0) },
                                   connectionLost: lost, path: location, operation: String(sql.prefix(80)),
                                   message: message)
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
    }
}

// MARK: - Dialect

extension PostgresConnection: SQLConnection {
    static func placeholder(_ n: Int) -> String { "$\(n)" }

    /// At read committed, so a read-then-write must lock what it read (`lockClause`), as the store's writes do.
    static let beginTransaction: SQLStatement = "BEGIN"

    /// Now on the database server's clock, which every server sharing the database reads alike, in the schema's
    /// unit (978307200 is 2001-01-01 as a Unix time). `clock_timestamp()`, not `now()`, which stands still for a
    /// whole transaction.
    static let now: SQLStatement = "(EXTRACT(EPOCH FROM clock_timestamp())::DOUBLE PRECISION - 978307200)"

    static func lockClause(_ lock: RowLock) -> String {
        switch lock {
        case .update: "FOR UPDATE"
        case .noKeyUpdate: "FOR NO KEY UPDATE"
        case .updateSkippingLocked: "FOR UPDATE SKIP LOCKED"
        }
    }

    /// One statement for the whole batch — a JSON array of {phase, iteration, record} unpacked by
    /// `json_to_recordset` — so a batch costs one round trip whatever its size. ON CONFLICT cannot touch a row
    /// twice in one statement, which is why `rows` must hold no key twice.
    func insertHistory(_ rows: [HistoryRow], into table: HistoryTable, jobID: String) throws(StoreError) {
        let batch = try StoredJSON.encode(rows)
        try run("""
            INSERT INTO \(sql: table.rawValue) (job_id, phase, iteration, record)
            SELECT \(jobID), row.phase, row.iteration, row.record
            FROM json_to_recordset(\(batch)::json) AS row (phase BIGINT, iteration BIGINT, record TEXT)
            ON CONFLICT (job_id, iteration, phase) DO UPDATE SET record = EXCLUDED.record
            """)
    }
}

extension SQLValue {
    /// The type's OID in `pg_type` (stable across PostgreSQL versions): int8, float8, text, bytea, bool.
    var postgresType: UInt32 {
        switch self {
        case .integer: 20
        case .real: 701
        case .text: 25
        case .blob: 17
        case .boolean: 16
        }
    }

    /// The binary wire form (network byte order for numbers), or nil for NULL. PostgreSQL text cannot hold U+0000
    /// (SQLite's binding stops at it): the JSON this store writes escapes it, and in free text (a failure message)
    /// it becomes U+FFFD rather than failing the write.
    var postgresBytes: [UInt8]? {
        switch self {
        case .integer(let x): x.map { withUnsafeBytes(of: $0.bigEndian, Array.init) }
        case .real(let x): x.map { withUnsafeBytes(of: $0.bitPattern.bigEndian, Array.init) }
        case .text(let s): s.map { Array($0.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}").utf8) }
        case .blob(let data): data.map { [UInt8]($0) }
        case .boolean(let b): b.map { [$0 ? 1 : 0] }
        }
    }
}

extension StoreError {
    /// The case for a PostgreSQL failure, by its SQLSTATE (Appendix A of the PostgreSQL manual), so the service
    /// answers 507/503 and the worker pool retries what is the store's condition rather than a bug:
    /// 53100 disk full → `full`; 25006 a read-only transaction (a hot standby, `default_transaction_read_only`) →
    /// `readOnly`; 55P03 lock timeout, 40001 serialization failure, 40P01 deadlock, 57014 statement timeout →
    /// `busy`; a lost connection (no SQLSTATE, class 08, or 57P01–57P03: the server shutting down or ending the
    /// session) → `unavailable`; anything else → `database`.
    static func postgres(sqlState: String?, connectionLost: Bool, path: String, operation: String,
                         message: String) -> StoreError {
        if connectionLost { return .unavailable(path: path, operation: operation, message: message) }
        switch sqlState {
        case nil: return .unavailable(path: path, operation: operation, message: message)
        case "53100": return .full(path: path, operation: operation, message: message)
        case "25006": return .readOnly(path: path, operation: operation, message: message)
        case "55P03", "40001", "40P01", "57014": return .busy(path: path, operation: operation, message: message)
        case "57P01", "57P02", "57P03": return .unavailable(path: path, operation: operation, message: message)
        case let state? where state.hasPrefix("08"):
            return .unavailable(path: path, operation: operation, message: message)
        default: return .database(path: path, operation: operation, message: message)
        }
    }
}
