import PINNNumerics

/// A partial derivative of a network output with respect to the inputs, as the sorted list of input indices:
/// `[]` the value, `[j]` ∂/∂x_j, `[j, l]` ∂²/∂x_j∂x_l (j ≤ l), up to four indices (`[0, 0, 0]` ∂³/∂x_0³).
public typealias Derivative = [Int]

/// The set of derivative streams carried forward through the network (docs/design.md §4): the value, the first
/// derivatives `first`, the second derivatives `second`, and those of order 3 and 4, `higher`. Stream blocks are
/// stacked in that order (each group sorted), so stream 0 is the value, 1...first.count the first derivatives, then
/// the second, then the higher. The set is closed under taking parts: every derivative's sub-derivatives are
/// carried too (h_jl needs z_j and z_l; h_xxx needs z_x and z_xx), since the chain rule through an activation
/// multiplies them (Faà di Bruno's formula, `kernelTerms`). A set of order ≤ 2 is laid out exactly as before the
/// higher orders existed and runs the same kernels.
public struct TaylorStreams: Hashable, Sendable {
    /// The highest derivative order the streams carry.
    public static let maximumOrder = 4

    public let inputCount: Int
    public let first: [Int]
    public let second: [Derivative]
    /// Derivatives of order 3 and 4, by order, then lexicographically.
    public let higher: [Derivative]

    /// The smallest stream set containing `derivatives` (orders 0–4), closed under taking sub-derivatives.
    public init(inputCount: Int, derivatives: [Derivative]) {
        precondition(derivatives.allSatisfy {
            $0.count <= Self.maximumOrder && $0.allSatisfy { (0..<inputCount).contains($0) }
        }, "derivatives of order ≤ \(Self.maximumOrder) of existing inputs")
        var closed = Set<Derivative>()
        for derivative in derivatives { closed.formUnion(Self.parts(of: derivative.sorted())) }
        let sorted = closed.sorted(by: Self.precedes)
        self.inputCount = inputCount
        first = sorted.filter { $0.count == 1 }.map { $0[0] }
        second = sorted.filter { $0.count == 2 }
        higher = sorted.filter { $0.count > 2 }
    }

    /// By order, then lexicographically.
    private static func precedes(_ a: [Int], _ b: [Int]) -> Bool {
        a.count != b.count ? a.count < b.count : a.lexicographicallyPrecedes(b)
    }

    /// Every non-empty sub-multiset of a sorted derivative (itself included), each sorted.
    private static func parts(of derivative: Derivative) -> Set<Derivative> {
        var parts = Set<Derivative>()
        for mask in 1..<(1 << derivative.count) {
            parts.insert(derivative.indices.filter { mask & (1 << $0) != 0 }.map { derivative[$0] })
        }
        return parts
    }

    /// The number of stacked streams.
    public var count: Int { 1 + first.count + second.count + higher.count }

    /// The stream index of a derivative, or nil when it is not carried.
    public func index(of derivative: Derivative) -> Int? {
        let d = derivative.sorted()
        switch d.count {
        case 0: return 0
        case 1: return first.firstIndex(of: d[0]).map { 1 + $0 }
        case 2: return second.firstIndex(of: d).map { 1 + first.count + $0 }
        default: return higher.firstIndex(of: d).map { 1 + first.count + second.count + $0 }
        }
    }

    /// The derivative carried by stream `index`.
    public func derivative(at index: Int) -> Derivative {
        if index == 0 { return [] }
        if index <= first.count { return [first[index - 1]] }
        if index <= first.count + second.count { return second[index - 1 - first.count] }
        return higher[index - 1 - first.count - second.count]
    }

    /// Second-derivative streams as pairs of first-order stream indices (what the fused kernels of order ≤ 2 need).
    var kernelPairs: [(j: Int, l: Int)] {
        second.map { (1 + first.firstIndex(of: $0[0])!, 1 + first.firstIndex(of: $0[1])!) }
    }

    /// For stream sets of order 3–4, every block's terms by Faà di Bruno's formula (block 0 has none): for a
    /// derivative D over inputs i_1…i_m, h_D = Σ over the set partitions π of {1…m} of σ^(|π|)(y) s^|π| Π_{B ∈ π} z_{D_B}.
    /// Partitions giving the same multiset of factor streams are merged: h_xxx = σ' s z_xxx + 3σ'' s² z_xx z_x
    /// + σ''' s³ z_x³. Nil for order ≤ 2, whose fixed-layout kernels are faster.
    public var kernelTerms: [[TaylorTerm]]? {
        guard !higher.isEmpty else { return nil }
        return (0..<count).map { block in
            let derivative = self.derivative(at: block)
            guard !derivative.isEmpty else { return [] }
            var merged: [[Int]: Int] = [:]
            for partition in Self.setPartitions(of: derivative.count) {
                let factors = partition.map { part in index(of: part.map { derivative[$0] })! }.sorted()
                merged[factors, default: 0] += 1
            }
            return merged.sorted { Self.precedes($0.key, $1.key) }.map { TaylorTerm(coefficient: $0.value, factors: $0.key) }
        }
    }

    /// The set partitions of {0…m−1} (Bell(m) of them: 1, 2, 5, 15 for m = 1…4), by restricted growth strings.
    private static func setPartitions(of m: Int) -> [[[Int]]] {
        var result: [[[Int]]] = []
        func extend(_ element: Int, _ parts: [[Int]]) {
            if element == m { result.append(parts); return }
            for p in parts.indices {
                var next = parts
                next[p].append(element)
                extend(element + 1, next)
            }
            extend(element + 1, parts + [[element]])
        }
        extend(0, [])
        return result
    }

    public static func value(inputCount: Int) -> TaylorStreams { TaylorStreams(inputCount: inputCount, derivatives: []) }
}
