import CSQLite
import Foundation

/// One SQLite connection with a cache of prepared statements. Not thread-safe by itself: `SQLiteJobStore`
/// serialises every use behind a mutex. Every failure becomes a `StoreError` carrying SQLite's own message.
final class SQLiteConnection {
    let path: String
    private var handle: OpaquePointer?
    /// Prepared once per distinct SQL text; the store uses a small fixed set of statements, so this stays small.
    private var statements: [String: OpaquePointer] = [:]

    /// SQLite copies a buffer bound with this destructor; the macro itself does not import into Swift.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) throws(StoreError) {
        self.path = path
        var db: OpaquePointer?
        let status = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(db)
            throw StoreError.sqlite(status, path: path, operation: "open", message: message)
        }
        handle = db
        // Extended codes tell apart, e.g., a full disk from a read-only file in the messages.
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    /// Finalises the cached statements and closes the file. Later calls fail with `StoreError.closed`.
    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements = [:]
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Whether SQLite opened the file for reading only (the file, its directory or its file system was read-only).
    var isReadOnly: Bool { handle.map { sqlite3_db_readonly($0, "main") == 1 } ?? false }

    /// How long a statement waits for another process's write lock before failing with "database is locked".
    func setBusyTimeout(milliseconds: Int32) throws(StoreError) {
        try check(sqlite3_busy_timeout(try open(), milliseconds), "set busy timeout")
    }

    /// Runs a script of one or more statements without parameters (schema migrations, pragmas).
    func execute(_ script: String) throws(StoreError) {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(try open(), script, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_free(error)
            throw StoreError.sqlite(status, path: path, operation: String(script.prefix(60)), message: message)
        }
    }

    /// Runs one statement that returns no rows; returns how many rows it changed.
    @discardableResult
    func run(_ statement: SQLStatement) throws(StoreError) -> Int {
        _ = try rows(statement) { _ throws(StoreError) in () }
        return Int(sqlite3_changes(try open()))
    }

    /// Runs one statement and maps each result row with `read`. Statements are prepared once per text: their
    /// parameters are `?`, so a statement's text does not change with its values.
    func rows<T>(_ query: SQLStatement, _ read: (SQLiteRow) throws(StoreError) -> T) throws(StoreError) -> [T] {
        let sql = query.text(placeholder: Self.placeholder)
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (offset, value) in query.values.enumerated() { try bind(value, at: Int32(offset + 1), in: statement, sql) }
        var result: [T] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return result }
            guard status == SQLITE_ROW else { throw failure(status, sql) }
            result.append(try read(SQLiteRow(statement: statement)))
        }
    }

    /// `PRAGMA user_version`: an integer in the file header that the application owns (here: the schema version).
    var userVersion: Int {
        get throws(StoreError) { try rows("PRAGMA user_version") { $0.int(0) }.first ?? 0 }
    }

    func setUserVersion(_ version: Int) throws(StoreError) {
        // Pragmas take no parameters; `version` is an Int, so interpolation is safe.
        try execute("PRAGMA user_version = \(version)")
    }

    private func open() throws(StoreError) -> OpaquePointer {
        guard let handle else { throw .closed(path: path) }
        return handle
    }

    private func prepared(_ sql: String) throws(StoreError) -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(try open(), sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw failure(status, sql) }
        statements[sql] = statement
        return statement
    }

    /// Binds a value as one of SQLite's storage classes: a boolean as the integer 0 or 1 (SQLite has no boolean
    /// type; the schema stores flags so), NULL whatever its type.
    private func bind(_ value: SQLValue, at index: Int32, in statement: OpaquePointer,
                      _ sql: String) throws(StoreError) {
        let status: Int32
        switch value {
        case .integer(nil), .real(nil), .text(nil), .blob(nil), .boolean(nil):
            status = sqlite3_bind_null(statement, index)
        case .integer(let x?): status = sqlite3_bind_int64(statement, index, x)
        case .real(let x?): status = sqlite3_bind_double(statement, index, x)
        case .text(let s?): status = sqlite3_bind_text(statement, index, s, -1, Self.transient)
        case .boolean(let b?): status = sqlite3_bind_int64(statement, index, b ? 1 : 0)
        case .blob(let data?):
            // An empty buffer may have no base address, and binding a null pointer would store NULL.
            status = data.isEmpty
                ? sqlite3_bind_zeroblob(statement, index, 0)
                : data.withUnsafeBytes {
                    sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), Self.transient)
                }
        }
        try check(status, sql)
    }

    private func check(_ status: Int32, _ operation: String) throws(StoreError) {
        if status != SQLITE_OK { throw failure(status, operation) }
    }

    private func failure(_ status: Int32, _ operation: String) -> StoreError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
        return StoreError.sqlite(status, path: path, operation: String(operation.prefix(80)), message: message)
    }

    /// `PRAGMA max_page_count` from a byte budget: past it, writes fail with SQLITE_FULL as on a full disk
    /// (0 = no limit beyond the file system's).
    func limitSize(bytes: Int) throws(StoreError) {
        guard bytes > 0 else { return }
        let pageSize = try rows("PRAGMA page_size") { $0.int(0) }.first ?? 4096
        _ = try rows("PRAGMA max_page_count = \(sql: String(max(1, bytes / max(1, pageSize))))") { $0.int(0) }
    }
}

// MARK: - Dialect

extension SQLiteConnection: SQLConnection {
    static func placeholder(_ n: Int) -> String { "?" }

    /// `IMMEDIATE` takes the file's write lock up front, so a read-then-write inside the transaction cannot be
    /// overtaken by another process (or another connection of this one).
    static let beginTransaction: SQLStatement = "BEGIN IMMEDIATE"

    /// This process's clock: one server owns the file.
    static var now: SQLStatement { "\(Date().timeIntervalSinceReferenceDate)" }

    /// Nothing: the transaction (`BEGIN IMMEDIATE`) already holds the file's write lock.
    static func lockClause(_ lock: RowLock) -> String { "" }

    /// One prepared statement, stepped once per row: in process, a row costs no round trip.
    func insertHistory(_ rows: [HistoryRow], into table: HistoryTable, jobID: String) throws(StoreError) {
        for row in rows {
            try run("""
                INSERT OR REPLACE INTO \(sql: table.rawValue) (job_id, phase, iteration, record)
                VALUES (\(jobID), \(row.phase), \(row.iteration), \(row.record))
                """)
        }
    }
}

extension StoreError {
    /// The case for an SQLite result code (primary or extended): full, read-only and busy are told apart so the
    /// service can answer 507/503 and the worker can tell a fault of the store from a bug.
    static func sqlite(_ status: Int32, path: String, operation: String, message: String) -> StoreError {
        switch status & 0xff {
        case SQLITE_FULL: .full(path: path, operation: operation, message: message)
        case SQLITE_READONLY: .readOnly(path: path, operation: operation, message: message)
        case SQLITE_BUSY, SQLITE_LOCKED: .busy(path: path, operation: operation, message: message)
        default: .database(path: path, operation: operation, message: message)
        }
    }
}
