/// Recursive-descent parser from text to `ExpressionSyntax`.
///
/// Precedence, lowest first: `c ? a : b` (right-associative) · `||` · `&&` · `== !=` · `< <= > >=` ·
/// `+ -` · `* /` · prefix `- + !` · `^` (right-associative, and its right operand may itself be prefixed:
/// `-x^2` is `-(x^2)`, `2^-1` is `2^(-1)`) · numbers, names, calls, parentheses.
///
/// Nesting (parentheses, calls, prefix operators, `^` exponents, conditional branches) is counted explicitly
/// and limited to `maximumDepth`, so hostile input fails with an error instead of exhausting the stack.
struct ExpressionParser {
    static let maximumLength = 4000
    static let maximumDepth = 64

    /// Binary operators handled by precedence climbing, left-associative within a level.
    private static let binaryOperators: [String: (precedence: Int, operation: ExpressionOperation)] = [
        "||": (1, .or),
        "&&": (2, .and),
        "==": (3, .equal), "!=": (3, .notEqual),
        "<": (4, .less), "<=": (4, .lessOrEqual), ">": (4, .greater), ">=": (4, .greaterOrEqual),
        "+": (5, .add), "-": (5, .subtract),
        "*": (6, .multiply), "/": (6, .divide),
    ]

    private var lexer: ExpressionLexer
    private var token: ExpressionToken
    private var depth = 0
    private let depthLimit: Int

    /// Parses a whole expression; the first problem, leftmost where the text allows, is thrown.
    /// `maximumDepth` may tighten the parser's own bound on nesting, never loosen it.
    static func parse(_ text: String, maximumLength: Int = maximumLength,
                      maximumDepth: Int = maximumDepth) throws(ExpressionFailure) -> ExpressionSyntax {
        // Bounded look-ahead: counting the characters of an arbitrarily large string would not be.
        guard text.dropFirst(maximumLength).isEmpty else {
            throw ExpressionFailure("expression is longer than \(maximumLength) characters")
        }
        var parser = try ExpressionParser(text, depthLimit: min(maximumDepth, Self.maximumDepth))
        guard parser.token.kind != .end else { throw ExpressionFailure("empty expression") }
        let syntax = try parser.conditional()
        guard parser.token.kind == .end else { throw parser.unexpected() }
        return syntax
    }

    private init(_ text: String, depthLimit: Int) throws(ExpressionFailure) {
        self.depthLimit = depthLimit
        lexer = ExpressionLexer(text)
        token = try lexer.next()
    }

    private mutating func advance() throws(ExpressionFailure) {
        token = try lexer.next()
    }

    /// conditional := binary [ "?" conditional ":" conditional ]
    private mutating func conditional() throws(ExpressionFailure) -> ExpressionSyntax {
        let condition = try binary(above: 0)
        guard token.isSymbol("?") else { return condition }
        let thenBranch = try nested { parser throws(ExpressionFailure) in try parser.conditional() }
        guard token.isSymbol(":") else { throw expected(":") }
        let elseBranch = try nested { parser throws(ExpressionFailure) in try parser.conditional() }
        return .operation(.select, [condition, thenBranch, elseBranch])
    }

    /// Precedence climbing over `binaryOperators`: operands bind to operators stronger than `minimum`.
    /// The recursion is bounded by the number of precedence levels, not by the input.
    private mutating func binary(above minimum: Int) throws(ExpressionFailure) -> ExpressionSyntax {
        var left = try prefix()
        while case .symbol(let symbol) = token.kind,
              let (precedence, operation) = Self.binaryOperators[symbol], precedence > minimum {
            try advance()
            let right = try binary(above: precedence)
            left = .operation(operation, [left, right])
        }
        return left
    }

    /// prefix := ("-" | "+" | "!") prefix | power
    private mutating func prefix() throws(ExpressionFailure) -> ExpressionSyntax {
        guard case .symbol(let symbol) = token.kind, symbol == "-" || symbol == "+" || symbol == "!" else {
            return try power()
        }
        let operand = try nested { parser throws(ExpressionFailure) in try parser.prefix() }
        switch symbol {
        case "-": return .operation(.negate, [operand])
        case "!": return .operation(.not, [operand])
        default: return operand
        }
    }

    /// power := primary [ "^" prefix ]
    private mutating func power() throws(ExpressionFailure) -> ExpressionSyntax {
        let base = try primary()
        guard token.isSymbol("^") else { return base }
        let exponent = try nested { parser throws(ExpressionFailure) in try parser.prefix() }
        return .operation(.power, [base, exponent])
    }

    /// primary := number | name | name "(" [ conditional { "," conditional } ] ")" | "(" conditional ")"
    private mutating func primary() throws(ExpressionFailure) -> ExpressionSyntax {
        let start = token
        switch start.kind {
        case .number(let value):
            try advance()
            return .number(value, column: start.column)
        case .identifier(let name):
            try advance()
            guard token.isSymbol("(") else { return .name(name, column: start.column) }
            let arguments = try nested { parser throws(ExpressionFailure) in try parser.arguments() }
            return .call(name, column: start.column, arguments)
        case .symbol("("):
            let inner = try nested { parser throws(ExpressionFailure) in try parser.conditional() }
            guard token.isSymbol(")") else { throw expected(")") }
            try advance()
            return inner
        default:
            throw unexpected()
        }
    }

    /// The arguments after a call's "(", through its ")".
    private mutating func arguments() throws(ExpressionFailure) -> [ExpressionSyntax] {
        var arguments: [ExpressionSyntax] = []
        if token.isSymbol(")") {
            try advance()
            return arguments
        }
        while true {
            arguments.append(try conditional())
            if token.isSymbol(",") {
                try advance()
            } else if token.isSymbol(")") {
                try advance()
                return arguments
            } else {
                throw expected(")")
            }
        }
    }

    /// Consumes the current token, which opens a nesting level, and parses what it encloses one level deeper.
    private mutating func nested<T>(
        _ parse: (inout ExpressionParser) throws(ExpressionFailure) -> T
    ) throws(ExpressionFailure) -> T {
        guard depth < depthLimit else {
            throw ExpressionFailure("expression is nested more than \(depthLimit) levels deep", at: token.column)
        }
        try advance()
        depth += 1
        defer { depth -= 1 }
        return try parse(&self)
    }

    private func unexpected() -> ExpressionFailure {
        token.kind == .end
            ? ExpressionFailure("unexpected end of expression")
            : ExpressionFailure("unexpected \"\(token.text)\"", at: token.column)
    }

    private func expected(_ symbol: String) -> ExpressionFailure {
        ExpressionFailure("expected \"\(symbol)\"", at: token.column)
    }
}
