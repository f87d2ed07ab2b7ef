import Foundation

/// A value bound to a statement parameter: SQLite's five storage classes, so the store never handles C types.
enum SQLiteValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    static func integer(_ value: Int) -> SQLiteValue { .integer(Int64(value)) }

    /// `nil` becomes SQL NULL, which is how the schema says "not yet known" (a start time, an error).
    static func real(_ value: Double?) -> SQLiteValue { value.map { .real($0) } ?? .null }
    static func text(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    static func blob(_ value: Data?) -> SQLiteValue { value.map { .blob($0) } ?? .null }
}
