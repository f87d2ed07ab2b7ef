/// An expression as parsed: names and function calls are still text (resolution gives them meaning, so
/// that name errors are reported leftmost first), while operators and conditionals are already the tape
/// operations they denote.
indirect enum ExpressionSyntax: Equatable, Sendable {
    case number(Double)
    /// A symbol to resolve against an `ExpressionScope`, with its column for error messages.
    case name(String, column: Int)
    /// `function(arguments…)`, with the column of the function name.
    case call(String, column: Int, [ExpressionSyntax])
    /// An operator or conditional; `operands.count == operation.arity`.
    case operation(ExpressionOperation, [ExpressionSyntax])
}
