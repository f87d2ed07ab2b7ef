/// Limited-memory BFGS (Nocedal & Wright, *Numerical Optimization*, 2nd ed., ch. 7) with a strong-Wolfe line search,
/// run one iteration per `step` call so the caller can log, cancel and checkpoint in between.
///
/// **Direction.** From the last m curvature pairs sᵢ = xᵢ₊₁ − xᵢ, yᵢ = ∇fᵢ₊₁ − ∇fᵢ (ρᵢ = 1/sᵢᵀyᵢ) the two-loop
/// recursion (Algorithm 7.4) computes d = −H∇f without forming H, the BFGS inverse-Hessian approximation
///
///     Hᵢ₊₁ = (I − ρᵢsᵢyᵢᵀ) Hᵢ (I − ρᵢyᵢsᵢᵀ) + ρᵢsᵢsᵢᵀ,   started from H₀ = γI,  γ = sᵀy / yᵀy of the newest pair
///
/// (γ estimates the inverse curvature along the latest step, eq. 7.20, so the unit step t = 1 is usually accepted).
///
/// **Step.** The line search (`StrongWolfeLineSearch`) tries t = 1 first along a quasi-Newton direction. With no
/// history — the first iteration, or after a reset — the direction is steepest descent, d = −∇f, and the first trial
/// is t = min(1, 1/‖∇f‖₁), as PyTorch's `LBFGS` does with lr = 1: the first step moves the parameters by at most 1 in
/// total however large the gradient, and the line search extrapolates (up to ×10 per evaluation) if that is too short.
///
/// **Curvature pairs** are kept only if sᵀy > ε·yᵀy (ε the type's machine epsilon): sᵀy > 0 keeps H positive
/// definite, and the margin rejects pairs where rounding decides the sign. The strong-Wolfe step guarantees it in
/// exact arithmetic.
///
/// **Stopping.** Each step reports a reason to stop, or nil:
/// `gradientTolerance` when ‖∇f‖∞ ≤ gradientTolerance; `noProgress` when an accepted step moved no parameter by more
/// than stepTolerance, or |fₖ − fₖ₊₁| ≤ functionTolerance·max(|fₖ|, |fₖ₊₁|) (a relative test, so it means "f no longer
/// changes at this precision" whatever its scale); `lineSearchFailed` when even steepest descent with fresh memory
/// finds no sufficient decrease; `nonFiniteLoss` when no finite point could be found. `maxIterations` is the caller's.
///
/// **Safety.** Trial points with a non-finite loss or gradient are never accepted: the line search backs off from
/// them. If a search along the quasi-Newton direction fails, the memory is cleared and the iteration retried once with
/// steepest descent (as L-BFGS-B does). Whatever happens, the parameters move only to a trial with finite loss and
/// gradient that is lower than the current loss; otherwise they stay as they are.
///
/// **State.** f and ∇f at the current point are cached between calls, so each iteration evaluates only the line
/// search's trials; the very first call also evaluates the starting point. If the parameters passed in differ from
/// those the previous call returned, the new point is evaluated first (the curvature memory is kept; call
/// `resetHistory()` to drop it). The memory is a ring buffer of m·n values each for s and y, allocated once; apart
/// from it the optimiser holds six n-vectors: current point and gradient, direction, and line-search scratch. Encoding
/// the struct (Codable when T is) stores the cached point and the pairs in use, and a decoded copy continues exactly.
///
/// **Frozen parameters** have their gradient entries set to zero after every evaluation, so every direction, pair and
/// step is zero there and they never move.
public struct LBFGS<T: BinaryFloatingPoint & Sendable>: Sendable {
    /// n, the length of the parameter vector.
    public let parameterCount: Int
    /// m, the most curvature pairs kept.
    public let history: Int
    /// Stop when ‖∇f‖∞ is at most this.
    public var gradientTolerance: T
    /// Report no progress when a step moves no parameter by more than this.
    public var stepTolerance: T
    /// Report no progress when f changes by at most this fraction of its magnitude.
    public var functionTolerance: T
    /// The line search and its constants.
    public var lineSearch: StrongWolfeLineSearch<T>
    /// Entries that never change.
    public let frozen: FrozenParameters
    /// Iterations taken (calls to `step` that searched along a direction) and objective evaluations over all calls.
    @usableFromInline var iterationCount = 0
    @usableFromInline var evaluationCount = 0

    /// xₖ, the current point (shares storage with the parameters last returned); empty before the first evaluation.
    @usableFromInline var position: [T] = []
    /// f(xₖ).
    @usableFromInline var value: T = .nan
    /// ∇f(xₖ), frozen entries zeroed.
    @usableFromInline var gradient: [T]

    /// The curvature memory: slot k holds sₖ at steps[k·n..<(k+1)·n], yₖ likewise, and ρₖ = 1/sₖᵀyₖ.
    @usableFromInline var steps: [T]
    @usableFromInline var gradientChanges: [T]
    @usableFromInline var inverseCurvatures: [T]
    /// The slot the next pair goes into; the newest pair is in the slot before it.
    @usableFromInline var nextSlot = 0
    /// Pairs in use (≤ history).
    @usableFromInline var pairCount = 0
    /// γ = sᵀy/yᵀy of the newest pair: H₀ = γI.
    @usableFromInline var initialScaling: T = 1

    /// Scratch: the search direction, line-search trial point and gradients, two-loop coefficients αᵢ.
    @usableFromInline var direction: [T]
    @usableFromInline var trialPoint: [T]
    @usableFromInline var trialGradient: [T]
    @usableFromInline var spareGradient: [T]
    @usableFromInline var alphas: [T]

    /// - Parameters:
    ///   - gradientTolerance: the default 10⁻⁷ is PyTorch's; in Float a PINN loss rarely gets there, and runs end
    ///     with `noProgress` or `lineSearchFailed` instead.
    ///   - stepTolerance: the default 10⁻⁹ is PyTorch's `tolerance_change`.
    ///   - functionTolerance: relative; the default 10·ε means f stopped changing beyond rounding.
    @inlinable
    public init(parameterCount: Int, history: Int = 50, gradientTolerance: T = 1e-7, stepTolerance: T = 1e-9,
                functionTolerance: T = 10 * .ulpOfOne, lineSearch: StrongWolfeLineSearch<T> = .init(),
                frozen: FrozenParameters = .none) {
        precondition(parameterCount > 0, "L-BFGS needs at least one parameter")
        precondition(history > 0, "L-BFGS needs room for at least one curvature pair")
        self.parameterCount = parameterCount
        self.history = history
        self.gradientTolerance = gradientTolerance
        self.stepTolerance = stepTolerance
        self.functionTolerance = functionTolerance
        self.lineSearch = lineSearch
        self.frozen = frozen
        let zeros = [T](repeating: 0, count: parameterCount)
        (gradient, direction, trialPoint, trialGradient, spareGradient) = (zeros, zeros, zeros, zeros, zeros)
        steps = [T](repeating: 0, count: history * parameterCount)
        gradientChanges = steps
        inverseCurvatures = [T](repeating: 0, count: history)
        alphas = inverseCurvatures
    }

    /// Iterations taken: calls to `step` that searched along a direction.
    @inlinable
    public var iterations: Int { iterationCount }

    /// Objective evaluations over all calls.
    @inlinable
    public var evaluations: Int { evaluationCount }

    /// The number of curvature pairs currently in memory.
    @inlinable
    public var storedPairs: Int { pairCount }

    /// f at the current point, nil before the first evaluation.
    @inlinable
    public var currentLoss: T? { position.isEmpty ? nil : value }

    /// The objective changed (for example the collocation points were resampled): the next step evaluates the
    /// current point afresh. The curvature pairs are kept.
    @inlinable
    public mutating func forgetPoint() { position = [] }

    /// Forgets the curvature pairs; the next step starts again with steepest descent.
    @inlinable
    public mutating func resetHistory() {
        (pairCount, nextSlot, initialScaling) = (0, 0, 1)
    }

    /// Performs one L-BFGS iteration on `parameters`: direction, line search, update of the memory.
    ///
    /// On the first call (or when `parameters` differ from what the previous call returned) the objective is first
    /// evaluated at `parameters`. Returns immediately, without searching, if the gradient is already within tolerance.
    @inlinable
    public mutating func step(parameters: inout [T], objective: Objective<T>) rethrows -> OptimizerStep<T> {
        precondition(parameters.count == parameterCount, "L-BFGS was set up for \(parameterCount) parameters")
        var used = 0
        defer { evaluationCount += used }

        if parameters != position {
            position = parameters
            value = try objective(position, &gradient)
            used += 1
            frozen.zeroFrozenEntries(of: &gradient)
            guard value.isFinite, FlatVector.isFinite(gradient) else {
                position = []
                return OptimizerStep(loss: value, gradientNorm: FlatVector.maxMagnitude(gradient), evaluations: used,
                                 stop: .nonFiniteLoss)
            }
        }
        var gradientNorm = FlatVector.maxMagnitude(gradient)
        if gradientNorm <= gradientTolerance {
            return OptimizerStep(loss: value, gradientNorm: gradientNorm, evaluations: used, stop: .gradientTolerance)
        }

        iterationCount += 1
        while true {
            let quasiNewton = pairCount > 0
            computeDirection()
            let slope = FlatVector.dot(gradient, direction, count: parameterCount)
            guard slope < 0 else {
                // Rounding in the recursion (or overflow) spoiled the direction: retry with steepest descent.
                if quasiNewton { resetHistory(); continue }
                // −∇f itself is no descent direction only if ‖∇f‖² underflowed.
                return OptimizerStep(loss: value, gradientNorm: gradientNorm, evaluations: used, stop: .noProgress)
            }
            let initialStep: T = quasiNewton
                ? 1 : max(min(1, 1 / FlatVector.sumOfMagnitudes(gradient)), .leastNormalMagnitude)
            let search = try lineSearch.search(objective: objective, from: position, value: value, slope: slope,
                                               along: direction, initialStep: initialStep, point: &trialPoint,
                                               gradient: &trialGradient, bestGradient: &spareGradient)
            used += search.evaluations

            let accepted = search.outcome == .strongWolfe || search.outcome == .sufficientDecrease
            var largestMove: T = 0
            let previousValue = value
            if search.step > 0 {
                frozen.zeroFrozenEntries(of: &trialGradient)
                largestMove = moveToTrial(value: search.value, keepingPair: accepted)
                parameters = position
                gradientNorm = FlatVector.maxMagnitude(gradient)
                if gradientNorm <= gradientTolerance {
                    return OptimizerStep(loss: value, gradientNorm: gradientNorm, evaluations: used,
                                     stop: .gradientTolerance)
                }
            }
            if !accepted {
                if quasiNewton { resetHistory(); continue }
                return OptimizerStep(loss: value, gradientNorm: gradientNorm, evaluations: used,
                                 stop: search.outcome == .nonFinite ? .nonFiniteLoss : .lineSearchFailed)
            }
            let stalled = largestMove <= stepTolerance
                || abs(previousValue - value) <= functionTolerance * max(abs(previousValue), abs(value))
            return OptimizerStep(loss: value, gradientNorm: gradientNorm, evaluations: used,
                             stop: stalled ? .noProgress : nil)
        }
    }

    /// d = −H∇f by the two-loop recursion (Algorithm 7.4), or d = −∇f with an empty memory.
    ///
    ///     q ← ∇f;  for i newest → oldest: αᵢ = ρᵢsᵢᵀq,  q ← q − αᵢyᵢ
    ///     r ← γq;  for i oldest → newest: β = ρᵢyᵢᵀr,   r ← r + (αᵢ − β)sᵢ
    ///     d = −r
    @inlinable
    mutating func computeDirection() {
        let n = parameterCount
        FlatVector.copy(gradient, into: &direction, count: n)
        if pairCount > 0 {
            for k in 0..<pairCount {
                let slot = (nextSlot - 1 - k + history) % history
                let alpha = inverseCurvatures[slot] * FlatVector.dot(steps, direction, aOffset: slot * n, count: n)
                alphas[slot] = alpha
                FlatVector.addScaled(-alpha, gradientChanges, xOffset: slot * n, to: &direction)
            }
            FlatVector.scale(&direction, by: initialScaling)
            for k in 0..<pairCount {
                let slot = (nextSlot - pairCount + k + history) % history
                let beta = inverseCurvatures[slot]
                    * FlatVector.dot(gradientChanges, direction, aOffset: slot * n, count: n)
                FlatVector.addScaled(alphas[slot] - beta, steps, xOffset: slot * n, to: &direction)
            }
        }
        FlatVector.scale(&direction, by: -1)
    }

    /// Makes the line search's trial (in `trialPoint`, `trialGradient`) the current point, storing the pair
    /// s = trial − current, y = ∇f(trial) − ∇f(current) when asked and sᵀy > ε·yᵀy. Returns ‖s‖∞.
    @inlinable
    mutating func moveToTrial(value newValue: T, keepingPair: Bool) -> T {
        let n = parameterCount
        var (sy, yy, largestMove): (T, T, T) = (0, 0, 0)
        position.withUnsafeBufferPointer { x in
            trialPoint.withUnsafeBufferPointer { xNew in
                gradient.withUnsafeBufferPointer { g in
                    trialGradient.withUnsafeBufferPointer { gNew in
                        for i in 0..<n {
                            let s = xNew[i] - x[i], y = gNew[i] - g[i]
                            sy += s * y
                            yy += y * y
                            largestMove = max(largestMove, abs(s))
                        }
                    }
                }
            }
        }
        if keepingPair, sy > T.ulpOfOne * yy, (1 / sy).isFinite {
            let slot = nextSlot
            position.withUnsafeBufferPointer { x in
                trialPoint.withUnsafeBufferPointer { xNew in
                    gradient.withUnsafeBufferPointer { g in
                        trialGradient.withUnsafeBufferPointer { gNew in
                            steps.withUnsafeMutableBufferPointer { s in
                                gradientChanges.withUnsafeMutableBufferPointer { y in
                                    for i in 0..<n {
                                        s[slot * n + i] = xNew[i] - x[i]
                                        y[slot * n + i] = gNew[i] - g[i]
                                    }
                                }
                            }
                        }
                    }
                }
            }
            inverseCurvatures[slot] = 1 / sy
            initialScaling = sy / yy
            nextSlot = (slot + 1) % history
            pairCount = min(pairCount + 1, history)
        }
        swap(&position, &trialPoint)
        swap(&gradient, &trialGradient)
        value = newValue
        return largestMove
    }
}

extension LBFGS: Codable where T: Codable {
    @usableFromInline
    enum CodingKeys: String, CodingKey {
        case parameterCount, history, gradientTolerance, stepTolerance, functionTolerance, lineSearch, frozen
        case iterations, evaluations, position, value, gradient
        case steps, gradientChanges, inverseCurvatures, initialScaling
    }

    /// Encodes the settings, the cached point and the pairs in use, oldest first; scratch and unused slots are left out.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parameterCount, forKey: .parameterCount)
        try container.encode(history, forKey: .history)
        try container.encode(gradientTolerance, forKey: .gradientTolerance)
        try container.encode(stepTolerance, forKey: .stepTolerance)
        try container.encode(functionTolerance, forKey: .functionTolerance)
        try container.encode(lineSearch, forKey: .lineSearch)
        try container.encode(frozen, forKey: .frozen)
        try container.encode(iterations, forKey: .iterations)
        try container.encode(evaluations, forKey: .evaluations)
        if !position.isEmpty {
            try container.encode(position, forKey: .position)
            try container.encode(value, forKey: .value)
            try container.encode(gradient, forKey: .gradient)
        }
        let n = parameterCount
        var (s, y, rho) = ([T](), [T](), [T]())
        for k in 0..<pairCount {
            let slot = (nextSlot - pairCount + k + history) % history
            s.append(contentsOf: steps[slot * n..<(slot + 1) * n])
            y.append(contentsOf: gradientChanges[slot * n..<(slot + 1) * n])
            rho.append(inverseCurvatures[slot])
        }
        try container.encode(s, forKey: .steps)
        try container.encode(y, forKey: .gradientChanges)
        try container.encode(rho, forKey: .inverseCurvatures)
        try container.encode(initialScaling, forKey: .initialScaling)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let n = try container.decodeParameterCount(forKey: .parameterCount)
        let history = try container.decode(Int.self, forKey: .history)
        guard history > 0 else {
            throw DecodingError.dataCorruptedError(forKey: .history, in: container, debugDescription: "must be positive")
        }
        self.init(parameterCount: n, history: history,
                  gradientTolerance: try container.decode(T.self, forKey: .gradientTolerance),
                  stepTolerance: try container.decode(T.self, forKey: .stepTolerance),
                  functionTolerance: try container.decode(T.self, forKey: .functionTolerance),
                  lineSearch: try container.decode(StrongWolfeLineSearch<T>.self, forKey: .lineSearch),
                  frozen: try container.decode(FrozenParameters.self, forKey: .frozen))
        iterationCount = try container.decode(Int.self, forKey: .iterations)
        evaluationCount = try container.decode(Int.self, forKey: .evaluations)
        if let point = try container.decodeCachedVectors(T.self, count: n, forKeys: [.position, .gradient]) {
            (position, gradient) = (point[0], point[1])
            value = try container.decode(T.self, forKey: .value)
        }
        let s = try container.decode([T].self, forKey: .steps)
        let y = try container.decode([T].self, forKey: .gradientChanges)
        let rho = try container.decode([T].self, forKey: .inverseCurvatures)
        guard rho.count <= history, s.count == rho.count * n, y.count == s.count else {
            throw DecodingError.dataCorruptedError(forKey: .steps, in: container,
                                                   debugDescription: "curvature memory is inconsistent")
        }
        FlatVector.copy(s, into: &steps, count: s.count)
        FlatVector.copy(y, into: &gradientChanges, count: y.count)
        FlatVector.copy(rho, into: &inverseCurvatures, count: rho.count)
        pairCount = rho.count
        nextSlot = rho.count % history
        initialScaling = try container.decode(T.self, forKey: .initialScaling)
    }
}
