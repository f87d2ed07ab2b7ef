import Testing
@testable import PINNExpressions

/// A bad source and the exact message it must produce.
struct BadCase: Sendable, CustomTestStringConvertible {
    let text: String
    let minus: String?
    let scope: ExpressionScope
    let message: String
    var testDescription: String { minus.map { "\($0) − (\(text))" } ?? text }

    init(_ text: String, minus: String? = nil, scope: ExpressionScope = ErrorTests.scope, _ message: String) {
        self.text = text
        self.minus = minus
        self.scope = scope
        self.message = message
    }
}

@Suite struct ErrorTests {
    static let scope = ExpressionScope(inputs: ["x", "t"], fields: ["u"], constants: ["nu": 0.1], learned: ["lambda"])
    static let noFields = ExpressionScope(inputs: ["x", "t"], fields: ["u"], constants: ["nu": 0.1], allowsFields: false)

    static let cases: [BadCase] = [
        // Names.
        BadCase("x + 2*foo", #"unknown symbol "foo" at column 7"#),
        BadCase("my_var", #"unknown symbol "my_var" at column 1"#),
        BadCase("sine(x)", #"unknown function "sine" at column 1"#),
        BadCase("x(2)", #"unknown function "x" at column 1"#),
        BadCase("sin(x, t)", "sin takes 1 argument, got 2 at column 1"),
        BadCase("2 * max(x)", "max takes 2 arguments, got 1 at column 5"),
        BadCase("if(x, t)", "if takes 3 arguments, got 2 at column 1"),
        BadCase("exp()", "exp takes 1 argument, got 0 at column 1"),
        BadCase("sin + 1", "sin is a function; call it as sin(...) at column 1"),
        BadCase("x+w_x", #""w_x": w is not a field (fields: u) at column 3"#),
        BadCase("x+u_y", #""u_y": y is not an input (inputs: x, t) at column 3"#),
        BadCase("u_xxxxx", #""u_xxxxx": derivatives up to order 4 are supported at column 1"#),
        BadCase("u_", #""u_": expected input names after "_" at column 1"#),
        BadCase("u", scope: noFields, #""u" is a field; only inputs, parameters and constants may appear here at column 1"#),
        BadCase("x * u_x", scope: noFields,
                #""u_x" is a field derivative; only inputs, parameters and constants may appear here at column 5"#),
        BadCase("lambda", scope: noFields, #"unknown symbol "lambda" at column 1"#),
        BadCase("bad * x", scope: ExpressionScope(inputs: ["x"], constants: ["bad": .infinity]),
                #"constant "bad" is not finite at column 1"#),
        // Constant parts that are not finite, at the column where the part starts.
        BadCase("u_t - 1/0", "division by zero at column 9"),
        BadCase("u_t - 0/0*x", "division by zero at column 9"),
        BadCase("u_t + (0^-1)*x", "this constant part is not finite (it evaluates to +infinity) at column 8"),
        BadCase("x + log(0)", "this constant part is not finite (it evaluates to -infinity) at column 5"),
        BadCase("x * sqrt(nu - 1)", "this constant part is not finite (it evaluates to not a number) at column 5"),
        BadCase("exp(1000) + x", "this constant part is not finite (it evaluates to +infinity) at column 1"),
        BadCase("x / (nu - 0.1)", "division by zero at column 6"),
        // Syntax.
        BadCase("(x + 10 t)", #"expected ")" at column 9"#),
        BadCase("sin(x", #"expected ")" at column 6"#),
        BadCase("x ? t", #"expected ":" at column 6"#),
        BadCase("x+*t", #"unexpected "*" at column 3"#),
        BadCase("x t", #"unexpected "t" at column 3"#),
        BadCase("x)", #"unexpected ")" at column 2"#),
        BadCase("()", #"unexpected ")" at column 2"#),
        BadCase("max(x,)", #"unexpected ")" at column 7"#),
        BadCase("x && || t", #"unexpected "||" at column 6"#),
        BadCase("x # 2", ##"unexpected "#" at column 3"##),
        BadCase("x = 2", #"unexpected "=" at column 3"#),
        BadCase("x & t", #"unexpected "&" at column 3"#),
        BadCase("ν * x", #"unexpected "ν" at column 1"#),
        BadCase("x.", #"unexpected "." at column 2"#),
        BadCase("1.2.3", #"unexpected ".3" at column 4"#),
        BadCase("2x", #"unexpected "x" at column 2"#),
        BadCase("", "empty expression"),
        BadCase(" \t\n ", "empty expression"),
        BadCase("x +", "unexpected end of expression"),
        BadCase("-", "unexpected end of expression"),
        BadCase("-1e", #"invalid number "1e" at column 2"#),
        BadCase("2.5e+ * x", #"invalid number "2.5e+" at column 1"#),
        BadCase("1e999", #"number "1e999" is too large at column 1"#),
        // The leftmost problem wins, even when a later one is lexical.
        BadCase("foo + #", ##"unexpected "#" at column 7"##),
        BadCase("(x + # ", ##"unexpected "#" at column 6"##),
        BadCase("foo + sine(x)", #"unknown symbol "foo" at column 1"#),
        BadCase("sine(foo)", #"unknown function "sine" at column 1"#),
        BadCase("max(foo)", "max takes 2 arguments, got 1 at column 1"),
        BadCase("foo + (x", #"expected ")" at column 9"#), // syntax errors come before name errors
        // Limits.
        BadCase(String(repeating: "x+", count: 2000) + "x", "expression is longer than 4000 characters"),
        BadCase(String(repeating: "(", count: 65) + "x" + String(repeating: ")", count: 65),
                "expression is nested more than 64 levels deep at column 65"),
        BadCase(String(repeating: "-", count: 65) + "x", "expression is nested more than 64 levels deep at column 65"),
        BadCase(String(repeating: "2^", count: 65) + "x", "expression is nested more than 64 levels deep at column 130"),
        // Residual targets.
        BadCase("sin(x)", minus: "w", #""w" is not a field (fields: u) at column 1"#),
        BadCase("sin(x)", minus: "x", #""x" is not a field (fields: u) at column 1"#),
        BadCase("sin(x)", minus: "u + 1", #"expected a field or a field derivative, got "u + 1""#),
        BadCase("sin(x)", minus: "u_xxxxx", #""u_xxxxx": derivatives up to order 4 are supported at column 1"#),
        BadCase("sin(x)", minus: "u_y", #""u_y": y is not an input (inputs: x, t) at column 1"#),
        BadCase("u", minus: "u", scope: noFields,
                #""u" is a field; only inputs, parameters and constants may appear here at column 1"#),
    ]

    @Test(arguments: cases)
    func reportsExactMessage(_ bad: BadCase) {
        let source = ExpressionSource(bad.text, field: "problem.equations[0]", minus: bad.minus)
        let errors = compileErrors([source], scope: bad.scope)
        #expect(errors == [ExpressionError(field: "problem.equations[0]", message: bad.message)])
    }

    @Test func descriptionPrefixesTheField() {
        let errors = compileErrors([ExpressionSource("x + 2*foo", field: "problem.equations[0]")], scope: Self.scope)
        #expect(errors?.first?.description == #"problem.equations[0]: unknown symbol "foo" at column 7"#)
    }

    @Test func everyBadSourceIsReported() {
        let sources = [
            ExpressionSource("u_t - u_xx", field: "problem.equations[0]"),
            ExpressionSource("foo", field: "problem.equations[1]"),
            ExpressionSource("sin(x) +", field: "problem.boundaries[0].value", minus: "u"),
            ExpressionSource("x", field: "problem.data[0]", minus: "w"),
        ]
        let errors = compileErrors(sources, scope: Self.scope)
        #expect(errors == [
            ExpressionError(field: "problem.equations[1]", message: #"unknown symbol "foo" at column 1"#),
            ExpressionError(field: "problem.boundaries[0].value", message: "unexpected end of expression"),
            ExpressionError(field: "problem.data[0]", message: #""w" is not a field (fields: u) at column 1"#),
        ])
        do {
            _ = try ExpressionProgram.compile(sources, scope: Self.scope)
        } catch {
            #expect(error.description.split(separator: "\n").count == 3)
        }
    }

    /// 10,000 levels must fail cleanly: by length through the public API, and by depth past the length
    /// limit, where only the explicit depth counter stands between the input and the stack.
    @Test(arguments: [
        String(repeating: "(", count: 10_000) + "x" + String(repeating: ")", count: 10_000),
        String(repeating: "(", count: 10_000),
        String(repeating: "-", count: 10_000) + "x",
        String(repeating: "!", count: 10_000) + "x",
        String(repeating: "2^", count: 10_000) + "x",
        String(repeating: "sin(", count: 10_000) + "x" + String(repeating: ")", count: 10_000),
        String(repeating: "x ? x : ", count: 10_000) + "x",
        String(repeating: "x ? ", count: 10_000) + "x",
    ])
    func deepNestingIsAnError(_ text: String) {
        let errors = compileErrors([ExpressionSource(text, field: "deep")], scope: Self.scope)
        #expect(errors == [ExpressionError(field: "deep", message: "expression is longer than 4000 characters")])
        #expect(throws: ExpressionFailure.self) { try ExpressionParser.parse(text, maximumLength: .max) }
        do {
            _ = try ExpressionParser.parse(text, maximumLength: .max)
        } catch {
            #expect(error.message == "expression is nested more than 64 levels deep")
        }
    }

    @Test func sixtyFourLevelsAreAllowed() throws {
        let parentheses = String(repeating: "(", count: 64) + "x" + String(repeating: ")", count: 64)
        #expect(try value(parentheses, ["x": 3]) == 3)
        #expect(try value(String(repeating: "-", count: 64) + "x", ["x": 3]) == 3)
        #expect(try value(String(repeating: "sin(", count: 63) + "x" + String(repeating: ")", count: 63), ["x": 0]) == 0)
    }

    /// Random token soup: every input either compiles or reports an error, and whatever compiles runs.
    @Test func garbageNeverCrashes() {
        let pieces = [
            "x", "t", "u", "u_x", "u_tx", "nu", "lambda", "1", "2.5", "1e3", "1e", ".", "(", ")", "+", "-", "*", "/",
            "^", "<", "<=", "==", "!=", "&&", "||", "!", "?", ":", ",", "sin(", "max(", "if(", " ", "#", "_", "pi",
        ]
        var random = SeededGenerator(seed: 11)
        var failures = 0
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 1...30, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            guard let program = try? ExpressionProgram.compile(ExpressionSource(text, field: "fuzz"), scope: Self.scope) else {
                failures += 1
                continue
            }
            let point = program.leaves.map { _ in Double.random(in: -3...3, using: &random) }
            _ = program.pullback(point, rootAdjoint: [1])
        }
        #expect(failures > 2000)
    }

    /// Random well-formed expressions over every construct compile and run, unless a constant part of them is not
    /// finite (`log(nu - e)`), which is an error at compilation.
    @Test func generatedExpressionsCompile() throws {
        var random = SeededGenerator(seed: 29)
        var compiled = 0
        for _ in 0..<500 {
            let text = Self.randomExpression(depth: 5, using: &random)
            let program: ExpressionProgram
            do {
                program = try ExpressionProgram.compile(ExpressionSource(text, field: "test"), scope: Self.scope)
            } catch {
                let message = error.errors.first?.message ?? ""
                #expect(message.contains("constant part is not finite") || message.hasPrefix("division by zero"), "\(text): \(message)")
                continue
            }
            compiled += 1
            let point = program.leaves.map { _ in Double.random(in: -3...3, using: &random) }
            #expect(program.pullback(point, rootAdjoint: [1]).count == program.leaves.count)
        }
        #expect(compiled > 400)
    }

    private static func randomExpression(depth: Int, using random: inout SeededGenerator) -> String {
        let leaves = ["x", "t", "u", "u_x", "u_tx", "u_tt", "nu", "lambda", "2.5", "pi", "1e-3", ".5", "e"]
        guard depth > 0, Double.random(in: 0...1, using: &random) > 0.25 else {
            return leaves.randomElement(using: &random)!
        }
        func next(_ random: inout SeededGenerator) -> String { randomExpression(depth: depth - 1, using: &random) }
        switch Int.random(in: 0..<5, using: &random) {
        case 0:
            let symbol = ["+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==", "!=", "&&", "||"].randomElement(using: &random)!
            return "(\(next(&random)) \(symbol) \(next(&random)))"
        case 1:
            return ["-", "+", "!"].randomElement(using: &random)! + next(&random)
        case 2:
            let name = ["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sinh", "cosh"].randomElement(using: &random)!
            return "\(name)(\(next(&random)))"
        case 3:
            return "\(["min", "max"].randomElement(using: &random)!)(\(next(&random)), \(next(&random)))"
        default:
            return Bool.random(using: &random)
                ? "if(\(next(&random)), \(next(&random)), \(next(&random)))"
                : "(\(next(&random)) ? \(next(&random)) : \(next(&random)))"
        }
    }
}
