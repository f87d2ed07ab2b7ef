import Foundation
import Testing
import PINN

/// The closed forms the new presets are scored against satisfy their equations: the preset's own `exact`
/// expressions, differentiated by finite differences (O(h⁴) stencils, h = 2.5e-3: truncation and rounding both
/// ~1e-8 here), put into the residual written here by hand. A wrong sign, constant or λ in the preset leaves a
/// residual of order 1e-2 or more (λ off in its 4th digit: 1e-4).
@Suite struct ClosedFormPresetTests {
    /// ∂^m/∂x_j^m of output `o` of `f` at `point` by central differences of O(h⁴) (m = 1, 2, 3).
    static func derivative(_ f: (any ExactSolution), _ point: [Double], input j: Int, order m: Int, output o: Int,
                           outputs: Int, h: Double = 2.5e-3) -> Double {
        func u(_ k: Double) -> Double {
            var p = point
            p[j] += k * h
            return f.values(at: p)[o]
        }
        switch m {
        case 1: return (-u(2) + 8 * u(1) - 8 * u(-1) + u(-2)) / (12 * h)
        case 2: return (-u(2) + 16 * u(1) - 30 * u(0) + 16 * u(-1) - u(-2)) / (12 * h * h)
        default: return (-u(3) + 8 * u(2) - 13 * u(1) + 13 * u(-1) - 8 * u(-2) + u(-3)) / (8 * h * h * h)
        }
    }

    static func points(_ problem: Problem, count: Int) -> [[Double]] {
        var generator = SeededGenerator(seed: 9)
        return (0..<count).map { _ in
            zip(problem.lower, problem.upper).map { lo, hi in lo + (hi - lo) * (0.1 + 0.8 * generator.nextUnit()) }
        }
    }

    @Test func theKdVSolitonSolvesKdV() throws {
        let problem = try ProblemBuilder.make(ProblemPresets.spec(named: "kdv")!)
        let exact = try #require(problem.exact)
        var worst = 0.0
        for p in Self.points(problem, count: 40) {
            let u = exact.values(at: p)[0]
            let d = { (j: Int, m: Int) in Self.derivative(exact, p, input: j, order: m, output: 0, outputs: 1) }
            worst = max(worst, abs(d(1, 1) + 6 * u * d(0, 1) + d(0, 3)))
        }
        #expect(worst < 1e-5, "largest |u_t + 6uu_x + u_xxx| = \(worst)")
    }

    @Test func kovasznaysFlowSolvesSteadyNavierStokes() throws {
        let problem = try ProblemBuilder.make(ProblemPresets.spec(named: "kovasznay")!)
        let exact = try #require(problem.exact)
        let re = 20.0
        var worst = 0.0
        for p in Self.points(problem, count: 40) {
            let (u, v) = (exact.values(at: p)[0], exact.values(at: p)[1])
            func d(_ o: Int, _ j: Int, _ m: Int) -> Double { Self.derivative(exact, p, input: j, order: m, output: o, outputs: 3) }
            let momentumX = u * d(0, 0, 1) + v * d(0, 1, 1) + d(2, 0, 1) - (d(0, 0, 2) + d(0, 1, 2)) / re
            let momentumY = u * d(1, 0, 1) + v * d(1, 1, 1) + d(2, 1, 1) - (d(1, 0, 2) + d(1, 1, 2)) / re
            let continuity = d(0, 0, 1) + d(1, 1, 1)
            worst = max(worst, abs(momentumX), abs(momentumY), abs(continuity))
        }
        #expect(worst < 1e-6, "largest residual \(worst)")
    }
}
