import CSQLite
import Foundation

/// The current row of a stepping statement. Valid only inside the closure it is passed to: the next step
/// overwrites it. Columns are numbered from 0 in the order of the SELECT list.
struct SQLiteRow: StoredRow {
    let statement: OpaquePointer

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }

    /// SQLite has no boolean type: the schema stores flags as 0 or 1.
    func bool(_ column: Int32) -> Bool { int(column) != 0 }

    func double(_ column: Int32) -> Double? { isNull(column) ? nil : sqlite3_column_double(statement, column) }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: bytes)
    }

    /// A zero-length blob comes back from SQLite as a null pointer; it is still an (empty) blob, not NULL.
    func blob(_ column: Int32) -> Data? {
        if isNull(column) { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return Data() }
        return Data(bytes: bytes, count: count)
    }
}
