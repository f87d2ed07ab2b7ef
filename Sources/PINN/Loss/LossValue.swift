/// One evaluation of the loss L = Σ_t w_t·mean_t(|r_t|²) + w_a·S(a), every term reported separately.
public struct LossValue: Sendable, Equatable {
    /// L, the weighted total the optimiser minimises.
    public var total: Double
    /// mean(|r_t|²) of every term, unweighted, in the problem's term order.
    public var terms: [Double]
    /// S(a), unweighted (0 without slopes).
    public var slopeRecovery: Double

    public var isFinite: Bool { total.isFinite && terms.allSatisfy(\.isFinite) }
}
