import CBLAS
import Dispatch
import Foundation

/// Levenberg–Marquardt for a sum of squares f(x) = ρ(x)ᵀρ(x) (docs/design.md §8.6). Each iteration linearises
/// the residuals, ρ(x + δ) ≈ ρ + Jδ with J = ∂ρ/∂x (N × n), and solves the damped Gauss–Newton system
///
///     (JᵀJ + λI) δ = −Jᵀρ
///
/// by a Cholesky factorisation (`TiledCholesky` on the caller's threads, then LAPACK's `dpotrs`; JᵀJ by `dsyrk`
/// over shares of the rows, kept while λ changes). The step is accepted when f falls; the gain ratio
/// ϱ = (f(x) − f(x + δ)) / (f(x) − m(δ)) of the actual to the predicted decrease, where f(x) − m(δ) = δᵀ(λδ − Jᵀρ),
/// sets the damping by Nielsen's rule (H. B. Nielsen, "Damping parameter in Marquardt's method", IMM-REP-1999-05;
/// Madsen, Nielsen & Tingleff, "Methods for non-linear least squares problems", 2004, §3.2):
///
///     accepted (ϱ > 0):  λ ← λ·max(1/3, 1 − (2ϱ − 1)³), ν ← 2;     rejected:  λ ← λ·ν, ν ← 2ν.
///
/// applied to μ in λ = μ·‖ρ‖ (Fan & Yuan, "On the quadratic convergence of the Levenberg–Marquardt method without
/// nonsingularity assumption", Computing 74, 2005: λ ∝ ‖ρ‖^δ with δ ∈ [1, 2]). Tying λ to ‖ρ‖ lets the damping
/// vanish as the residual does, so on a zero-residual problem the steps become Gauss–Newton steps and converge
/// quadratically; with λ updated by the rule alone they converge only linearly, by the rule's factor 1/3 per step.
/// The first λ is τ·max diag(JᵀJ). Large λ makes the step a short gradient step, small λ the Gauss–Newton step.
/// Everything is in Double.
///
/// **Stopping.** `gradientTolerance` on ‖∇f‖∞ = 2‖Jᵀρ‖∞; `noProgress` when the step is below `stepTolerance`
/// relative to x; `dampingExhausted` when λ passes `maxDamping` without a step that lowers f; `nonFiniteLoss` when
/// f(x) itself is not finite.
public struct LevenbergMarquardt: Sendable {
    public let parameterCount: Int
    /// τ: the first λ is τ·max diag(JᵀJ).
    public var initialDampingFactor: Double
    public var gradientTolerance: Double
    public var stepTolerance: Double
    public var maxDamping: Double
    /// Threads forming JᵀJ, each over its share of J's rows (the shares are summed in a fixed order, so a thread
    /// count gives the same result every run), and factorising it (the same factor on any count). A setting of the
    /// caller, not part of the encoded state.
    public var threads = 1
    /// μ, where λ = μ·‖ρ‖; nil until the first linearisation.
    public private(set) var damping: Double?
    /// ν, the factor λ grows by at the next rejection.
    public private(set) var growth = 2.0

    /// What the iterations did, for reports.
    public struct Counters: Codable, Sendable, Equatable {
        public var iterations = 0
        /// Evaluations of f (one per trial step, and at a start).
        public var evaluations = 0
        /// Trial steps that did not lower f.
        public var rejectedSteps = 0
        /// Residual rows N of the last linearisation.
        public var residualRows = 0
        /// Seconds forming ρ and J, forming JᵀJ and Jᵀρ, and factorising and solving.
        public var jacobianSeconds = 0.0
        public var productSeconds = 0.0
        public var solveSeconds = 0.0
        /// The smallest and largest λ used by an accepted step.
        public var minDamping: Double?
        public var maxDamping: Double?
    }
    public private(set) var counters = Counters()

    /// f at the current point when the last step left it there (nil at a start or after `forgetPoint`).
    private var value: Double?
    private var position: [Double] = []
    // Scratch, never encoded, sized at the first step: ρ, J (row-major N × n), JᵀJ (upper triangle, column-major
    // n × n), Jᵀρ, the factor.
    private var residuals: [Double] = []
    private var jacobian: [Double] = []
    private var normal: [Double] = []
    private var gradient: [Double] = []
    private var factor: [Double] = []
    /// The shares of JᵀJ after the first, one n × n block per further thread.
    private var partialNormals: [Double] = []

    public init(parameterCount: Int, initialDampingFactor: Double = 1e-3, gradientTolerance: Double = 1e-14,
                stepTolerance: Double = 1e-15, maxDamping: Double = 1e16) {
        precondition(parameterCount > 0)
        self.parameterCount = parameterCount
        (self.initialDampingFactor, self.gradientTolerance) = (initialDampingFactor, gradientTolerance)
        (self.stepTolerance, self.maxDamping) = (stepTolerance, maxDamping)
    }

    /// The objective changed (new residual points): the next step evaluates f afresh. λ is kept.
    public mutating func forgetPoint() { value = nil }

    /// A damping `factor` times larger (after a divergence): shorter steps.
    public mutating func increaseDamping(by factor: Double) {
        if let damping { self.damping = damping * factor }
    }

    /// One iteration on `x`. `linearize(x, &ρ, &J)` writes the residuals (resizing ρ to N) and the Jacobian,
    /// row-major N × n (resizing it to N·n); `objective(x)` returns f(x) = ρ(x)ᵀρ(x). Trial steps with growing
    /// damping until one lowers f, or a stop.
    public mutating func step(parameters x: inout [Double],
                              linearize: (_ x: [Double], _ residuals: inout [Double], _ jacobian: inout [Double]) -> Void,
                              objective: (_ x: [Double]) -> Double) -> OptimizerStep<Double> {
        precondition(x.count == parameterCount)
        let n = parameterCount
        if normal.count != n * n {
            (normal, factor, gradient) = ([Double](repeating: 0, count: n * n), [Double](repeating: 0, count: n * n),
                                          [Double](repeating: 0, count: n))
        }
        var used = 0
        if value == nil || position != x {
            value = objective(x)
            used += 1
        }
        let f0 = value!
        counters.evaluations += used
        guard f0.isFinite else {
            return OptimizerStep(loss: f0, gradientNorm: .nan, evaluations: used, stop: .nonFiniteLoss)
        }
        var clock = ContinuousClock.now
        linearize(x, &residuals, &jacobian)
        let rows = residuals.count
        precondition(jacobian.count == rows * n, "the Jacobian must be N × n")
        counters.residualRows = rows
        counters.jacobianSeconds += Self.seconds(since: &clock)
        formNormalEquations(rows: rows)
        counters.productSeconds += Self.seconds(since: &clock)
        let gradientNorm = 2 * FlatVector.maxMagnitude(gradient)
        counters.iterations += 1
        if gradientNorm <= gradientTolerance {
            return OptimizerStep(loss: f0, gradientNorm: gradientNorm, evaluations: used, stop: .gradientTolerance)
        }
        let residualNorm = max(f0.squareRoot(), .leastNormalMagnitude)
        var mu = damping ?? initialDampingFactor * (0..<n).map { normal[$0 * n + $0] }.max()! / residualNorm
        var trial = x
        var delta = [Double](repeating: 0, count: n)
        let xNorm = FlatVector.maxMagnitude(x)
        while mu * residualNorm <= maxDamping {
            let lambda = mu * residualNorm
            clock = .now
            let solved = solve(damping: lambda, into: &delta)
            counters.solveSeconds += Self.seconds(since: &clock)
            if solved {
                if FlatVector.maxMagnitude(delta) <= stepTolerance * (xNorm + stepTolerance) {
                    damping = mu
                    return OptimizerStep(loss: f0, gradientNorm: gradientNorm, evaluations: used, stop: .noProgress)
                }
                for i in 0..<n { trial[i] = x[i] + delta[i] }
                let f1 = objective(trial)
                used += 1
                counters.evaluations += 1
                var predicted = 0.0
                for i in 0..<n { predicted += delta[i] * (lambda * delta[i] - gradient[i]) }
                let gain = (f0 - f1) / predicted
                if f1.isFinite && f1 < f0 && gain > 0 {
                    x = trial
                    (value, position) = (f1, trial)
                    counters.minDamping = min(counters.minDamping ?? lambda, lambda)
                    counters.maxDamping = max(counters.maxDamping ?? lambda, lambda)
                    let cube = (2 * gain - 1) * (2 * gain - 1) * (2 * gain - 1)
                    (damping, growth) = (mu * max(1.0 / 3, 1 - cube), 2)
                    return OptimizerStep(loss: f1, gradientNorm: gradientNorm, evaluations: used, stop: nil)
                }
                counters.rejectedSteps += 1
            }
            mu *= growth
            growth *= 2
        }
        damping = mu
        return OptimizerStep(loss: f0, gradientNorm: gradientNorm, evaluations: used, stop: .dampingExhausted)
    }

    /// JᵀJ (upper triangle) by `dsyrk` over `threads` shares of the rows, and Jᵀρ by `dgemv`: J row-major N × n is
    /// Jᵀ column-major n × N, and a share of rows is a block of its columns.
    private mutating func formNormalEquations(rows: Int) {
        let n = parameterCount
        let shares = max(1, min(threads, rows / 64))
        if partialNormals.count < (shares - 1) * n * n { partialNormals = [Double](repeating: 0, count: (shares - 1) * n * n) }
        jacobian.withUnsafeBufferPointer { j in
            normal.withUnsafeMutableBufferPointer { c in
                partialNormals.withUnsafeMutableBufferPointer { p in
                    nonisolated(unsafe) let (j, c, p) = (j, c, p)
                    DispatchQueue.concurrentPerform(iterations: shares) { k in
                        let (first, last) = (rows * k / shares, rows * (k + 1) / shares)
                        cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, Int32(n), Int32(last - first), 1,
                                    j.baseAddress! + first * n, Int32(n), 0,
                                    k == 0 ? c.baseAddress! : p.baseAddress! + (k - 1) * n * n, Int32(n))
                    }
                    for k in 1..<shares {
                        let share = p.baseAddress! + (k - 1) * n * n
                        for col in 0..<n {
                            for row in 0...col { c[col * n + row] += share[col * n + row] }
                        }
                    }
                }
            }
            residuals.withUnsafeBufferPointer { r in
                gradient.withUnsafeMutableBufferPointer { g in
                    cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(rows), 1, j.baseAddress!, Int32(n),
                                r.baseAddress!, 1, 0, g.baseAddress!, 1)
                }
            }
        }
    }

    /// δ from (JᵀJ + λI)δ = −Jᵀρ; false when the damped matrix is not numerically positive definite.
    private mutating func solve(damping lambda: Double, into delta: inout [Double]) -> Bool {
        let count = parameterCount
        for j in 0..<count {
            for i in 0...j { factor[j * count + i] = normal[j * count + i] }
            factor[j * count + j] += lambda
        }
        for i in 0..<count { delta[i] = -gradient[i] }
        let threads = threads
        let factored = factor.withUnsafeMutableBufferPointer { a in
            TiledCholesky.factor(a.baseAddress!, n: count, threads: threads)
        }
        guard factored else { return false }
        var n = Int32(count), lda = Int32(count), one: Int32 = 1, info: Int32 = 0
        factor.withUnsafeBufferPointer { a in
            delta.withUnsafeMutableBufferPointer { b in
                "U".withCString { uplo in dpotrs_(uplo, &n, &one, a.baseAddress!, &lda, b.baseAddress!, &lda, &info) }
            }
        }
        return info == 0 && delta.allSatisfy(\.isFinite)
    }

    private static func seconds(since clock: inout ContinuousClock.Instant) -> Double {
        let now = ContinuousClock.now
        defer { clock = now }
        let d = now - clock
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

extension LevenbergMarquardt: Codable {
    /// The settings, μ, ν, the counters and the current point with f there; the scratch (ρ, J, JᵀJ, the factor) is
    /// formed anew at the next step, and `threads` is the caller's.
    enum CodingKeys: String, CodingKey {
        case parameterCount, initialDampingFactor, gradientTolerance, stepTolerance, maxDamping, damping, growth
        case counters, value, position
    }
}
