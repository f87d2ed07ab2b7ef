/// A problem with one user-written expression, located by the caller's path to it.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the expression came from, as the caller names it, e.g. `problem.equations[0]`.
    public let field: String
    /// What is wrong, e.g. `unknown symbol "foo" at column 7` (columns are 1-based characters).
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Every problem found while compiling several sources: the first error of each bad source, in source order.
public struct ExpressionErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public let errors: [ExpressionError]

    public init(_ errors: [ExpressionError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// A problem before the caller's path is known: the lexer, parser and resolver throw this.
struct ExpressionFailure: Error, Equatable {
    var message: String
    /// 1-based character offset of the offending token; nil when no single token is to blame.
    var column: Int?

    init(_ message: String, at column: Int? = nil) {
        self.message = message
        self.column = column
    }

    func located(in field: String) -> ExpressionError {
        ExpressionError(field: field, message: column.map { "\(message) at column \($0)" } ?? message)
    }
}
