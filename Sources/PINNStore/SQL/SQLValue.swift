import Foundation

/// A value bound to a statement parameter, in either database. Typed even when NULL: PostgreSQL is told every
/// parameter's type (in `\(status) IS NULL OR status = \(status)` it could not guess one), while SQLite binds a
/// NULL of any type alike. A nil payload is SQL NULL, which is how the schema says "not yet known" (a start time,
/// an error). How each database carries a value: `SQLiteConnection.bind` (its storage classes; a boolean as 0 or
/// 1) and `SQLValue.postgresBytes` (libpq's binary format).
enum SQLValue: Sendable {
    case integer(Int64?)
    case real(Double?)
    case text(String?)
    case blob(Data?)
    case boolean(Bool?)

    static func integer(_ value: Int) -> SQLValue { .integer(Int64(value)) }
}
