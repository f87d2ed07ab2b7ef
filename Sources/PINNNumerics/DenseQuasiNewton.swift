import CBLAS
import CPINNKernels
import Dispatch
import Foundation

/// Quasi-Newton minimisation on a dense inverse-Hessian approximation H (n × n, Double), in three variants of the
/// Broyden class: BFGS, self-scaled BFGS (SSBFGS) and self-scaled Broyden (SSBroyden), one iteration per `step`
/// call so the caller can log, resample, cancel and checkpoint in between. docs/design.md §11 has the derivation.
///
/// **Step.** p = −H·g, then a strong-Wolfe line search (c₁ = 10⁻⁴, c₂ = 0.9) gives α, with the first trial
/// α₀ = min(1, 2.02·(f_k − f_{k−1})/gᵀp) (SciPy's choice; f_{−1} = f₀ + ‖g‖/2 at a start), or 1 if that is not
/// positive.
///
/// **Update.** With s = α·p, y = g₊ − g, ρ = 1/yᵀs and
///
///     h = ρ·yᵀHy,   b = −α·ρ·sᵀg  (= sᵀBs/yᵀs, since Bs = −α·g),   a = b·h − 1  (≥ 0 by Cauchy–Schwarz)
///
/// every variant is one formula with a scaling τ and a Broyden parameter φ:
///
///     H₊ = [H − (Hy)(Hy)ᵀ/(yᵀHy) + φ·(yᵀHy)·v·vᵀ]/τ + ρ·s·sᵀ,   v = ρ·s − Hy/(yᵀHy)
///
/// - **BFGS**: φ = 1, τ = 1: the standard inverse update H₊ = (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ
///   (Nocedal & Wright, *Numerical Optimization*, eq. 6.17).
/// - **SSBFGS**: φ = 1, τ = min(1, 1/b): the BFGS update applied to H/τ (Oren & Luenberger's self-scaling, as
///   used for PINNs by Urbán, Stefanou & Pons, JCP 523 (2025) 113656, and Kiyani et al., arXiv 2501.16371).
/// - **SSBroyden** (Urbán et al. 2025, §2.3; "SSBroyden2" of their modified SciPy): with c = √(a/(1+a)),
///   ρ⁻ = min(1, h·(1 − c)), θ⁻ = (ρ⁻ − 1)/a, θ⁺ = 1/ρ⁻,
///
///       θ = max(θ⁻, min(θ⁺, (1 − b)/b)),   σ = 1 + θ·a,   r = min(1, 1/b),
///       τ = min(r·σ^{1/(1−n)}, σ)   for θ ≤ 0,     τ = r·min(σ^{1/(1−n)}, 1/θ)   for θ > 0,
///       φ = (1 − θ)/(1 + a·θ).
///
///   When a ≈ 0 (θ⁻ divides by a; B and H already agree along s) the step falls back to SSBFGS.
///
/// Since v lies in span(Hy, s), the update is rank 2: H₊ = H/τ + U·M·Uᵀ with U = [Hy, s] and the symmetric
///
///     M = [[(φ − 1)/(yᵀHy), −φρ], [−φρ, φ·ρ²·yᵀHy]]/τ + [[0, 0], [0, ρ]].
///
/// And because H·g = −p is known, H·y = H·g₊ + p: each iteration needs one symmetric matrix–vector product and one
/// rank-2 update of the upper triangle of H, and the next direction H₊g₊ = (H·g₊)/τ + U·M·(Uᵀg₊) needs no further
/// pass over H. The update is kept pending and applied in the same pass as the next product (the C kernel
/// `pinn_symv_rank2_d`, on two threads over column blocks of equal area), so each iteration reads and writes H once:
/// measured 2.3× faster than BLAS `dsymv` + `dsyr2k` at n = 1,341 (docs/performance.md).
///
/// **Safeguards.** The update is skipped when yᵀs ≤ ε·‖s‖·‖y‖ or any scalar is non-finite (H stays positive
/// definite). When the direction is not a descent direction, or the line search fails, H restarts from γ·I with
/// γ = sᵀy/yᵀy of the last pair (1 before any); a search that fails from a fresh H stops the run. `checkPositiveDefinite`
/// (a Cholesky factorisation) restarts H when rounding has cost it positive definiteness; callers run it at restarts
/// such as a resample of the collocation points.
///
/// The struct is the whole optimiser state, so an encoded copy continues bit for bit (H is encoded as the raw bytes of
/// its upper triangle).
public struct DenseQuasiNewton: Sendable {
    public enum Update: String, Codable, Sendable, CaseIterable { case bfgs, ssbfgs, ssbroyden }

    public let parameterCount: Int
    public let update: Update
    public var lineSearch: StrongWolfeLineSearch<Double>
    /// Stop when ‖∇f‖∞ falls to this.
    public var gradientTolerance: Double
    /// Skip the update when yᵀs ≤ this·‖s‖·‖y‖.
    public var curvatureTolerance: Double

    /// What the iterations did, for reports.
    public struct Counters: Codable, Sendable, Equatable {
        public var iterations = 0
        public var evaluations = 0
        public var skippedUpdates = 0
        public var restarts = 0
        /// Updates that fell back from SSBroyden to SSBFGS (a ≈ 0).
        public var fallbacks = 0
        /// Seconds spent on H (the products with H and its update), apart from the objective's evaluations.
        public var updateSeconds = 0.0
    }
    public private(set) var counters = Counters()

    /// H, column-major n × n; only the upper triangle is kept up to date.
    @usableFromInline var inverseHessian: [Double]
    /// The current point, f and ∇f there, and p = −H·∇f; `position` is empty until the first evaluation.
    @usableFromInline var position: [Double] = []
    @usableFromInline var value = 0.0
    @usableFromInline var gradient: [Double]
    @usableFromInline var direction: [Double]
    /// f at the previous point, for the first trial step; nil at a start.
    @usableFromInline var previousValue: Double?
    /// γ = sᵀy/yᵀy of the last pair, the scale H restarts from.
    @usableFromInline var restartScale = 1.0
    /// Whether H is still the (scaled) identity it last restarted from.
    @usableFromInline var isFresh = true

    /// Scratch: the line search's trial point and gradients, the last product with H.
    @usableFromInline var trialPoint: [Double]
    @usableFromInline var trialGradient: [Double]
    @usableFromInline var spareGradient: [Double]
    @usableFromInline var productNew: [Double]
    /// The pending update H ← H/τ + U·Wᵀ + W·Uᵀ: U = [H·y, s] and W = U·M/2, n × 2 column-major each.
    @usableFromInline var factors: [Double]
    @usableFromInline var halfFactors: [Double]
    @usableFromInline var pendingInverseTau: Double?
    /// Scratch: one share of H·x per column block.
    @usableFromInline var shares: [Double]

    public init(parameterCount n: Int, update: Update = .ssbroyden, lineSearch: StrongWolfeLineSearch<Double> = .init(),
                gradientTolerance: Double = 1e-12, curvatureTolerance: Double = 1e-12) {
        precondition(n > 0, "quasi-Newton needs at least one parameter")
        parameterCount = n
        self.update = update
        self.lineSearch = lineSearch
        self.gradientTolerance = gradientTolerance
        self.curvatureTolerance = curvatureTolerance
        inverseHessian = [Double](repeating: 0, count: n * n)
        let zeros = [Double](repeating: 0, count: n)
        (gradient, direction, trialPoint, trialGradient, spareGradient, productNew) = (zeros, zeros, zeros, zeros, zeros, zeros)
        factors = [Double](repeating: 0, count: 2 * n)
        halfFactors = factors
        shares = factors
        restart(scale: 1)
    }

    /// Bytes H occupies for n parameters (the budget a job is checked against at submission).
    public static func memoryBytes(parameterCount n: Int) -> Int { n * n * MemoryLayout<Double>.stride }

    /// H as a full symmetric matrix, row-major (for tests and reports).
    public var inverseHessianMatrix: [Double] {
        var copy = self
        copy.applyPendingUpdate()
        let inverseHessian = copy.inverseHessian
        let n = parameterCount
        var full = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in 0...j {
                full[i * n + j] = inverseHessian[j * n + i]
                full[j * n + i] = inverseHessian[j * n + i]
            }
        }
        return full
    }

    /// f at the current point, nil before the first evaluation (or after `forgetPoint`).
    public var currentLoss: Double? { position.isEmpty ? nil : value }

    /// H ← γ·I.
    public mutating func restart(scale: Double) {
        let n = parameterCount
        pendingInverseTau = nil
        inverseHessian.withUnsafeMutableBufferPointer { h in
            h.update(repeating: 0)
            for i in 0..<n { h[i * n + i] = scale }
        }
        isFresh = true
        if !position.isEmpty { FlatVector.copy(gradient, into: &direction, count: n); FlatVector.scale(&direction, by: -scale) }
    }

    /// The objective changed (for example the collocation points were resampled): the next step evaluates the
    /// current point afresh and starts its line search as at a start. H is kept.
    public mutating func forgetPoint() {
        position = []
        previousValue = nil
    }

    /// Tests H for positive definiteness by a Cholesky factorisation of its upper triangle (LAPACK `dpotrf` on a
    /// copy) and restarts it from γ·I when that fails. Returns whether H passed.
    @discardableResult
    public mutating func checkPositiveDefinite() -> Bool {
        applyPendingUpdate()
        var copy = inverseHessian
        var n = Int32(parameterCount), lda = Int32(parameterCount), info: Int32 = 0
        let passed = copy.withUnsafeMutableBufferPointer { a in
            "U".withCString { uplo in dpotrf_(uplo, &n, a.baseAddress!, &lda, &info) }
            return info == 0
        }
        if !passed {
            counters.restarts += 1
            restart(scale: restartScale)
        }
        return passed
    }

    /// One iteration on `parameters`: direction, line search, update of H.
    ///
    /// On the first call (or when `parameters` differ from what the previous call returned, or after `forgetPoint`)
    /// the objective is first evaluated at `parameters`. Returns without searching when the gradient is already
    /// within tolerance.
    public mutating func step(parameters: inout [Double], objective: Objective<Double>) rethrows -> OptimizerStep<Double> {
        precondition(parameters.count == parameterCount, "quasi-Newton was set up for \(parameterCount) parameters")
        let n = parameterCount
        var used = 0
        defer { counters.evaluations += used }

        if position.isEmpty || parameters != position {
            position = parameters
            value = try objective(position, &gradient)
            used += 1
            previousValue = nil
            guard value.isFinite, FlatVector.isFinite(gradient) else {
                position = []
                return OptimizerStep(loss: value, gradientNorm: FlatVector.maxMagnitude(gradient), evaluations: used,
                                 stop: .nonFiniteLoss)
            }
            symmetricProduct(gradient)
            FlatVector.copy(productNew, into: &direction, count: n)
            FlatVector.scale(&direction, by: -1)
        }
        var gradientNorm = FlatVector.maxMagnitude(gradient)
        if gradientNorm <= gradientTolerance {
            return OptimizerStep(loss: value, gradientNorm: gradientNorm, evaluations: used, stop: .gradientTolerance)
        }

        counters.iterations += 1
        while true {
            let slope = FlatVector.dot(gradient, direction, count: n)
            guard slope < 0, slope.isFinite else {
                // Rounding (or overflow) has spoiled H: restart from a scaled identity.
                if !isFresh { counters.restarts += 1; restart(scale: restartScale); continue }
                return OptimizerStep(loss: value, gradientNorm: gradientNorm, evaluations: used, stop: .noProgress)
            }
            let previous = previousValue ?? value + FlatVector.dot(gradient, gradient, count: n).squareRoot() / 2
            let guess = 2.02 * (value - previous) / slope
            let initialStep = guess > 0 && guess.isFinite ? min(1, guess) : 1
            let search = try lineSearch.search(objective: objective, from: position, value: value, slope: slope,
                                               along: direction, initialStep: initialStep, point: &trialPoint,
                                               gradient: &trialGradient, bestGradient: &spareGradient)
            used += search.evaluations
            let accepted = search.outcome == .strongWolfe || search.outcome == .sufficientDecrease
            guard accepted else {
                if search.step > 0 {
                    // Never worse than the start: keep the lowest trial, but learn nothing from it.
                    swap(&position, &trialPoint)
                    swap(&gradient, &trialGradient)
                    (previousValue, value) = (value, search.value)
                    parameters = position
                    gradientNorm = FlatVector.maxMagnitude(gradient)
                }
                if !isFresh {
                    counters.restarts += 1
                    restart(scale: restartScale)
                    continue
                }
                return OptimizerStep(loss: value, gradientNorm: gradientNorm, evaluations: used,
                                 stop: search.outcome == .nonFinite ? .nonFiniteLoss : .lineSearchFailed)
            }
            let largestMove = search.step * FlatVector.maxMagnitude(direction)
            let clock = ContinuousClock.now
            updateInverseHessian(step: search.step, slope: slope)
            counters.updateSeconds += Double((ContinuousClock.now - clock) / .microseconds(1)) * 1e-6
            swap(&position, &trialPoint)
            swap(&gradient, &trialGradient)
            let (oldValue, oldGradientNorm) = (value, gradientNorm)
            (previousValue, value) = (value, search.value)
            parameters = position
            gradientNorm = FlatVector.maxMagnitude(gradient)
            if gradientNorm <= gradientTolerance {
                return OptimizerStep(loss: value, gradientNorm: gradientNorm, evaluations: used, stop: .gradientTolerance)
            }
            // Stalled: nothing moved, or f stopped changing and the gradient stopped shrinking (near a minimum f is
            // flat to rounding while x and ∇f still converge, so f alone is no stop signal).
            let stalled = largestMove == 0 || (oldValue == value && gradientNorm >= oldGradientNorm)
            return OptimizerStep(loss: value, gradientNorm: gradientNorm, evaluations: used, stop: stalled ? .noProgress : nil)
        }
    }

    /// The scaling τ and Broyden parameter φ of the update, from h = ρ·yᵀHy and b = −αρ·sᵀg (see the type's doc
    /// comment); nil when a scalar is not finite or τ is not positive. `fellBack` reports SSBroyden's a ≈ 0 case.
    public static func coefficients(_ update: Update, h: Double, b: Double, parameterCount n: Int)
        -> (phi: Double, tau: Double, fellBack: Bool)? {
        guard h.isFinite, b.isFinite, b > 0 else { return nil }
        let r = min(1, 1 / b)
        switch update {
        case .bfgs: return (1, 1, false)
        case .ssbfgs: return (1, r, false)
        case .ssbroyden:
            let a = b * h - 1
            guard a > 1e-14 else { return (1, r, true) }
            let rhoMinus = min(1, h * (1 - (a / (1 + a)).squareRoot()))
            let thetaMinus = (rhoMinus - 1) / a, thetaPlus = 1 / rhoMinus
            let theta = max(thetaMinus, min(thetaPlus, (1 - b) / b))
            let sigma = 1 + theta * a
            let sigmaRoot = Foundation.pow(abs(sigma), 1 / (1 - Double(n)))
            let tau = theta <= 0 ? min(r * sigmaRoot, sigma) : r * min(sigmaRoot, 1 / theta)
            let phi = (1 - theta) / (1 + a * theta)
            guard tau.isFinite, tau > 0, phi.isFinite else { return nil }
            return (phi, tau, false)
        }
    }

    /// H ← H₊ from the accepted step α along `direction` (trial point and gradient in the scratch vectors), and
    /// `direction` ← −H₊·g₊.
    @usableFromInline
    mutating func updateInverseHessian(step alpha: Double, slope: Double) {
        let n = parameterCount
        symmetricProduct(trialGradient)                                          // productNew = H·g₊
        var (ys, yy, ss, yHy) = (0.0, 0.0, 0.0, 0.0)
        factors.withUnsafeMutableBufferPointer { u in
            productNew.withUnsafeBufferPointer { hg in
                direction.withUnsafeBufferPointer { p in
                    trialGradient.withUnsafeBufferPointer { g1 in
                        gradient.withUnsafeBufferPointer { g0 in
                            for i in 0..<n {
                                let y = g1[i] - g0[i], s = alpha * p[i], hy = hg[i] + p[i]   // H·y = H·g₊ + p
                                u[i] = hy
                                u[n + i] = s
                                ys += y * s; yy += y * y; ss += s * s; yHy += y * hy
                            }
                        }
                    }
                }
            }
        }
        guard ys.isFinite, yHy.isFinite, ys > curvatureTolerance * (ss * yy).squareRoot(), yHy > 0 else {
            return skipUpdate()
        }
        let rho = 1 / ys
        let h = rho * yHy, b = -alpha * rho * (alpha * slope)                    // sᵀg = α·gᵀp
        guard let (phi, tau, fellBack) = Self.coefficients(update, h: h, b: b, parameterCount: n) else { return skipUpdate() }
        if fellBack { counters.fallbacks += 1 }
        let m11 = (phi - 1) / yHy / tau, m12 = -phi * rho / tau, m22 = phi * rho * rho * yHy / tau + rho
        guard m11.isFinite, m12.isFinite, m22.isFinite else { return skipUpdate() }
        // −H₊g₊ = −(H·g₊)/τ − U·M·(Uᵀg₊)
        var (c1, c2) = (0.0, 0.0)
        factors.withUnsafeBufferPointer { u in
            trialGradient.withUnsafeBufferPointer { g1 in
                for i in 0..<n { c1 += u[i] * g1[i]; c2 += u[n + i] * g1[i] }
            }
        }
        let (d1, d2) = (m11 * c1 + m12 * c2, m12 * c1 + m22 * c2)
        factors.withUnsafeBufferPointer { u in
            productNew.withUnsafeBufferPointer { hg in
                direction.withUnsafeMutableBufferPointer { p in
                    for i in 0..<n { p[i] = -(hg[i] / tau + u[i] * d1 + u[n + i] * d2) }
                }
            }
        }
        // H ← H/τ + U·Wᵀ + W·Uᵀ with W = U·M/2 (M is symmetric), applied with the next product.
        factors.withUnsafeBufferPointer { u in
            halfFactors.withUnsafeMutableBufferPointer { w in
                for i in 0..<n {
                    w[i] = 0.5 * (u[i] * m11 + u[n + i] * m12)
                    w[n + i] = 0.5 * (u[i] * m12 + u[n + i] * m22)
                }
            }
        }
        pendingInverseTau = 1 / tau
        restartScale = ys / yy
        isFresh = false
    }

    /// Keeps H as it is (the pair would cost it positive definiteness): direction ← −H·g₊.
    @usableFromInline
    mutating func skipUpdate() {
        counters.skippedUpdates += 1
        FlatVector.copy(productNew, into: &direction, count: parameterCount)
        FlatVector.scale(&direction, by: -1)
    }

    /// Applies the pending update, if any, to the stored upper triangle.
    @usableFromInline
    mutating func applyPendingUpdate() {
        guard pendingInverseTau != nil else { return }
        symmetricProduct([Double](repeating: 0, count: parameterCount))
    }

    /// productNew = H·x, applying the pending update in the same pass (`pinn_symv_rank2_d`). Two column blocks of equal
    /// triangle area (split at n/√2) run on two threads, each into its own share; the shares are added in a fixed
    /// order, so the result does not depend on scheduling.
    @usableFromInline
    mutating func symmetricProduct(_ x: [Double]) {
        let n = parameterCount
        let blocks = n >= 512 ? 2 : 1
        let split = blocks == 2 ? Int((Double(n) / 2.0.squareRoot()).rounded()) : n
        let update: Int32 = pendingInverseTau == nil ? 0 : 1
        let inverseTau = pendingInverseTau ?? 1
        pendingInverseTau = nil
        shares.withUnsafeMutableBufferPointer { shares in
            shares.update(repeating: 0)
            inverseHessian.withUnsafeMutableBufferPointer { h in
                factors.withUnsafeBufferPointer { u in
                    halfFactors.withUnsafeBufferPointer { w in
                        x.withUnsafeBufferPointer { x in
                            nonisolated(unsafe) let (h, u, w, x, shares) = (h.baseAddress!, u.baseAddress!, w.baseAddress!,
                                                                            x.baseAddress!, shares.baseAddress!)
                            DispatchQueue.concurrentPerform(iterations: blocks) { b in
                                let (j0, j1) = b == 0 ? (0, split) : (split, n)
                                pinn_symv_rank2_d(Int32(n), Int32(j0), Int32(j1), h, update, inverseTau, u, u + n, w,
                                                  w + n, x, shares + b * n)
                            }
                        }
                    }
                }
            }
            productNew.withUnsafeMutableBufferPointer { y in
                for i in 0..<n { y[i] = blocks == 2 ? shares[i] + shares[n + i] : shares[i] }
            }
        }
    }
}

extension DenseQuasiNewton: Codable {
    enum CodingKeys: String, CodingKey {
        case parameterCount, update, lineSearch, gradientTolerance, curvatureTolerance, counters
        case inverseHessian, position, value, gradient, direction, previousValue, restartScale, isFresh
        case pendingInverseTau, factors, halfFactors
    }

    /// H is encoded as the little-endian bytes of its upper triangle, column by column (exact, and a third of
    /// the size of the same numbers as JSON text), with the update still pending.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parameterCount, forKey: .parameterCount)
        try c.encode(update, forKey: .update)
        try c.encode(lineSearch, forKey: .lineSearch)
        try c.encode(gradientTolerance, forKey: .gradientTolerance)
        try c.encode(curvatureTolerance, forKey: .curvatureTolerance)
        try c.encode(counters, forKey: .counters)
        let n = parameterCount
        var bytes = Data(capacity: n * (n + 1) / 2 * 8)
        inverseHessian.withUnsafeBufferPointer { h in
            for j in 0..<n {
                bytes.append(UnsafeBufferPointer(rebasing: h[(j * n)..<(j * n + j + 1)]))
            }
        }
        try c.encode(bytes, forKey: .inverseHessian)
        if !position.isEmpty {
            try c.encode(position, forKey: .position)
            try c.encode(value, forKey: .value)
            try c.encode(gradient, forKey: .gradient)
            try c.encode(direction, forKey: .direction)
        }
        try c.encodeIfPresent(previousValue, forKey: .previousValue)
        try c.encode(restartScale, forKey: .restartScale)
        try c.encode(isFresh, forKey: .isFresh)
        if let pendingInverseTau {
            try c.encode(pendingInverseTau, forKey: .pendingInverseTau)
            try c.encode(factors, forKey: .factors)
            try c.encode(halfFactors, forKey: .halfFactors)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let n = try c.decodeParameterCount(forKey: .parameterCount)
        self.init(parameterCount: n, update: try c.decode(Update.self, forKey: .update),
                  lineSearch: try c.decode(StrongWolfeLineSearch<Double>.self, forKey: .lineSearch),
                  gradientTolerance: try c.decode(Double.self, forKey: .gradientTolerance),
                  curvatureTolerance: try c.decode(Double.self, forKey: .curvatureTolerance))
        counters = try c.decode(Counters.self, forKey: .counters)
        let bytes = try c.decode(Data.self, forKey: .inverseHessian)
        guard bytes.count == n * (n + 1) / 2 * 8 else {
            throw DecodingError.dataCorruptedError(forKey: .inverseHessian, in: c,
                                                   debugDescription: "H has \(bytes.count) bytes, expected \(n * (n + 1) / 2 * 8)")
        }
        bytes.withUnsafeBytes { raw in
            inverseHessian.withUnsafeMutableBufferPointer { h in
                var offset = 0
                for j in 0..<n {
                    for i in 0...j {
                        h[j * n + i] = raw.loadUnaligned(fromByteOffset: offset, as: Double.self)
                        offset += 8
                    }
                }
            }
        }
        if let point = try c.decodeCachedVectors(Double.self, count: n, forKeys: [.position, .gradient, .direction]) {
            (position, gradient, direction) = (point[0], point[1], point[2])
            value = try c.decode(Double.self, forKey: .value)
        }
        previousValue = try c.decodeIfPresent(Double.self, forKey: .previousValue)
        restartScale = try c.decode(Double.self, forKey: .restartScale)
        isFresh = try c.decode(Bool.self, forKey: .isFresh)
        if let inverseTau = try c.decodeIfPresent(Double.self, forKey: .pendingInverseTau) {
            let (u, w) = (try c.decode([Double].self, forKey: .factors), try c.decode([Double].self, forKey: .halfFactors))
            guard u.count == 2 * n, w.count == 2 * n else {
                throw DecodingError.dataCorruptedError(forKey: .factors, in: c, debugDescription: "pending update has the wrong length")
            }
            (pendingInverseTau, factors, halfFactors) = (inverseTau, u, w)
        }
    }
}
