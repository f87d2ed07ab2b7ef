/// The columns a stored job is read from, whichever database returned the row: `SQLiteRow` and `PostgresRow`
/// provide them, so `JobRowDecoder` reads a job in one place for both stores. Columns are numbered from 0 in the
/// order of the SELECT list.
protocol StoredRow {
    func int(_ column: Int32) -> Int
    func double(_ column: Int32) -> Double?
    func text(_ column: Int32) -> String?
    func bool(_ column: Int32) -> Bool
}
