/// [t₀, T] cut into k equal windows for time-marching (`training.timeWindows`, docs/design.md §13). Window j covers
///
///     [t_j, t_{j+1}],   t_j = t₀ + j·(T − t₀)/k,   t_k = T exactly,
///
/// and is trained in the box of the problem with t restricted to it. A time belongs to the window it lies in; a seam
/// t_j (0 < j < k) to the later window j, T to the last window, times before t₀ to the first and after T to the last
/// (what the piecewise solution extrapolates with). With k = 1 the one window is the problem's box itself.
public struct TimeWindows: Sendable, Equatable {
    /// The index of the input t.
    public let input: Int
    /// k, the number of windows.
    public let count: Int
    /// t₀ and T.
    public let start: Double
    public let end: Double

    public init(input: Int, count: Int, start: Double, end: Double) {
        precondition(count >= 1 && start < end)
        (self.input, self.count, self.start, self.end) = (input, count, start, end)
    }

    /// `count` windows over the problem's time interval; nil when the problem has no input t.
    public init?(problem: Problem, count: Int) {
        guard let t = problem.timeInput else { return nil }
        self.init(input: t, count: count, start: problem.lower[t], end: problem.upper[t])
    }

    /// t_j for j in 0…k (t_0 = t₀, t_k = T, computed the same way everywhere so the seams are exact copies).
    public func bound(_ j: Int) -> Double { j == count ? end : start + Double(j) * (end - start) / Double(count) }

    /// The seams t_1 … t_{k−1}: where a later window takes over (what the model export lists).
    public var seams: [Double] { (1..<count).map(bound) }

    /// The window that evaluates time `t`: the number of seams at or before it.
    public func index(of t: Double) -> Int {
        var j = 0
        while j + 1 < count && t >= bound(j + 1) { j += 1 }
        return j
    }

    /// The box `lower`…`upper` with t restricted to window j.
    public func box(_ j: Int, lower: [Double], upper: [Double]) -> (lower: [Double], upper: [Double]) {
        var (l, u) = (lower, upper)
        (l[input], u[input]) = (bound(j), bound(j + 1))
        return (l, u)
    }
}
