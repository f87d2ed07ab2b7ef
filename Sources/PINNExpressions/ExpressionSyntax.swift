/// An expression as parsed: names are still text (the scope gives them meaning later), while every
/// operator, function call and conditional is already the tape operation it denotes.
indirect enum ExpressionSyntax: Equatable, Sendable {
    case number(Double)
    /// A symbol to resolve against an `ExpressionScope`, with its column for error messages.
    case name(String, column: Int)
    /// `operands.count == operation.arity`; the parser checks it.
    case operation(ExpressionOperation, [ExpressionSyntax])
}
