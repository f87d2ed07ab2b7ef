/// A partial derivative of a network output with respect to the inputs, as the sorted list of input indices:
/// `[]` the value, `[j]` ∂/∂x_j, `[j, l]` ∂²/∂x_j∂x_l (j ≤ l).
public typealias Derivative = [Int]

/// The set of derivative streams carried forward through the network (docs/design.md §4): the value, the first
/// derivatives `first` and the second derivatives `second`. Stream blocks are stacked in that order, so
/// stream 0 is the value, 1...first.count the first derivatives, then the second. Every input of a second
/// derivative also carries its first derivative (h_jl needs z_j and z_l).
public struct TaylorStreams: Hashable, Sendable {
    public let inputCount: Int
    public let first: [Int]
    public let second: [Derivative]

    /// The smallest stream set containing `derivatives` (orders 0–2), closed under "needs its first derivatives".
    public init(inputCount: Int, derivatives: [Derivative]) {
        precondition(derivatives.allSatisfy { $0.count <= 2 && $0.allSatisfy { (0..<inputCount).contains($0) } },
                     "derivatives of order ≤ 2 of existing inputs")
        let normalised = Set(derivatives.map { $0.sorted() })
        self.inputCount = inputCount
        self.second = normalised.filter { $0.count == 2 }.sorted { $0.lexicographicallyPrecedes($1) }
        self.first = Set(normalised.filter { $0.count == 1 }.map { $0[0] } + second.flatMap { $0 }).sorted()
    }

    /// The number of stacked streams.
    public var count: Int { 1 + first.count + second.count }

    /// The stream index of a derivative, or nil when it is not carried.
    public func index(of derivative: Derivative) -> Int? {
        let d = derivative.sorted()
        switch d.count {
        case 0: return 0
        case 1: return first.firstIndex(of: d[0]).map { 1 + $0 }
        case 2: return second.firstIndex(of: d).map { 1 + first.count + $0 }
        default: return nil
        }
    }

    /// The derivative carried by stream `index`.
    public func derivative(at index: Int) -> Derivative {
        if index == 0 { return [] }
        if index <= first.count { return [first[index - 1]] }
        return second[index - 1 - first.count]
    }

    /// Second-derivative streams as pairs of first-order stream indices (what the fused kernels need).
    var kernelPairs: [(j: Int, l: Int)] {
        second.map { (1 + first.firstIndex(of: $0[0])!, 1 + first.firstIndex(of: $0[1])!) }
    }

    public static func value(inputCount: Int) -> TaylorStreams { TaylorStreams(inputCount: inputCount, derivatives: []) }
}
