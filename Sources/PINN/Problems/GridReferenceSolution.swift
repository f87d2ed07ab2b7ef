import Foundation

/// A solution u(x, t) known on a grid — nodes periodic in x, times spanning a closed interval — and evaluated
/// anywhere in its box by local Lagrange interpolation. The grid:
///
///     x_n = a + (b − a)·n/X,  n = 0 … X−1  (periodic: x = b is x = a again),
///     t_i = c + (d − c)·i/(T−1),  i = 0 … T−1,        values[i·X + n] = u(x_n, t_i).
///
/// At a point with fractional grid positions s = (x − a)/(b − a)·X and r = (t − c)/(d − c)·(T−1):
///
///     u(x, t) ≈ Σ_{k=0…3} ℓ³_k(r − i₀) Σ_{j=0…7} ℓ⁷_j(s − n₀) u(x_{n₀+j}, t_{i₀+k}),   n₀ = ⌊s⌋ − 3,  i₀ = ⌊r⌋ − 1,
///
/// node indices taken mod X, and i₀ moved inward at the ends (0 ≤ i₀ ≤ T − 4). ℓ^p are the Lagrange weights of
/// the nodes 0…p at the position σ, with the usual error bound for a grid step h:
///
///     ℓ^p_k(σ) = Π_{l≠k} (σ − l)/(k − l),   |error| ≤ h^{p+1} max|∂^{p+1}u| · |Π_l (σ − l)| / (p+1)!.
///
/// A point within 1e−9 of a grid step of a node (of a time) takes that node's (time's) stored value itself, with
/// no weights: so a grid that contains a job's output points scores the job against the stored numbers exactly,
/// even when the output coordinates were rounded differently.
public struct GridReferenceSolution: ExactSolution {
    /// The period in x, [a, b].
    public let x: ClosedRange<Double>
    /// X: the nodes per period.
    public let nodes: Int
    /// [c, d], covered by the times.
    public let t: ClosedRange<Double>
    /// T: the times, both ends included.
    public let times: Int
    /// u at the grid, t-major: values[i·X + n] = u(x_n, t_i).
    public let values: [Double]

    /// How far from a node or time, in grid steps, a point still counts as on it.
    static let snap = 1e-9

    public init(x: ClosedRange<Double>, nodes: Int, t: ClosedRange<Double>, times: Int, values: [Double]) {
        precondition(nodes >= 8 && times >= 4, "the stencils need 8 nodes and 4 times")
        precondition(values.count == nodes * times, "expected \(times) × \(nodes) values, got \(values.count)")
        precondition(x.upperBound > x.lowerBound && t.upperBound > t.lowerBound)
        self.x = x
        self.nodes = nodes
        self.t = t
        self.times = times
        self.values = values
    }

    /// The grid from float64 little-endian bytes, t-major and without a header; nil unless there are exactly
    /// 8 · times · nodes bytes.
    public init?(float64LittleEndian data: Data, x: ClosedRange<Double>, nodes: Int, t: ClosedRange<Double>, times: Int) {
        guard data.count == 8 * nodes * times else { return nil }
        let values = data.withUnsafeBytes { bytes in
            (0..<nodes * times).map { Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))) }
        }
        self.init(x: x, nodes: nodes, t: t, times: times, values: values)
    }

    /// u(x, t). x may lie anywhere (it is taken modulo the period); t must lie in [c, d].
    public func value(x: Double, t: Double) -> Double {
        let s = (x - self.x.lowerBound) / (self.x.upperBound - self.x.lowerBound) * Double(nodes)
        let r = (t - self.t.lowerBound) / (self.t.upperBound - self.t.lowerBound) * Double(times - 1)
        precondition(r >= -Self.snap && r <= Double(times - 1) + Self.snap,
                     "t = \(t) is outside the reference's [\(self.t.lowerBound), \(self.t.upperBound)]")
        let nearest = r.rounded()
        if abs(r - nearest) <= Self.snap { return value(row: Int(nearest), at: s) }
        let first = min(max(Int(r.rounded(.down)) - 1, 0), times - 4)
        var u = 0.0
        for k in 0...3 {
            u += Self.lagrangeWeight(k, of: 3, at: r - Double(first)) * value(row: first + k, at: s)
        }
        return u
    }

    /// u at time t_row and fractional node position s.
    private func value(row: Int, at s: Double) -> Double {
        let start = row * nodes
        let nearest = s.rounded()
        if abs(s - nearest) <= Self.snap { return values[start + wrap(Int(nearest))] }
        let first = Int(s.rounded(.down)) - 3
        var u = 0.0
        for j in 0...7 {
            u += Self.lagrangeWeight(j, of: 7, at: s - Double(first)) * values[start + wrap(first + j)]
        }
        return u
    }

    private func wrap(_ n: Int) -> Int { ((n % nodes) + nodes) % nodes }

    /// ℓ_k(σ) = Π_{l≠k} (σ − l)/(k − l) for the nodes 0 … degree.
    static func lagrangeWeight(_ k: Int, of degree: Int, at sigma: Double) -> Double {
        var weight = 1.0
        for l in 0...degree where l != k { weight *= (sigma - Double(l)) / Double(k - l) }
        return weight
    }

    /// u at (x, t) points (count × 2, x first).
    public func values(at points: [Double]) -> [Double] {
        (0..<points.count / 2).map { value(x: points[2 * $0], t: points[2 * $0 + 1]) }
    }
}
