/// A line search that finds a step length t > 0 along a descent direction d satisfying the strong Wolfe conditions
/// (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithms 3.5 and 3.6; the same scheme as PyTorch's
/// `_strong_wolfe`).
///
/// With φ(t) = f(x + t·d), so φ′(t) = ∇f(x + t·d)ᵀd and φ′(0) < 0:
///
///     φ(t) ≤ φ(0) + c₁·t·φ′(0)      sufficient decrease (Armijo): the step gains a fixed share of what the slope
///                                     at x promised, so tiny steps cannot pass as progress
///     |φ′(t)| ≤ c₂·|φ′(0)|           strong curvature: the slope has flattened, so t is near a minimiser along d
///                                     and not merely somewhere it is still falling steeply
///
/// with 0 < c₁ < c₂ < 1 (defaults c₁ = 10⁻⁴, c₂ = 0.9 for quasi-Newton methods). The curvature condition also gives
/// sᵀy = t·(φ′(t) − φ′(0)) > 0, which keeps the L-BFGS inverse-Hessian approximation positive definite.
///
/// **Bracketing** tries t₀, t₁, … growing by cubic extrapolation (between 1.01·tᵢ and 10·tᵢ) until a trial either
/// satisfies both conditions (done), or violates sufficient decrease / stops decreasing / has φ′ ≥ 0, which brackets a
/// point satisfying both. **Zoom** then shrinks the bracket [t_lo, t_hi] — t_lo the lowest trial satisfying sufficient
/// decrease, with φ′(t_lo)·(t_hi − t_lo) < 0 — by evaluating the minimiser of the cubic through both ends (clamped
/// 10% inside the bracket so it always shrinks by at least that much) until a trial satisfies both conditions.
///
/// **Non-finite values**: a trial whose loss or gradient is not finite is treated as infinitely high, so it ends
/// bracketing and becomes t_hi; zoom bisects towards t_lo while t_hi is non-finite. The search therefore backs off
/// from a region where the objective blows up instead of reporting a point there.
///
/// When `maxEvaluations` run out or the bracket is narrower than `resolution` in every parameter, the search returns
/// the best trial seen: the lowest one satisfying sufficient decrease if any, otherwise the lowest one below φ(0),
/// otherwise the start itself (step 0). It never returns a point worse than the start.
public struct StrongWolfeLineSearch<T: BinaryFloatingPoint & Sendable>: Sendable {
    /// c₁ of the sufficient-decrease condition.
    public var sufficientDecrease: T
    /// c₂ of the strong curvature condition.
    public var curvature: T
    /// The most objective evaluations one search may use.
    public var maxEvaluations: Int
    /// Zoom gives up once (t_hi − t_lo)·‖d‖∞ ≤ resolution: the bracket's ends differ by at most this in any parameter.
    public var resolution: T

    @inlinable
    public init(sufficientDecrease: T = 1e-4, curvature: T = 0.9, maxEvaluations: Int = 25, resolution: T = 1e-9) {
        precondition(0 < sufficientDecrease && sufficientDecrease < curvature && curvature < 1,
                     "the Wolfe constants need 0 < c1 < c2 < 1")
        precondition(maxEvaluations > 0, "a line search needs at least one evaluation")
        self.sufficientDecrease = sufficientDecrease
        self.curvature = curvature
        self.maxEvaluations = maxEvaluations
        self.resolution = resolution
    }

    /// How a search ended.
    public enum Outcome: String, Sendable, Codable {
        /// The step satisfies both strong Wolfe conditions.
        case strongWolfe
        /// Evaluations or resolution ran out; the step satisfies sufficient decrease but maybe not curvature.
        case sufficientDecrease
        /// No trial satisfied sufficient decrease; the step is the lowest trial below φ(0), or 0 if none was lower.
        case noSufficientDecrease
        /// No trial had a finite loss and gradient; the step is 0.
        case nonFinite
    }

    /// The step a search chose and what it cost.
    public struct Result: Sendable {
        /// The step length t (0 means "stay at the start").
        public var step: T
        /// φ(t) = f(x + t·d).
        public var value: T
        /// φ′(t) = ∇f(x + t·d)ᵀd.
        public var slope: T
        /// Objective evaluations used.
        public var evaluations: Int
        public var outcome: Outcome

        @inlinable
        init(step: T, value: T, slope: T, evaluations: Int, outcome: Outcome) {
            (self.step, self.value, self.slope, self.evaluations, self.outcome) = (step, value, slope, evaluations, outcome)
        }
    }

    /// One evaluated trial: t, φ(t), φ′(t); a non-finite trial has φ = +∞ and φ′ = NaN.
    @usableFromInline
    struct Sample {
        @usableFromInline var step: T
        @usableFromInline var value: T
        @usableFromInline var slope: T

        @inlinable
        init(step: T, value: T, slope: T) { (self.step, self.value, self.slope) = (step, value, slope) }

        @inlinable
        var isFinite: Bool { value.isFinite }
    }

    /// Searches along `direction` from `start`, where the objective has `value` and directional derivative `slope`
    /// (which must be negative), starting with the trial step `initialStep`.
    ///
    /// On return with a nonzero step, `point` holds start + step·direction and `gradient` the objective's gradient
    /// there. With step 0 both hold scratch values. `bestGradient` is scratch of the same count. All four vectors must
    /// have the same count; the buffers are reused, not reallocated.
    @inlinable
    public func search(objective: Objective<T>, from start: [T], value: T, slope: T, along direction: [T],
                       initialStep: T, point: inout [T], gradient: inout [T],
                       bestGradient: inout [T]) rethrows -> Result {
        precondition(slope < 0, "the line search needs a descent direction")
        precondition(initialStep > 0 && initialStep.isFinite, "the initial step must be positive and finite")
        precondition(direction.count == start.count && point.count == start.count
                     && gradient.count == start.count && bestGradient.count == start.count,
                     "line search vectors differ in length")
        let (c1, c2) = (sufficientDecrease, curvature)
        let directionMagnitude = FlatVector.maxMagnitude(direction)
        let origin = Sample(step: 0, value: value, slope: slope)
        var evaluations = 0
        var sawFiniteTrial = false
        var best = origin
        var bestSatisfiesArmijo = false

        func satisfiesArmijo(_ trial: Sample) -> Bool { trial.value <= value + c1 * trial.step * slope }
        func satisfiesCurvature(_ trial: Sample) -> Bool { abs(trial.slope) <= -c2 * slope }

        /// Evaluates φ(t), φ′(t), leaving the point and gradient in `point` and `gradient`, and keeps the best trial.
        func evaluate(_ t: T, _ objective: Objective<T>) rethrows -> Sample {
            evaluations += 1
            FlatVector.point(start, plus: t, times: direction, into: &point)
            let f = try objective(point, &gradient)
            // A non-finite gradient entry makes the dot product non-finite (NaN·0 and ∞·0 are NaN).
            let d = FlatVector.dot(gradient, direction, count: gradient.count)
            guard f.isFinite, d.isFinite else { return Sample(step: t, value: .infinity, slope: .nan) }
            sawFiniteTrial = true
            let trial = Sample(step: t, value: f, slope: d)
            if f < value {
                let armijo = satisfiesArmijo(trial)
                if (armijo && !bestSatisfiesArmijo) || (armijo == bestSatisfiesArmijo && f < best.value) {
                    (best, bestSatisfiesArmijo) = (trial, armijo)
                    FlatVector.copy(gradient, into: &bestGradient, count: gradient.count)
                }
            }
            return trial
        }

        func accept(_ trial: Sample) -> Result {
            Result(step: trial.step, value: trial.value, slope: trial.slope, evaluations: evaluations,
                   outcome: .strongWolfe)
        }

        func fallBackToBest() -> Result {
            guard best.step > 0 else {
                return Result(step: 0, value: value, slope: slope, evaluations: evaluations,
                              outcome: sawFiniteTrial ? .noSufficientDecrease : .nonFinite)
            }
            swap(&gradient, &bestGradient)
            FlatVector.point(start, plus: best.step, times: direction, into: &point)
            return Result(step: best.step, value: best.value, slope: best.slope, evaluations: evaluations,
                          outcome: bestSatisfiesArmijo ? .sufficientDecrease : .noSufficientDecrease)
        }

        // Bracketing (Algorithm 3.5).
        var previous = origin
        var t = initialStep
        var low: Sample, high: Sample
        while true {
            guard evaluations < maxEvaluations else { return fallBackToBest() }
            let trial = try evaluate(t, objective)
            if !satisfiesArmijo(trial) || (evaluations > 1 && trial.value >= previous.value) {
                (low, high) = (previous, trial)
                break
            }
            if satisfiesCurvature(trial) { return accept(trial) }
            if trial.slope >= 0 {
                (low, high) = (trial, previous)
                break
            }
            let next = Self.cubicMinimiser(previous, trial, within: t + (t - previous.step) / 100, 10 * t)
            (previous, t) = (trial, next)
        }

        // Zoom (Algorithm 3.6).
        while evaluations < maxEvaluations {
            let lower = min(low.step, high.step), upper = max(low.step, high.step)
            let width = upper - lower
            if width * directionMagnitude <= resolution { break }
            let guess = high.isFinite ? Self.cubicMinimiser(low, high, within: lower, upper) : (low.step + high.step) / 2
            let trial = try evaluate(min(max(guess, lower + width / 10), upper - width / 10), objective)
            if !satisfiesArmijo(trial) || trial.value >= low.value {
                high = trial
            } else {
                if satisfiesCurvature(trial) { return accept(trial) }
                if trial.slope * (high.step - low.step) >= 0 { high = low }
                low = trial
            }
        }
        return fallBackToBest()
    }

    /// The minimiser of the cubic interpolating φ and φ′ at two trials (Nocedal & Wright eq. 3.59), clamped to
    /// [lower, upper]; the midpoint when the cubic has no minimiser or the arithmetic overflows.
    @inlinable
    static func cubicMinimiser(_ a: Sample, _ b: Sample, within lower: T, _ upper: T) -> T {
        let d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.step - b.step)
        let d2Squared = d1 * d1 - a.slope * b.slope
        if d2Squared >= 0 {
            let d2 = d2Squared.squareRoot()
            // Written from the left end (x₁ < x₂): x₂ − (x₂ − x₁)·(φ′₂ + d₂ − d₁)/(φ′₂ − φ′₁ + 2d₂).
            let (left, right) = a.step <= b.step ? (a, b) : (b, a)
            let numerator: T = right.slope + d2 - d1
            let denominator: T = right.slope - left.slope + 2 * d2
            let minimiser: T = right.step - (right.step - left.step) * (numerator / denominator)
            if minimiser.isFinite { return min(max(minimiser, lower), upper) }
        }
        return (lower + upper) / 2
    }
}

extension StrongWolfeLineSearch: Codable where T: Codable {}
