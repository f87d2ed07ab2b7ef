/// The solution of a time-marched job: one network per time window (`TimeWindows`), each mapping its own window's
/// box to [−1, 1]. At a point with time t it is window j's network, j = `windows.index(of: t)`:
///
///     u(x, t) = N_j(x, t),   t ∈ [t_j, t_{j+1})   (the last window also at T)
///
/// and so are its derivatives, taken inside the window (at a seam, the later window's one-sided ones). The one place
/// a piecewise solution is evaluated: the grid, `/predict`, the live error and the model export go through it. With
/// one window it is that network, evaluated exactly as before.
public struct PiecewiseNetwork<T: PINNScalar>: Sendable {
    public let windows: TimeWindows
    /// One per window, in time order; fewer while a job is still training (later times then take the last one).
    public let networks: [Network<T>]

    public init(windows: TimeWindows, networks: [Network<T>]) {
        precondition(!networks.isEmpty && networks.count <= windows.count)
        (self.windows, self.networks) = (windows, networks)
    }

    /// A single network over its whole box (no time-marching).
    public init(_ network: Network<T>) {
        let t = 0
        windows = TimeWindows(input: t, count: 1, start: network.lower[t], end: network.upper[t])
        networks = [network]
    }

    public var architecture: NetworkArchitecture { networks[0].architecture }

    /// The network that evaluates time `t`.
    public func window(of t: Double) -> Int { min(windows.index(of: t), networks.count - 1) }

    /// The outputs at `points` (count × inputs, physical coordinates): count × outputs, row-major.
    public func evaluate(_ points: [Double]) -> [Double] { evaluate(points, derivatives: [[]])[0] }

    /// The outputs' `derivatives` at `points`, one block (count × outputs) per derivative, each point by its window's
    /// network.
    public func evaluate(_ points: [Double], derivatives: [Derivative]) -> [[Double]] {
        if networks.count == 1 { return networks[0].evaluate(points, derivatives: derivatives) }
        let d = networks[0].lower.count
        let m = architecture.outputs
        let count = points.count / d
        var rows = [[Int]](repeating: [], count: networks.count)
        for i in 0..<count { rows[window(of: points[i * d + windows.input])].append(i) }
        var blocks = [[Double]](repeating: [Double](repeating: 0, count: count * m), count: derivatives.count)
        for (j, members) in rows.enumerated() where !members.isEmpty {
            let subset = members.flatMap { points[($0 * d)..<(($0 + 1) * d)] }
            let values = networks[j].evaluate(subset, derivatives: derivatives)
            for s in derivatives.indices {
                for (r, i) in members.enumerated() {
                    for o in 0..<m { blocks[s][i * m + o] = values[s][r * m + o] }
                }
            }
        }
        return blocks
    }

    /// The windows' flat parameters one after the other (what a stored result holds for a time-marched job).
    public var parameters: [T] { networks.flatMap(\.parameters) }
}
