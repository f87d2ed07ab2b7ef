import Foundation

/// One SQL statement with its values bound where they stand: `"SELECT … WHERE id = \(jobID) LIMIT \(limit)"` holds
/// the text with a parameter for each interpolated value, and the values in order. An interpolated value is always
/// a parameter, never SQL text, so no value can change a statement's meaning, and no parameter is numbered by hand;
/// each database writes the parameters its own way (`?` in SQLite, `$1, $2, …` in PostgreSQL: `text(placeholder:)`).
///
/// Text that is SQL — a table or column list, a condition built elsewhere — is spliced with `\(sql: …)` and must
/// come from this module, never from a caller; a statement spliced into another, `\(condition)`, brings its values.
struct SQLStatement: ExpressibleByStringInterpolation, Sendable {
    /// The text around the parameters: `pieces[i]` stands before `values[i]`, and the last piece after the last
    /// value, so there is always one piece more than there are values.
    private(set) var pieces: [String]
    private(set) var values: [SQLValue]

    init(stringLiteral text: String) {
        pieces = [text]
        values = []
    }

    init(stringInterpolation: Interpolation) { self = stringInterpolation.statement }

    /// A statement whose text is held in a variable (a migration): SQL from this module, with no parameters.
    init(verbatim text: String) { self.init(stringLiteral: text) }

    /// The text for the database, the n-th parameter (counting from 1) written as `placeholder(n)`.
    func text(placeholder: (Int) -> String) -> String {
        var text = pieces[0]
        for (index, piece) in pieces.dropFirst().enumerated() { text += placeholder(index + 1) + piece }
        return text
    }

    struct Interpolation: StringInterpolationProtocol {
        fileprivate var statement = SQLStatement(stringLiteral: "")

        init(literalCapacity: Int, interpolationCount: Int) {}

        mutating func appendLiteral(_ text: String) { statement.pieces[statement.pieces.count - 1] += text }

        /// SQL text from this module (a column list, a table's name, a lock clause), spliced as it is.
        mutating func appendInterpolation(sql text: String) { appendLiteral(text) }

        /// Another statement, its values bound in place.
        mutating func appendInterpolation(_ fragment: SQLStatement) {
            appendLiteral(fragment.pieces[0])
            for (value, piece) in zip(fragment.values, fragment.pieces.dropFirst()) {
                appendInterpolation(value)
                appendLiteral(piece)
            }
        }

        mutating func appendInterpolation(_ value: SQLValue) {
            statement.values.append(value)
            statement.pieces.append("")
        }

        mutating func appendInterpolation(_ value: String?) { appendInterpolation(.text(value)) }
        mutating func appendInterpolation(_ value: Int) { appendInterpolation(.integer(value)) }
        mutating func appendInterpolation(_ value: Double?) { appendInterpolation(.real(value)) }
        mutating func appendInterpolation(_ value: Data?) { appendInterpolation(.blob(value)) }
        mutating func appendInterpolation(_ value: Bool) { appendInterpolation(.boolean(value)) }
    }
}
