/// One root to compile.
public struct ExpressionSource: Sendable, Equatable {
    /// The expression, e.g. `u_t + u*u_x - nu*u_xx`.
    public var text: String
    /// The caller's path to this expression, used in its error messages, e.g. `problem.equations[0]`.
    public var field: String
    /// When given, the root is the residual `minus − (text)`. It must name a field or a field derivative
    /// written as in expressions (`u`, `u_x`), and is allowed even where the scope forbids fields in `text`
    /// (a data target `u = g(x)` is `text: "g(x)", minus: "u"`). Its errors are reported on `field`.
    public var minus: String?

    public init(_ text: String, field: String, minus: String? = nil) {
        self.text = text
        self.field = field
        self.minus = minus
    }
}
