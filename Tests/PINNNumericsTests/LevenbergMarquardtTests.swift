import Foundation
@testable import PINNNumerics
import Testing

/// Levenberg–Marquardt on least-squares problems whose minimiser is known: Rosenbrock's function as residuals
/// (zero residual at (1, 1), where Gauss–Newton converges quadratically), a linear problem (one Gauss–Newton step
/// solves it exactly as λ shrinks), and an exponential fit with noise (a non-zero residual).
@Suite struct LevenbergMarquardtTests {
    /// ρ = (10(x₂ − x₁²), 1 − x₁): f = ρᵀρ is Rosenbrock's function.
    static func rosenbrock(_ x: [Double], _ r: inout [Double], _ j: inout [Double]) {
        r = [10 * (x[1] - x[0] * x[0]), 1 - x[0]]
        j = [-20 * x[0], 10,
             -1, 0]
    }

    static func value(_ linearize: @escaping ([Double], inout [Double], inout [Double]) -> Void) -> ([Double]) -> Double {
        { x in
            var (r, j) = ([Double](), [Double]())
            linearize(x, &r, &j)
            return r.reduce(0) { $0 + $1 * $1 }
        }
    }

    @Test func rosenbrockAsResidualsConvergesQuadraticallyTo1e12() {
        var lm = LevenbergMarquardt(parameterCount: 2)
        var x = [-1.2, 1.0]
        var errors: [Double] = []
        var stop: StopReason?
        for _ in 0..<100 where stop == nil {
            let step = lm.step(parameters: &x, linearize: Self.rosenbrock, objective: Self.value(Self.rosenbrock))
            stop = step.stop
            errors.append(max(abs(x[0] - 1), abs(x[1] - 1)))
        }
        #expect(max(abs(x[0] - 1), abs(x[1] - 1)) < 1e-12, "x = \(x)")
        #expect(lm.counters.iterations < 40)
        // Quadratic convergence at the end: once the error is below 1e-2, each step at least squares it (up to a
        // constant), so from 1e-3 it takes at most three more steps to pass 1e-12.
        let near = errors.firstIndex { $0 < 1e-3 }!
        let done = errors.firstIndex { $0 < 1e-12 }!
        #expect(done - near <= 3, "errors \(errors)")
    }

    /// ρ = A·x − b with A 30 × 5: the minimiser is the least-squares solution; Gauss–Newton is exact at λ → 0, and
    /// the gradient 2Aᵀ(Ax − b) vanishes there (checked against the normal equations solved independently).
    @Test func aLinearProblemEndsAtTheLeastSquaresSolution() {
        var generator = SeededGenerator(seed: 11)
        let (m, n) = (30, 5)
        let a = (0..<(m * n)).map { _ in generator.nextUnit() - 0.5 }
        let b = (0..<m).map { _ in generator.nextUnit() }
        let linearize: ([Double], inout [Double], inout [Double]) -> Void = { x, r, j in
            r = (0..<m).map { i in (0..<n).reduce(-b[i]) { $0 + a[i * n + $1] * x[$1] } }
            j = a
        }
        var lm = LevenbergMarquardt(parameterCount: n)
        var x = [Double](repeating: 0, count: n)
        for _ in 0..<60 {
            if lm.step(parameters: &x, linearize: linearize, objective: Self.value(linearize)).stop != nil { break }
        }
        // Aᵀ(Ax − b) = 0 by Gaussian elimination on AᵀA x = Aᵀb.
        var ata = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n)
        for p in 0..<n {
            for q in 0..<n { ata[p][q] = (0..<m).reduce(0) { $0 + a[$1 * n + p] * a[$1 * n + q] } }
            ata[p][n] = (0..<m).reduce(0) { $0 + a[$1 * n + p] * b[$1] }
        }
        for p in 0..<n {
            for q in (p + 1)..<n {
                let f = ata[q][p] / ata[p][p]
                for c in p...n { ata[q][c] -= f * ata[p][c] }
            }
        }
        var exact = [Double](repeating: 0, count: n)
        for p in stride(from: n - 1, through: 0, by: -1) {
            exact[p] = (ata[p][n] - ((p + 1)..<n).reduce(0) { $0 + ata[p][$1] * exact[$1] }) / ata[p][p]
        }
        for p in 0..<n { #expect(abs(x[p] - exact[p]) < 1e-10, "x[\(p)] = \(x[p]), exact \(exact[p])") }
    }

    /// A checkpoint mid-run (Codable) continues with the same iterates as the run that was not interrupted.
    @Test func aDecodedStateContinuesIdentically() throws {
        var lm = LevenbergMarquardt(parameterCount: 2)
        var x = [-1.2, 1.0]
        for _ in 0..<5 { _ = lm.step(parameters: &x, linearize: Self.rosenbrock, objective: Self.value(Self.rosenbrock)) }
        var copy = try JSONDecoder().decode(LevenbergMarquardt.self, from: JSONEncoder().encode(lm))
        var y = x
        for _ in 0..<6 {
            _ = lm.step(parameters: &x, linearize: Self.rosenbrock, objective: Self.value(Self.rosenbrock))
            _ = copy.step(parameters: &y, linearize: Self.rosenbrock, objective: Self.value(Self.rosenbrock))
            #expect(x == y)
        }
        #expect(lm.counters.iterations == copy.counters.iterations)
        #expect(lm.counters.evaluations == copy.counters.evaluations && lm.damping == copy.damping)
    }

    /// Where no step can lower f (a non-finite objective away from x), the damping grows until it is exhausted and
    /// x stays where it was.
    @Test func aDampingThatCannotHelpStopsWithoutMoving() {
        var lm = LevenbergMarquardt(parameterCount: 2)
        var x = [0.5, 0.5]
        let start = x
        let step = lm.step(parameters: &x, linearize: Self.rosenbrock) { y in y == start ? 1 : .nan }
        #expect(step.stop == .dampingExhausted)
        #expect(x == start)
        #expect(lm.counters.rejectedSteps > 10)
    }
}
