import CLibPQ
import Foundation

/// One row of a query result in libpq's binary format. Valid only inside the closure it is passed to: the result
/// is freed after it. Integers and doubles are decoded by the column's type, so a query may return int4 (e.g. a
/// literal) or int8 (`COUNT(*)`, the schema's BIGINT) alike.
struct PostgresRow: StoredRow {
    let result: OpaquePointer
    let row: Int32

    func isNull(_ column: Int32) -> Bool { PQgetisnull(result, row, column) == 1 }

    func int(_ column: Int32) -> Int {
        guard !isNull(column) else { return 0 }
        switch PQftype(result, column) {
        case 20: return Int(Int64(bigEndian: load(column)))
        case 23: return Int(Int32(bigEndian: load(column)))
        case 21: return Int(Int16(bigEndian: load(column)))
        case 16: return bool(column) ? 1 : 0
        default: return 0
        }
    }

    func double(_ column: Int32) -> Double? {
        guard !isNull(column) else { return nil }
        switch PQftype(result, column) {
        case 701: return Double(bitPattern: UInt64(bigEndian: load(column)))
        case 700: return Double(Float(bitPattern: UInt32(bigEndian: load(column))))
        default: return Double(int(column))
        }
    }

    func text(_ column: Int32) -> String? {
        guard !isNull(column), let bytes = PQgetvalue(result, row, column) else { return nil }
        let count = Int(PQgetlength(result, row, column))
        return bytes.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    func bool(_ column: Int32) -> Bool {
        guard !isNull(column), PQgetlength(result, row, column) >= 1, let bytes = PQgetvalue(result, row, column)
        else { return false }
        return bytes.pointee != 0
    }

    func blob(_ column: Int32) -> Data? {
        guard !isNull(column) else { return nil }
        let count = Int(PQgetlength(result, row, column))
        guard count > 0, let bytes = PQgetvalue(result, row, column) else { return Data() }
        return Data(bytes: bytes, count: count)
    }

    /// A fixed-size number from the column's bytes (unaligned; zero if the value is shorter than the type).
    private func load<T: FixedWidthInteger>(_ column: Int32) -> T {
        guard PQgetlength(result, row, column) == MemoryLayout<T>.size, let bytes = PQgetvalue(result, row, column)
        else { return 0 }
        return UnsafeRawPointer(bytes).loadUnaligned(as: T.self)
    }
}
