import Foundation

/// A statement parameter sent in libpq's binary format, with its PostgreSQL type: a NULL stays typed (in
/// `$1 IS NULL OR status = $1` the server cannot guess one), and numbers cross bit-exactly, with no decimal text in
/// between. A nil payload is SQL NULL, which is how the schema says "not yet known" (a start time, an error).
enum PostgresValue {
    case integer(Int64?)
    case real(Double?)
    case text(String?)
    case blob(Data?)
    case boolean(Bool?)

    static func integer(_ value: Int) -> PostgresValue { .integer(Int64(value)) }

    /// The type's OID in `pg_type` (stable across PostgreSQL versions): int8, float8, text, bytea, bool.
    var type: UInt32 {
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
    var bytes: [UInt8]? {
        switch self {
        case .integer(let x): x.map { withUnsafeBytes(of: $0.bigEndian, Array.init) }
        case .real(let x): x.map { withUnsafeBytes(of: $0.bitPattern.bigEndian, Array.init) }
        case .text(let s): s.map { Array($0.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}").utf8) }
        case .blob(let data): data.map { [UInt8]($0) }
        case .boolean(let b): b.map { [$0 ? 1 : 0] }
        }
    }
}
