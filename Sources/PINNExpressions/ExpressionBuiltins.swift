/// The functions and constants every expression may use, whatever its scope.
enum ExpressionBuiltins {
    /// Function name → operation; the arity is the operation's. Adding a function is one line here
    /// plus its case (value and derivative) in `ExpressionOperation`.
    static let functions: [String: ExpressionOperation] = [
        "sin": .sin,
        "cos": .cos,
        "tan": .tan,
        "exp": .exp,
        "log": .log,
        "sqrt": .sqrt,
        "abs": .abs,
        "tanh": .tanh,
        "sinh": .sinh,
        "cosh": .cosh,
        "min": .min,
        "max": .max,
        "if": .select,
    ]

    /// Named constants; a scope constant of the same name takes precedence.
    static let constants: [String: Double] = [
        "pi": Double.pi,
        "e": 2.718281828459045, // the Double nearest to e, as M_E
    ]
}
