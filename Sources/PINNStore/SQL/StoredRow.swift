import Foundation

/// The columns of a result row, whichever database returned it: `SQLiteRow` and `PostgresRow` provide them, so the
/// shared queries (`SQLJobStore`, `JobRowDecoder`) read a row in one place for both stores. Columns are numbered
/// from 0 in the order of the SELECT list.
protocol StoredRow {
    func int(_ column: Int32) -> Int
    func double(_ column: Int32) -> Double?
    func text(_ column: Int32) -> String?
    func bool(_ column: Int32) -> Bool
    /// An empty blob is an empty `Data`, not nil; nil is NULL.
    func blob(_ column: Int32) -> Data?
}
