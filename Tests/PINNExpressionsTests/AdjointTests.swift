import Foundation
import Testing
@testable import PINNExpressions

/// An expression whose adjoints are checked on random points drawn from `domain` for every leaf.
struct AdjointCase: Sendable, CustomTestStringConvertible {
    let text: String
    let domain: ClosedRange<Double>
    var testDescription: String { "\(text) on \(domain)" }

    init(_ text: String, on domain: ClosedRange<Double> = 0.2...2) {
        self.text = text
        self.domain = domain
    }
}

@Suite struct AdjointTests {
    static let cases: [AdjointCase] = [
        AdjointCase("-x"), AdjointCase("+x"), AdjointCase("x + y"), AdjointCase("x - y"), AdjointCase("x * y"),
        AdjointCase("x * x"), AdjointCase("x / y"), AdjointCase("x / x"),
        AdjointCase("x ^ y"), AdjointCase("y ^ x"), AdjointCase("x ^ x"), AdjointCase("2 ^ x"),
        AdjointCase("x ^ 0.5"), AdjointCase("x ^ 2.5"), AdjointCase("x ^ 0"), AdjointCase("x ^ 1"),
        AdjointCase("x ^ 2"), AdjointCase("x ^ 3"), AdjointCase("x ^ -1"), AdjointCase("x ^ -2"), AdjointCase("x ^ 5"),
        AdjointCase("x ^ 2", on: -2 ... -0.2), AdjointCase("x ^ 3", on: -2 ... -0.2),
        AdjointCase("x ^ -1", on: -2 ... -0.2), AdjointCase("x ^ 4", on: -2 ... -0.2),
        AdjointCase("sin(x)", on: -3...3), AdjointCase("cos(x)", on: -3...3), AdjointCase("tan(x)", on: -1.2...1.2),
        AdjointCase("exp(x)", on: -3...3), AdjointCase("log(x)"), AdjointCase("sqrt(x)"),
        AdjointCase("abs(x)"), AdjointCase("abs(x)", on: -2 ... -0.2),
        AdjointCase("tanh(x)", on: -3...3), AdjointCase("sinh(x)", on: -3...3), AdjointCase("cosh(x)", on: -3...3),
        AdjointCase("min(x, y)"), AdjointCase("max(x, y)"), AdjointCase("min(x, x)"),
        AdjointCase("x < y ? x * y : x / y"), AdjointCase("if(x > 1, sin(x), cos(y))"),
        AdjointCase("(x < y) * x + (x >= y) * y"), AdjointCase("(x <= y) + (x > y) + (x == y) + (x != y) + x"),
        AdjointCase("(x > 0.5 && y > 0.5) * x * y"), AdjointCase("(x > 1 || y > 1) * x + !(x > 1) * y"),
        AdjointCase("sin(x * y) + exp(-x^2) / (1 + y^2)", on: -2...2),
        AdjointCase("lambda * x^2 + mu * sin(y)", on: -2...2),
        AdjointCase("u_t + u * u_x - nu * u_xx", on: -2...2),
        AdjointCase("u_xt * v - u_tx / (1 + v^2) + lambda^3", on: -2...2),
        AdjointCase("k * pi * cos(pi * x) * exp(-t)", on: -2...2),
    ]

    @Test(arguments: cases)
    func matchesCentralDifferences(_ expression: AdjointCase) throws {
        let program = try compile(expression.text)
        var random = SeededGenerator(seed: 17)
        for _ in 0..<5 {
            let point = program.leaves.map { _ in Double.random(in: expression.domain, using: &random) }
            let adjoint = program.pullback(point, rootAdjoint: [1])
            for slot in point.indices {
                let expected = centralDifference(program, at: point, slot: slot, weights: [1])
                #expect(
                    abs(adjoint[slot] - expected) <= 1e-6 * max(1, abs(expected)),
                    "∂(\(expression.text))/∂\(program.leaves[slot]) at \(point): \(adjoint[slot]) vs \(expected)"
                )
            }
        }
    }

    @Test func multiRootProgramPullsBackTheWeightedSum() throws {
        let program = try #require(try? ExpressionProgram.compile([
            ExpressionSource("x * y + sin(x)", field: "a"),
            ExpressionSource("exp(x) - y^2 * lambda", field: "b"),
            ExpressionSource("x * u_x", field: "c", minus: "u"),
        ], scope: .wide))
        #expect(program.rootCount == 3)
        var random = SeededGenerator(seed: 5)
        for _ in 0..<5 {
            let point = program.leaves.map { _ in Double.random(in: -2...2, using: &random) }
            let weights = (0..<3).map { _ in Double.random(in: -1...1, using: &random) }
            let adjoint = program.pullback(point, rootAdjoint: weights)
            for slot in point.indices {
                let expected = centralDifference(program, at: point, slot: slot, weights: weights)
                #expect(abs(adjoint[slot] - expected) <= 1e-6 * max(1, abs(expected)))
            }
        }
    }

    /// r = u_t + u·u_x − ν·u_xx with ν learned: ∂r/∂u_t = 1, ∂r/∂u = u_x, ∂r/∂u_x = u, ∂r/∂u_xx = −ν,
    /// and the gradient for ν is Σᵢ wᵢ·(−u_xx,ᵢ) over the rows of a block.
    @Test func burgersResidualWithLearnedViscosity() throws {
        let scope = ExpressionScope(inputs: ["x", "t"], fields: ["u"], learned: ["nu"])
        let program = try compile("u_t + u*u_x - nu*u_xx", scope: scope)
        let slot = Dictionary(uniqueKeysWithValues: program.leaves.enumerated().map { (scope.name(of: $1), $0) })
        #expect(Set(slot.keys) == ["u_t", "u", "u_x", "nu", "u_xx"])

        let rows = 7
        var random = SeededGenerator(seed: 3)
        let nu = 0.37
        var leafValues = [Double](repeating: 0, count: program.leaves.count * rows)
        for name in ["u_t", "u", "u_x", "u_xx"] {
            for i in 0..<rows { leafValues[slot[name]! * rows + i] = .random(in: -2...2, using: &random) }
        }
        for i in 0..<rows { leafValues[slot["nu"]! * rows + i] = nu }
        let weights = (0..<rows).map { _ in Double.random(in: -1...1, using: &random) }

        let run = { (values: [Double]) -> (roots: [Double], leafAdjoint: [Double]) in
            var scratch = [Double](repeating: .nan, count: program.scratchCount(rows: rows))
            var adjointScratch = [Double](repeating: .nan, count: program.adjointScratchCount(rows: rows))
            var roots = [Double](repeating: .nan, count: rows)
            var leafAdjoint = [Double](repeating: .nan, count: values.count)
            program.evaluate(rows: rows, leafValues: values, scratch: &scratch, roots: &roots)
            program.pullback(
                rows: rows, leafValues: values, scratch: &scratch, rootAdjoint: weights,
                adjointScratch: &adjointScratch, leafAdjoint: &leafAdjoint
            )
            return (roots, leafAdjoint)
        }
        let (roots, leafAdjoint) = run(leafValues)
        func at(_ name: String, _ i: Int) -> Double { leafValues[slot[name]! * rows + i] }
        for i in 0..<rows {
            #expect(isClose(roots[i], at("u_t", i) + at("u", i) * at("u_x", i) - nu * at("u_xx", i)))
            #expect(leafAdjoint[slot["u_t"]! * rows + i] == weights[i])
            #expect(isClose(leafAdjoint[slot["u"]! * rows + i], weights[i] * at("u_x", i)))
            #expect(isClose(leafAdjoint[slot["u_x"]! * rows + i], weights[i] * at("u", i)))
            #expect(isClose(leafAdjoint[slot["u_xx"]! * rows + i], -weights[i] * nu))
        }
        let nuGradient = (0..<rows).map { leafAdjoint[slot["nu"]! * rows + $0] }.reduce(0, +)
        let analytic = (0..<rows).map { -weights[$0] * at("u_xx", $0) }.reduce(0, +)
        #expect(isClose(nuGradient, analytic, tolerance: 1e-12))

        let h = 1e-6
        func loss(_ nu: Double) -> Double {
            var values = leafValues
            for i in 0..<rows { values[slot["nu"]! * rows + i] = nu }
            return zip(weights, run(values).roots).map(*).reduce(0, +)
        }
        let finiteDifference = (loss(nu + h) - loss(nu - h)) / (2 * h)
        #expect(abs(nuGradient - finiteDifference) <= 1e-6 * max(1, abs(finiteDifference)))
    }

    /// The untaken branch has adjoint 0; its infinite or NaN partials must not leak into the gradient.
    @Test(arguments: ["x > 0 ? sqrt(x) : 0", "x > 0 ? log(x) : 2*x", "if(x != 0, 1/x, x)", "x > 0 ? x^0.5 : -x"])
    func untakenBranchesContributeNothing(_ text: String) throws {
        let program = try compile(text)
        for x in [-1.0, 0.0] {
            let adjoint = program.pullback([x], rootAdjoint: [1])[0]
            #expect(adjoint.isFinite, "\(text) at \(x): \(adjoint)")
        }
    }

    @Test func kinksTakeTheDocumentedOneSidedValue() throws {
        #expect(try compile("abs(x)").pullback([0], rootAdjoint: [1]) == [0])
        // min and max choose a on ties, and so does their adjoint.
        let minimum = try compile("min(x, y)")
        #expect(minimum.pullback([1, 1], rootAdjoint: [1]) == [1, 0])
        let maximum = try compile("max(x, y)")
        #expect(maximum.pullback([1, 1], rootAdjoint: [1]) == [1, 0])
        // Where y = x^p vanishes, ∂y/∂p is taken as its limit 0 instead of 0·ln 0.
        let power = try compile("x ^ lambda")
        #expect(power.pullback([0, 2], rootAdjoint: [1]) == [0, 0])
    }
}

/// Σ_r w_r ∂root_r/∂leaf_slot by central differences with step 1e-6 relative to the value.
private func centralDifference(_ program: ExpressionProgram, at point: [Double], slot: Int, weights: [Double]) -> Double {
    let h = 1e-6 * max(1, abs(point[slot]))
    var up = point, down = point
    up[slot] += h
    down[slot] -= h
    let difference = zip(program.evaluate(up), program.evaluate(down)).map { $0 - $1 }
    return zip(weights, difference).map(*).reduce(0, +) / (up[slot] - down[slot])
}
