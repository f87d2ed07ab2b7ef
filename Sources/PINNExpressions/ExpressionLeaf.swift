/// One value a compiled program reads, per row.
public enum ExpressionLeaf: Hashable, Sendable {
    /// The coordinate of input i (its position in `ExpressionScope.inputs`).
    case input(Int)
    /// Network output `output` (its position in `ExpressionScope.fields`) or one of its derivatives:
    /// `[]` the value, `[j]` ∂/∂input j, `[j, l]` with j ≤ l ∂²/∂input j ∂input l.
    case field(output: Int, derivative: [Int])
    /// Trainable parameter k (its position in `ExpressionScope.learned`); the same value on every row.
    case learned(Int)

    public var isField: Bool {
        if case .field = self { true } else { false }
    }

    public var isLearned: Bool {
        if case .learned = self { true } else { false }
    }
}
