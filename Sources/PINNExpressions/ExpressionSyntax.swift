/// An expression as parsed: names and function calls are still text (resolution gives them meaning, so
/// that name errors are reported leftmost first), while operators and conditionals are already the tape
/// operations they denote.
indirect enum ExpressionSyntax: Equatable, Sendable {
    /// A literal, with its column.
    case number(Double, column: Int)
    /// A symbol to resolve against an `ExpressionScope`, with its column for error messages.
    case name(String, column: Int)
    /// `function(arguments…)`, with the column of the function name.
    case call(String, column: Int, [ExpressionSyntax])
    /// An operator or conditional; `operands.count == operation.arity`.
    case operation(ExpressionOperation, [ExpressionSyntax])
}

extension ExpressionSyntax {
    /// The column where this part of the expression starts (its leftmost token), for error messages.
    var column: Int? {
        switch self {
        case .number(_, let column), .name(_, let column), .call(_, let column, _): column
        case .operation(_, let operands):
            // A plain loop: a lazy compactMap(...).first evaluates the transform twice per level, 2^depth in all.
            {
                for operand in operands { if let column = operand.column { return column } }
                return nil
            }()
        }
    }
}
