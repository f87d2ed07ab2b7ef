import Foundation
import Testing
@testable import PINNExpressions

/// An expression in x and y with the value Foundation gives for it.
struct OracleCase: Sendable, CustomTestStringConvertible {
    let text: String
    let oracle: @Sendable (Double, Double) -> Double
    var testDescription: String { text }

    init(_ text: String, _ oracle: @escaping @Sendable (Double, Double) -> Double) {
        self.text = text
        self.oracle = oracle
    }
}

private func truth(_ condition: Bool) -> Double { condition ? 1 : 0 }

@Suite struct EvaluationTests {
    static let points: [(Double, Double)] = [(0.3, -1.7), (2.5, 0.4), (-0.8, 3.1), (1, 1), (0, -2), (-1.5, -0.5)]

    static let operators: [OracleCase] = [
        OracleCase("x + y") { x, y in x + y },
        OracleCase("x - y") { x, y in x - y },
        OracleCase("x * y") { x, y in x * y },
        OracleCase("x / y") { x, y in x / y },
        OracleCase("x ^ y") { x, y in pow(x, y) },
        OracleCase("-x") { x, _ in -x },
        OracleCase("+x") { x, _ in x },
        OracleCase("--x") { x, _ in x },
        OracleCase("x^2") { x, _ in x * x },
        OracleCase("x^3") { x, _ in x * x * x },
        OracleCase("x^-1") { x, _ in 1 / x },
        OracleCase("x^-2") { x, _ in pow(x, -2) },
        OracleCase("y^7") { _, y in pow(y, 7) },
        OracleCase("x^0") { _, _ in 1 },
        OracleCase("x^0.5") { x, _ in pow(x, 0.5) },
        OracleCase("2^x") { x, _ in pow(2, x) },
        OracleCase("x < y") { x, y in truth(x < y) },
        OracleCase("x <= y") { x, y in truth(x <= y) },
        OracleCase("x > y") { x, y in truth(x > y) },
        OracleCase("x >= y") { x, y in truth(x >= y) },
        OracleCase("x == y") { x, y in truth(x == y) },
        OracleCase("x != y") { x, y in truth(x != y) },
        OracleCase("x && y") { x, y in truth(x != 0 && y != 0) },
        OracleCase("x || y") { x, y in truth(x != 0 || y != 0) },
        OracleCase("!x") { x, _ in truth(x == 0) },
        OracleCase("x < y ? x : y") { x, y in x < y ? x : y },
        OracleCase("if(x > 0, sin(x), cos(y))") { x, y in x > 0 ? sin(x) : cos(y) },
        OracleCase("x > 0 ? y > 0 ? 1 : 2 : 3") { x, y in x > 0 ? (y > 0 ? 1 : 2) : 3 },
        OracleCase("x > 0 ? 1 : y > 0 ? 2 : 3") { x, y in x > 0 ? 1 : (y > 0 ? 2 : 3) },
        OracleCase("x ? y : -y") { x, y in x != 0 ? y : -y },
    ]

    static let functions: [OracleCase] = [
        OracleCase("sin(x)") { x, _ in sin(x) },
        OracleCase("cos(x)") { x, _ in cos(x) },
        OracleCase("tan(x)") { x, _ in tan(x) },
        OracleCase("exp(x)") { x, _ in exp(x) },
        OracleCase("log(x)") { x, _ in log(x) },
        OracleCase("sqrt(x)") { x, _ in sqrt(x) },
        OracleCase("abs(x)") { x, _ in abs(x) },
        OracleCase("tanh(x)") { x, _ in tanh(x) },
        OracleCase("sinh(x)") { x, _ in sinh(x) },
        OracleCase("cosh(x)") { x, _ in cosh(x) },
        OracleCase("min(x, y)") { x, y in min(x, y) },
        OracleCase("max(x, y)") { x, y in max(x, y) },
        OracleCase("pi * x") { x, _ in Double.pi * x },
        OracleCase("e ^ x") { x, _ in pow(M_E, x) },
        OracleCase("nu * x + k") { x, _ in 0.01 * x + 2.5 },
    ]

    static let precedence: [OracleCase] = [
        OracleCase("x + y * 2") { x, y in x + y * 2 },
        OracleCase("(x + y) * 2") { x, y in (x + y) * 2 },
        OracleCase("x - y - 1") { x, y in (x - y) - 1 },
        OracleCase("x / y / 2") { x, y in (x / y) / 2 },
        OracleCase("-x^2") { x, _ in -(x * x) },
        OracleCase("2^-x") { x, _ in pow(2, -x) },
        OracleCase("x * y^2") { x, y in x * (y * y) },
        OracleCase("-x * y") { x, y in (-x) * y },
        OracleCase("x + 1 < y * 2") { x, y in truth(x + 1 < y * 2) },
        OracleCase("x < y == y > x") { x, y in truth(truth(x < y) == truth(y > x)) },
        OracleCase("x > 0 && y > 0 || x == 0") { x, y in truth((x > 0 && y > 0) || x == 0) },
        OracleCase("x > 0 || y > 0 && x == 0") { x, y in truth(x > 0 || (y > 0 && x == 0)) },
        OracleCase("!x == 0") { x, _ in truth(truth(x == 0) == 0) },
        OracleCase("x + y > 0 ? x - y : x * y") { x, y in x + y > 0 ? x - y : x * y },
        OracleCase("sin(x)^2 + cos(x)^2") { x, _ in sin(x) * sin(x) + cos(x) * cos(x) },
    ]

    @Test(arguments: operators + functions + precedence)
    func matchesFoundation(_ expression: OracleCase) throws {
        for (x, y) in Self.points {
            let actual = try value(expression.text, ["x": x, "y": y])
            let expected = expression.oracle(x, y)
            #expect(isClose(actual, expected), "\(expression.text) at x=\(x), y=\(y): \(actual) ≠ \(expected)")
        }
    }

    @Test(arguments: [
        ("2^3^2", 512.0), ("-2^2", -4), ("(-2)^2", 4), ("1 - 2 - 3", -4), ("8/4/2", 1), ("2^-1", 0.5),
        ("2 * 3 + 4", 10), ("2 + 3 * 4", 14), ("(-3)^3", -27), ("(-2)^-1", -0.5),
        (".5 + 1e-4 + 2.5E+3", 2500.5001), ("0.5", 0.5), ("1 < 2 ? 10 : 20", 10), ("1 > 2 ? 10 : 20", 20),
        ("(1 < 2) + (2 <= 2) + (3 > 4) + (4 >= 5) + (1 == 1) + (1 != 1)", 3),
        ("!0 + !3 + (2 && 0) + (0 || -1)", 2), ("if(0, 1, if(1, 2, 3))", 2), ("min(3, -1) + max(3, -1)", 2),
        ("-(-(-(1)))", -1), ("+-+1", -1), ("2 * pi", 2 * Double.pi), ("e", M_E),
    ])
    func constantExpressions(_ text: String, _ expected: Double) throws {
        #expect(isClose(try value(text), expected))
    }

    @Test func integerPowersAreExactForNegativeBases() throws {
        #expect(try value("x^2", ["x": -3]) == 9)
        #expect(try value("x^3", ["x": -3]) == -27)
        #expect(try value("x^-1", ["x": -4]) == -0.25)
        #expect(try value("x^5", ["x": -2]) == -32)
        #expect(try value("x^-3", ["x": -2]) == -0.125)
    }

    @Test func nonFiniteResultsAreValuesNotTraps() throws {
        #expect(try value("1 / x", ["x": 0]) == .infinity)
        #expect(try value("log(x)", ["x": -1]).isNaN)
        #expect(try value("x^400", ["x": 10]) == .infinity)   // (a constant 10^400 is rejected at compilation)
        #expect(try value("x^-9223372036854775808", ["x": 2]) == 0)
        #expect(try value("x^9223372036854775807", ["x": 1]) == 1)
        #expect(try value("x^1e300", ["x": 0.5]) == 0)
    }

    @Test func scopeNamesResolveWithDocumentedPrecedence() throws {
        // A scope constant shadows the built-in `e`; learned parameters are leaves, not constants.
        let scope = ExpressionScope(inputs: ["x"], constants: ["e": 3, "pi_half": Double.pi / 2], learned: ["w"])
        #expect(try value("e * x", ["x": 2], scope: scope) == 6)
        #expect(try value("sin(pi_half)", scope: scope) == 1)
        #expect(try value("w * x", ["x": 2, "w": 4], scope: scope) == 8)
    }
}
