/// The three histories share one shape in both stores: (job, phase, iteration) → the engine's record as JSON text,
/// so the engine's types stay the single definition of what a record holds.
enum HistoryTable: String, CaseIterable {
    case losses, slopes, errors
}

/// One history record encoded for storing.
struct HistoryRow: Encodable {
    let phase: Int
    let iteration: Int
    let record: String

    /// Encodes a batch in order. A key that occurs twice keeps its last record, as re-appending it would: a store
    /// may then write the batch as one statement, which must not touch a row twice.
    static func encode<R: Encodable>(_ records: [R],
                                     key: (R) -> (phase: Int, iteration: Int)) throws(StoreError) -> [HistoryRow] {
        var rows: [HistoryRow] = []
        rows.reserveCapacity(records.count)
        var position: [Int: [Int: Int]] = [:]   // iteration → phase → index in rows
        for record in records {
            let (phase, iteration) = key(record)
            let row = HistoryRow(phase: phase, iteration: iteration, record: try StoredJSON.encode(record))
            if let index = position[iteration]?[phase] {
                rows[index] = row
            } else {
                position[iteration, default: [:]][phase] = rows.count
                rows.append(row)
            }
        }
        return rows
    }

    /// Decodes stored records, naming the job if one does not decode.
    static func decode<R: Decodable>(_ texts: [String], jobID: String) throws(StoreError) -> [R] {
        var records: [R] = []
        records.reserveCapacity(texts.count)
        for text in texts { records.append(try StoredJSON.decode(R.self, from: text, jobID: jobID)) }
        return records
    }
}
