/// One term of a derivative stream of order 3 or 4 through an activation (Faà di Bruno's formula, docs/design.md
/// §4.3): `coefficient · σ^(k)(y) · s^k · Π z_f` over the `factors` (stream block indices, k = factors.count ≤ 4),
/// one per part of a set partition of the derivative's inputs, equal partitions merged into the coefficient.
public struct TaylorTerm: Hashable, Sendable {
    public let coefficient: Int
    public let factors: [Int]

    public init(coefficient: Int, factors: [Int]) {
        precondition((1...4).contains(factors.count), "a term has 1 to 4 factors")
        self.coefficient = coefficient
        self.factors = factors
    }
}
