import Foundation

/// The n-point Gauss–Hermite rule: ∫ g(z) e^{−z²} dz ≈ Σᵢ wᵢ g(zᵢ), exact for polynomials g of degree ≤ 2n − 1.
///
/// Weights are stored as logarithms: the outer weights of a large rule (n = 400: wᵢ ≈ e^{−750}) underflow a Double,
/// yet may still matter when g itself is huge, so callers combine `logWeights[i] + log g(zᵢ)` in log-sum-exp form.
///
/// Construction:
/// 1. Golub–Welsch: the nodes are the eigenvalues of the Jacobi matrix of the Hermite recurrence
///    (zero diagonal, off-diagonal √(k/2), k = 1…n−1), found by implicit QL with Wilkinson shifts.
/// 2. Each node is polished by Newton's method on the orthonormal Hermite function ψₙ.
/// 3. The weight follows from the Christoffel–Darboux identity, wᵢ = 1 / (n ψₙ₋₁(zᵢ)²), evaluated in logs.
/// The eigenvectors are never formed: their first components (wᵢ = √π v₀²) underflow for the outer nodes.
public struct GaussHermiteRule: Sendable {
    /// The nodes zᵢ, ascending and symmetric (zᵢ = −z₍ₙ₋₁₋ᵢ₎; the middle node of an odd rule is exactly 0).
    public let nodes: [Double]
    /// log wᵢ, one per node. Finite for every node of every practical order.
    public let logWeights: [Double]

    public init(order: Int) {
        precondition(order >= 1, "a Gauss–Hermite rule needs at least one node")
        let n = order
        let eigenvalues = Self.jacobiEigenvalues(order: n).sorted()

        // Polish the non-negative half and mirror it: ψₙ has parity (−1)ⁿ, so the rule is exactly symmetric.
        var nodes = [Double](repeating: 0, count: n)
        var logWeights = [Double](repeating: 0, count: n)
        for i in (n / 2)..<n {
            let z = (n % 2 == 1 && i == n / 2) ? 0 : Self.newtonPolished(abs(eigenvalues[i]), order: n)
            let logW = -log(Double(n)) - 2 * Self.hermiteFunctions(at: z, order: n).logAbsPrevious
            nodes[i] = z
            nodes[n - 1 - i] = -z
            logWeights[i] = logW
            logWeights[n - 1 - i] = logW
        }
        self.nodes = nodes
        self.logWeights = logWeights
    }

    /// The orthonormal Hermite functions at z, from the three-term recurrence
    /// ψ₀ = π^{−1/4}, ψ₋₁ = 0, ψₖ₊₁ = √(2/(k+1)) z ψₖ − √(k/(k+1)) ψₖ₋₁,
    /// normalised so that ∫ ψⱼ ψₖ e^{−z²} dz = δⱼₖ.
    /// Returns ψₙ/ψₙ₋₁ and log|ψₙ₋₁|. Beyond the turning point (|z| > √(2k)) the ψₖ grow like e^{z²/2} and would
    /// overflow, so both are rescaled by 2^{−512} as needed and the exponent is carried separately.
    private static func hermiteFunctions(at z: Double, order n: Int) -> (ratio: Double, logAbsPrevious: Double) {
        var previous = 0.0
        var current = pow(Double.pi, -0.25)
        var binaryExponent = 0
        for k in 0..<n {
            let next = (2 / Double(k + 1)).squareRoot() * z * current
                - (Double(k) / Double(k + 1)).squareRoot() * previous
            previous = current
            current = next
            if abs(current) > 0x1p512 {
                current *= 0x1p-512
                previous *= 0x1p-512
                binaryExponent += 512
            }
        }
        return (current / previous, log(abs(previous)) + Double(binaryExponent) * M_LN2)
    }

    /// Newton on ψₙ, using ψₙ′ = √(2n) ψₙ₋₁: z ← z − ψₙ / (√(2n) ψₙ₋₁).
    /// The eigenvalue is already accurate to a few ulps of the largest node, so this converges in one or two steps.
    private static func newtonPolished(_ initial: Double, order n: Int) -> Double {
        var z = initial
        for _ in 0..<8 {
            let step = hermiteFunctions(at: z, order: n).ratio / Double(2 * n).squareRoot()
            z -= step
            if abs(step) <= 2 * z.ulp { break }
        }
        return z
    }

    /// Eigenvalues of the symmetric tridiagonal Jacobi matrix of the Hermite weight e^{−z²}
    /// (diagonal 0, off-diagonal √(k/2)), by the implicit QL algorithm with Wilkinson shifts
    /// (as in EISPACK tql1), eigenvalues only. Unsorted.
    private static func jacobiEigenvalues(order n: Int) -> [Double] {
        var d = [Double](repeating: 0, count: n)
        // e[i] couples rows i and i+1; e[n−1] is a zero sentinel.
        var e = (0..<n).map { i in i < n - 1 ? (Double(i + 1) / 2).squareRoot() : 0 }

        for l in 0..<n {
            var iterations = 0
            while true {
                // Find the first negligible off-diagonal element at or below l: the block l…m is unreduced.
                var m = l
                while m < n - 1 {
                    if abs(e[m]) <= Double.ulpOfOne * (abs(d[m]) + abs(d[m + 1])) { break }
                    m += 1
                }
                if m == l { break }
                iterations += 1
                precondition(iterations <= 100, "QL iteration failed to converge for Gauss–Hermite order \(n)")

                // Wilkinson shift from the leading 2×2 block, then chase the bulge from m up to l with Givens rotations.
                var g = (d[l + 1] - d[l]) / (2 * e[l])
                var r = hypot(g, 1)
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r))
                var s = 1.0, c = 1.0, p = 0.0
                var i = m - 1
                var deflatedEarly = false
                while i >= l {
                    let f = s * e[i]
                    let b = c * e[i]
                    r = hypot(f, g)
                    e[i + 1] = r
                    if r == 0 {
                        d[i + 1] -= p
                        e[m] = 0
                        deflatedEarly = true
                        break
                    }
                    s = f / r
                    c = g / r
                    g = d[i + 1] - p
                    r = (d[i] - g) * s + 2 * c * b
                    p = s * r
                    d[i + 1] = g + p
                    g = c * r - b
                    i -= 1
                }
                if deflatedEarly { continue }
                d[l] -= p
                e[l] = g
                e[m] = 0
            }
        }
        return d
    }
}
