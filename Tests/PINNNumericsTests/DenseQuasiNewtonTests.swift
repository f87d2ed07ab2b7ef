import Foundation
@testable import PINNNumerics
import Testing

/// f(x) = ½xᵀAx − bᵀx with a seeded random symmetric positive definite A = QᵀQ + n·I/4 (condition number in the
/// tens), so the minimiser x* = A⁻¹b is known by construction: b = A·x*.
private struct RandomQuadratic {
    let n: Int
    let a: [Double]
    let minimiser: [Double]
    let b: [Double]

    init(n: Int, seed: UInt64) {
        self.n = n
        var generator = SeededGenerator(seed: seed)
        let q = (0..<(n * n)).map { _ in generator.nextUnit() - 0.5 }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                a[i * n + j] = (0..<n).reduce(0) { $0 + q[$1 * n + i] * q[$1 * n + j] } + (i == j ? Double(n) / 4 : 0)
            }
        }
        let minimiser = (0..<n).map { _ in 2 * generator.nextUnit() - 1 }
        (self.a, self.minimiser) = (a, minimiser)
        b = (0..<n).map { i in (0..<n).reduce(0) { $0 + a[i * n + $1] * minimiser[$1] } }
    }

    func callAsFunction(_ x: [Double], _ gradient: inout [Double]) -> Double {
        var f = 0.0
        for i in 0..<n {
            let ax = (0..<n).reduce(0) { $0 + a[i * n + $1] * x[$1] }
            gradient[i] = ax - b[i]
            f += 0.5 * x[i] * ax - b[i] * x[i]
        }
        return f
    }
}

private func rosenbrock(_ x: [Double], _ gradient: inout [Double]) -> Double {
    let a = x[1] - x[0] * x[0], b = 1 - x[0]
    gradient[0] = -400 * x[0] * a - 2 * b
    gradient[1] = 200 * a
    return 100 * a * a + b * b
}

private func distance(_ x: [Double], _ y: [Double]) -> Double { zip(x, y).map { abs($0 - $1) }.max()! }

@Suite("Dense quasi-Newton")
struct DenseQuasiNewtonTests {
    /// On a strictly convex quadratic with exact line searches, BFGS from H₀ = I ends at the minimiser after at most
    /// n iterations (Nocedal & Wright, Theorem 6.4, the conjugate-direction property); two more allow for rounding.
    @Test func bfgsWithExactLineSearchesFinishesAQuadraticInNSteps() {
        let n = 12
        let f = RandomQuadratic(n: n, seed: 7)
        // c₂ = 10⁻¹⁰ makes the strong-Wolfe search exact for practical purposes (the cubic through two trials of a
        // quadratic is the quadratic itself, so zoom lands on the minimiser along the line).
        var optimizer = DenseQuasiNewton(parameterCount: n, update: .bfgs,
                                         lineSearch: .init(sufficientDecrease: 1e-11, curvature: 1e-10, maxEvaluations: 50),
                                         gradientTolerance: 1e-10)
        var x = [Double](repeating: 0, count: n)
        var iterations = 0
        while iterations < n + 2 {
            let step = optimizer.step(parameters: &x, objective: f.callAsFunction)
            iterations += 1
            if step.stop != nil { break }
        }
        #expect(distance(x, f.minimiser) < 1e-8, "‖x − x*‖∞ = \(distance(x, f.minimiser)) after \(iterations)")
        #expect(iterations <= n + 2)
    }

    /// The self-scaled variants with the default (inexact) strong-Wolfe search converge on the same quadratic.
    @Test(arguments: [DenseQuasiNewton.Update.bfgs, .ssbfgs, .ssbroyden])
    func everyVariantConvergesOnAQuadratic(update: DenseQuasiNewton.Update) {
        let n = 12
        let f = RandomQuadratic(n: n, seed: 11)
        var optimizer = DenseQuasiNewton(parameterCount: n, update: update, gradientTolerance: 1e-12)
        var x = [Double](repeating: 0, count: n)
        var iterations = 0
        while iterations < 200, optimizer.step(parameters: &x, objective: f.callAsFunction).stop == nil {
            iterations += 1
        }
        print("quadratic n = \(n), \(update): \(iterations) iterations, \(optimizer.counters.evaluations) evaluations, ‖x − x*‖∞ = \(distance(x, f.minimiser))")
        // SSBroyden stops here on a failed line search, not on the gradient: near x*, f − f* ≈ λ‖x − x*‖²/2 drops
        // below the rounding of f (|f| is O(1)) once ‖x − x*‖ is ~1e-8, so that is what such a stop can promise.
        // Where below it lands depends on rounding: 2.5e-12 with the kernels' FMA clones, 2.7e-10 with the
        // baseline clone (machines without AVX2, and every sanitized build).
        #expect(distance(x, f.minimiser) < 1e-8)
        #expect(iterations < 100)
    }

    @Test(arguments: [DenseQuasiNewton.Update.bfgs, .ssbfgs, .ssbroyden])
    func everyVariantConvergesOnRosenbrock(update: DenseQuasiNewton.Update) {
        var optimizer = DenseQuasiNewton(parameterCount: 2, update: update, gradientTolerance: 1e-10)
        var x = [-1.2, 1.0]
        var iterations = 0
        var last: OptimizerStep<Double>?
        while iterations < 500 {
            last = optimizer.step(parameters: &x, objective: rosenbrock)
            iterations += 1
            if last?.stop != nil { break }
        }
        print("Rosenbrock, \(update): \(iterations) iterations, \(optimizer.counters.evaluations) evaluations, stop \(String(describing: last?.stop)), x = \(x)")
        #expect(distance(x, [1, 1]) < 1e-6)
        #expect(last?.stop == .gradientTolerance || last?.stop == .noProgress)
    }

    /// The rank-2 update on the upper triangle equals the textbook formula
    /// H₊ = [H − HyyᵀH/yᵀHy + φ·yᵀHy·vvᵀ]/τ + ρssᵀ computed with full matrices, and keeps H symmetric positive definite,
    /// for random pairs with yᵀs > 0.
    @Test(arguments: [DenseQuasiNewton.Update.bfgs, .ssbfgs, .ssbroyden])
    func updatesMatchTheFullFormulaAndStayPositiveDefinite(update: DenseQuasiNewton.Update) {
        let n = 9
        var generator = SeededGenerator(seed: 99)
        var optimizer = DenseQuasiNewton(parameterCount: n, update: update)
        var fallbacks = 0
        for pair in 0..<40 {
            let h = optimizer.inverseHessianMatrix
            let g = (0..<n).map { _ in generator.nextNormal() }
            let p = (0..<n).map { i in -(0..<n).reduce(0) { $0 + h[i * n + $1] * g[$1] } }
            let alpha = 0.1 + generator.nextUnit()
            let s = p.map { alpha * $0 }
            // y with yᵀs > 0: a random SPD-ish map of s plus noise, flipped if needed.
            var y = s.map { 0.5 * $0 + 0.3 * generator.nextNormal() * abs($0) + 0.05 * generator.nextNormal() }
            if zip(y, s).map(*).reduce(0, +) <= 0 { y = y.map { -$0 } }
            // State as after an accepted line search: gradient g, trial gradient g + y, direction p.
            optimizer.gradient = g
            optimizer.trialGradient = zip(g, y).map(+)
            optimizer.direction = p
            let slope = zip(g, p).map(*).reduce(0, +)
            let skipped = optimizer.counters.skippedUpdates
            optimizer.updateInverseHessian(step: alpha, slope: slope)
            #expect(optimizer.counters.skippedUpdates == skipped, "pair \(pair) was skipped")

            // The oracle: the formula with full matrices.
            let hy = (0..<n).map { i in (0..<n).reduce(0) { $0 + h[i * n + $1] * y[$1] } }
            let ys = zip(y, s).map(*).reduce(0, +), yHy = zip(y, hy).map(*).reduce(0, +)
            let rho = 1 / ys
            let coefficients = DenseQuasiNewton.coefficients(update, h: rho * yHy,
                                                             b: -alpha * rho * zip(s, g).map(*).reduce(0, +),
                                                             parameterCount: n)!
            if coefficients.fellBack { fallbacks += 1 }
            let v = (0..<n).map { rho * s[$0] - hy[$0] / yHy }
            let got = optimizer.inverseHessianMatrix
            var worst = 0.0, scale = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    let expected = (h[i * n + j] - hy[i] * hy[j] / yHy + coefficients.phi * yHy * v[i] * v[j])
                        / coefficients.tau + rho * s[i] * s[j]
                    worst = max(worst, abs(got[i * n + j] - expected))
                    scale = max(scale, abs(expected))
                }
            }
            #expect(worst <= 1e-12 * scale, "pair \(pair): max deviation \(worst) of \(scale)")
            // The new direction is −H₊g₊.
            let g1 = optimizer.trialGradient
            let expectedDirection = (0..<n).map { i in -(0..<n).reduce(0) { $0 + got[i * n + $1] * g1[$1] } }
            // The optimiser computes it by the low-rank formula −(H·g₊)/τ − U·M·(Uᵀg₊), this oracle from H₊ itself: the
            // two round apart in proportion to the terms, Σⱼ|h₊ᵢⱼ·g₊ⱼ|, not to the result, which cancels (H grows
            // ill-conditioned over the 40 pairs). Worst measured: 1.4e-12 of it with the kernels' FMA clones, 2.6e-12
            // with the baseline clone (machines without AVX2, and every sanitized build).
            let terms = (0..<n).map { i in (0..<n).reduce(0) { $0 + abs(got[i * n + $1] * g1[$1]) } }.max()!
            #expect(distance(optimizer.direction, expectedDirection) <= 1e-11 * max(1, terms))
            // Symmetric positive definite: a copy passes the Cholesky test (which would restart H otherwise).
            let positiveDefinite = optimizer.checkPositiveDefinite()
            #expect(positiveDefinite, "pair \(pair) lost positive definiteness")
            // The secant condition H₊y = s.
            let hNewY = (0..<n).map { i in (0..<n).reduce(0) { $0 + got[i * n + $1] * y[$1] } }
            #expect(distance(hNewY, s) <= 1e-9 * max(1, s.map(abs).max()!))
        }
        print("\(update): \(fallbacks) of 40 random pairs fell back to SSBFGS")
    }

    @Test func aSkippedPairLeavesHAlone() {
        var optimizer = DenseQuasiNewton(parameterCount: 3, update: .ssbroyden)
        let before = optimizer.inverseHessianMatrix
        optimizer.gradient = [1, 0, 0]
        optimizer.direction = [-1, 0, 0]
        optimizer.trialGradient = [2, 0, 0]          // y = (1, 0, 0), s = α·(−1, 0, 0): yᵀs < 0
        optimizer.updateInverseHessian(step: 0.5, slope: -1)
        #expect(optimizer.counters.skippedUpdates == 1)
        #expect(optimizer.inverseHessianMatrix == before)
        #expect(optimizer.direction == [-2, 0, 0])   // −H·g₊
    }

    @Test func theCholeskyTestRestartsAnIndefiniteH() {
        var optimizer = DenseQuasiNewton(parameterCount: 2)
        optimizer.inverseHessian = [1, 2, 2, 1]          // eigenvalues 3 and −1
        let positiveDefinite = optimizer.checkPositiveDefinite()
        #expect(!positiveDefinite)
        #expect(optimizer.inverseHessianMatrix == [1, 0, 0, 1])
        #expect(optimizer.counters.restarts == 1)
    }

    /// Encoding mid-run and continuing from the decoded copy gives bit for bit the same iterates.
    @Test(arguments: [DenseQuasiNewton.Update.bfgs, .ssbfgs, .ssbroyden])
    func resumesBitForBit(update: DenseQuasiNewton.Update) throws {
        let f = RandomQuadratic(n: 6, seed: 3)
        func objective(_ x: [Double], _ g: inout [Double]) -> Double {
            var g2 = [0.0, 0.0]
            let q = f(x, &g)
            let r = rosenbrock([x[0], x[1]], &g2)
            g[0] += g2[0]; g[1] += g2[1]
            return q + r
        }
        var straight = DenseQuasiNewton(parameterCount: 6, update: update)
        var x = [Double](repeating: 0.3, count: 6)
        var xs: [[Double]] = []
        for _ in 0..<30 { _ = straight.step(parameters: &x, objective: objective); xs.append(x) }

        var first = DenseQuasiNewton(parameterCount: 6, update: update)
        var y = [Double](repeating: 0.3, count: 6)
        for _ in 0..<12 { _ = first.step(parameters: &y, objective: objective) }
        let data = try JSONEncoder().encode(first)
        var second = try JSONDecoder().decode(DenseQuasiNewton.self, from: data)
        for k in 12..<30 {
            _ = second.step(parameters: &y, objective: objective)
            #expect(y == xs[k], "iteration \(k)")
        }
        var (resumed, uninterrupted) = (second.counters, straight.counters)
        (resumed.updateSeconds, uninterrupted.updateSeconds) = (0, 0)     // wall time, not state
        #expect(resumed == uninterrupted)
    }

    @Test func aCorruptCheckpointIsAnErrorNotACrash() throws {
        let data = try JSONEncoder().encode(DenseQuasiNewton(parameterCount: 4))
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        object["parameterCount"] = 5
        let bad = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DenseQuasiNewton.self, from: bad) }
    }
}
