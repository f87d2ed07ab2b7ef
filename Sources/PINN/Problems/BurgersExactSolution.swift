import Foundation
import PINNNumerics

/// The exact solution of the viscous Burgers benchmark
///
///     u_t + u u_x − ν u_xx = 0,   x ∈ [−1, 1], t ∈ [0, 1],   u(x, 0) = −sin(πx),   u(±1, t) = 0,
///
/// by the Cole–Hopf transform u = −2ν φ_x/φ, which turns the equation into the heat equation φ_t = ν φ_xx:
///
///     u(x, t) = −∫ sin(π(x−η)) f(x−η) e^{−η²/(4νt)} dη / ∫ f(x−η) e^{−η²/(4νt)} dη,   f(y) = e^{−cos(πy)/(2πν)}.
///
/// (The initial data is odd and 2-periodic, so the whole-line solution vanishes at x = ±1 by itself.)
/// Substituting η = √(4νt) z gives two Gauss–Hermite integrals with weight e^{−z²}; the factor √(4νt) cancels:
///
///     u(x, t) ≈ −Σᵢ wᵢ sin(π(x−ηᵢ)) e^{−cos(π(x−ηᵢ))/(2πν)} / Σᵢ wᵢ e^{−cos(π(x−ηᵢ))/(2πν)},   ηᵢ = √(4νt) zᵢ.
///
/// f spans e^{±1/(2πν)} (e^{±50} for ν = 0.01/π) and the outer weights underflow, so both sums are taken in
/// log-sum-exp form: with Eᵢ = log wᵢ − cos(π(x−ηᵢ))/(2πν) and M = maxᵢ Eᵢ, each sum is e^{M} Σᵢ (…) e^{Eᵢ−M}
/// and e^{M} cancels in the ratio. With 400 nodes this is converged to ~1e−14 for the default ν.
public struct BurgersExactSolution: Sendable {
    /// The viscosity ν (> 0). The benchmark's value is 0.01/π.
    public let nu: Double
    private let rule: GaussHermiteRule

    public init(nu: Double, quadratureOrder: Int = 400) {
        precondition(nu > 0, "Cole–Hopf needs a positive viscosity")
        self.nu = nu
        self.rule = GaussHermiteRule(order: quadratureOrder)
    }

    /// u(x, t) for t ≥ 0. At t = 0 this is exactly −sin(πx); at x = ±1 the formula gives 0 up to rounding (~1e−16).
    public func value(x: Double, t: Double) -> Double {
        precondition(t >= 0, "the solution is defined for t ≥ 0")
        if t == 0 { return -sin(Double.pi * x) }
        return KernelAtTime(rule: rule, nu: nu, t: t).value(x: x)
    }

    /// u on the tensor grid t × x, t-major: element i·x.count + j is u(x[j], t[i]).
    ///
    /// Serial on purpose: this runs inside global initialisers (presets whose observations sample the exact
    /// solution are parsed once per process), where `DispatchQueue.concurrentPerform` hung the test process
    /// (a 256 × 100 grid takes well under a second serially).
    public func grid(x: [Double], t: [Double]) -> [Double] {
        var values = [Double](repeating: 0, count: t.count * x.count)
        for i in t.indices {
            let rowStart = i * x.count
            if t[i] == 0 {
                for j in x.indices { values[rowStart + j] = -sin(Double.pi * x[j]) }
            } else {
                let kernel = KernelAtTime(rule: rule, nu: nu, t: t[i])
                for j in x.indices { values[rowStart + j] = kernel.value(x: x[j]) }
            }
        }
        return values
    }
}

extension BurgersExactSolution: ExactSolution {
    /// u at (x, t) points (count × 2). Points sharing a time share its quadrature set-up (as on an output grid);
    /// computed serially (see `grid`), each value independently, so the result is deterministic.
    public func values(at points: [Double]) -> [Double] {
        let byTime = Dictionary(grouping: 0..<(points.count / 2)) { points[2 * $0 + 1] }
        var values = [Double](repeating: 0, count: points.count / 2)
        for t in byTime.keys.sorted() {
            let kernel = t == 0 ? nil : KernelAtTime(rule: rule, nu: nu, t: t)
            for i in byTime[t]! { values[i] = kernel?.value(x: points[2 * i]) ?? -sin(Double.pi * points[2 * i]) }
        }
        return values
    }
}

/// The quadrature at one time t > 0, with everything that does not depend on x precomputed:
/// cos(πηᵢ) and sin(πηᵢ), so that cos(π(x−ηᵢ)) and sin(π(x−ηᵢ)) follow by the angle-difference identities
/// without a trigonometric call per node and point.
///
/// Negligible nodes are dropped. With A = 1/(2πν), every term is at most wᵢ e^{A} and the largest term is at least
/// w_max e^{−A}, so nodes with log wᵢ < log w_max − 2A − 50 together contribute under n·e^{−50} (< 1e−19) of the
/// denominator. For ν = 0.01/π this keeps about half of a 400-node rule; it also drops underflowed (−∞) weights.
private struct KernelAtTime {
    let logWeights: [Double]
    let cosPiEta: [Double]
    let sinPiEta: [Double]
    /// A = 1/(2πν): the amplitude of the exponent of f.
    let inverseTwoPiNu: Double

    init(rule: GaussHermiteRule, nu: Double, t: Double) {
        let scale = (4 * nu * t).squareRoot()
        inverseTwoPiNu = 1 / (2 * Double.pi * nu)
        let cutoff = (rule.logWeights.max() ?? 0) - 2 * inverseTwoPiNu - 50
        var logWeights: [Double] = [], cosPiEta: [Double] = [], sinPiEta: [Double] = []
        for (z, logW) in zip(rule.nodes, rule.logWeights) where logW >= cutoff {
            let piEta = Double.pi * scale * z
            logWeights.append(logW)
            cosPiEta.append(cos(piEta))
            sinPiEta.append(sin(piEta))
        }
        self.logWeights = logWeights
        self.cosPiEta = cosPiEta
        self.sinPiEta = sinPiEta
    }

    func value(x: Double) -> Double {
        let sinPiX = sin(Double.pi * x), cosPiX = cos(Double.pi * x)
        let count = logWeights.count

        // Eᵢ = log wᵢ − cos(π(x−ηᵢ))/(2πν), and its maximum M.
        var largest = -Double.infinity
        for i in 0..<count {
            let cosine = cosPiX * cosPiEta[i] + sinPiX * sinPiEta[i]
            largest = max(largest, logWeights[i] - cosine * inverseTwoPiNu)
        }

        var numerator = 0.0, denominator = 0.0
        for i in 0..<count {
            let cosine = cosPiX * cosPiEta[i] + sinPiX * sinPiEta[i]
            let sine = sinPiX * cosPiEta[i] - cosPiX * sinPiEta[i]
            let term = exp(logWeights[i] - cosine * inverseTwoPiNu - largest)
            numerator += sine * term
            denominator += term
        }
        return -numerator / denominator
    }
}
